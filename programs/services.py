"""Every write to programs, sessions and participation. Views, admin, tasks and commands call these."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alumni.models import AlumniProfile, User
from alumni.scope import scope_for
from core import dates
from core.audit import audit_log
from core.dispatch import enqueue
from core.models import Notification
from core.notifications import (
    ClaimItem,
    notification_claim,
    notification_deliver,
    notifications_claim_many,
)

from .models import CalendarFeed, Participation, Program, ProgramTransition, Session, TeamInvitation
from .page_cache import programs_changed
from .selectors import programs_with_rhythm

S = Program.Status

# Who may make each move: "staff" (of the program's study program), "pic", "proposer", or "system" (the lapse
# rule). Anything not listed is illegal.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (S.PROPOSED, S.APPROVED): frozenset({"staff"}),
    (S.PROPOSED, S.REJECTED): frozenset({"staff"}),
    (S.PROPOSED, S.CANCELLED): frozenset({"staff", "proposer"}),
    (S.APPROVED, S.RUNNING): frozenset({"staff", "pic"}),
    (S.APPROVED, S.CANCELLED): frozenset({"staff"}),
    (S.RUNNING, S.COMPLETED): frozenset({"staff", "pic"}),
    (S.RUNNING, S.CANCELLED): frozenset({"staff"}),
    (S.RUNNING, S.LAPSED): frozenset({"system"}),
    (S.LAPSED, S.RUNNING): frozenset({"staff", "pic", "system"}),
    (S.LAPSED, S.COMPLETED): frozenset({"staff"}),
    (S.LAPSED, S.CANCELLED): frozenset({"staff"}),
}
NEEDS_REASON = {S.REJECTED, S.CANCELLED, S.LAPSED}


def _capacities(program: Program, user) -> set[str]:
    if user is None:
        return {"system"}
    scope = scope_for(user)
    held = set()
    if scope.is_superuser or program.study_program_id in scope.staff_program_ids:
        held.add("staff")
    if program.pic_id and program.pic_id == user.pk:
        held.add("pic")
    if program.proposed_by_id and program.proposed_by_id == user.pk:
        held.add("proposer")
    return held


def allowed_transitions(*, program: Program, user) -> list[str]:
    """The statuses this person may move the program to now (for the buttons on the program page)."""
    held = _capacities(program, user)
    return [to for (frm, to), who in TRANSITIONS.items() if frm == program.status and who & held]


def can_manage(*, program: Program, user) -> bool:
    """Staff of its study program and its PIC run a program's sessions."""
    return bool(_capacities(program, user) & {"staff", "pic"}) if user and user.is_authenticated else False


