"""Mentorships: the pair edits goals and the agreed end, logs meetings, either side ends it, and after the end
each side gives feedback once (1–5 and a text).

Rules (bad input is a ValidationError with the field's message, nothing written): only the pair acts; a meeting's
date is not in the future and not before the start, its duration MIN_MINUTES..MAX_MINUTES minutes; goals and
notes at most TEXT_MAX characters; the agreed end after the start and at most MAX_MENTORSHIP_MONTHS after it;
feedback only after the end, once per side (the unique constraint decides when two submit at once).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log

from .models import TEXT_MAX, Feedback, Format, Meeting, Mentorship
from .services_requests import check_ends_on

MIN_MINUTES, MAX_MINUTES = 5, 600


def side_of(mentorship: Mentorship, user) -> str | None:
    if user is None or not getattr(user, "pk", None):
        return None
    if mentorship.mentor_id == user.pk:
        return Feedback.Side.MENTOR
    if mentorship.mentee_id == user.pk:
        return Feedback.Side.MENTEE
    return None


def _pair_only(mentorship: Mentorship, user) -> str:
    side = side_of(mentorship, user)
    if side is None:
        raise PermissionDenied(_("Only the mentor and the mentee can do this."))
    return side


def _text(value: str, field: str) -> str:
    value = (value or "").strip()
    if len(value) > TEXT_MAX:
        raise ValidationError({field: [_("At most %(max)d characters.") % {"max": TEXT_MAX}]})
    return value


def mentorship_update(*, mentorship: Mentorship, by, goals: str, ends_on: datetime.date) -> Mentorship:
    """The pair agrees on goals and the end date (while the mentorship runs)."""
    _pair_only(mentorship, by)
    goals = _text(goals, "goals")
    if ends_on is None:
        raise ValidationError({"ends_on": [_("Choose the agreed end.")]})
    check_ends_on(ends_on, mentorship.started_on)
    with transaction.atomic():
        locked = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
        if locked.status != Mentorship.Status.ACTIVE:
            raise ValidationError(_("This mentorship has ended."))
        locked.goals, locked.ends_on = goals, ends_on
        locked.save(update_fields=["goals", "ends_on"])
        audit_log(actor=by, action="mentoring.mentorship.updated", target=locked,
                  data={"ends_on": ends_on.isoformat()})
    return locked


def meeting_add(*, mentorship: Mentorship, by, date: datetime.date, minutes: int, format: str = "",
                notes: str = "", today: datetime.date | None = None) -> Meeting:
    """Log one meeting of the pair."""
    _pair_only(mentorship, by)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if date is None:
        errors["date"] = [_("Choose the date of the meeting.")]
    elif date > today:
        errors["date"] = [_("The date cannot be in the future.")]
    elif date < mentorship.started_on:
        errors["date"] = [_("The date cannot be before the mentorship began.")]
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        minutes = 0
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        errors["minutes"] = [_("Between %(min)d and %(max)d minutes.") % {"min": MIN_MINUTES, "max": MAX_MINUTES}]
    if format and format not in Format.values:
        errors["format"] = [_("Choose a format from the list.")]
    try:
        notes = _text(notes, "notes")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = Meeting.objects.create(mentorship=mentorship, date=date, minutes=minutes, format=format or "",
                                         notes=notes, logged_by=by)
        audit_log(actor=by, action="mentoring.meeting.logged", target=mentorship,
                  data={"meeting": meeting.pk, "minutes": minutes})
    return meeting


def mentorship_end(*, mentorship: Mentorship, by, now: datetime.datetime | None = None) -> Mentorship:
    """Either side ends the mentorship (a place of the mentor frees up); then both can give feedback."""
    _pair_only(mentorship, by)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
        if locked.status != Mentorship.Status.ACTIVE:
            raise ValidationError(_("This mentorship has ended already."))
        locked.status, locked.ended_at = Mentorship.Status.ENDED, now
        locked.save(update_fields=["status", "ended_at"])
        audit_log(actor=by, action="mentoring.mentorship.ended", target=locked)
    return locked


def feedback_give(*, mentorship: Mentorship, by, rating, text: str = "") -> Feedback:
    """One side's feedback after the end: rating 1–5 and a text, once per side."""
    side = _pair_only(mentorship, by)
    if mentorship.status != Mentorship.Status.ENDED:
        raise ValidationError(_("Feedback is given once the mentorship has ended."))
    errors: dict[str, list[str]] = {}
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        errors["rating"] = [_("Choose a rating from 1 to 5.")]
    try:
        text = _text(text, "text")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if Feedback.objects.filter(mentorship=mentorship, side=side).exists():
        raise ValidationError(_("You gave your feedback already."))
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(mentorship=mentorship, side=side, by=by, rating=rating, text=text)
            audit_log(actor=by, action="mentoring.feedback.given", target=mentorship, data={"side": side})
    except IntegrityError as exc:
        raise ValidationError(_("You gave your feedback already.")) from exc
    return feedback
