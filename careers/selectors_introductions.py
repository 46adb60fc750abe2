"""Reads about introductions and outcomes, always through the `involving(user)` door: only the two people of an
introduction see it (staff see counts in careers.reports, never the notes)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from alumni.models import AlumniProfile

from .models import Introduction, Outcome

DASHBOARD_LIMIT = 5


def _with_people(qs: QuerySet) -> QuerySet:
    """Names, study programs and cohorts of both people (no contact), the organisation and the post: a fixed
    number of queries (one, plus one prefetch of the profiles)."""
    profiles = AlumniProfile.objects.select_related("study_program").only(
        "id", "user_id", "full_name", "entry_year", "study_program__name"
    )
    return qs.select_related("requester", "recipient", "organisation", "post").prefetch_related(
        Prefetch("requester__alumni_profile", queryset=profiles),
        Prefetch("recipient__alumni_profile", queryset=profiles),
    )


def introductions_for(*, user) -> dict[str, list[Introduction]]:
    """{"received": …, "asked": …}: the requests this person got and the ones they sent, newest first (at most 100
    each)."""
    base = _with_people(Introduction.objects.involving(user))
    return {
        "received": list(base.filter(recipient=user)[:100]),
        "asked": list(base.filter(requester=user)[:100]),
    }


def introduction_for(*, user, pk) -> Introduction | None:
    return _with_people(Introduction.objects.involving(user)).filter(pk=pk).first()


def waiting_for_answer(*, user) -> list[Introduction]:
    """The open requests this person should answer, oldest first (the dashboard card: one query)."""
    return list(
        Introduction.objects.involving(user).open()
        .filter(recipient=user, expires_at__gt=timezone.now())
        .select_related("requester", "organisation")
        .order_by("created_at")[:DASHBOARD_LIMIT]
    )


def outcomes_unanswered(*, user) -> list[Outcome]:
    return list(
        Outcome.objects.filter(user=user, answered_at__isnull=True)
        .select_related("application__post__organisation", "introduction__organisation")[:DASHBOARD_LIMIT]
    )