def program_transition(*, program: Program, to: str, by, reason: str = "") -> Program:
    """Move a program to status `to`; `by=None` is the system (the lapse rule). Records who, when and why.

    The row is locked for the move, so two staff clicking at once cannot both move it from the same status.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = Program.objects.select_for_update().get(pk=program.pk)
        frm = locked.status
        who = TRANSITIONS.get((frm, to))
        if who is None:
            raise ValidationError(
                _("A program that is %(from)s cannot become %(to)s.")
                % {"from": S(frm).label.lower(), "to": S(to).label.lower()}
            )
        if not who & _capacities(locked, by):
            raise PermissionDenied(_("You may not make this change to this program."))
        if to in NEEDS_REASON and not reason:
            raise ValidationError(_("Please give a reason."))
        if to == S.APPROVED and not locked.pic_id:
            raise ValidationError(_("Choose a person in charge (PIC) before approving."))
        now = timezone.now()
        locked.status, locked.status_changed_at = to, now
        locked.save(update_fields=["status", "status_changed_at"])
        ProgramTransition.objects.create(program=locked, from_status=frm, to_status=to, by=by, reason=reason, at=now)
        audit_log(
            actor=by, action=f"programs.program.{to}", target=locked, study_program=locked.study_program,
            data={"from": frm, "reason": reason},
        )
    program.status, program.status_changed_at = locked.status, locked.status_changed_at
    return program


PROGRAM_FIELDS = (
    "title", "description", "kind", "category", "organiser", "audience", "cadence", "cadence_years", "grace_days",
)


def _program_from(data: dict[str, Any], program: Program) -> Program:
    for name in PROGRAM_FIELDS:
        if name in data:
            setattr(program, name, data[name])
    if program.cadence != Program.Cadence.EVERY_N_YEARS:
        program.cadence_years = None
    return program


def program_propose(*, by, study_program, data: dict[str, Any]) -> Program:
    """An alumnus (or anyone with an account) proposes a program; staff of the study program decide."""
    program = _program_from(data, Program(study_program=study_program, proposed_by=by, status=S.PROPOSED))
    program.full_clean()
    with transaction.atomic():
        program.save()
        ProgramTransition.objects.create(program=program, from_status="", to_status=S.PROPOSED, by=by)
        audit_log(actor=by, action="programs.program.proposed", target=program, study_program=study_program)
    return program


def program_create(*, by, study_program, pic, data: dict[str, Any]) -> Program:
    """Staff create a program directly: it starts approved, with its PIC."""
    if study_program.pk not in scope_for(by).staff_program_ids and not by.is_superuser:
        raise PermissionDenied(_("You can only create programs for your own study programs."))
    program = _program_from(data, Program(study_program=study_program, pic=pic, status=S.APPROVED))
    program.full_clean()
    with transaction.atomic():
        program.save()
        ProgramTransition.objects.create(program=program, from_status="", to_status=S.APPROVED, by=by)
        audit_log(actor=by, action="programs.program.created", target=program, study_program=study_program)
    return program


def program_update(*, program: Program, by, data: dict[str, Any], pic=None) -> Program:
    if not can_manage(program=program, user=by):
        raise PermissionDenied(_("You may not change this program."))
    _program_from(data, program)
    if pic is not None and "staff" in _capacities(program, by):
        program.pic = pic
    program.full_clean()
    program.save()
    audit_log(actor=by, action="programs.program.updated", target=program, study_program=program.study_program)
    return program


def _notify_proposer(program: Program, decision: str, reason: str = "") -> None:
    if program.proposed_by is None:
        return
    notification_claim(
        key=f"program.decided:{program.pk}:{decision}",
        kind="program_decided",
        recipient=program.proposed_by,
        template="programs/email/program_decided",
        context={"program": program, "approved": decision == S.APPROVED, "reason": reason},
        link=program.get_absolute_url(),
    )


def program_approve(*, program: Program, by, pic) -> Program:
    """Staff approve a proposal and name its PIC; the proposer hears of it."""
    if "staff" not in _capacities(program, by):
        raise PermissionDenied(_("Only staff of this study program can approve its proposals."))
    with transaction.atomic():
        Program.objects.filter(pk=program.pk).update(pic=pic)
        programs_changed()  # the program's page names its PIC (the transition's save moves it too)
        program.pic = pic
        program_transition(program=program, to=S.APPROVED, by=by)
        _notify_proposer(program, S.APPROVED)
    return program


def program_reject(*, program: Program, by, reason: str) -> Program:
    with transaction.atomic():
        program_transition(program=program, to=S.REJECTED, by=by, reason=reason)
        _notify_proposer(program, S.REJECTED, reason.strip())
    return program


SESSION_FIELDS = ("title", "start", "end", "place", "online_url", "capacity", "registration_deadline", "agenda")


def _check_session(session: Session) -> None:
    errors = {}
    if session.start and session.end and session.end <= session.start:
        errors["end"] = _("The session must end after it starts.")
    if session.registration_deadline and session.start and session.registration_deadline > session.start:
        errors["registration_deadline"] = _("Registration must close before the session starts.")
    if not session.place and not session.online_url:
        errors["place"] = _("Give a place, an online link, or both.")
    if errors:
        raise ValidationError(errors)


def session_schedule(*, program: Program, by, data: dict[str, Any]) -> Session:
    """Add a session. Scheduling brings an approved or lapsed program (back) to running."""
    if not can_manage(program=program, user=by):
        raise PermissionDenied(_("You may not schedule sessions for this program."))
    if program.status not in Program.ACTIVE_STATUSES:
        raise ValidationError(_("Sessions can only be scheduled for approved, running or lapsed programs."))
    session = Session(program=program, **{k: data.get(k) for k in SESSION_FIELDS if k in data})
    for name in ("title", "place", "online_url", "agenda"):
        setattr(session, name, getattr(session, name) or "")
    _check_session(session)
    session.full_clean()
    with transaction.atomic():
        session.save()
        audit_log(actor=by, action="programs.session.scheduled", target=session, study_program=program.study_program)
        if program.status == S.APPROVED:
            program_transition(program=program, to=S.RUNNING, by=by)
        elif program.status == S.LAPSED:
            reason = _("New session scheduled for %(date)s.") % {"date": dates.day(session.start)}
            program_transition(program=program, to=S.RUNNING, by=by, reason=reason)
    return session


def session_update(*, session: Session, by, data: dict[str, Any]) -> Session:
    if not can_manage(program=session.program, user=by):
        raise PermissionDenied(_("You may not change this session."))
    text_fields = ("title", "place", "online_url", "agenda")
    for name in SESSION_FIELDS:
        if name in data:
            value = data[name]
            setattr(session, name, (value or "") if name in text_fields else value)
    _check_session(session)
    session.full_clean()
    with transaction.atomic():
        session.save()
        # A larger capacity makes room for people on the waitlist.
        _promote_waitlist(session)
        audit_log(actor=by, action="programs.session.updated", target=session,
                  study_program=session.program.study_program)
    return session


def session_cancel(*, session: Session, by, reason: str) -> Session:
    if not can_manage(program=session.program, user=by):
        raise PermissionDenied(_("You may not cancel this session."))
    if not reason.strip():
        raise ValidationError(_("Please give a reason."))
    with transaction.atomic():
        Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
        session.status = Session.Status.CANCELLED
        programs_changed()  # the program's page lists the session as cancelled
        audit_log(actor=by, action="programs.session.cancelled", target=session,
                  study_program=session.program.study_program, data={"reason": reason.strip()})
        recipients = [p.user for p in session.participations.current().select_related("user")]
        for user in recipients:
            notification_claim(
                key=f"session.cancelled:{session.pk}:{user.pk}", kind="session_cancelled", recipient=user,
                template="programs/email/session_cancelled", context={"session": session, "reason": reason.strip()},
                link=session.get_absolute_url(),
            )
    return session


def _registered_count(session: Session) -> int:
    return session.participations.filter(
        role=Participation.Role.PARTICIPANT, status=Participation.Status.REGISTERED
    ).count()


def audience_admits(*, program: Program, user) -> bool:
    """Whether the program's audience includes this person. Staff of the study program always may take part."""
    if program.audience == Program.Audience.PUBLIC or "staff" in _capacities(program, user):
        return True
    # Only a verified record makes someone an alumnus or student here: a pending self-declared one does not.
    profile = (
        AlumniProfile.objects.filter(user=user, verification=AlumniProfile.Verification.VERIFIED)
        .only("graduation_date").first()
    )
    if profile is None:
        return False
    if program.audience == Program.Audience.ALUMNI:
        return not profile.is_student
    if program.audience == Program.Audience.STUDENTS:
        return profile.is_student
    return True  # alumni and students


