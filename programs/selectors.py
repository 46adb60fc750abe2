"""Reads that cross relations: lists, health, history. Each owns its joins and aggregates."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Value
from django.utils import timezone

from .models import Participation, Program, Session


def programs_with_rhythm(qs: QuerySet[Program], *, now: datetime.datetime | None = None) -> QuerySet[Program]:
    """Annotate the last session held and the next one scheduled (cancelled sessions do not count)."""
    now = now or timezone.now()
    live = ~Q(sessions__status=Session.Status.CANCELLED)
    return qs.annotate(
        last_held=Max("sessions__start", filter=live & Q(sessions__start__lte=now)),
        next_scheduled=Min("sessions__start", filter=live & Q(sessions__start__gt=now)),
    )


def program_list(*, viewer, filters: dict | None = None) -> QuerySet[Program]:
    """The program list as this viewer may see it, with the next session for each row."""
    filters = filters or {}
    qs = Program.objects.visible_to(viewer).select_related("study_program")
    for name in ("kind", "category", "status"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("study_program"):
        qs = qs.filter(study_program=filters["study_program"])
    if filters.get("q"):
        qs = qs.filter(Q(title__icontains=filters["q"]) | Q(description__icontains=filters["q"]))
    return programs_with_rhythm(qs).order_by("title", "pk")


def program_health(*, viewer, today: datetime.date | None = None) -> list[tuple[Program, object]]:
    """Every watched program of the viewer's study programs with its health, riskiest first (one query)."""
    today = today or timezone.localdate()
    qs = programs_with_rhythm(
        Program.objects.managed_by(viewer)
        .filter(status__in=Program.ACTIVE_STATUSES)
        .select_related("study_program", "pic")
    )
    rows = [(p, p.health(today=today, last_held=p.last_held, next_scheduled=p.next_scheduled)) for p in qs]
    rows.sort(key=lambda row: (-row[1].risk, row[0].title))
    return rows


def attendance_by_session(*, program_ids, limit_per_program: int = 8) -> dict:
    """Attendance of the latest past sessions of these programs: {program_id: [(date, came, registered)]}.
    One query for all programs."""
    now = timezone.now()
    sessions = (
        Session.objects.active()
        .filter(program_id__in=list(program_ids), start__lte=now)
        .annotate(
            # Participants only, like `registered`: a speaker ticked as present does not make came > registered.
            came=Count(
                "participations",
                filter=Q(participations__attended=True, participations__role=Participation.Role.PARTICIPANT),
            ),
            registered=Count(
                "participations",
                filter=Q(participations__role=Participation.Role.PARTICIPANT)
                & ~Q(participations__status__in=[Participation.Status.CANCELLED, Participation.Status.WAITLISTED]),
            ),
        )
        .order_by("program_id", "-start")
        .values_list("program_id", "start", "came", "registered")
    )
    result: dict = {}
    for program_id, start, came, registered in sessions:
        bucket = result.setdefault(program_id, [])
        if len(bucket) < limit_per_program:
            bucket.append((timezone.localdate(start), came, registered))
    for bucket in result.values():
        bucket.reverse()
    return result


def program_sessions(*, program: Program) -> QuerySet[Session]:
    """Sessions of one program with seat counts."""
    return program.sessions.annotate(
        registered=Count(
            "participations",
            filter=Q(participations__role=Participation.Role.PARTICIPANT, participations__status="registered"),
        ),
        waitlisted=Count("participations", filter=Q(participations__status="waitlisted")),
        came=Count(
            "participations",
            filter=Q(participations__attended=True, participations__role=Participation.Role.PARTICIPANT),
        ),
    ).order_by("-start")


def involvement_of(*, user) -> QuerySet[Participation]:
    """A person's involvement history, newest first (profile page)."""
    return (
        Participation.objects.filter(user=user)
        .current()
        .select_related("program", "session")
        .order_by("-created_at")
    )


def sessions_for_feed(*, user) -> QuerySet[Session]:
    """Sessions a person is registered for or speaks at, for their calendar feed."""
    return (
        Session.objects.filter(
            participations__user=user,
            participations__status=Participation.Status.REGISTERED,
        )
        .select_related("program")
        .distinct()
        .order_by("start")
    )


# The most sessions one month of the calendar shows; more than that asks the viewer to narrow by kind.
CALENDAR_LIMIT = 300


def sessions_calendar(*, viewer, start: datetime.datetime, end: datetime.datetime, kind: str = "",
                      now: datetime.datetime | None = None) -> list[Session]:
    """Sessions that start between `start` and `end`, are not over at `now` and are not cancelled, of the programs
    this viewer may see (`Session.objects.visible_to`), soonest first, with their program and study program and
    `is_registered` (this viewer holds a seat). One query, however many sessions; at most CALENDAR_LIMIT + 1 rows
    (the caller says when there are more)."""
    now = now or timezone.now()
    qs = (
        Session.objects.visible_to(viewer)
        .active()
        .filter(start__gte=start, start__lt=end, end__gt=now)
        .select_related("program__study_program")
    )
    if kind:
        qs = qs.filter(program__kind=kind)
    if viewer is not None and viewer.is_authenticated:
        seat = Participation.objects.filter(
            session=OuterRef("pk"), user_id=viewer.pk, status=Participation.Status.REGISTERED
        )
        qs = qs.annotate(is_registered=Exists(seat))
    else:
        qs = qs.annotate(is_registered=Value(False))
    return list(qs.order_by("start", "pk")[: CALENDAR_LIMIT + 1])


def next_session_start(*, viewer, after: datetime.datetime, kind: str = "") -> datetime.datetime | None:
    """When the first visible, not cancelled session from `after` on starts (the calendar's "next session" link for
    an empty month); one query."""
    qs = Session.objects.visible_to(viewer).active().filter(start__gte=after)
    if kind:
        qs = qs.filter(program__kind=kind)
    return qs.order_by("start").values_list("start", flat=True).first()
