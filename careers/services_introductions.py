"""Introductions and what came of them: a member asks an alumnus who works at an organisation to talk, the alumnus
accepts or declines, and about a month after an accepted introduction (or an "I applied") the member is asked,
once, whether they applied, were interviewed, were hired.

Rules (each refusal is an IntroductionRefused with a message in the user's language, and nothing is written):
- only a verified member asks, and only someone among `alumni_at(organisation, viewer=requester)`;
- never oneself, never someone who turned introductions off;
- at most `max_open_introductions` open requests to one person (their CareerSettings, default 5), and one open
  request from the same requester to the same person. The recipient's settings row is locked (select_for_update)
  while counting, so two requests racing for the last place cannot both get it;
- nothing of either person's contact shows on a page: on acceptance both get the other's contact by email
  (email always, phone/WhatsApp only when that person shares it and their profile has one).

Emails go through core.notifications with one key per introduction and event, so a retry or a second tick never
sends one twice.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alumni.models import AlumniProfile
from alumni.scope import scope_for
from core.audit import audit_log
from core.notifications import ClaimItem, notification_claim, notifications_claim_many

from .models import (
    DEFAULT_MAX_OPEN_INTRODUCTIONS,
    INTRODUCTION_EXPIRY_DAYS,
    NOTE_MAX,
    OUTCOME_ASK_DAYS,
    Application,
    CareerSettings,
    Introduction,
    JobPost,
    Organisation,
    Outcome,
)
from .selectors_organisations import alumni_at

logger = logging.getLogger(__name__)

# Notification kinds (core.notifications); the outcome question needs the "career" consent (hooks_introductions).
KIND_ASKED = "careers_introduction_asked"
KIND_ACCEPTED = "careers_introduction_accepted"
KIND_EXPIRED = "careers_introduction_expired"
KIND_OUTCOME = "careers_outcome_question"
# How far alumni_at looks when checking that the recipient works at the organisation (one query).
RECIPIENT_LOOKUP_LIMIT = 5000
# Rows a tick handles per run at most (the next tick takes the rest).
TICK_BATCH = 2000


class IntroductionRefused(Exception):
    """A rule said no; `message` is for the person who asked."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# --- Settings ----------------------------------------------------------------------------------------------------


def career_settings_for(*, user) -> CareerSettings:
    """This person's settings (an unsaved default row when they never saved any)."""
    found = CareerSettings.objects.filter(user=user).first()
    return found or CareerSettings(user=user)


def career_settings_save(*, user, introductions_open: bool, max_open_introductions: int,
                         share_phone: bool) -> CareerSettings:
    if not 1 <= max_open_introductions <= 10:
        raise IntroductionRefused(_("Choose between 1 and 10 open requests."))
    with transaction.atomic():
        settings_row, _created = CareerSettings.objects.update_or_create(
            user=user,
            defaults={"introductions_open": introductions_open, "max_open_introductions": max_open_introductions,
                      "share_phone": share_phone},
        )
        audit_log(actor=user, action="careers.settings.updated", target=settings_row,
                  data={"introductions_open": introductions_open, "max_open": max_open_introductions,
                        "share_phone": share_phone})
    return settings_row


def _locked_settings(recipient_id: int) -> CareerSettings:
    """The recipient's settings row, created if missing, locked until the transaction ends."""
    CareerSettings.objects.get_or_create(user_id=recipient_id)
    return CareerSettings.objects.select_for_update().get(user_id=recipient_id)


# --- Asking ------------------------------------------------------------------------------------------------------


def _recipient_of(*, requester, organisation: Organisation, profile_id: int) -> int:
    """The user id of the alumnus asked, once the rules about who may ask whom said yes."""
    if not scope_for(requester).is_member:
        raise IntroductionRefused(_("Only verified members can ask for an introduction."))
    recipient_id = AlumniProfile.objects.filter(pk=profile_id).values_list("user_id", flat=True).first()
    if recipient_id is not None and recipient_id == requester.pk:
        raise IntroductionRefused(_("You cannot ask yourself for an introduction."))
    people = alumni_at(organisation=organisation, viewer=requester, limit=RECIPIENT_LOOKUP_LIMIT)
    if recipient_id is None or not any(p.profile_id == profile_id for p in people):
        raise IntroductionRefused(_("This person is not among the alumni you can see at this organisation."))
    return recipient_id