def session_register(*, session: Session, user, now: datetime.datetime | None = None) -> Participation:
    """Register `user` as a participant; beyond capacity they join the waitlist.

    The session row is locked (SELECT … FOR UPDATE) while seats are counted, so concurrent registrations are
    serialised and never overfill it.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Session.objects.select_for_update().select_related("program").get(pk=session.pk)
        if not locked.registration_open(now=now):
            raise ValidationError(_("Registration for this session is closed."))
        if locked.program.status not in (S.APPROVED, S.RUNNING):
            raise ValidationError(_("This program is not taking registrations."))
        if not audience_admits(program=locked.program, user=user):
            raise ValidationError(
                _("This program is for %(audience)s only.")
                % {"audience": locked.program.get_audience_display().lower()}
            )
        existing = Participation.objects.filter(session=locked, user=user, role=Participation.Role.PARTICIPANT).first()
        if existing and existing.status != Participation.Status.CANCELLED:
            raise ValidationError(_("You are already registered for this session."))
        full = locked.capacity is not None and _registered_count(locked) >= locked.capacity
        status = Participation.Status.WAITLISTED if full else Participation.Status.REGISTERED
        if existing:
            existing.status, existing.queued_at, existing.attended = status, now, None
            existing.save(update_fields=["status", "queued_at", "attended"])
            participation = existing
        else:
            participation = Participation.objects.create(
                program=locked.program, session=locked, user=user, role=Participation.Role.PARTICIPANT,
                status=status, queued_at=now,
            )
        audit_log(actor=user, action=f"programs.session.{status}", target=locked,
                  study_program=locked.program.study_program)
    return participation


def _promote_waitlist(session: Session) -> list[Participation]:
    """Fill free seats from the waitlist in queue order. Call inside a transaction holding the session lock."""
    waiting = session.participations.filter(
        role=Participation.Role.PARTICIPANT, status=Participation.Status.WAITLISTED
    ).order_by("queued_at", "pk")
    if session.capacity is not None:
        free = session.capacity - _registered_count(session)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting.select_related("user"))
    for participation in promoted:
        participation.status = Participation.Status.REGISTERED
        participation.save(update_fields=["status"])
        notification_claim(
            key=f"session.promoted:{participation.pk}:{participation.queued_at:%Y%m%d%H%M%S%f}",
            kind="waitlist_promoted", recipient=participation.user, template="programs/email/waitlist_promoted",
            context={"session": session}, link=session.get_absolute_url(),
        )
    return promoted


def session_unregister(*, session: Session, user) -> list[Participation]:
    """Cancel `user`'s registration; the first person on the waitlist takes the seat. Returns who moved up."""
    with transaction.atomic():
        locked = Session.objects.select_for_update().select_related("program").get(pk=session.pk)
        updated = Participation.objects.filter(
            session=locked, user=user, role=Participation.Role.PARTICIPANT,
        ).exclude(status=Participation.Status.CANCELLED).update(status=Participation.Status.CANCELLED)
        if not updated:
            raise ValidationError(_("You are not registered for this session."))
        programs_changed()  # seats left on the program's page
        audit_log(actor=user, action="programs.session.unregistered", target=locked,
                  study_program=locked.program.study_program)
        return _promote_waitlist(locked)


