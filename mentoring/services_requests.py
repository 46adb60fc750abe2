"""Mentoring requests: a mentee asks one mentor, the mentor accepts (a Mentorship begins) or declines within
REQUEST_ANSWER_DAYS, is reminded once REMIND_AFTER_DAYS after the request, and an unanswered request expires.

Rules (each refusal is a RequestRefused with a message in the user's language, and nothing is written):
- only a verified member (alumnus or student) asks, never themself, never a paused mentor or one without a free
  place, never with a second open request to the same mentor or while a mentorship with them runs, and with at
  most MAX_OPEN_PER_MENTEE open requests in all;
- capacity is never over-filled: creating and accepting lock the mentor's profile row (select_for_update), so two
  accepts racing for the last place cannot both win; the second is refused ("no free place");
- nothing of either person's contact shows before acceptance; after it the mentorship page shows both emails.

Emails (service messages about something the person asked for or was asked: always sent, no consent purpose)
go through core.notifications with one key per request and event, so a retry or two racing ticks never send one
twice: the mentor hears of a new request and is reminded once; the mentee hears of the answer or the expiry.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alumni.models import AlumniProfile
from alumni.scope import scope_for
from core import fragments
from core.audit import audit_log
from core.notifications import ClaimItem, notifications_claim_many
from programs.models import add_months

from .models import (
    DEFAULT_MENTORSHIP_MONTHS,
    NOTE_MAX,
    REMIND_AFTER_DAYS,
    TEXT_MAX,
    Format,
    MentorProfile,
    Mentorship,
    MentorshipRequest,
    Topic,
)

KIND_NEW = "mentoring.request_new"
KIND_REMINDER = "mentoring.request_reminder"
KIND_ACCEPTED = "mentoring.request_accepted"
KIND_DECLINED = "mentoring.request_declined"
KIND_EXPIRED = "mentoring.request_expired"
# The core.fragments generation of the mentors' dashboard card (mentoring.hooks_requests): moved by every saved or
# deleted request (signals) and by the tick's bulk expiry.
MENTORING_REQUESTS = "mentoring:requests"
KINDS = (KIND_NEW, KIND_REMINDER, KIND_ACCEPTED, KIND_DECLINED, KIND_EXPIRED)

MAX_OPEN_PER_MENTEE = 5
# Longest agreed mentorship, in months from its start.
MAX_MENTORSHIP_MONTHS = 12
# Requests a tick handles per run at most (the next tick takes the rest).
TICK_BATCH = 2000

S = MentorshipRequest.Status


class RequestRefused(ValidationError):
    """A rule said no; `message` is for the person (a ValidationError, so forms can show it)."""


def _name(user) -> str:
    record = AlumniProfile.objects.filter(user_id=user.pk).values_list("full_name", flat=True).first()
    return record or user.full_name or ""


def _detail_link(req) -> str:
    return reverse("mentoring:request_detail", args=[req.pk])


def _active_count(mentor_id: int) -> int:
    return Mentorship.objects.filter(mentor_id=mentor_id, status=Mentorship.Status.ACTIVE).count()


# --- Asking -----------------------------------------------------------------------------------------------------


def _refusal(*, mentee, profile: MentorProfile, now) -> str | None:
    if not scope_for(mentee).is_member:
        return _("Only verified members and students can ask for a mentor.")
    if profile.user_id == mentee.pk:
        return _("You cannot ask yourself to be your mentor.")
    if profile.paused:
        return _("This mentor is not taking requests at the moment.")
    if Mentorship.objects.filter(mentor_id=profile.user_id, mentee=mentee, status=Mentorship.Status.ACTIVE).exists():
        return _("You already have a running mentorship with this mentor.")
    open_ = MentorshipRequest.objects.filter(mentee=mentee, status=S.OPEN, expires_at__gt=now)
    if open_.filter(mentor_id=profile.user_id).exists():
        return _("You already have an open request to this mentor. Wait for their answer.")
    if _active_count(profile.user_id) >= profile.capacity:
        return _("This mentor has no free place at the moment. Try another mentor, or ask again later.")
    if open_.count() >= MAX_OPEN_PER_MENTEE:
        return _("You have %(n)d open requests already. Wait for an answer, or withdraw one.") % {
            "n": MAX_OPEN_PER_MENTEE}
    return None


def request_refusal(*, mentee, profile: MentorProfile) -> str | None:
    """Why `mentee` cannot ask this mentor now (shown before they write), or None. Checked again under the lock
    when they send."""
    return _refusal(mentee=mentee, profile=profile, now=timezone.now())


def request_create(*, mentee, profile: MentorProfile, help_with: str, note: str = "", format: str = "",
                   topics=(), now: datetime.datetime | None = None) -> MentorshipRequest:
    """Send a request to the mentor of `profile`. RequestRefused (nothing written) when a rule says no."""
    now = now or timezone.now()
    help_with, note = (help_with or "").strip(), (note or "").strip()
    errors: dict[str, list[str]] = {}
    if not help_with:
        errors["help_with"] = [_("Say what you want help with.")]
    elif len(help_with) > TEXT_MAX:
        errors["help_with"] = [_("At most %(max)d characters.") % {"max": TEXT_MAX}]
    if len(note) > NOTE_MAX:
        errors["note"] = [_("At most %(max)d characters.") % {"max": NOTE_MAX}]
    if format and format not in Format.values:
        errors["format"] = [_("Choose a format from the list.")]
    topic_ids = {int(getattr(t, "pk", t)) for t in topics or []}
    found = set(Topic.objects.filter(pk__in=topic_ids, active=True).values_list("pk", flat=True))
    if found != topic_ids:
        errors["topics"] = [_("Choose topics from the list.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # The lock serialises everything that fills this mentor's places (requests and accepts).
        locked = MentorProfile.objects.select_for_update().filter(pk=profile.pk).first()
        if locked is None:
            raise RequestRefused(_("This mentor is not taking requests at the moment."))
        refusal = _refusal(mentee=mentee, profile=locked, now=now)
        if refusal:
            raise RequestRefused(refusal)
        # An open request past its expiry that the tick has not closed yet would block the unique constraint.
        MentorshipRequest.objects.filter(mentee=mentee, mentor_id=locked.user_id, status=S.OPEN,
                                         expires_at__lte=now).update(status=S.EXPIRED, answered_at=now)
        req = MentorshipRequest.objects.create(mentee=mentee, mentor_id=locked.user_id, help_with=help_with,
                                               note=note, format=format or "", created_at=now)
        req.topics.set(found)
        audit_log(actor=mentee, action="mentoring.request.sent", target=req)
        notifications_claim_many([ClaimItem(
            key=f"{KIND_NEW}:{req.pk}", kind=KIND_NEW, recipient=locked.user,
            template="mentoring/email/request_new", link=_detail_link(req),
            context={"mentee_name": _name(mentee), "help_with": help_with, "note": note,
                     "format": req.get_format_display() if format else "", "expires_at": req.expires_at},
        )])
    return req


# --- Answering --------------------------------------------------------------------------------------------------


def _open_locked(req: MentorshipRequest, *, now) -> MentorshipRequest:
    locked = MentorshipRequest.objects.select_for_update().get(pk=req.pk)
    if locked.status != S.OPEN or locked.expires_at <= now:
        raise RequestRefused(_("This request is no longer open."))
    return locked


def default_ends_on(start: datetime.date) -> datetime.date:
    return add_months(start, DEFAULT_MENTORSHIP_MONTHS)


def check_ends_on(ends_on: datetime.date, start: datetime.date) -> None:
    if ends_on <= start:
        raise ValidationError({"ends_on": [_("The end must be after the start.")]})
    if ends_on > add_months(start, MAX_MENTORSHIP_MONTHS):
        raise ValidationError({"ends_on": [_("At most %(n)d months after the start.") % {
            "n": MAX_MENTORSHIP_MONTHS}]})


def request_accept(*, request: MentorshipRequest, by, goals: str = "", ends_on: datetime.date | None = None,
                   now: datetime.datetime | None = None) -> Mentorship:
    """The mentor accepts: a Mentorship begins (goals, agreed end: default DEFAULT_MENTORSHIP_MONTHS). Refused
    when the mentor has no free place left (the profile row is locked while counting)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    goals = (goals or "").strip()
    if len(goals) > TEXT_MAX:
        raise ValidationError({"goals": [_("At most %(max)d characters.") % {"max": TEXT_MAX}]})
    ends_on = ends_on or default_ends_on(today)
    check_ends_on(ends_on, today)
    with transaction.atomic():
        req = _open_locked(request, now=now)
        if req.mentor_id != by.pk:
            raise RequestRefused(_("Only the mentor asked can answer this request."))
        profile = MentorProfile.objects.select_for_update().filter(user_id=by.pk).first()
        if profile is None:
            raise RequestRefused(_("You have no mentor profile."))
        if _active_count(by.pk) >= profile.capacity:
            raise RequestRefused(_("You have no free place: end a mentorship or take more mentees at once on your "
                                   "mentor profile first."))
        if Mentorship.objects.filter(mentor=by, mentee_id=req.mentee_id, status=Mentorship.Status.ACTIVE).exists():
            raise RequestRefused(_("You already have a running mentorship with this person."))
        program_id = AlumniProfile.objects.filter(user_id=req.mentee_id).values_list(
            "study_program_id", flat=True).first()
        mentorship = Mentorship.objects.create(
            mentor=by, mentee_id=req.mentee_id, study_program_id=program_id, request=req, goals=goals or req.help_with,
            started_on=today, ends_on=ends_on,
        )
        req.status, req.answered_at = S.ACCEPTED, now
        req.save(update_fields=["status", "answered_at"])
        audit_log(actor=by, action="mentoring.request.accepted", target=req, data={"mentorship": str(mentorship.pk)})
        notifications_claim_many([ClaimItem(
            key=f"{KIND_ACCEPTED}:{req.pk}", kind=KIND_ACCEPTED, recipient=req.mentee,
            template="mentoring/email/request_accepted",
            link=reverse("mentoring:mentorship_detail", args=[mentorship.pk]),
            context={"mentor_name": _name(by), "ends_on": ends_on},
        )])
    return mentorship


