"""Reads about posts and comments: a group's posts for a reader (hidden ones of others as a placeholder), the
comments of a post, the moderation history of what a moderator sees. Fixed numbers of queries."""

from __future__ import annotations

from django.db.models import Count, Q

from .models import Comment, Group, Post, Visibility
from .moderation import history_for

PAGE_POSTS = 20


def posts_visible_q(user, *, moderator: bool) -> Q:
    """Posts (or comments) a reader sees in full: visible ones, their own, everything for moderators. Hidden ones of
    others are still listed, as "hidden by a moderator" (see `post_list`)."""
    if moderator:
        return Q()
    return Q(visibility=Visibility.VISIBLE) | Q(author_id=user.pk)


def post_list(group: Group, *, user, moderator: bool, limit: int = PAGE_POSTS) -> list[Post]:
    """The group's posts, pinned first then newest, with author, pictures and the number of comments (hidden ones
    included, shown as placeholders): two queries. Each post gets `.shown` (full text for this reader) and
    `.placeholder` (hidden from them: "hidden by a moderator")."""
    posts = list(
        Post.objects.filter(group=group).select_related("author").prefetch_related("images")
        .annotate(comment_count=Count("comments")).order_by("-pinned", "-created_at", "pk")[:limit]
    )
    for post in posts:
        post.shown = moderator or post.visibility == Visibility.VISIBLE or post.author_id == user.pk
        post.placeholder = not post.shown
    return posts


def comments_of(post: Post, *, user, moderator: bool) -> list[Comment]:
    comments = list(post.comments.select_related("author").order_by("created_at", "pk"))
    for comment in comments:
        comment.shown = moderator or comment.visibility == Visibility.VISIBLE or comment.author_id == user.pk
        comment.placeholder = not comment.shown
    return comments


def attach_history(items, target_type: str) -> None:
    """Each item gets `.history` (its moderation actions, newest first): one query for all."""
    found = history_for(target_type, [item.pk for item in items])
    for item in items:
        item.history = found.get(item.pk, [])