def attendance_mark(*, session: Session, by, attended_user_ids: set[int]) -> int:
    """After the session, staff tick who came. Everyone registered and not ticked is marked absent."""
    if not can_manage(program=session.program, user=by):
        raise PermissionDenied(_("You may not mark attendance for this session."))
    if session.start > timezone.now():
        raise ValidationError(_("Attendance can be marked once the session has started."))
    with transaction.atomic():
        current = Participation.objects.filter(session=session).exclude(
            status__in=[Participation.Status.CANCELLED, Participation.Status.WAITLISTED]
        )
        came = current.filter(user_id__in=attended_user_ids).update(attended=True)
        current.exclude(user_id__in=attended_user_ids).update(attended=False)
        programs_changed()  # who came, on the program's page
        audit_log(actor=by, action="programs.session.attendance", target=session,
                  study_program=session.program.study_program, data={"attended": came})
    return came


def participant_add(*, program: Program, by, user, role: str, session: Session | None = None) -> Participation:
    """Staff or the PIC add a speaker, committee member, mentor or volunteer (to the program or one session)."""
    if not can_manage(program=program, user=by):
        raise PermissionDenied(_("You may not change who takes part in this program."))
    if session is not None and session.program_id != program.pk:
        raise ValidationError(_("That session belongs to another program."))
    participation, created = Participation.objects.get_or_create(
        program=program, session=session, user=user, role=role,
        defaults={"status": Participation.Status.REGISTERED},
    )
    if not created and participation.status == Participation.Status.CANCELLED:
        participation.status = Participation.Status.REGISTERED
        participation.save(update_fields=["status"])
    audit_log(actor=by, action="programs.participation.added", target=participation,
              study_program=program.study_program, data={"role": role})
    return participation


# --- team invitations ----------------------------------------------------------------------------------------

TEAM_ROLES = frozenset(Participation.Role) - {Participation.Role.PARTICIPANT}


