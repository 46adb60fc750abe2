"""Program pages for anyone, visitor or member: the program list, a program's page, a session's page and its .ics
download, and a person's calendar feed. No login needed: every program and session comes through
`Program.objects.visible_to(user)` / `Session.objects.visible_to(user)`, which decide what a visitor, a pending
person and a member may see (anything else is a 404), and the calendar feed's secret token is its own credential.
Staff of the study program and the program's PIC (`services.can_manage`) see more on the same pages: the team,
registrants, waitlist and attendance, and the buttons whose actions live in `views_manage`."""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import ics, selectors, services
from .forms import CalendarFilterForm, ProgramFilterForm, TeamMemberForm
from .models import CalendarFeed, Participation, Program, add_months
from .page_cache import ProgramPage
from .views_common import TRANSITION_LABELS, is_staff_of, visible_session

S = Program.Status
P = Participation
PAGE_SIZE = 20


# --- programs ------------------------------------------------------------------------------------------------


def program_list(request: HttpRequest) -> HttpResponse:
    form = ProgramFilterForm(request.GET or None, viewer=request.user)
    filters = form.filters() if form.is_bound else {}
    qs = selectors.program_list(viewer=request.user, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "programs/list.html",
        {"form": form, "page": page, "querystring": query.urlencode()},
    )


def program_detail(request: HttpRequest, pk) -> HttpResponse:
    """The program and its sessions come from the cache (page_cache.ProgramPage); `Program.is_visible_to`, the
    twin of `Program.objects.visible_to`, decides who may see it. A viewer without tools gets the cached content."""
    try:
        page = ProgramPage(pk)
    except Program.DoesNotExist:
        raise Http404 from None
    program, user = page.program, request.user
    if not program.is_visible_to(user):
        raise Http404
    can_manage = services.can_manage(program=program, user=user)
    moves = services.allowed_transitions(program=program, user=user) if user.is_authenticated else []
    context = {
        "program": program,
        "sessions_html": page.sessions_html,
        "rhythm_html": page.rhythm_html,
        "team": program.program_team,
        "can_manage": can_manage,
        "buttons": [
            {"to": to, "label": TRANSITION_LABELS.get(to, S(to).label), "needs_reason": to in services.NEEDS_REASON}
            for to in moves
        ],
        "team_form": TeamMemberForm(prefix="team") if can_manage else None,
        "invitations": (
            list(program.team_invitations.open().filter(session__isnull=True).order_by("created_at"))
            if can_manage else []
        ),
        "can_schedule": can_manage and program.status in Program.ACTIVE_STATUSES,
    }
    if not can_manage and not moves:
        # Nothing of this viewer's own on the page: the same content for everyone who may see it.
        body = page.body(lambda: render_to_string("programs/_program_body.html", context))
        return render(request, "programs/detail.html", {"program": program, "body": body})
    return render(request, "programs/detail.html", context)


# --- the session calendar ------------------------------------------------------------------------------------


def session_calendar(request: HttpRequest) -> HttpResponse:
    """Every upcoming session of the programs this viewer may see (visitors: public programs), one month at a time,
    as a month grid and as a list by day; filtered by kind of program. Without a chosen view, wide screens show the
    grid and phones the list (both are in the page; CSS shows one). Two queries at most, however many sessions."""
    now = timezone.now()
    today = timezone.localdate(now)
    form = CalendarFilterForm(request.GET or None, today=today)
    if form.is_bound:
        form.is_valid()
    first, kind, view = form.choices()
    after = add_months(first, 1)
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(after, datetime.time.min, tzinfo=zone)
    sessions = selectors.sessions_calendar(viewer=request.user, start=start, end=end, kind=kind, now=now)
    truncated = len(sessions) > selectors.CALENDAR_LIMIT
    sessions = sessions[: selectors.CALENDAR_LIMIT]
    by_day: dict[datetime.date, list] = {}
    for session in sessions:
        by_day.setdefault(timezone.localdate(session.start, zone), []).append(session)
    weeks = [
        [{"date": day, "in_month": day.month == first.month, "sessions": by_day.get(day, []),
          "is_today": day == today, "is_past": day < today}
         for day in week]
        for week in calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(first.year, first.month)
    ]
    next_start = None if sessions else selectors.next_session_start(viewer=request.user, after=end, kind=kind)

    def link(month: datetime.date) -> str:
        query = {"month": f"{month:%Y-%m}"}
        if kind:
            query["kind"] = kind
        if view:
            query["view"] = view
        return "?" + urlencode(query)

    def view_link(name: str) -> str:
        query = {"month": f"{first:%Y-%m}", "view": name}
        if kind:
            query["kind"] = kind
        return "?" + urlencode(query)

    return render(request, "programs/session_calendar.html", {
        "form": form,
        "month": first,
        "view": view,
        "kind": kind,
        "weeks": weeks,
        "weekdays": [(WEEKDAYS_ABBR[n], WEEKDAYS[n]) for n in range(7)],
        "days": sorted(by_day.items()),
        "count": len(sessions),
        "truncated": truncated,
        "limit": selectors.CALENDAR_LIMIT,
        "previous_link": link(add_months(first, -1)) if first > today.replace(day=1) else "",
        "next_link": link(after),
        "next_start": next_start,
        "next_start_link": link(timezone.localdate(next_start, zone).replace(day=1)) if next_start else "",
        "month_link": view_link(CalendarFilterForm.MONTH_VIEW),
        "list_link": view_link(CalendarFilterForm.LIST_VIEW),
    })


