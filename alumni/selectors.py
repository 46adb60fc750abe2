"""Reads that cross relations. Each owns its joins and aggregates; all go through the permission door."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import CharField, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Length
from django.db.models.lookups import Contains

from core import fragments

from .duplicates import normalise_name, normalised_name
from .models import AlumniProfile, Employment, StudyProgram, Vouch, part_visible_q, profile_visible_q
from .scope import PEOPLE, scope_for
from .verification import VOUCHES_NEEDED


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    employer: str = ""
    study_program: int | None = None
    cohort: int | None = None
    province: int | None = None
    employer_kind: str = ""
    city: str = ""
    sort: str = ""  # "" (by name) or a key of DIRECTORY_ORDERS


# The directory's orders: each ends on the primary key (stable from page to page) and has an index it can be read
# in (alumni 0010: full_name; entry_year, full_name, id).
DIRECTORY_ORDERS = {
    "name": ("full_name", "pk"),
    "cohort": ("entry_year", "full_name", "pk"),
}


def current_jobs_prefetch() -> Prefetch:
    return Prefetch(
        "employments",
        queryset=Employment.objects.filter(end_date__isnull=True).select_related("province").order_by("-start_date"),
        to_attr="current_jobs",
    )


def own_profile(*, user) -> AlumniProfile | None:
    """The signed-in person's own record, whatever its verification state, with its study program."""
    return AlumniProfile.objects.filter(user=user).select_related("study_program").first()


def directory_search(*, viewer, filters: DirectoryFilters) -> QuerySet[AlumniProfile]:
    """The alumni directory as this viewer may see it.

    Name, study program and cohort are shown to everyone who may see a profile. Every other part is searched
    and filtered only where its owner lets this viewer see it, so a hidden employer or province can never be
    used to find (or rule out) someone.

    The name, employer and city searches are `icontains`, which PostgreSQL answers from the trigram indexes of
    migrations alumni 0007 and 0010 (`UPPER(col::text) gin_trgm_ops`); tests/alumni/test_directory_explain.py
    checks it. Sorted by name or by cohort (then name), always ending on the primary key.
    """
    qs = AlumniProfile.objects.visible_to(viewer).select_related("study_program", "province")
    qs = qs.filter(_directory_filters_q(viewer, filters))
    order = DIRECTORY_ORDERS.get(filters.sort, DIRECTORY_ORDERS["name"])
    return qs.prefetch_related(current_jobs_prefetch()).order_by(*order)


def _directory_filters_q(viewer, filters: DirectoryFilters, *, own: bool = True) -> Q:
    """The directory's filters as one condition. `own=False`: the parts the viewer may search are those of their
    visibility class, without the rights they have on their own record (see directory_count)."""
    q = Q()
    if filters.q:
        q &= Q(full_name__icontains=filters.q.strip())
    if filters.study_program:
        q &= Q(study_program_id=filters.study_program)
    if filters.cohort:
        q &= Q(entry_year=filters.cohort)
    if filters.province:
        q &= part_visible_q("location", viewer, own=own) & Q(province_id=filters.province)
    if filters.city.strip():
        q &= part_visible_q("location", viewer, own=own) & Q(city__icontains=filters.city.strip())
    job_q = Q()
    if filters.employer:
        job_q &= Q(employer__icontains=filters.employer.strip())
    if filters.employer_kind:
        job_q &= Q(employer_kind=filters.employer_kind, end_date__isnull=True)
    if filters.employer or filters.employer_kind:
        jobs = Employment.objects.filter(job_q, profile=OuterRef("pk"))
        q &= part_visible_q("career", viewer, own=own) & Q(Exists(jobs))
    return q


DIRECTORY_COUNT_SECONDS = 60


def visibility_class(scope) -> str:
    """What decides which records and parts of them a viewer sees, apart from their own record: superuser; or
    member or not, and staff of which study programs. Viewers of one class see the same directory."""
    if scope.is_superuser:
        return "superuser"
    programs = ",".join(str(pk) for pk in sorted(scope.staff_program_ids))
    return f"member={int(scope.is_member)};programs={programs}"


def _directory_count_keys(scope, filters: DirectoryFilters) -> tuple[str, str]:
    """Cache keys of the directory's count: one shared by the viewer's visibility class and the filters, one for
    what the viewer's own record adds to it. The class is part of both, so no count ever crosses from one class to
    another."""
    wanted = (
        f"q={filters.q.strip()}\x1femployer={filters.employer.strip()}\x1fprogram={filters.study_program}"
        f"\x1fcohort={filters.cohort}\x1fprovince={filters.province}\x1fkind={filters.employer_kind}"
        f"\x1fcity={filters.city.strip().lower()}"
    )
    digest = hashlib.sha256(f"{visibility_class(scope)}\x1e{wanted}".encode()).hexdigest()[:32]
    return f"alumni:directory:count:{digest}", f"alumni:directory:own:{scope.user_id}:{digest}"