def team_invite(*, program: Program, by, email: str, role: str, session: Session | None = None) -> TeamInvitation:
    """Invite whoever holds `email` to the program's team in `role` (with `session`: to that session, e.g. as a
    speaker); they join only when they accept.

    The inviter learns nothing about the address: the same invitation is made whether or not an account has it,
    and it never carries a name. An account holder is told by a notification (email, once: the claim key is the
    invitation) and finds it on their dashboard; an address without an account gets one email asking them to
    sign up with it, and the invitation waits for that account until it expires. Inviting the same address to the
    same role again while an invitation is open sends nothing new.
    """
    if not can_manage(program=program, user=by):
        raise PermissionDenied(_("You may not change who takes part in this program."))
    if role not in TEAM_ROLES:
        raise ValidationError({"role": _("Choose a team role.")})
    if session is not None and session.program_id != program.pk:
        raise ValidationError(_("That session belongs to another program."))
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": _("Enter an email address.")})
    with transaction.atomic():
        existing = TeamInvitation.objects.select_for_update().filter(
            program=program, session=session, email=email, role=role, status=TeamInvitation.Status.PENDING
        ).first()
        if existing is not None and existing.is_open():
            return existing
        if existing is not None:  # expired: a new invitation replaces it
            existing.status, existing.decided_at = TeamInvitation.Status.WITHDRAWN, timezone.now()
            existing.save(update_fields=["status", "decided_at"])
        invitee = User.objects.filter(email__iexact=email, is_active=True).first()
        invitation = TeamInvitation.objects.create(
            program=program, session=session, email=email, role=role, user=invitee, invited_by=by
        )
        audit_log(actor=by, action="programs.team_invitation.sent", target=invitation,
                  study_program=program.study_program, data={"role": role})
        if invitee is not None:
            notification_claim(
                key=f"team.invited:{invitation.pk}", kind="team_invitation", recipient=invitee,
                template="programs/email/team_invitation",
                context={"invitation": invitation, "program": program, "session": session},
                link=invitation.get_absolute_url(),
            )
        else:
            # The sign-up email's outbox row, committed with the invitation; sent after commit, outside the
            # transaction (a slow mail server holds no database lock), or by the sweep after a crash.
            claimed = notifications_claim_many([_signup_item(invitation)], deliver=False)
            enqueue("core.tasks.deliver_notifications", [row.pk for row in claimed])
    return invitation


TEAM_SIGNUP_KIND = "team_signup"


def _signup_key(invitation_id) -> str:
    return f"team.signup:{invitation_id}"


def _signup_item(invitation: TeamInvitation) -> ClaimItem:
    """The email asking an address without an account to sign up, in the portal's default language."""
    return ClaimItem(
        key=_signup_key(invitation.pk), kind=TEAM_SIGNUP_KIND, recipient=None, to_email=invitation.email,
        template="programs/email/team_signup",
        context={
            "invitation": invitation, "program": invitation.program, "session": invitation.session,
            "link": f"{settings.SITE_URL}{invitation.get_absolute_url()}",
            "signup_url": f"{settings.SITE_URL}{reverse('account_signup')}",
        },
    )


def mark_signup_email_sent(notification) -> None:
    """The sent hook of team sign-up emails (registered in ProgramsConfig): the invitation's `email_sent_at`, set
    when its outbox row is sent."""
    TeamInvitation.objects.filter(
        pk=notification.key.removeprefix("team.signup:"), email_sent_at__isnull=True
    ).update(email_sent_at=timezone.now())


def signup_email_unwanted(notification) -> str:
    """The send check of team sign-up emails (registered in ProgramsConfig): "" while the invitation still waits
    for an answer and has not expired, else why the email must not go (withdrawn, accepted or declined meanwhile,
    or expired while the row waited). One query."""
    invitation = (
        TeamInvitation.objects.filter(pk=notification.key.removeprefix("team.signup:"))
        .values("status", "expires_at").first()
    )
    if invitation is None:
        return "invitation deleted"
    if invitation["status"] != TeamInvitation.Status.PENDING:
        return f"invitation {invitation['status']}"
    if invitation["expires_at"] <= timezone.now():
        return "invitation expired"
    return ""


def team_invitation_email(*, invitation_id) -> bool:
    """Send the sign-up email of an invitation to an address that had no account (its outbox row, claimed with the
    invitation); True when it went out now. The outbox leases the row, so the message goes once; a failed send
    stays unsent and the sweep tries it again."""
    pk = Notification.objects.unsent().filter(key=_signup_key(invitation_id)).values_list("pk", flat=True).first()
    if pk is None:
        return False
    try:
        return notification_deliver(notification_id=pk)
    except OSError as exc:  # smtplib.SMTPException is an OSError
        logging.getLogger(__name__).warning("team invitation %s: email failed: %s", invitation_id, exc)
        return False


