"""Start-up registrations of the posts part of community (called by community.registrations.register_all): the
audit labels of posts, comments and moderation, and the personal data of posts, comments and reports."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from alumni.privacy import register_personal_data
from core import registry

from . import privacy_groups

AUDIT_ACTIONS = {
    "community.post.created": _("Group post published"),
    "community.post.edited": _("Group post edited"),
    "community.post.deleted": _("Group post deleted by its author"),
    "community.post.pinned": _("Group post pinned"),
    "community.post.unpinned": _("Group post unpinned"),
    "community.comment.created": _("Comment posted in a group"),
    "community.comment.deleted": _("Comment deleted by its author"),
    "community.hide": _("Hidden by a moderator"),
    "community.show": _("Shown again by a moderator"),
    "community.auto_hide": _("Hidden after members' reports"),
}


def register() -> None:
    registry.register_action_labels(AUDIT_ACTIONS)
    register_personal_data("community_posts", label=_("your posts and comments in groups"),
                           export=privacy_groups.export_posts)
    register_personal_data("community_reports", label=_("your reports on posts, comments, questions and answers"),
                           export=privacy_groups.export_reports, anonymise=privacy_groups.anonymise_reports)
