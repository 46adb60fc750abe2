"""Start-up registrations of the posts part of careers (called by careers.registrations.register_all): the words
of its audit actions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.registry import register_action_labels


def register() -> None:
    register_action_labels({
        "careers.post.created": _("Job post published"),
        "careers.post.edited": _("Job post edited"),
        "careers.post.approved": _("Job post approved for a study program"),
        "careers.post.refused": _("Job post refused for a study program"),
        "careers.post.reported": _("Job post reported"),
        "careers.post.hidden": _("Job post hidden after reports"),
        "careers.post.restored": _("Hidden job post kept after review"),
        "careers.post.removed": _("Job post removed by staff"),
        "careers.post.closed": _("Job post closed"),
    })