def _room_for(*, requester, recipient_id: int, settings_row: CareerSettings, now) -> None:
    if not settings_row.introductions_open:
        raise IntroductionRefused(_("This person does not take introduction requests at the moment."))
    open_to_recipient = Introduction.objects.open().filter(recipient_id=recipient_id, expires_at__gt=now)
    if open_to_recipient.filter(requester=requester).exists():
        raise IntroductionRefused(_("You already have an open request to this person. Wait for their answer."))
    limit = settings_row.max_open_introductions or DEFAULT_MAX_OPEN_INTRODUCTIONS
    if open_to_recipient.count() >= limit:
        raise IntroductionRefused(_("This person has too many open requests right now. Try again later."))


def introduction_ask_refusal(*, requester, organisation: Organisation, profile_id: int):
    """Why `requester` cannot ask this person now (shown on the form before they write), or None. The rules are
    checked again, under the lock, when they send."""
    try:
        recipient_id = _recipient_of(requester=requester, organisation=organisation, profile_id=profile_id)
        settings_row = CareerSettings.objects.filter(user_id=recipient_id).first() or CareerSettings(
            user_id=recipient_id)
        _room_for(requester=requester, recipient_id=recipient_id, settings_row=settings_row, now=timezone.now())
    except IntroductionRefused as refused:
        return refused.message
    return None


def introduction_ask(*, requester, organisation: Organisation, profile_id: int, note: str,
                     post: JobPost | None = None, now: datetime.datetime | None = None) -> Introduction:
    """Ask the alumnus of `profile_id`, who works at `organisation`, for an introduction. Raises
    IntroductionRefused (nothing written) when a rule says no. `post` must be visible to the requester."""
    now = now or timezone.now()
    note = (note or "").strip()
    if not note:
        raise IntroductionRefused(_("Write a short note."))
    if len(note) > NOTE_MAX:
        raise IntroductionRefused(_("The note is too long (at most %(max)d characters).") % {"max": NOTE_MAX})
    recipient_id = _recipient_of(requester=requester, organisation=organisation, profile_id=profile_id)
    if post is not None and not JobPost.objects.visible_to(requester).filter(pk=post.pk).exists():
        raise IntroductionRefused(_("This job post is not available to you."))
    with transaction.atomic():
        # The lock serialises every request to this person: the counts cannot change before we insert.
        settings_row = _locked_settings(recipient_id)
        _room_for(requester=requester, recipient_id=recipient_id, settings_row=settings_row, now=now)
        introduction = Introduction.objects.create(
            requester=requester, recipient_id=recipient_id, organisation=organisation, post=post, note=note,
            created_at=now, expires_at=now + datetime.timedelta(days=INTRODUCTION_EXPIRY_DAYS),
        )
        audit_log(actor=requester, action="careers.introduction.asked", target=introduction,
                  data={"organisation": str(organisation.pk)})
        notification_claim(
            key=f"careers:introduction:{introduction.pk}:asked", kind=KIND_ASKED, recipient=introduction.recipient,
            template="careers/email/introduction_asked",
            context={"requester_name": requester.get_full_name(), "organisation_name": organisation.name,
                     "note": note, "post_title": post.title if post else "",
                     "expires_at": introduction.expires_at},
            link=reverse("careers:introduction_detail", args=[introduction.pk]),
        )
    return introduction


# --- Answering ---------------------------------------------------------------------------------------------------


def _contact_of(user, settings_row: CareerSettings | None) -> dict:
    """What the other person gets on acceptance: the email always, the phone only when shared and on the
    profile."""
    phone = ""
    if settings_row is not None and settings_row.share_phone:
        phone = AlumniProfile.objects.filter(user=user).values_list("phone", flat=True).first() or ""
    return {"name": user.get_full_name(), "email": user.email, "phone": phone}


