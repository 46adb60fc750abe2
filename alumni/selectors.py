"""Reads that cross relations. Each owns its joins and aggregates; all go through the permission door."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from .models import AlumniProfile, Employment, StudyProgram, part_visible_q
from .scope import scope_for


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    employer: str = ""
    study_program: int | None = None
    cohort: int | None = None
    province: int | None = None
    employer_kind: str = ""


def current_jobs_prefetch() -> Prefetch:
    return Prefetch(
        "employments",
        queryset=Employment.objects.filter(end_date__isnull=True).select_related("province").order_by("-start_date"),
        to_attr="current_jobs",
    )


def directory_search(*, viewer, filters: DirectoryFilters) -> QuerySet[AlumniProfile]:
    """The alumni directory as this viewer may see it.

    Name, study program and cohort are shown to everyone who may see a profile. Every other part is searched
    and filtered only where its owner lets this viewer see it, so a hidden employer or province can never be
    used to find (or rule out) someone.
    """
    qs = AlumniProfile.objects.visible_to(viewer).select_related("study_program", "province")
    if filters.q:
        qs = qs.filter(full_name__icontains=filters.q.strip())
    if filters.study_program:
        qs = qs.filter(study_program_id=filters.study_program)
    if filters.cohort:
        qs = qs.filter(entry_year=filters.cohort)
    if filters.province:
        qs = qs.filter(part_visible_q("location", viewer), province_id=filters.province)
    job_q = Q()
    if filters.employer:
        job_q &= Q(employer__icontains=filters.employer.strip())
    if filters.employer_kind:
        job_q &= Q(employer_kind=filters.employer_kind, end_date__isnull=True)
    if filters.employer or filters.employer_kind:
        jobs = Employment.objects.filter(job_q, profile=OuterRef("pk"))
        qs = qs.filter(part_visible_q("career", viewer), Exists(jobs))
    return qs.prefetch_related(current_jobs_prefetch()).order_by("full_name", "pk")


def profile_detail(*, viewer, pk) -> AlumniProfile:
    """One profile with its career, or DoesNotExist when the viewer may not see it."""
    return (
        AlumniProfile.objects.visible_to(viewer)
        .select_related("study_program__faculty", "province", "user")
        .prefetch_related(
            Prefetch("employments", queryset=Employment.objects.select_related("province").order_by("-start_date"))
        )
        .get(pk=pk)
    )


def cohort_counts(*, viewer, study_program_ids) -> list[dict]:
    """Alumni per entry cohort and study program, for the staff dashboard chart (one aggregate query)."""
    return list(
        AlumniProfile.objects.managed_by(viewer)
        .filter(study_program_id__in=study_program_ids)
        .values("entry_year")
        .annotate(total=Count("pk"), claimed=Count("pk", filter=Q(user__is_active=True)))
        .order_by("entry_year")
    )


def program_summaries(*, viewer) -> list[StudyProgram]:
    """The study programs a staff member runs, with alumni and claimed-account counts (one query)."""
    if not scope_for(viewer).is_staff:
        return []
    return list(
        StudyProgram.objects.managed_by(viewer)
        .select_related("faculty")
        .annotate(
            alumni_total=Count("alumni", distinct=True),
            alumni_claimed=Count("alumni", filter=Q(alumni__user__is_active=True), distinct=True),
        )
        .order_by("name")
    )


def employed_share(*, viewer) -> dict[int, int]:
    """Per managed study program: profiles with a current job."""
    rows = (
        AlumniProfile.objects.managed_by(viewer)
        .filter(Exists(Employment.objects.filter(profile=OuterRef("pk"), end_date__isnull=True)))
        .values("study_program_id")
        .annotate(n=Count("pk"))
    )
    return {row["study_program_id"]: row["n"] for row in rows}
