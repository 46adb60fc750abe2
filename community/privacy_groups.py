"""What the groups and posts parts of community hold about a person, for "Download my data" and "Delete my account"
(registered in hooks_groups and hooks_posts):

- memberships (group, role, status, dates) and the communities the person proposed: exported; on deletion the
  memberships go (the person leaves every group); proposed groups stay (other members are in them);
- posts (text, pictures' descriptions, dates, moderation state) and comments: exported; they stay in their groups
  after an account is deleted (the threads would not make sense without them), under the anonymised account;
- reports the person made: exported; on deletion their reason (their own words) goes, the report stays for the
  moderation history.
"""

from __future__ import annotations

from typing import Any

from .models import Comment, Group, Membership, Post, PostImage, Report


def export_groups(user) -> dict[str, Any]:
    return {
        "memberships": list(Membership.objects.filter(user=user).order_by("created_at", "pk").values(
            "group__name", "group__kind", "role", "status", "joined_at", "created_at")),
        "proposed": list(Group.objects.filter(created_by=user).order_by("created_at").values(
            "name", "kind", "status", "refusal_reason", "created_at")),
    }


def delete_memberships(user, marker: str) -> None:
    Membership.objects.filter(user=user).delete()


def export_posts(user) -> dict[str, Any]:
    return {
        "posts": list(Post.objects.filter(author=user).order_by("created_at", "pk").values(
            "id", "group__name", "kind", "body", "pinned", "visibility", "created_at", "edited_at")),
        "pictures": list(PostImage.objects.filter(post__author=user).order_by("post__created_at", "position").values(
            "post_id", "position", "alt")),
        "comments": list(Comment.objects.filter(author=user).order_by("created_at", "pk").values(
            "id", "post_id", "body", "visibility", "created_at")),
    }


def export_reports(user) -> list[dict[str, Any]]:
    return list(Report.objects.filter(reporter=user).order_by("created_at", "pk").values(
        "group__name", "target_type", "target_id", "reason", "created_at", "resolved_at"))


def anonymise_reports(user, marker: str) -> None:
    Report.objects.filter(reporter=user).update(reason="")
