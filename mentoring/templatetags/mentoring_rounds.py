"""Template helpers for matching rounds: `{% load mentoring_rounds %}` then `{{ application.reasons|round_reasons }}`
("2 shared topics · same study program · Jawa Barat") and `{{ application.unmatched_reason|unmatched_reason }}`.
Rounds store language-neutral codes; these say them in the language active while rendering: the reader's on a
page, the recipient's in an email (core.notifications renders each email in its recipient's language)."""

from __future__ import annotations

from django import template

from mentoring.matching import unmatched_text
from mentoring.scoring import reasons_line

register = template.Library()


@register.filter
def round_reasons(codes) -> str:
    """Why a pair was matched, joined with " · " (reasons stored as text before the codes are shown as they are)."""
    return reasons_line(codes)


@register.filter
def unmatched_reason(code) -> str:
    """Why nobody was matched (a value that is not a known code is shown as it is)."""
    return unmatched_text(code)
