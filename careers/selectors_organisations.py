"""Reads about organisations across relations: who works there now (as the viewer may see them), the directory of
organisations, and the staff figures of an employer."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, F, FilteredRelation, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from alumni.models import AlumniProfile, Employment, StudyProgram, Visibility, part_visible_q
from alumni.scope import scope_for
from tracer.models import Answer, Question, Response

from .models import CareerSettings, EmployerContact, JobPost, Organisation, OrganisationAlias, normalise_name


@dataclass(frozen=True)
class PersonHere:
    """A verified alumnus who works at an organisation now, as a viewer may see them (no contact details)."""

    profile_id: object
    user_id: int
    full_name: str
    position: str
    entry_year: int
    study_program_name: str
    open_to_introductions: bool


def current_employments_at_q(organisation: Organisation, prefix: str = "") -> Q:
    """SQL condition: an alumni.Employment row is at `organisation`. The match of the typed employer name (its
    comparable form, or an alias: organisation_find) is kept in EmploymentOrganisation by the save receiver
    (hooks_organisations), re-linked when names change, and backfilled by `manage.py link_employments`; reading the
    link uses its index instead of comparing every job's name on every page."""
    return Q(**{f"{prefix}careers_link__organisation": organisation})


def alumni_at(*, organisation: Organisation, viewer, limit: int = 50) -> list[PersonHere]:
    """The verified alumni who work at `organisation` now (a job without an end date), who share their career with
    members (or, for staff of their study program, with staff), and whom `viewer` may see at all; the viewer
    themself left out. Pending people, employer contacts and visitors get nobody. One query."""
    scope = scope_for(viewer)
    if not scope.is_authenticated or not (scope.is_member or scope.is_staff):
        return []
    # AlumniProfile.objects.visible_to(viewer) (profile_visible_q, without the viewer's own record, left out below)
    # written on the joined profile, so that the database starts from the organisation's few job links instead of
    # from every profile the viewer may see (measured on PostgreSQL at 50,000 profiles: see the organisations report).
    listed = Q(profile__study_program_id__in=scope.staff_program_ids)
    if scope.is_member:
        listed |= Q(profile__listed_in_directory=True)
    if scope.is_superuser:
        listed = Q()
    shown = (
        listed
        & part_visible_q("career", viewer, prefix="profile__", own=False)
        & Q(
            profile__user__isnull=False,
            profile__user__is_active=True,
            profile__verification=AlumniProfile.Verification.VERIFIED,
            # Shared with members: the "only those who share their current employer with members". Staff
            # of the person's own study program also see those who share their career with staff only.
            profile__vis_career__in=[Visibility.ALUMNI, Visibility.STAFF],
        )
    )
    closed = CareerSettings.objects.filter(user_id=OuterRef("profile__user_id"), introductions_open=False)
    rows = (
        Employment.objects
        .filter(current_employments_at_q(organisation), shown, end_date__isnull=True)
        .exclude(profile__user_id=scope.user_id)
        .annotate(closed=Exists(closed))
        .order_by("profile__full_name", "profile_id", "-start_date")
        .values_list(
            "profile_id", "profile__user_id", "profile__full_name", "position", "profile__entry_year",
            "profile__study_program__name", "closed",
        )[: limit * 4]
    )
    people: list[PersonHere] = []
    seen: set = set()
    for profile_id, user_id, full_name, position, entry_year, program_name, closed_flag in rows:
        if profile_id in seen:  # two current jobs at the same place: the latest one shows
            continue
        seen.add(profile_id)
        people.append(PersonHere(
            profile_id=profile_id, user_id=user_id, full_name=full_name, position=position, entry_year=entry_year,
            study_program_name=program_name, open_to_introductions=not closed_flag,
        ))
        if len(people) >= limit:
            break
    return people


# --- doors ------------------------------------------------------------------------------------------------------


def organisations_visible_to(user):
    """The door of the organisation pages: verified members and staff see every organisation (they are
    institution-wide); an approved employer contact sees their own; pending people and visitors none."""
    scope = scope_for(user)
    if not scope.is_authenticated:
        return Organisation.objects.none()
    if scope.is_member or scope.is_staff or scope.is_admin:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        contacts__user_id=scope.user_id, contacts__status=EmployerContact.Status.APPROVED
    )


def employer_contacts_managed_by(user):
    """The door of the employer-contact queue and decisions: requests naming a study program the person runs."""
    scope = scope_for(user)
    if scope.is_superuser:
        return EmployerContact.objects.all()
    return EmployerContact.objects.filter(study_program_id__in=scope.staff_program_ids)


# --- the list of organisations ---------------------------------------------------------------------------------


def organisations_search(*, viewer, q: str = ""):
    """Organisations for the list page, matched on their names and aliases in the comparable form (so "bri" finds
    "PT Bank Rakyat Indonesia (Persero) Tbk" once "Bank BRI" is an alias), each with how many open posts are
    listed for the viewer there. A queryset: the page slices it."""
    qs = organisations_visible_to(viewer)
    key = normalise_name(q)
    if key:
        qs = qs.filter(
            Q(normalised__contains=key)
            | Exists(OrganisationAlias.objects.filter(organisation=OuterRef("pk"), normalised__contains=key))
        )
    listed = (
        JobPost.objects.listed_for(viewer).filter(organisation=OuterRef("pk")).order_by()
        .values("organisation").annotate(n=Count("pk")).values("n")
    )
    return qs.annotate(open_posts=Coalesce(Subquery(listed), 0)).order_by("name", "pk")


