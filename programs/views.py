"""Program pages. Every object comes through the permission door (`visible_to` / `managed_by`), every write
through `programs.services`; a ValidationError from a service is shown to the person and changes nothing."""

from __future__ import annotations

import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alumni.models import Role
from alumni.scope import require_staff, scope_for
from alumni_portal.forms import add_service_errors

from . import ics, selectors, services
from .forms import (
    ApproveForm,
    InvitationAnswerForm,
    ProgramCreateForm,
    ProgramEditForm,
    ProgramFilterForm,
    ProposeForm,
    ReasonForm,
    SessionForm,
    TeamMemberForm,
    TransitionForm,
)
from .models import CalendarFeed, Participation, Program, Session, TeamInvitation

S = Program.Status
P = Participation
PAGE_SIZE = 20

# What the button for each move says on the program page.
TRANSITION_LABELS = {
    S.APPROVED: gettext_lazy("Approve"),
    S.REJECTED: gettext_lazy("Reject"),
    S.RUNNING: gettext_lazy("Mark as running"),
    S.COMPLETED: gettext_lazy("Mark as completed"),
    S.CANCELLED: gettext_lazy("Cancel the program"),
}


# --- helpers -------------------------------------------------------------------------------------------------


def _visible_program(request: HttpRequest, pk) -> Program:
    return get_object_or_404(
        Program.objects.visible_to(request.user).select_related("study_program__faculty", "pic", "proposed_by"),
        pk=pk,
    )


def _visible_session(request: HttpRequest, pk) -> Session:
    return get_object_or_404(
        Session.objects.visible_to(request.user).select_related("program__study_program__faculty", "program__pic"),
        pk=pk,
    )


def _is_staff_of(program: Program, user) -> bool:
    scope = scope_for(user)
    return scope.is_superuser or program.study_program_id in scope.staff_program_ids


def _require_manage(program: Program, user) -> None:
    if not services.can_manage(program=program, user=user):
        raise PermissionDenied(_("Only staff of this study program and the program's PIC can do this."))


def _next_url(request: HttpRequest, default) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default if isinstance(default, str) else default.get_absolute_url()


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
    try:
        program = selectors.program_detail(viewer=request.user, pk=pk)
    except Program.DoesNotExist:
        raise Http404 from None
    user = request.user
    now = timezone.now()
    rhythm = (
        selectors.programs_with_rhythm(Program.objects.filter(pk=program.pk), now=now)
        .values("last_held", "next_scheduled")
        .get()
    )
    health = program.health(today=timezone.localdate(now), **rhythm)
    sessions = list(selectors.program_sessions(program=program))
    for session in sessions:
        session.seats_left = None if session.capacity is None else max(0, session.capacity - session.registered)
    upcoming = [s for s in reversed(sessions) if s.start > now]
    past = [s for s in sessions if s.start <= now]
    can_manage = services.can_manage(program=program, user=user)
    moves = services.allowed_transitions(program=program, user=user) if user.is_authenticated else []
    buttons = [
        {"to": to, "label": TRANSITION_LABELS.get(to, S(to).label), "needs_reason": to in services.NEEDS_REASON}
        for to in moves
    ]
    return render(
        request,
        "programs/detail.html",
        {
            "program": program,
            "health": health,
            "upcoming": upcoming,
            "past": past,
            "team": program.program_team,
            "history": list(program.transitions.all()),
            "can_manage": can_manage,
            "buttons": buttons,
            "team_form": TeamMemberForm(prefix="team") if can_manage else None,
            "invitations": (
                list(program.team_invitations.open().filter(session__isnull=True).order_by("created_at"))
                if can_manage else []
            ),
            "can_schedule": can_manage and program.status in Program.ACTIVE_STATUSES,
        },
    )


@login_required
def program_propose(request: HttpRequest) -> HttpResponse:
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_propose(
                by=request.user, study_program=form.cleaned_data["study_program"], data=form.program_data()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Thank you! Your proposal was sent to the staff of %(prodi)s.") % {"prodi": program.study_program},
            )
            return redirect(program)
    return render(request, "programs/program_form.html", {"form": form, "mode": "propose"})


