"""Reads about job posts across relations: the job list with its filters (a fixed number of queries whatever the
number of posts), a poster's own posts with their per-program state, and the staff moderation queue."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from alumni.scope import scope_for

from .models import JobPost, JobPostTarget, JobReport

CLOSING_SOON_DAYS = 7


@dataclass(frozen=True)
class PostFilters:
    q: str = ""
    kind: str = ""
    field: str = ""
    province_id: int | None = None
    city: str = ""
    remote: bool = False
    closing_soon: bool = False
    poster_kind: str = ""
    sort: str = "newest"


def post_list(*, viewer, filters: PostFilters | None = None, today: datetime.date | None = None
              ) -> QuerySet[JobPost]:
    """The posts listed for this viewer (JobPost.objects.listed_for), filtered and sorted, with their organisation
    and province in the same query."""
    filters = filters or PostFilters()
    today = today or timezone.localdate()
    # A post past its closing date is closed by the periodic tick; until it runs, the list leaves it out already.
    qs = JobPost.objects.listed_for(viewer).filter(closing_date__gte=today).select_related("organisation", "province")
    if filters.q:
        for word in filters.q.split()[:8]:
            qs = qs.filter(Q(title__icontains=word) | Q(organisation__name__icontains=word)
                           | Q(tags__icontains=word) | Q(description__icontains=word))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.field:
        qs = qs.filter(field=filters.field)
    if filters.province_id:
        qs = qs.filter(province_id=filters.province_id)
    if filters.city:
        qs = qs.filter(city__icontains=filters.city)
    if filters.remote:
        qs = qs.filter(remote=True)
    if filters.closing_soon:
        qs = qs.filter(closing_date__gte=today, closing_date__lte=today + datetime.timedelta(days=CLOSING_SOON_DAYS))
    if filters.poster_kind:
        qs = qs.filter(poster_kind=filters.poster_kind)
    if filters.sort == "closing":
        return qs.order_by("closing_date", "-created_at", "pk")
    return qs.order_by("-created_at", "pk")


def _targets_prefetch() -> Prefetch:
    return Prefetch("targets", queryset=JobPostTarget.objects.select_related("study_program"))


def my_posts(*, user) -> QuerySet[JobPost]:
    """Everything this person posted, in every state, with each study program's decision (two queries)."""
    return (
        JobPost.objects.filter(posted_by_id=user.pk)
        .select_related("organisation", "province")
        .prefetch_related(_targets_prefetch())
        .order_by("-created_at", "pk")
    )


def post_targets(*, post: JobPost) -> list[JobPostTarget]:
    return list(JobPostTarget.objects.filter(post=post).select_related("study_program"))


def moderation_queue(*, viewer) -> tuple[list[JobPostTarget], list[JobPost]]:
    """What waits for this staff member: the pending study-program targets of open posts among the programs they
    run (oldest first), and the posts hidden after reports that name one of their programs, with their open
    reports. Three queries."""
    scope = scope_for(viewer)
    if not scope.is_staff:
        return [], []
    targets = JobPostTarget.objects.filter(state=JobPostTarget.State.PENDING, post__status=JobPost.Status.OPEN)
    if not scope.is_superuser:
        targets = targets.filter(study_program_id__in=scope.staff_program_ids)
    pending = list(
        targets.select_related("study_program", "post__organisation", "post__posted_by", "post__province")
        .order_by("post__created_at", "pk")
    )
    hidden = list(
        JobPost.objects.moderated_by(viewer).filter(status=JobPost.Status.HIDDEN)
        .select_related("organisation", "posted_by")
        .prefetch_related(Prefetch("reports", queryset=JobReport.objects.filter(resolved_at__isnull=True)
                                   .select_related("reporter").order_by("created_at"), to_attr="open_reports"))
        .order_by("created_at", "pk")
    )
    return pending, hidden