# --- staff figures from profiles and the tracer ----------------------------------------------------------------

# Monthly income bands (tracer f505, rupiah): (lower bound inclusive, upper bound exclusive or None).
SALARY_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 2_000_000), (2_000_000, 4_000_000), (4_000_000, 6_000_000), (6_000_000, 10_000_000), (10_000_000, None),
)
EMPLOYER_NAME_CODE = "f5b"  # the tracer's "name of the company/office/institution" (dikti-core)
WAITING_CODE = "f502"  # months from graduation to the first job
INCOME_CODE = "f505"  # monthly income, rupiah


def salary_band_label(low: int, high: int | None) -> str:
    def juta(amount: int) -> str:
        return f"{amount // 1_000_000}"

    if low == 0:
        return gettext("under Rp %(high)s million") % {"high": juta(high)}
    if high is None:
        return gettext("Rp %(low)s million or more") % {"low": juta(low)}
    return gettext("Rp %(low)s–%(high)s million") % {"low": juta(low), "high": juta(high)}


@dataclass(frozen=True)
class SalaryBand:
    label: str
    count: int
    percent: int


@dataclass(frozen=True)
class TracerFigures:
    """What staff see about an employer, over the study programs they run."""

    graduates: int  # graduates of those programs who work there: current job on their profile or tracer answer
    on_profiles: int  # of them: a current job on their profile
    in_tracer: int  # of them: named it as their employer in their latest tracer answer
    waiting_months: float | None  # average months to the first job (tracer f502), None without answers
    waiting_answers: int
    bands: list[SalaryBand]
    income_answers: int
    tracer_names: list[str]  # the employer names typed in the tracer that were counted as this organisation


def _latest_tracer_responses(program_ids):
    asks = Question.objects.filter(code=EMPLOYER_NAME_CODE).values("version_id")
    return Response.objects.filter(
        profile__study_program_id__in=program_ids, status=Response.Status.SUBMITTED, version__in=asks,
        pk=Subquery(Response.objects.latest_submitted_pk(asks)),
    )


def organisation_tracer_figures(*, organisation: Organisation, viewer) -> TracerFigures | None:
    """The figures of `organisation` over the study programs `viewer` runs (None for anyone but staff and admins).
    A tracer employer name counts as this organisation when it means it the way a typed name does
    (organisation_find: the comparable name, or an alias). Five queries whatever the number of graduates."""
    scope = scope_for(viewer)
    if scope.is_superuser:
        program_ids = list(StudyProgram.objects.values_list("pk", flat=True))
    else:
        program_ids = sorted(scope.staff_program_ids)
    if not program_ids:
        return None
    keys = {organisation.normalised, *OrganisationAlias.objects.filter(organisation=organisation)
            .values_list("normalised", flat=True)}
    latest = _latest_tracer_responses(program_ids)
    typed = (
        Answer.objects.filter(code=EMPLOYER_NAME_CODE, response__in=latest).exclude(value_text="")
        .values_list("value_text", flat=True).distinct()
    )
    matched = sorted({text for text in typed if normalise_name(text) in keys})
    named_here = latest.filter(
        Exists(Answer.objects.filter(response=OuterRef("pk"), code=EMPLOYER_NAME_CODE, value_text__in=matched))
    )
    band_counts = {
        f"band_{i}": Count("pk", filter=Q(income__gte=low) & (Q(income__lt=high) if high is not None else Q()))
        for i, (low, high) in enumerate(SALARY_BANDS)
    }
    tracer = named_here.annotate(
        a_wait=FilteredRelation("answers", condition=Q(answers__code=WAITING_CODE)),
        a_income=FilteredRelation("answers", condition=Q(answers__code=INCOME_CODE)),
    ).annotate(waiting=F("a_wait__value_int"), income=F("a_income__value_int")).aggregate(
        waiting_avg=Avg("waiting"), waiting_n=Count("waiting"), income_n=Count("income"), **band_counts,
    ) if matched else {}
    # Who works there, as two short lists of profile ids (the jobs linked to it; the latest answers naming it)
    # joined in Python: counting over every profile of the programs with two correlated EXISTS took 0.7 s at
    # 50,000 graduates on PostgreSQL.
    on_profiles = set(
        Employment.objects.filter(current_employments_at_q(organisation), end_date__isnull=True,
                                  profile__study_program_id__in=program_ids).values_list("profile_id", flat=True)
    )
    in_tracer = set(named_here.values_list("profile_id", flat=True)) if matched else set()
    people = {"graduates": len(on_profiles | in_tracer), "on_profiles": len(on_profiles), "in_tracer": len(in_tracer)}
    income_n = tracer.get("income_n") or 0
    bands = []
    for i, (low, high) in enumerate(SALARY_BANDS):
        count = tracer.get(f"band_{i}") or 0
        bands.append(SalaryBand(label=salary_band_label(low, high), count=count,
                                percent=round(100 * count / income_n) if income_n else 0))
    waiting = tracer.get("waiting_avg")
    return TracerFigures(
        graduates=people["graduates"], on_profiles=people["on_profiles"], in_tracer=people["in_tracer"],
        waiting_months=round(float(waiting), 1) if waiting is not None else None,
        waiting_answers=tracer.get("waiting_n") or 0, bands=bands, income_answers=income_n, tracer_names=matched,
    )