def request_decline(*, request: MentorshipRequest, by, reason: str = "",
                    now: datetime.datetime | None = None) -> MentorshipRequest:
    now = now or timezone.now()
    reason = (reason or "").strip()
    if len(reason) > NOTE_MAX:
        raise ValidationError({"reason": [_("At most %(max)d characters.") % {"max": NOTE_MAX}]})
    with transaction.atomic():
        req = _open_locked(request, now=now)
        if req.mentor_id != by.pk:
            raise RequestRefused(_("Only the mentor asked can answer this request."))
        req.status, req.answered_at, req.decline_reason = S.DECLINED, now, reason
        req.save(update_fields=["status", "answered_at", "decline_reason"])
        audit_log(actor=by, action="mentoring.request.declined", target=req)
        notifications_claim_many([ClaimItem(
            key=f"{KIND_DECLINED}:{req.pk}", kind=KIND_DECLINED, recipient=req.mentee,
            template="mentoring/email/request_declined", link=reverse("mentoring:find"),
            context={"mentor_name": _name(by), "reason": reason},
        )])
    return req


def request_withdraw(*, request: MentorshipRequest, by, now: datetime.datetime | None = None) -> MentorshipRequest:
    now = now or timezone.now()
    with transaction.atomic():
        req = MentorshipRequest.objects.select_for_update().get(pk=request.pk)
        if req.mentee_id != by.pk:
            raise RequestRefused(_("Only the person who asked can withdraw this request."))
        if req.status != S.OPEN:
            raise RequestRefused(_("This request is no longer open."))
        req.status, req.answered_at = S.WITHDRAWN, now
        req.save(update_fields=["status", "answered_at"])
        audit_log(actor=by, action="mentoring.request.withdrawn", target=req)
    return req


