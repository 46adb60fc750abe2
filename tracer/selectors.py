"""Reads of the tracer study that more than one page shows, so that they cannot disagree.

`wave_counts`: how many were invited to a wave and how many answered, graduates and employers (supervisors a
graduate or staff nominated) apart. The wave list and the wave page both read it: a nominated supervisor is an
invitation of the wave but no graduate, and once counted as one on the list (17 invited) but not on the page (16).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from .models import Invitation, Response

__all__ = ["WaveCounts", "wave_counts"]


@dataclass(frozen=True)
class WaveCounts:
    graduates_invited: int = 0
    graduates_started: int = 0  # a response saved, not yet submitted
    graduates_submitted: int = 0
    employers_invited: int = 0
    employers_submitted: int = 0

    @property
    def response_rate(self) -> float | None:
        """Submitted graduates per invited graduate, in percent with one decimal; None when nobody was invited."""
        if not self.graduates_invited:
            return None
        return round(100 * self.graduates_submitted / self.graduates_invited, 1)


def wave_counts(*, wave_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, WaveCounts]:
    """The counts of each wave in `wave_ids` (one query, grouped by wave and respondent). Every wave asked for is in
    the answer, with zeros when nobody was invited yet."""
    wave_ids = list(wave_ids)
    rows = (
        Invitation.objects.filter(wave_id__in=wave_ids)
        .values("wave_id", "respondent")
        .annotate(
            invited=Count("pk"),
            started=Count("pk", filter=Q(response__status=Response.Status.PARTIAL)),
            submitted=Count("pk", filter=Q(response__status=Response.Status.SUBMITTED)),
        )
        .order_by()
    )
    found: dict[uuid.UUID, dict[str, int]] = {pk: {} for pk in wave_ids}
    for row in rows:
        counts = found.setdefault(row["wave_id"], {})
        if row["respondent"] == Invitation.Respondent.GRADUATE:
            counts.update(graduates_invited=row["invited"], graduates_started=row["started"],
                          graduates_submitted=row["submitted"])
        elif row["respondent"] == Invitation.Respondent.EMPLOYER:
            counts.update(employers_invited=row["invited"], employers_submitted=row["submitted"])
    return {pk: WaveCounts(**counts) for pk, counts in found.items()}