def directory_count(*, viewer, filters: DirectoryFilters) -> int:
    return sum(directory_counts(viewer=viewer, filters=filters))


def directory_counts(*, viewer, filters: DirectoryFilters) -> tuple[int, int]:
    """How many people directory_search finds, without an exact COUNT over the whole visible set on every page.

    The count of the viewer's visibility class (what every member, or every staff member of the same study
    programs, finds with these filters) is cached for DIRECTORY_COUNT_SECONDS and shared by the class; the viewer's
    own record, which they see whatever its settings, adds at most one, cached per person. A miss costs one query
    (both in one aggregate, or the own part alone: one row by the user index); a hit none. Any change to a record,
    a job or an account (and every import) moves the directory's generation, and the next request counts again.

    Returns (what the class finds, what the viewer's own record adds: 0 or 1)."""
    scope = scope_for(viewer)
    if not (scope.is_superuser or scope.is_member or scope.staff_program_ids):
        # No visibility class at all (the directory sends such people away): count exactly.
        return 0, directory_search(viewer=viewer, filters=filters).count()
    shared_key, own_key = _directory_count_keys(scope, filters)
    # Counted again once any record, job or account changed (the directory's generation, core.fragments).
    cached, generations = fragments.fetch_many([shared_key, own_key], [PEOPLE])
    if scope.is_superuser:
        # Everything is visible and the class has no "own record" term.
        cached.setdefault(own_key, 0)
    if shared_key in cached and own_key in cached:
        return cached[shared_key], cached[own_key]
    rows = AlumniProfile.objects.visible_to(viewer).filter(_directory_filters_q(viewer, filters))
    class_q = profile_visible_q(viewer, own=False) & _directory_filters_q(viewer, filters, own=False)
    if shared_key not in cached:
        counts = rows.aggregate(total=Count("pk"), shared=Count("pk", filter=class_q))
        shared, own = counts["shared"], counts["total"] - counts["shared"]
        fragments.store_many({shared_key: shared, own_key: own}, generations, DIRECTORY_COUNT_SECONDS)
    else:
        shared = cached[shared_key]
        counts = rows.filter(user_id=scope.user_id).aggregate(total=Count("pk"), shared=Count("pk", filter=class_q))
        own = counts["total"] - counts["shared"]
        fragments.store(own_key, generations, own, DIRECTORY_COUNT_SECONDS)
    return shared, own


CITY_SUGGESTIONS = 200
CITY_SUGGESTIONS_SECONDS = 600


def city_suggestions(*, viewer, province: int | None) -> list[str]:
    """The cities (as their owners wrote them) of the chosen province among the records whose location this
    viewer's visibility class may see, most frequent first: the options of the directory's city filter, which
    stays free text. Nothing without a province (the filter then is free text only). Cached per visibility class
    and province until a record changes (the directory's generation): one query on a miss (the province's
    index), none when warm. A city someone keeps to themselves is never offered."""
    scope = scope_for(viewer)
    if not province or not (scope.is_superuser or scope.is_member or scope.staff_program_ids):
        return []
    digest = hashlib.sha256(f"{visibility_class(scope)}\x1e{province}".encode()).hexdigest()[:32]
    key = f"alumni:directory:cities:{digest}"
    cached, generations = fragments.fetch(key, [PEOPLE])
    if cached is not None:
        return cached
    names = list(
        AlumniProfile.objects.filter(profile_visible_q(viewer, own=False))
        .filter(part_visible_q("location", viewer, own=False), province_id=province)
        .exclude(city="")
        .values("city")
        .annotate(n=Count("pk"))
        .order_by("-n", "city")
        .values_list("city", flat=True)[:CITY_SUGGESTIONS]
    )
    fragments.store(key, generations, names, CITY_SUGGESTIONS_SECONDS)
    return names


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
        .filter(study_program_id__in=study_program_ids, verification=AlumniProfile.Verification.VERIFIED)
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
            # Verified records: requests waiting for verification are counted in the verification queue's link.
            alumni_total=Count("alumni", filter=Q(alumni__verification=AlumniProfile.Verification.VERIFIED),
                               distinct=True),
            alumni_claimed=Count(
                "alumni",
                filter=Q(alumni__user__is_active=True, alumni__verification=AlumniProfile.Verification.VERIFIED),
                distinct=True,
            ),
        )
        .order_by("name")
    )