# --- Ticks ------------------------------------------------------------------------------------------------------


def requests_expire(*, now: datetime.datetime | None = None) -> int:
    """Open requests past `expires_at` become EXPIRED; each mentee is told once. The rows are locked with SKIP
    LOCKED before the UPDATE, so two racing ticks expire each request once, and the claim keys make each notice
    exactly once anyway. Returns the notices this run claimed."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            MentorshipRequest.objects.select_for_update(skip_locked=True)
            .filter(status=S.OPEN, expires_at__lte=now).order_by("expires_at", "pk")
            .values_list("pk", flat=True)[:TICK_BATCH]
        )
        if not due:
            return 0
        MentorshipRequest.objects.filter(pk__in=due, status=S.OPEN).update(status=S.EXPIRED, answered_at=now)
        transaction.on_commit(lambda: fragments.forget(MENTORING_REQUESTS))  # the mentors' dashboard cards
        expired = MentorshipRequest.objects.filter(pk__in=due, status=S.EXPIRED).select_related(
            "mentee", "mentor__alumni_profile")
        claimed = notifications_claim_many(
            ClaimItem(
                key=f"{KIND_EXPIRED}:{req.pk}", kind=KIND_EXPIRED, recipient=req.mentee,
                template="mentoring/email/request_expired", link=reverse("mentoring:find"),
                context={"mentor_name": _display(req.mentor)},
            )
            for req in expired
        )
    return len(claimed)


def _display(user) -> str:
    record = getattr(user, "alumni_profile", None)
    return (record.full_name if record else "") or user.full_name or ""


def requests_remind(*, now: datetime.datetime | None = None) -> int:
    """One reminder to the mentor of each open request sent REMIND_AFTER_DAYS ago or more and not expired: key
    per request, so exactly once however many ticks run (1 read + the claim's queries)."""
    now = now or timezone.now()
    due = (
        MentorshipRequest.objects.filter(
            status=S.OPEN, created_at__lte=now - datetime.timedelta(days=REMIND_AFTER_DAYS), expires_at__gt=now,
            mentor__is_active=True,
        )
        .select_related("mentor", "mentee__alumni_profile").order_by("created_at", "pk")[:TICK_BATCH]
    )
    with transaction.atomic():
        claimed = notifications_claim_many(
            ClaimItem(
                key=f"{KIND_REMINDER}:{req.pk}", kind=KIND_REMINDER, recipient=req.mentor,
                template="mentoring/email/request_reminder", link=_detail_link(req),
                context={"mentee_name": _display(req.mentee), "expires_at": req.expires_at},
            )
            for req in due
        )
    return len(claimed)