@login_required
def program_create(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    form = ProgramCreateForm(request.POST or None, viewer=request.user, initial={"pic_email": request.user.email})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            program = services.program_create(
                by=request.user, study_program=data["study_program"], pic=data["pic"], data=form.program_data()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The program was created. Schedule its first session."))
            return redirect(program)
    return render(request, "programs/program_form.html", {"form": form, "mode": "create"})


@login_required
def program_edit(request: HttpRequest, pk) -> HttpResponse:
    program = _visible_program(request, pk)
    _require_manage(program, request.user)
    # The form works on a copy, so a rejected edit leaves the page's program as it is.
    form = ProgramEditForm(
        request.POST or None, instance=copy.copy(program), can_change_pic=_is_staff_of(program, request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.program_update(
                program=program, by=request.user, data=form.program_data(), pic=form.cleaned_data.get("pic")
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The program was saved."))
            return redirect(program)
    return render(request, "programs/program_form.html", {"form": form, "mode": "edit", "program": program})


@login_required
@require_POST
def program_transition(request: HttpRequest, pk) -> HttpResponse:
    program = _visible_program(request, pk)
    user = request.user
    if not (_is_staff_of(program, user) or user.pk in (program.pic_id, program.proposed_by_id)):
        raise PermissionDenied(_("You may not change the status of this program."))
    form = TransitionForm(request.POST)
    if form.is_valid():
        to, reason = form.cleaned_data["to"], form.cleaned_data["reason"]
        if to == S.APPROVED:
            # Approving needs a PIC: that has its own page.
            return redirect("programs:approve", pk=program.pk)
        try:
            if to == S.REJECTED:
                services.program_reject(program=program, by=request.user, reason=reason)
            else:
                services.program_transition(program=program, to=to, by=request.user, reason=reason)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The program is now: %(status)s.") % {"status": program.get_status_display()})
            return redirect(program)
    to = form.data.get("to", "")
    return render(
        request,
        "programs/transition.html",
        {"program": program, "form": form, "to_label": TRANSITION_LABELS.get(to, to)},
    )


def _decision_target(request: HttpRequest, pk) -> Program:
    program = _visible_program(request, pk)
    if not _is_staff_of(program, request.user):
        raise PermissionDenied(_("Only staff of this study program decide on its proposals."))
    return program


@login_required
def program_approve(request: HttpRequest, pk) -> HttpResponse:
    program = _decision_target(request, pk)
    if program.status != S.PROPOSED:
        messages.info(request, _("This program is no longer waiting for a decision."))
        return redirect(program)
    form = ApproveForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            services.program_approve(program=program, by=request.user, pic=form.cleaned_data["pic"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("“%(title)s” was approved; %(pic)s is its PIC.") % {"title": program, "pic": program.pic}
            )
            return redirect(_next_url(request, program))
    return render(request, "programs/decide.html", {"program": program, "form": form, "decision": "approve"})


@login_required
def program_reject(request: HttpRequest, pk) -> HttpResponse:
    program = _decision_target(request, pk)
    if program.status != S.PROPOSED:
        messages.info(request, _("This program is no longer waiting for a decision."))
        return redirect(program)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.program_reject(program=program, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("“%(title)s” was rejected; the proposer was told why.") % {"title": program})
            return redirect(_next_url(request, program))
    return render(request, "programs/decide.html", {"program": program, "form": form, "decision": "reject"})


def _pic_choices(programs: list[Program]) -> dict:
    """For each proposal: who may become its PIC (proposer first, then staff and admins), in one query."""
    if not programs:
        return {}
    sp_ids = {p.study_program_id for p in programs}
    institution_ids = {p.study_program.faculty.institution_id for p in programs}
    roles = list(
        Role.objects.filter(
            Q(kind=Role.Kind.STAFF, study_program_id__in=sp_ids)
            | Q(kind=Role.Kind.ADMIN, institution_id__in=institution_ids),
            user__is_active=True,
        ).select_related("user")
    )
    choices = {}
    for program in programs:
        people = {}
        if program.proposed_by is not None:
            people[program.proposed_by.pk] = program.proposed_by
        others = sorted(
            (
                r.user for r in roles
                if r.study_program_id == program.study_program_id
                or (r.kind == Role.Kind.ADMIN and r.institution_id == program.study_program.faculty.institution_id)
            ),
            key=lambda u: (u.full_name or u.email).lower(),
        )
        for user in others:
            people.setdefault(user.pk, user)
        choices[program.pk] = list(people.values())
    return choices


@login_required
def proposals(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    waiting = list(
        Program.objects.managed_by(request.user)
        .filter(status=S.PROPOSED)
        .select_related("study_program__faculty", "proposed_by")
        .order_by("created_at", "pk")
    )
    choices = _pic_choices(waiting)
    rows = [(program, choices[program.pk]) for program in waiting]
    return render(request, "programs/proposals.html", {"rows": rows})


@login_required
@require_POST
def team_add(request: HttpRequest, pk) -> HttpResponse:
    program = _visible_program(request, pk)
    _require_manage(program, request.user)
    form = TeamMemberForm(request.POST, prefix="team")
    if form.is_valid():
        email, role = form.cleaned_data["email"], form.cleaned_data["role"]
        try:
            services.team_invite(program=program, by=request.user, email=email, role=role)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            # The same answer whether or not an account has this address, and never a name.
            messages.success(
                request, _("An invitation was sent to %(email)s to join the team as %(role)s.")
                % {"email": email, "role": P.Role(role).label.lower()},
            )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(program)


@login_required
def invitation(request: HttpRequest, pk) -> HttpResponse:
    """The invited person's page: accept or decline. Anyone else gets 404, the inviter included."""
    found = get_object_or_404(
        TeamInvitation.objects.for_invitee(request.user).select_related(
            "program__study_program", "session", "invited_by"
        ),
        pk=pk,
    )
    if request.method == "POST":
        form = InvitationAnswerForm(request.POST)
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == "accept":
                    services.team_invitation_accept(invitation=found, user=request.user)
                    messages.success(request, _("Welcome to the team of “%(title)s”.") % {"title": found.program})
                    if Program.objects.visible_to(request.user).filter(pk=found.program_id).exists():
                        return redirect(found.session or found.program)
                    return redirect(found)
                services.team_invitation_decline(invitation=found, user=request.user)
                messages.info(request, _("You declined the invitation."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect(found)
    return render(request, "programs/invitation.html", {"invitation": found, "is_open": found.is_open()})


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, pk) -> HttpResponse:
    found = get_object_or_404(
        TeamInvitation.objects.filter(program__in=Program.objects.visible_to(request.user)).select_related(
            "program__study_program", "session"
        ),
        pk=pk,
    )
    _require_manage(found.program, request.user)
    try:
        services.team_invitation_withdraw(invitation=found, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The invitation to %(email)s was withdrawn.") % {"email": found.email})
    return redirect(found.session or found.program)


@login_required
@require_POST
def team_remove(request: HttpRequest, pk) -> HttpResponse:
    participation = get_object_or_404(
        Participation.objects.filter(program__in=Program.objects.visible_to(request.user)).select_related(
            "program__study_program", "user"
        ),
        pk=pk,
    )
    _require_manage(participation.program, request.user)
    services.participant_remove(participation=participation, by=request.user)
    messages.success(request, _("%(person)s was removed from the team.") % {"person": participation.user})
    return redirect(_next_url(request, participation.session or participation.program))


# --- sessions ------------------------------------------------------------------------------------------------


def _invite_speakers(request: HttpRequest, session: Session, emails: list[str]) -> None:
    """Invite each email to speak at the session: they are listed once they accept (the same answer whether or
    not an account has the address). Current speakers are removed, and invitations withdrawn, on the session
    page."""
    for email in emails:
        services.team_invite(program=session.program, by=request.user, email=email, role=P.Role.SPEAKER,
                             session=session)
    if emails:
        messages.info(request, _("Invitations to speak were sent to %(emails)s.") % {"emails": ", ".join(emails)})


@login_required
def session_create(request: HttpRequest, pk) -> HttpResponse:
    program = _visible_program(request, pk)
    _require_manage(program, request.user)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                session = services.session_schedule(program=program, by=request.user, data=form.session_data())
                _invite_speakers(request, session, form.cleaned_data["speakers"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The session was scheduled."))
            return redirect(session)
    return render(request, "programs/session_form.html", {"form": form, "program": program, "session": None})


@login_required
def session_edit(request: HttpRequest, pk) -> HttpResponse:
    session = _visible_session(request, pk)
    program = session.program
    _require_manage(program, request.user)
    if session.status == Session.Status.CANCELLED:
        messages.info(request, _("This session was cancelled; schedule a new one instead."))
        return redirect(session)
    initial = {name: getattr(session, name) for name in SessionForm.FIELDS}
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.session_update(session=session, by=request.user, data=form.session_data())
                _invite_speakers(request, session, form.cleaned_data["speakers"])
        except ValidationError as exc:
            session.refresh_from_db()
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The session was saved."))
            return redirect(session)
    return render(request, "programs/session_form.html", {"form": form, "program": program, "session": session})


@login_required
def session_cancel(request: HttpRequest, pk) -> HttpResponse:
    session = _visible_session(request, pk)
    _require_manage(session.program, request.user)
    if session.status == Session.Status.CANCELLED:
        messages.info(request, _("This session was already cancelled."))
        return redirect(session)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cancel(session=session, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The session was cancelled and everyone registered was told."))
            return redirect(session)
    return render(request, "programs/session_cancel.html", {"form": form, "session": session})


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
    session = _visible_session(request, pk)
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
        _label_people(people, viewer=user, staff=_is_staff_of(program, user))
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


@login_required
@require_POST
def session_register(request: HttpRequest, pk) -> HttpResponse:
    session = _visible_session(request, pk)
    try:
        participation = services.session_register(session=session, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if participation.status == P.Status.REGISTERED:
            messages.success(request, _("You are registered. See you there!"))
        else:
            messages.info(
                request, _("The session is full: you are on the waitlist and will hear from us when a seat frees up.")
            )
    return redirect(session)


@login_required
@require_POST
def session_unregister(request: HttpRequest, pk) -> HttpResponse:
    session = _visible_session(request, pk)
    try:
        services.session_unregister(session=session, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your registration was cancelled."))
    return redirect(session)


@login_required
@require_POST
def session_attendance(request: HttpRequest, pk) -> HttpResponse:
    session = _visible_session(request, pk)
    _require_manage(session.program, request.user)
    ids = {int(value) for value in request.POST.getlist("attended") if value.isdigit()}
    try:
        came = services.attendance_mark(session=session, by=request.user, attended_user_ids=ids)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Attendance saved: %(n)s came.") % {"n": came})
    return redirect(session)


def session_ics(request: HttpRequest, pk) -> HttpResponse:
    session = _visible_session(request, pk)
    body = ics.calendar_for([session], absolute_url=lambda s: request.build_absolute_uri(s.get_absolute_url()))
    response = HttpResponse(body, content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{ics.session_filename(session)}"'
    return response


# --- calendar feed -------------------------------------------------------------------------------------------


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    feed = services.calendar_feed_for(user=request.user)
    url = request.build_absolute_uri(reverse("programs:calendar_feed", args=[feed.token]))
    upcoming = list(
        selectors.sessions_for_feed(user=request.user).filter(end__gte=timezone.now())[:10]
    )
    return render(
        request,
        "programs/calendar.html",
        {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[-1], "upcoming": upcoming},
    )


@login_required
@require_POST
def calendar_reset(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_reset(user=request.user)
    messages.success(request, _("Your calendar link was renewed; the old one no longer works."))
    return redirect("programs:calendar")


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


# --- health --------------------------------------------------------------------------------------------------


@login_required
def health(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    rows = selectors.program_health(viewer=request.user)
    attendance = selectors.attendance_by_session(program_ids=[program.pk for program, _h in rows])
    chart = [
        {
            "id": str(program.pk),
            "title": program.title,
            "sessions": [
                {"date": day.isoformat(), "came": came, "registered": registered}
                for day, came, registered in attendance[program.pk]
            ],
        }
        for program, _h in rows
        if attendance.get(program.pk)
    ]
    summary = {
        "watched": len(rows),
        "overdue": sum(1 for _p, h in rows if h.days_overdue),
        "lapsed": sum(1 for p, _h in rows if p.status == S.LAPSED),
        "due_soon": sum(1 for _p, h in rows if h.due_soon),
    }
    table = [(program, h, attendance.get(program.pk, [])) for program, h in rows]
    return render(
        request,
        "programs/health.html",
        {
            "rows": table,
            "chart": chart,
            "summary": summary,
            "chart_labels": {"came": _("Came"), "registered": _("Registered")},
        },
    )
