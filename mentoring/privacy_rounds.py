"""What mentoring rounds hold about a person, for "Download my data" and "Delete my account" (alumni.privacy),
registered in hooks_rounds.register():

- applications: exported (round, topics, what they wanted help with, format, the mentor they were matched with and
  why, or why nobody: the stored codes as text in the reader's language); on deletion an application to a round
  not yet published is withdrawn (deleted), and in the others the person's own words (what they wanted help with)
  go; the rows stay for the round's counts;
- places offered as a mentor: exported; on deletion the offers in rounds not yet published are withdrawn.
"""

from __future__ import annotations

from typing import Any

from .matching import unmatched_text
from .models import MatchingRound, RoundApplication, RoundMentor
from .scoring import reasons_text

UNPUBLISHED = (MatchingRound.Status.OPEN, MatchingRound.Status.PROPOSED)


def export_rounds(user) -> dict[str, list[dict[str, Any]]]:
    applications = (RoundApplication.objects.filter(mentee=user).select_related("round", "matched_mentor")
                    .prefetch_related("topics").order_by("created_at", "pk"))
    offers = RoundMentor.objects.filter(mentor=user).select_related("round").order_by("created_at", "pk")
    return {
        "applications": [{
            "round": a.round.title, "topics": [t.name for t in a.topics.all()], "help_with": a.help_with,
            "format": a.format, "applied_at": a.created_at,
            "matched_mentor": a.matched_mentor.get_full_name() if a.matched_mentor else None,
            "reasons": reasons_text(a.reasons), "unmatched_reason": unmatched_text(a.unmatched_reason),
        } for a in applications],
        "mentor_places": [{"round": o.round.title, "capacity": o.capacity, "offered_at": o.created_at}
                          for o in offers],
    }


def anonymise_rounds(user, marker: str) -> None:
    RoundApplication.objects.filter(mentee=user, round__status__in=UNPUBLISHED).delete()
    RoundApplication.objects.filter(mentee=user).update(help_with="")
    RoundMentor.objects.filter(mentor=user, round__status__in=UNPUBLISHED).delete()
