"""Tracer reminders: one tick reminds the invitees of open waves who have not submitted, on the wave's days.

For each launched wave that is open now (opens_at <= now < closes_at), a graduate invitation of a verified record
with an active account, or without an account but with an email on the record, no submitted response and
``reminders_sent < max_reminders`` is due for reminder number
``n = reminders_sent + 1`` when ``invitation.created_at + reminder_days[n - 1] days <= now``. Each due reminder is
claimed with key ``tracer_reminder:<invitation>:<n>`` (unique forever: a rerun or overlapping tick sends nothing
twice), then ``reminders_sent`` moves to n with a conditional UPDATE (… WHERE reminders_sent = n - 1), so a tick that
misses several days sends one reminder, and the next one follows on a later tick.

People with an account get the reminder as a notification (their language, their preferences and consent).
People without an account get it at the address on their record, in the portal's default language, with the same
personal link as their first email, under the same key (so a record claimed by an account mid-wave is not reminded
twice for one step); an account under that address that withheld tracer consent is how such a record objects
(tracer.services.withdrawn_emails), and stops them. At send time the outbox asks again (tracer.apps: a submitted
answer, a closed wave or, for an address, an objection since the claim cancel the row).

A reminder not claimed because the person withdrew tracer consent or turned reminders off still counts as done:
turning them on again does not replay old reminders. Closed waves, and waves not launched, get nothing.

Queries per tick, whatever the number of invitations: 2 (open waves; due invitations, with wave and user) + 1
look-up of objections per 5,000 addresses without an account (none when there are none) + the claim (1 look-up of
existing keys per 5,000 keys, 1 of preferences, 1 of consent, 1 INSERT per 1,000 new rows) + 1 UPDATE per distinct
reminder number (at most max(max_reminders)) — tests/tracer/test_tracer_reminders.py pins it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from alumni.models import AlumniProfile
from core.iterables import batched
from core.notifications import ClaimItem, notifications_claim_many

from .models import Invitation, Response, Wave
from .objections import stop_url
from .services import REMINDER_KIND, invitation_link, withdrawn_emails


def due_invitations(*, now: datetime.datetime) -> list[tuple[Invitation, int]]:
    """(invitation, reminder number) of every reminder due at `now`. Two queries: the open waves, then only the
    invitations whose next reminder day has come (one condition per wave and reminder number), so a tick never
    loads the invitations that are merely waiting."""
    waves = Wave.objects.filter(launched_at__isnull=False, opens_at__lte=now, closes_at__gt=now).only(
        "pk", "reminder_days", "max_reminders"
    )
    due_q = Q()
    for wave in waves:
        days = (wave.reminder_days or [])[: wave.max_reminders]
        for n, day in enumerate(days, start=1):
            due_q |= Q(wave_id=wave.pk, reminders_sent=n - 1, created_at__lte=now - datetime.timedelta(days=day))
    if not due_q:
        return []
    submitted = Response.objects.filter(invitation=OuterRef("pk"), status=Response.Status.SUBMITTED)
    rows = (
        Invitation.objects.filter(
            due_q,
            Q(profile__user__is_active=True) | (Q(profile__user__isnull=True) & ~Q(profile__email="")),
            respondent=Invitation.Respondent.GRADUATE,
            # An invitation made by hand before the record's verification was withdrawn: no reminder either.
            profile__verification=AlumniProfile.Verification.VERIFIED,
        )
        .exclude(Exists(submitted))
        .select_related("wave", "profile__user")
        .order_by("pk")
    )
    return [(invitation, invitation.reminders_sent + 1) for invitation in rows]


def reminder_item(invitation: Invitation, number: int) -> ClaimItem:
    """Reminder `number` of one invitation: to the account, or else to the address on the record (the portal's
    default language, the same personal link as the first email). One key per invitation and step either way."""
    wave, profile = invitation.wave, invitation.profile
    context = {"wave": wave, "invitation": invitation, "number": number, "closes_at": wave.closes_at}
    common = {"key": f"{REMINDER_KIND}:{invitation.pk}:{number}", "kind": REMINDER_KIND,
              "template": "tracer/email/reminder", "link": invitation_link(invitation)}
    if profile.user_id is not None:
        return ClaimItem(recipient=profile.user, context=context, **common)
    return ClaimItem(
        recipient=None, to_email=profile.email,
        context={**context, "recipient": profile, "name": profile.full_name, "preferences_url": "",
                 "stop_url": stop_url(invitation)}, **common,
    )


def tracer_reminders_tick(*, now: datetime.datetime | None = None) -> dict:
    """One tick. Returns {"due": n, "claimed": n}."""
    now = now or timezone.now()
    with transaction.atomic():
        due = due_invitations(now=now)
        objected = withdrawn_emails({inv.profile.email.lower() for inv, _n in due if inv.profile.user_id is None})
        items = [
            reminder_item(inv, n) for inv, n in due
            if inv.profile.user_id is not None or inv.profile.email.lower() not in objected
        ]
        claimed = notifications_claim_many(items)
        by_number: dict[int, list] = defaultdict(list)
        for inv, n in due:
            by_number[n].append(inv.pk)
        for n, ids in sorted(by_number.items()):
            for chunk in batched(ids, 5000):
                Invitation.objects.filter(pk__in=chunk, reminders_sent=n - 1).update(reminders_sent=n)
    return {"due": len(due), "claimed": len(claimed)}