def _whatsapp(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return f"https://wa.me/{digits}" if digits else ""


def _answerable(introduction: Introduction, *, by, now) -> Introduction:
    """The introduction, locked, when `by` is its recipient and it is still open."""
    # OF self: PostgreSQL refuses to lock the nullable side of the organisation's outer join.
    locked = (Introduction.objects.select_for_update(of=("self",))
              .select_related("requester", "recipient", "organisation").get(pk=introduction.pk))
    if locked.recipient_id != by.pk:
        raise IntroductionRefused(_("Only the person asked can answer this request."))
    if locked.status != Introduction.Status.REQUESTED or locked.expires_at <= now:
        raise IntroductionRefused(_("This request is no longer open."))
    return locked


def introduction_accept(*, introduction: Introduction, by, now: datetime.datetime | None = None) -> Introduction:
    """The recipient accepts: both get the other's chosen contact by email (two claimed notifications)."""
    now = now or timezone.now()
    with transaction.atomic():
        intro = _answerable(introduction, by=by, now=now)
        intro.status, intro.answered_at = Introduction.Status.ACCEPTED, now
        intro.save(update_fields=["status", "answered_at"])
        audit_log(actor=by, action="careers.introduction.accepted", target=intro)
        settings_rows = {s.user_id: s for s in CareerSettings.objects.filter(
            user_id__in=[intro.requester_id, intro.recipient_id])}
        people = {
            intro.requester_id: _contact_of(intro.requester, settings_rows.get(intro.requester_id)),
            intro.recipient_id: _contact_of(intro.recipient, settings_rows.get(intro.recipient_id)),
        }
        link = reverse("careers:introduction_detail", args=[intro.pk])
        organisation_name = intro.organisation.name if intro.organisation else ""
        items = []
        for me, other in ((intro.requester, intro.recipient), (intro.recipient, intro.requester)):
            contact = people[other.pk]
            items.append(ClaimItem(
                key=f"careers:introduction:{intro.pk}:accepted:{me.pk}", kind=KIND_ACCEPTED, recipient=me,
                template="careers/email/introduction_accepted", link=link,
                context={"other": contact, "whatsapp": _whatsapp(contact["phone"]),
                         "is_requester": me == intro.requester, "organisation_name": organisation_name,
                         "note": intro.note},
            ))
        notifications_claim_many(items)
    return intro


def introduction_decline(*, introduction: Introduction, by, now: datetime.datetime | None = None) -> Introduction:
    now = now or timezone.now()
    with transaction.atomic():
        intro = _answerable(introduction, by=by, now=now)
        intro.status, intro.answered_at = Introduction.Status.DECLINED, now
        intro.save(update_fields=["status", "answered_at"])
        audit_log(actor=by, action="careers.introduction.declined", target=intro)
    return intro


def introduction_withdraw(*, introduction: Introduction, by, now: datetime.datetime | None = None) -> Introduction:
    """The requester takes back a request that is still open."""
    now = now or timezone.now()
    with transaction.atomic():
        intro = Introduction.objects.select_for_update().get(pk=introduction.pk)
        if intro.requester_id != by.pk:
            raise IntroductionRefused(_("Only the person who asked can withdraw this request."))
        if intro.status != Introduction.Status.REQUESTED:
            raise IntroductionRefused(_("This request is no longer open."))
        intro.status, intro.answered_at = Introduction.Status.WITHDRAWN, now
        intro.save(update_fields=["status", "answered_at"])
        audit_log(actor=by, action="careers.introduction.withdrawn", target=intro)
    return intro


# --- Ticks -------------------------------------------------------------------------------------------------------


def introductions_expire(*, now: datetime.datetime | None = None) -> int:
    """Open requests past their expiry become EXPIRED, and each requester is told once (claimed per
    introduction). Safe to run twice and concurrently: the conditional update and the claim keys decide.
    Returns how many notices this run claimed."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Introduction.objects.open().filter(expires_at__lte=now).order_by("expires_at")
            .values_list("pk", flat=True)[:TICK_BATCH]
        )
        if due:
            Introduction.objects.filter(pk__in=due, status=Introduction.Status.REQUESTED).update(
                status=Introduction.Status.EXPIRED, answered_at=now
            )
        # A run racing this one expired some of them first: the claim keys below let only one of us tell.
        expired = list(
            Introduction.objects.filter(pk__in=due, status=Introduction.Status.EXPIRED)
            .select_related("requester", "recipient", "organisation")
        )
        claimed = notifications_claim_many(
            ClaimItem(
                key=f"careers:introduction:{intro.pk}:expired", kind=KIND_EXPIRED, recipient=intro.requester,
                template="careers/email/introduction_expired", link=reverse("careers:introductions"),
                context={"recipient_name": intro.recipient.get_full_name(),
                         "organisation_name": intro.organisation.name if intro.organisation else ""},
            )
            for intro in expired
        )
    return len(claimed)


def outcomes_ask(*, now: datetime.datetime | None = None) -> int:
    """OUTCOME_ASK_DAYS after an application or an accepted introduction: create its Outcome row and ask the
    member once (a claimed notification, key per application/introduction, sent only with the "career" consent).
    Rows that have an Outcome already are not looked at again, so a second tick sends nothing; two ticks racing
    both insert with ON CONFLICT DO NOTHING and the claim keys let one of them send. Returns the claims won."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=OUTCOME_ASK_DAYS)
    with transaction.atomic():
        applications = list(
            Application.objects.filter(created_at__lte=cutoff, outcome__isnull=True)
            .order_by("created_at").values_list("pk", "user_id")[:TICK_BATCH]
        )
        introductions = list(
            Introduction.objects.filter(status=Introduction.Status.ACCEPTED, answered_at__lte=cutoff,
                                        outcome__isnull=True)
            .order_by("answered_at").values_list("pk", "requester_id")[:TICK_BATCH]
        )
        if not applications and not introductions:
            return 0
        Outcome.objects.bulk_create(
            [Outcome(user_id=user_id, application_id=pk, asked_at=now) for pk, user_id in applications]
            + [Outcome(user_id=user_id, introduction_id=pk, asked_at=now) for pk, user_id in introductions],
            ignore_conflicts=True,
        )
        outcomes = (
            Outcome.objects.filter(Q(application_id__in=[pk for pk, _u in applications])
                                   | Q(introduction_id__in=[pk for pk, _u in introductions]))
            .select_related("user", "application__post__organisation", "introduction__organisation",
                            "introduction__recipient")
        )
        items = []
        for outcome in outcomes:
            if outcome.application_id:
                key = f"careers:outcome:application:{outcome.application_id}"
                about = {"post_title": outcome.application.post.title,
                         "organisation_name": outcome.application.post.organisation.name}
            else:
                key = f"careers:outcome:introduction:{outcome.introduction_id}"
                intro = outcome.introduction
                about = {"recipient_name": intro.recipient.get_full_name(),
                         "organisation_name": intro.organisation.name if intro.organisation else ""}
            items.append(ClaimItem(
                key=key, kind=KIND_OUTCOME, recipient=outcome.user, template="careers/email/outcome_question",
                link=reverse("careers:outcome", args=[outcome.pk]), context=about,
            ))
        claimed = notifications_claim_many(items)
    return len(claimed)


def outcome_answer(*, outcome: Outcome, by, applied: bool | None, interviewed: bool | None,
                   hired: bool | None, now: datetime.datetime | None = None) -> Outcome:
    if outcome.user_id != by.pk:
        raise IntroductionRefused(_("Only the person asked can answer."))
    with transaction.atomic():
        outcome.applied, outcome.interviewed, outcome.hired = applied, interviewed, hired
        outcome.answered_at = now or timezone.now()
        outcome.save(update_fields=["applied", "interviewed", "hired", "answered_at"])
        audit_log(actor=by, action="careers.outcome.answered", target=outcome,
                  data={"applied": applied, "interviewed": interviewed, "hired": hired})
    return outcome