# --- sessions ------------------------------------------------------------------------------------------------


def _label_people(people: list[Participation], *, viewer, staff: bool) -> None:
    """Set `shown_name` and `shown_email` on each participation (user and profile loaded with it: no query).

    Staff of the program's study program see every registrant's account email. A PIC who is no staff sees a
    registrant's email only where that person's profile lets this viewer see it (`AlumniProfile.can_see`), and a
    person without a name is never shown by their email instead."""
    hidden = _("(name not given)")
    for p in people:
        user = p.user
        profile = getattr(user, "alumni_profile", None)
        if staff:
            email = user.email
        elif profile is not None and profile.can_see("email", viewer=viewer):
            email = profile.email or user.email
        else:
            email = ""
        p.shown_email = email
        p.shown_name = user.full_name or (profile.full_name if profile is not None else "") or email or hidden


def session_detail(request: HttpRequest, pk) -> HttpResponse:
    session = visible_session(request, pk)
    program = session.program
    user = request.user
    now = timezone.now()
    can_manage = services.can_manage(program=program, user=user)
    counts = Participation.objects.filter(session=session, role=P.Role.PARTICIPANT).aggregate(
        registered=Count("pk", filter=Q(status=P.Status.REGISTERED)),
        waitlisted=Count("pk", filter=Q(status=P.Status.WAITLISTED)),
    )
    context = {
        "session": session,
        "program": program,
        "can_manage": can_manage,
        "counts": counts,
        "is_full": session.capacity is not None and counts["registered"] >= session.capacity,
        "seats_left": None if session.capacity is None else max(0, session.capacity - counts["registered"]),
        "registration_open": session.registration_open(now=now) and program.status in (S.APPROVED, S.RUNNING),
        "started": session.start <= now,
        "mine": None,
        "position": None,
    }
    if can_manage:
        # Staff and the PIC: everyone in one query (with their profiles, for the visibility of their emails), split
        # here.
        people = list(
            session.participations.current().select_related("user__alumni_profile").order_by("queued_at", "pk")
        )
        _label_people(people, viewer=user, staff=is_staff_of(program, user))
        context["speakers"] = [p for p in people if p.role == P.Role.SPEAKER]
        context["registered"] = [
            p for p in people if p.role == P.Role.PARTICIPANT and p.status == P.Status.REGISTERED
        ]
        context["waitlist"] = [p for p in people if p.status == P.Status.WAITLISTED]
        context["helpers"] = [p for p in people if p.role not in (P.Role.SPEAKER, P.Role.PARTICIPANT)]
        attendees = {}
        for p in people:
            if p.status != P.Status.WAITLISTED:
                seen = attendees.setdefault(
                    p.user_id, {"user": p.user, "name": p.shown_name, "attended": p.attended, "roles": []}
                )
                seen["roles"].append(p.get_role_display())
                seen["attended"] = seen["attended"] or p.attended
        context["attendees"] = list(attendees.values())
        context["attendance_marked"] = any(p.attended is not None for p in people)
        context["invitations"] = list(session.team_invitations.open().order_by("created_at"))
    else:
        context["speakers"] = list(
            session.participations.current().filter(role=P.Role.SPEAKER).select_related("user")
        )
    if user.is_authenticated:
        mine = (
            Participation.objects.filter(session=session, user=user, role=P.Role.PARTICIPANT)
            .exclude(status=P.Status.CANCELLED)
            .first()
        )
        context["mine"] = mine
        if mine is not None and mine.status == P.Status.WAITLISTED:
            ahead = Participation.objects.filter(
                Q(queued_at__lt=mine.queued_at) | Q(queued_at=mine.queued_at, pk__lt=mine.pk),
                session=session, role=P.Role.PARTICIPANT, status=P.Status.WAITLISTED,
            ).count()
            context["position"] = ahead + 1
    return render(request, "programs/session_detail.html", context)


def session_ics(request: HttpRequest, pk) -> HttpResponse:
    session = visible_session(request, pk)
    body = ics.calendar_for([session], absolute_url=lambda s: request.build_absolute_uri(s.get_absolute_url()))
    response = HttpResponse(body, content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{ics.session_filename(session)}"'
    return response


# --- calendar feed -------------------------------------------------------------------------------------------


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret feed URL is the credential: no login, an unknown token is a 404."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if feed is None:
        raise Http404
    sessions = selectors.sessions_for_feed(user=feed.user)
    body = ics.calendar_for(
        sessions,
        absolute_url=lambda s: request.build_absolute_uri(s.get_absolute_url()),
        name=f"{settings.SITE_NAME}: {feed.user}",
    )
    response = HttpResponse(body, content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="sessions.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response
