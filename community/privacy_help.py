"""What the help part of community holds about a person, for "Download my data" and "Delete my account"
(registered in hooks_help). Questions and answers stay in their groups after an account is deleted (the group's
threads would not make sense without them); the account itself is anonymised by alumni, so they show no name."""

from __future__ import annotations

from typing import Any

from .models import CommunitySettings, HelpAnswer, HelpRequest, MemberSkill


def export_help(user) -> dict[str, Any]:
    return {
        "questions": list(HelpRequest.objects.filter(asker=user).order_by("created_at").values(
            "id", "group__name", "category__code", "title", "body", "status", "visibility", "created_at",
            "solved_at")),
        "answers": list(HelpAnswer.objects.filter(author=user).order_by("created_at").values(
            "id", "request_id", "request__title", "body", "visibility", "created_at")),
    }


def export_skills(user) -> dict[str, Any]:
    row = CommunitySettings.objects.filter(user=user).values("show_helped_count", "updated_at").first()
    return {
        "skills": list(MemberSkill.objects.filter(user=user).order_by("category__code")
                       .values_list("category__code", flat=True)),
        "settings": row,
    }


def delete_skills(user, marker: str) -> None:
    MemberSkill.objects.filter(user=user).delete()
    CommunitySettings.objects.filter(user=user).delete()