def _answerable(invitation: TeamInvitation, user) -> TeamInvitation:
    """The invitation, locked, if `user` is the invited person and it is still open."""
    locked = (
        # Only the invitation row is locked: the session is a nullable join, which PostgreSQL will not lock.
        TeamInvitation.objects.select_for_update(of=("self",))
        .for_invitee(user)
        .select_related("program__study_program", "session")
        .filter(pk=invitation.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("This invitation is not addressed to you."))
    if locked.status != TeamInvitation.Status.PENDING:
        raise ValidationError(_("This invitation was already answered or withdrawn."))
    if not locked.is_open():
        raise ValidationError(_("This invitation has expired. Ask the program's organisers for a new one."))
    if locked.session is not None and locked.session.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session was cancelled."))
    return locked


def team_invitation_accept(*, invitation: TeamInvitation, user) -> Participation:
    """The invited person accepts: they join the team in the invited role. A team sees its registrants, so a
    person whose own record still waits for verification accepts once it is verified."""
    if scope_for(user).is_pending:
        raise ValidationError(_("Your record is waiting for verification: you can accept once it is verified."))
    with transaction.atomic():
        locked = _answerable(invitation, user)
        now = timezone.now()
        locked.status, locked.user, locked.decided_at = TeamInvitation.Status.ACCEPTED, user, now
        locked.save(update_fields=["status", "user", "decided_at"])
        participation, created = Participation.objects.get_or_create(
            program=locked.program, session=locked.session, user=user, role=locked.role,
            defaults={"status": Participation.Status.REGISTERED},
        )
        if not created and participation.status == Participation.Status.CANCELLED:
            participation.status = Participation.Status.REGISTERED
            participation.save(update_fields=["status"])
        audit_log(actor=user, action="programs.team_invitation.accepted", target=locked,
                  study_program=locked.program.study_program, data={"role": locked.role})
    invitation.status, invitation.user, invitation.decided_at = locked.status, user, locked.decided_at
    return participation


def team_invitation_decline(*, invitation: TeamInvitation, user) -> TeamInvitation:
    with transaction.atomic():
        locked = _answerable(invitation, user)
        locked.status, locked.user, locked.decided_at = TeamInvitation.Status.DECLINED, user, timezone.now()
        locked.save(update_fields=["status", "user", "decided_at"])
        audit_log(actor=user, action="programs.team_invitation.declined", target=locked,
                  study_program=locked.program.study_program)
    invitation.status, invitation.decided_at = locked.status, locked.decided_at
    return invitation


def team_invitation_withdraw(*, invitation: TeamInvitation, by) -> TeamInvitation:
    """Staff or the PIC take back an invitation that is still waiting."""
    if not can_manage(program=invitation.program, user=by):
        raise PermissionDenied(_("You may not change who takes part in this program."))
    with transaction.atomic():
        updated = TeamInvitation.objects.filter(pk=invitation.pk, status=TeamInvitation.Status.PENDING).update(
            status=TeamInvitation.Status.WITHDRAWN, decided_at=timezone.now()
        )
        if not updated:
            raise ValidationError(_("This invitation was already answered or withdrawn."))
        programs_changed()
        audit_log(actor=by, action="programs.team_invitation.withdrawn", target=invitation,
                  study_program=invitation.program.study_program)
    invitation.status = TeamInvitation.Status.WITHDRAWN
    return invitation


def participant_remove(*, participation: Participation, by) -> None:
    if not can_manage(program=participation.program, user=by):
        raise PermissionDenied(_("You may not change who takes part in this program."))
    with transaction.atomic():
        participation.status = Participation.Status.CANCELLED
        participation.save(update_fields=["status"])
        audit_log(actor=by, action="programs.participation.removed", target=participation,
                  study_program=participation.program.study_program)


def calendar_feed_for(*, user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_reset(*, user) -> CalendarFeed:
    """A new secret URL; the old one stops working (for a feed URL that leaked)."""
    CalendarFeed.objects.filter(user=user).delete()
    return CalendarFeed.objects.create(user=user)


def programs_lapse_overdue(*, today: datetime.date | None = None) -> list[Program]:
    """The lapse rule: a running program with no upcoming session, overdue by more than its grace days, lapses.

    One query finds the candidates with their last and next session; each lapse is one transition.
    """
    today = today or timezone.localdate()
    lapsed = []
    for program in programs_with_rhythm(Program.objects.filter(status=S.RUNNING)):
        health = program.health(today=today, last_held=program.last_held, next_scheduled=program.next_scheduled)
        if not health.should_lapse:
            continue
        reason = _("No session for %(days)s days after the next one was due (%(due)s); grace is %(grace)s days.") % {
            "days": health.days_overdue, "due": health.next_due.isoformat(), "grace": program.grace_days,
        }
        try:
            lapsed.append(program_transition(program=program, to=S.LAPSED, by=None, reason=reason))
        except ValidationError:
            continue  # someone moved it meanwhile (completed, cancelled, scheduled): nothing to do
    return lapsed
