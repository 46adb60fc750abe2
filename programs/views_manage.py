"""Pages for the people who run programs: staff of the study program and each program's PIC. Staff create
programs, decide on proposals (approve with a PIC, or reject) and watch the health dashboard; staff and the PIC
edit a program, change its status, invite and remove team members, withdraw invitations, schedule, edit and cancel
sessions, and mark attendance. Every view needs a login; the staff-only pages start with `require_staff` (403 for
anyone else), and the others look the object up in `visible_to(user)` (404) and then ask `services.can_manage`
(staff of its study program or its PIC; 403 otherwise). Approving and rejecting need staff of the study program; a
status change also lets the proposer in, who may withdraw their own proposal. Every write goes through
`programs.services`, which audits it; a ValidationError from a service is shown to the person and changes
nothing."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alumni.models import Role
from alumni.scope import require_staff
from core.confirm import is_confirmed
from core.forms import add_service_errors

from . import selectors, services
from .forms import (
    ApproveForm,
    ProgramCreateForm,
    ProgramEditForm,
    ReasonForm,
    SessionForm,
    TeamMemberForm,
    TransitionForm,
)
from .models import Participation, Program, Session, TeamInvitation
from .views_common import TRANSITION_LABELS, is_staff_of, visible_session

S = Program.Status
P = Participation


# --- helpers -------------------------------------------------------------------------------------------------


def _visible_program(request: HttpRequest, pk) -> Program:
    return get_object_or_404(
        Program.objects.visible_to(request.user).select_related("study_program__faculty", "pic", "proposed_by"),
        pk=pk,
    )


def _require_manage(program: Program, user) -> None:
    if not services.can_manage(program=program, user=user):
        raise PermissionDenied(_("Only staff of this study program and the program's PIC can do this."))


def _next_url(request: HttpRequest, default) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default if isinstance(default, str) else default.get_absolute_url()


# --- programs ------------------------------------------------------------------------------------------------


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
        request.POST or None, instance=copy.copy(program), can_change_pic=is_staff_of(program, request.user)
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
    if not (is_staff_of(program, user) or user.pk in (program.pic_id, program.proposed_by_id)):
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
    if not is_staff_of(program, request.user):
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
@require_http_methods(["GET", "POST"])
def invitation_withdraw(request: HttpRequest, pk) -> HttpResponse:
    """GET (or a POST without the confirmation flag): what withdrawing does, and a confirm button; a confirmed POST
    withdraws the invitation (its link stops working)."""
    found = get_object_or_404(
        TeamInvitation.objects.filter(program__in=Program.objects.visible_to(request.user)).select_related(
            "program__study_program", "session"
        ),
        pk=pk,
    )
    _require_manage(found.program, request.user)
    back = _next_url(request, found.session or found.program)
    if not is_confirmed(request):
        return render(request, "programs/team_change_confirm.html", {
            "change": "withdraw", "program": found.program, "session": found.session, "who": found.email,
            "role": found.get_role_display(), "action": reverse("programs:invitation_withdraw", args=[found.pk]),
            "back": back,
        })
    try:
        services.team_invitation_withdraw(invitation=found, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The invitation to %(email)s was withdrawn.") % {"email": found.email})
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def team_remove(request: HttpRequest, pk) -> HttpResponse:
    """GET (or a POST without the confirmation flag): whom removing takes off the team, and a confirm button; a
    confirmed POST removes them (they can be invited again)."""
    participation = get_object_or_404(
        Participation.objects.filter(program__in=Program.objects.visible_to(request.user)).select_related(
            "program__study_program", "user", "session"
        ),
        pk=pk,
    )
    _require_manage(participation.program, request.user)
    back = _next_url(request, participation.session or participation.program)
    if not is_confirmed(request):
        return render(request, "programs/team_change_confirm.html", {
            "change": "remove", "program": participation.program, "session": participation.session,
            "who": participation.user.full_name or _("(name not given)"),
            "role": participation.get_role_display(),
            "action": reverse("programs:team_remove", args=[participation.pk]), "back": back,
        })
    services.participant_remove(participation=participation, by=request.user)
    messages.success(request, _("%(person)s was removed from the team.") % {"person": participation.user})
    return redirect(back)


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
    session = visible_session(request, pk)
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
    session = visible_session(request, pk)
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


@login_required
@require_POST
def session_attendance(request: HttpRequest, pk) -> HttpResponse:
    session = visible_session(request, pk)
    _require_manage(session.program, request.user)
    ids = {int(value) for value in request.POST.getlist("attended") if value.isdigit()}
    try:
        came = services.attendance_mark(session=session, by=request.user, attended_user_ids=ids)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Attendance saved: %(n)s came.") % {"n": came})
    return redirect(session)


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
