"""Reads about organisations across relations: who works there now (as the viewer may see them), the directory of
organisations, and the staff figures of an employer."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Lower

from alumni.models import AlumniProfile, Employment, Visibility, part_visible_q
from alumni.scope import scope_for

from .models import CareerSettings, Organisation, OrganisationAlias


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
    """SQL condition: an alumni.Employment row is at `organisation` — linked to it (EmploymentOrganisation), or,
    while not linked to anything yet, its employer typed exactly as the organisation's name or one of its aliases
    (case aside)."""
    alias_names = OrganisationAlias.objects.filter(organisation=organisation).annotate(
        lowered=Lower("name")
    ).values("lowered")
    unlinked = Q(**{f"{prefix}careers_link__isnull": True})
    return Q(**{f"{prefix}careers_link__organisation": organisation}) | (
        unlinked & (
            Q(**{f"{prefix}employer_lowered": organisation.name.lower()})
            | Q(**{f"{prefix}employer_lowered__in": Subquery(alias_names)})
        )
    )


def alumni_at(*, organisation: Organisation, viewer, limit: int = 50) -> list[PersonHere]:
    """The verified alumni who work at `organisation` now (a job without an end date), who share their career with
    members (or, for staff of their study program, with staff), and whom `viewer` may see at all; the viewer
    themself left out. Pending people, employer contacts and visitors get nobody. One query."""
    scope = scope_for(viewer)
    if not scope.is_authenticated or not (scope.is_member or scope.is_staff):
        return []
    visible_profiles = AlumniProfile.objects.visible_to(viewer).filter(
        part_visible_q("career", viewer, own=False),
        user__isnull=False,
        user__is_active=True,
        verification=AlumniProfile.Verification.VERIFIED,
        # Shared with members: the "only those who share their current employer with members". Staff of
        # the person's own study program also see those who share their career with staff only.
        vis_career__in=[Visibility.ALUMNI, Visibility.STAFF],
    ).exclude(user_id=scope.user_id)
    closed = CareerSettings.objects.filter(user_id=OuterRef("profile__user_id"), introductions_open=False)
    rows = (
        Employment.objects.annotate(employer_lowered=Lower("employer"))
        .filter(current_employments_at_q(organisation), end_date__isnull=True, profile__in=visible_profiles)
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
