"""Reminders: one tick finds what is due, claims each message, and lets delivery send it after commit.

Beat runs `programs.tasks.run_reminders` every few minutes. A tick:

1. queues the delivery sweep (`deliver_pending_notifications`): claims an earlier tick could not send (a crash,
   an SMTP error) are sent now;
2. applies the lapse rule (`programs_lapse_overdue`);
3. in one transaction, selects the due reminders and claims them with `notifications_claim_many`; the claimed rows
   are delivered by one task after commit.

Kinds and their keys. A key is unique forever, so a rerun, an overlapping tick or a task retry claims nothing
twice; the date in it is what makes a later, different occasion a new message:

- ``session_tomorrow:<session>:<user>:<session date>``: registered participants and speakers of each scheduled
  session that starts tomorrow (Asia/Jakarta date). Waitlisted and cancelled people, and cancelled sessions, get
  nothing. A session moved to another day is a new occasion.
- ``program_due_soon:<program>:<user>:<next due date>``: an approved or running program with no upcoming session
  whose next session is due within DUE_SOON_DAYS, or is late but has not lapsed, to its PIC and the staff of its
  study program. Once per due date: a session held moves the due date, and the next one is a new reminder.
- ``program_lapsed:<program>:<user>:<lapse date>``: staff of the study program of each program that lapsed in the
  last LAPSED_NOTICE_DAYS days (older lapses, e.g. from before reminders existed, are not announced). A program
  that lapses again later is announced again.
- ``proposal_waiting:<program>:<user>:<reminder date>``: staff of the study program of each proposal undecided for
  PROPOSAL_WAIT_DAYS days or more. Weekly: the reminder dates are the proposal date + 7, 14, 21… days, so staff
  hear about a proposal once a week until they decide (and can turn the kind off on their preferences page).

"Staff" are the people with a staff role on that study program; institution admins are not mailed for each
program of every study program.

Queries per tick, whatever the number of programs, sessions and people: 1 sweep look-up (plus its deliveries of
earlier failures) + 1 lapse candidates + 1 sessions-tomorrow participants + 1 due-soon programs + 1 lapsed
programs + 1 proposals + 1 staff roles + the claim (1 look-up of existing keys per 5,000 keys, 1 of preferences,
1 INSERT per 1,000 new rows): 10, plus the transaction's own statements (tests/programs/test_reminders.py pins
12 inside a test transaction for 10 and for 200 programs). A program that lapses in the tick adds about 7 (the
lapse rule locks, saves, records history and audits each program in its own transaction); that happens once per
lapse. Delivery runs after commit: one task for the batch, a lease and a send per message (bench/reminders.py).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from alumni.models import Role
from core.notifications import ClaimItem, notifications_claim_many
from core.tasks import deliver_pending_notifications

from .models import Participation, Program, Session
from .selectors import programs_with_rhythm
from .services import programs_lapse_overdue

KINDS = ("session_tomorrow", "program_due_soon", "program_lapsed", "proposal_waiting")
# A proposal undecided for this many days reminds staff, and again every this many days.
PROPOSAL_WAIT_DAYS = 7
# Lapses older than this are not announced.
LAPSED_NOTICE_DAYS = 7

S = Program.Status


def _url(obj, fallback: str = "dashboard") -> str:
    """The object's page; the dashboard while the programs pages are not wired into the URLconf."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return reverse(fallback)


def _proposals_url(program: Program) -> str:
    try:
        return reverse("programs:proposals")
    except NoReverseMatch:
        return _url(program)


def _day_start(day: datetime.date, tz) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)


def session_tomorrow_items(*, today: datetime.date, tz) -> list[ClaimItem]:
    """One query: registered participants and speakers of tomorrow's scheduled sessions, with session and
    program."""
    start = _day_start(today + datetime.timedelta(days=1), tz)
    rows = (
        Participation.objects.filter(
            session__start__gte=start,
            session__start__lt=start + datetime.timedelta(days=1),
            session__status=Session.Status.SCHEDULED,
            session__program__status__in=Program.ACTIVE_STATUSES,
            status=Participation.Status.REGISTERED,
            role__in=[Participation.Role.PARTICIPANT, Participation.Role.SPEAKER],
            user__is_active=True,
        )
        .select_related("user", "session__program")
        .order_by("session__start", "session_id", "user_id", "role")
    )
    items: dict[str, ClaimItem] = {}
    for participation in rows:
        session, user = participation.session, participation.user
        key = f"session_tomorrow:{session.pk}:{user.pk}:{timezone.localdate(session.start, tz).isoformat()}"
        is_speaker = participation.role == Participation.Role.SPEAKER
        if key in items and not is_speaker:
            continue  # registered and speaking: one message, the speaker's
        items[key] = ClaimItem(
            key=key, kind="session_tomorrow", recipient=user, template="programs/email/session_tomorrow",
            context={"session": session, "program": session.program, "is_speaker": is_speaker},
            link=_url(session),
        )
    return list(items.values())