def employed_share(*, viewer) -> dict[int, int]:
    """Per managed study program: profiles with a current job."""
    rows = (
        AlumniProfile.objects.managed_by(viewer)
        .filter(verification=AlumniProfile.Verification.VERIFIED)
        .filter(Exists(Employment.objects.filter(profile=OuterRef("pk"), end_date__isnull=True)))
        .values("study_program_id")
        .annotate(n=Count("pk"))
    )
    return {row["study_program_id"]: row["n"] for row in rows}


# --- Verification: the staff queue and the status a pending person sees ----------------------------------------

MATCH_NIM, MATCH_NAME, MATCH_COHORT_INITIAL = "nim", "name", "cohort_initial"
MATCHES_SHOWN = 6


@dataclass
class RecordMatch:
    """A verified record of the same study program that may be the person behind a pending request."""

    record: AlumniProfile
    reasons: list[str]

    @property
    def linkable(self) -> bool:
        """An unclaimed record: staff may say "this request is that record" and give it the person's account."""
        return self.record.user_id is None


def pending_requests(*, viewer) -> QuerySet[AlumniProfile]:
    """Records waiting for verification in the study programs this person runs, oldest first, each with its
    number of vouches (one query)."""
    return (
        AlumniProfile.objects.managed_by(viewer)
        .filter(verification=AlumniProfile.Verification.PENDING)
        .select_related("study_program", "user")
        .annotate(vouch_count=Count("vouches", filter=Q(vouches__decision=Vouch.Decision.VOUCH)))
        .order_by("created_at", "pk")
    )


def request_matches(requests: list[AlumniProfile], *, viewer) -> dict:
    """For each pending request, the verified records of its study program with the same NIM, a similar name (one
    normalised name contains the other) or the same cohort and name initial: ONE query for the whole page of
    requests, however many records the programs hold. {request pk: [RecordMatch, ...]} (best matches first)."""
    if not requests:
        return {}
    condition = Q(pk__in=[])
    for request in requests:
        name = normalise_name(request.full_name)
        alike = Q(nim=request.nim) | Q(entry_year=request.entry_year, name_norm__startswith=name[:1])
        if len(name) >= 3:
            # Either way round: "ani lestari" finds "ani lestari s.ip" and "ani" (three letters at least).
            alike |= Q(name_norm__contains=name)
            alike |= Q(Contains(Value(name, output_field=CharField()), F("name_norm")), name_len__gte=3)
        condition |= Q(study_program_id=request.study_program_id) & alike
    candidates = list(
        AlumniProfile.objects.managed_by(viewer)
        .filter(verification=AlumniProfile.Verification.VERIFIED)
        .annotate(name_norm=normalised_name())
        .annotate(name_len=Length("name_norm"))
        .filter(condition)
        .only("id", "study_program_id", "nim", "full_name", "entry_year", "graduation_date", "email", "user_id")
        .order_by("full_name", "pk")
    )
    matches: dict = {}
    for request in requests:
        name = normalise_name(request.full_name)
        found = []
        for record in candidates:
            if record.study_program_id != request.study_program_id:
                continue
            other = normalise_name(record.full_name)
            reasons = []
            if record.nim == request.nim:
                reasons.append(MATCH_NIM)
            if (len(name) >= 3 and name in other) or (len(other) >= 3 and other in name):
                reasons.append(MATCH_NAME)
            if record.entry_year == request.entry_year and other[:1] == name[:1]:
                reasons.append(MATCH_COHORT_INITIAL)
            if reasons:
                found.append(RecordMatch(record=record, reasons=reasons))
        order = {MATCH_NIM: 0, MATCH_NAME: 1, MATCH_COHORT_INITIAL: 2}
        found.sort(key=lambda m: min(order[r] for r in m.reasons))
        matches[request.pk] = found[:MATCHES_SHOWN]
    return matches


def verification_status(profile: AlumniProfile) -> dict:
    """What a person whose record is not verified yet reads about their request: its state, the reason when it
    was refused, and how many classmates vouched so far (never who). One query, none for a verified record."""
    if profile.is_verified:
        return {}
    return {
        "state": profile.verification,
        "refused": profile.verification == AlumniProfile.Verification.REFUSED,
        "reason": profile.verification_note,
        "vouches": Vouch.objects.filter(profile=profile, decision=Vouch.Decision.VOUCH).count(),
        "vouches_needed": VOUCHES_NEEDED,
        "study_program": profile.study_program,
        "entry_year": profile.entry_year,
    }