def _due_soon_programs(*, today: datetime.date, now: datetime.datetime) -> list[tuple[Program, object]]:
    """One query: approved and running programs without an upcoming session, with their health."""
    qs = programs_with_rhythm(
        Program.objects.filter(status__in=[S.APPROVED, S.RUNNING]).select_related("study_program", "pic"), now=now
    ).filter(next_scheduled__isnull=True)
    due = []
    for program in qs:
        health = program.health(today=today, last_held=program.last_held, next_scheduled=None)
        if health.next_due is None or health.should_lapse:
            continue
        if health.due_soon or health.days_overdue > 0:
            due.append((program, health))
    return due


def _staff_by_study_program(study_program_ids: set[int]) -> dict[int, list]:
    """One query: the active staff of these study programs."""
    staff: dict[int, list] = defaultdict(list)
    if not study_program_ids:
        return staff
    roles = (
        Role.objects.filter(kind=Role.Kind.STAFF, study_program_id__in=study_program_ids, user__is_active=True)
        .select_related("user")
        .order_by("study_program_id", "user_id")
    )
    for role in roles:
        staff[role.study_program_id].append(role.user)
    return staff


def reminder_items(*, now: datetime.datetime) -> list[ClaimItem]:
    """Every reminder due at `now`, unclaimed or not (the claim skips those sent before). Six queries."""
    tz = timezone.get_default_timezone()
    today = timezone.localdate(now, tz)
    items = session_tomorrow_items(today=today, tz=tz)

    due_soon = _due_soon_programs(today=today, now=now)
    recently = now - datetime.timedelta(days=LAPSED_NOTICE_DAYS)
    lapsed = list(
        Program.objects.filter(status=S.LAPSED, status_changed_at__gte=recently)
        .select_related("study_program", "pic")
        .order_by("pk")
    )
    proposals = list(
        Program.objects.filter(
            status=S.PROPOSED,
            created_at__lt=_day_start(today - datetime.timedelta(days=PROPOSAL_WAIT_DAYS - 1), tz),
        )
        .select_related("study_program", "proposed_by")
        .order_by("pk")
    )
    staff = _staff_by_study_program(
        {p.study_program_id for p, _h in due_soon} | {p.study_program_id for p in lapsed + proposals}
    )

    for program, health in due_soon:
        recipients = {u.pk: u for u in staff[program.study_program_id]}
        if program.pic is not None and program.pic.is_active:
            recipients[program.pic.pk] = program.pic
        lapses_on = None
        if program.status == S.RUNNING:
            lapses_on = health.next_due + datetime.timedelta(days=program.grace_days + 1)
        for user in recipients.values():
            items.append(ClaimItem(
                key=f"program_due_soon:{program.pk}:{user.pk}:{health.next_due.isoformat()}",
                kind="program_due_soon", recipient=user, template="programs/email/program_due_soon",
                context={
                    "program": program, "next_due": health.next_due, "days_overdue": health.days_overdue,
                    "lapses_on": lapses_on, "is_pic": user.pk == program.pic_id,
                },
                link=_url(program),
            ))

    for program in lapsed:
        lapsed_on = timezone.localdate(program.status_changed_at, tz)
        for user in staff[program.study_program_id]:
            items.append(ClaimItem(
                key=f"program_lapsed:{program.pk}:{user.pk}:{lapsed_on.isoformat()}",
                kind="program_lapsed", recipient=user, template="programs/email/program_lapsed",
                context={"program": program, "lapsed_on": lapsed_on}, link=_url(program),
            ))

    for program in proposals:
        days_waiting = (today - timezone.localdate(program.created_at, tz)).days
        reminder_day = timezone.localdate(program.created_at, tz) + datetime.timedelta(
            days=days_waiting // PROPOSAL_WAIT_DAYS * PROPOSAL_WAIT_DAYS
        )
        for user in staff[program.study_program_id]:
            items.append(ClaimItem(
                key=f"proposal_waiting:{program.pk}:{user.pk}:{reminder_day.isoformat()}",
                kind="proposal_waiting", recipient=user, template="programs/email/proposal_waiting",
                context={"program": program, "days_waiting": days_waiting}, link=_proposals_url(program),
            ))
    return items


def reminders_tick(*, now: datetime.datetime | None = None) -> dict:
    """One tick (see the module docstring). Returns {"lapsed": n, "claimed": {kind: n}} for logs and the
    command."""
    now = now or timezone.now()
    # Earlier claims that were not sent (crash, SMTP error): queued first, so this tick's fresh rows are left to
    # the task queued for them.
    deliver_pending_notifications.delay()
    lapsed = programs_lapse_overdue(today=timezone.localdate(now, timezone.get_default_timezone()))
    with transaction.atomic():
        claimed = notifications_claim_many(reminder_items(now=now))
    counts = Counter(notification.kind for notification in claimed)
    return {"lapsed": len(lapsed), "claimed": {kind: counts.get(kind, 0) for kind in KINDS}}
