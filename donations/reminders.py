"""Giving reminders: the tick that turns pledges into due instalments and reminds donors on the morning each is due,
and the rejection notice.

Beat runs `donations.tasks.run_giving_reminders` every 15 minutes. A tick:

1. `services.instalments_generate(today)`: every active pledge whose next due date has come gets its instalments
   (idempotent: the (pledge, due date) pair is unique; paused and stopped pledges get none);
2. from PLEDGE_REMINDER_HOUR (07:00 Asia/Jakarta) on, in one transaction, claims one ``pledge_due`` message per
   instalment due *today* with `notifications_claim_many`, which skips people who turned the kind off or have not
   agreed to fundraising contact, renders each message in the recipient's language, and delivers the new rows
   after commit.

Keys. ``pledge_due:<instalment>:<user>:<due date>`` is unique forever, so a rerun, two overlapping ticks or a
retried task send each reminder once. Only today's instalments are reminded: a day the beat missed is not caught
up later (a reminder on Saturday for Friday's wakaf would be noise, and the donor sees the instalment on "My
giving"). An instalment that already has a donation waiting for verification or verified is not reminded; one
whose donation was rejected is, since it is still unpaid. Pledges of campaigns no longer open are not reminded
(nothing can be given to them).

``donation_rejected:<donation>:<user>`` (and ``donation_voided:<donation>:<user>``, when staff void a verified
donation) is claimed once, after commit of the rejection (`tasks.send_rejection`);
it answers something that just happened to the donor and is not optional, nor tied to a consent purpose.

The delivery sweep (`core.tasks.deliver_pending_notifications`, retrying failed sends) is queued by the
programs reminder tick every 5 minutes for every kind, so this tick does not queue it a second time.

Queries per tick, whatever the number of pledges: the instalment generation (3, + 1 per 1,000 new instalments or
advanced pledges), then after 07:00 one SELECT of today's due instalments with pledge, campaign and donor, and the
claim (1 look-up of existing keys per 5,000 keys, 1 of preferences, 1 of consent, 1 INSERT per 1,000 new rows).
tests/donations/test_reminders.py pins the count for 5 and 50 pledges.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.notifications import ClaimItem, notification_claim, notifications_claim_many

from . import services
from .models import Campaign, Donation, Instalment, Pledge
from .money import rupiah

# Reminders go out from this hour (Asia/Jakarta): "every Friday morning", not at midnight.
PLEDGE_REMINDER_HOUR = 7
PLEDGE_DUE = "pledge_due"
DONATION_REJECTED = "donation_rejected"
DONATION_VOIDED = "donation_voided"


def pay_link(instalment: Instalment) -> str:
    """The donation form of the campaign, prefilled for this instalment."""
    return reverse("donations:donate", args=[instalment.pledge.campaign_id]) + f"?instalment={instalment.pk}"


def due_today(*, today: datetime.date) -> list[Instalment]:
    """One query: today's unpaid instalments of active or completed pledges to open campaigns, with pledge,
    campaign and donor. Instalments with a donation waiting for verification (or verified) are left out: the
    donor has paid."""
    return list(
        Instalment.objects.unpaid().filter(
            due_on=today,
            # A completed pledge has no further dates, but its last instalment (or a one-off's only one) is owed.
            pledge__status__in=[Pledge.Status.ACTIVE, Pledge.Status.COMPLETED],
            pledge__campaign__status=Campaign.Status.OPEN,
            pledge__donor__is_active=True,
        )
        .select_related("pledge__campaign", "pledge__donor")
        .order_by("pk")
    )


def pledge_due_items(*, today: datetime.date) -> list[ClaimItem]:
    items = []
    for instalment in due_today(today=today):
        pledge, donor = instalment.pledge, instalment.pledge.donor
        items.append(ClaimItem(
            key=f"{PLEDGE_DUE}:{instalment.pk}:{donor.pk}:{instalment.due_on.isoformat()}",
            kind=PLEDGE_DUE, recipient=donor, template="donations/email/pledge_due",
            context={
                "instalment": instalment, "pledge": pledge, "campaign": pledge.campaign,
                "amount": rupiah(instalment.amount), "due_on": instalment.due_on,
                "recurring": pledge.frequency != Pledge.Frequency.ONCE,
            },
            link=pay_link(instalment),
        ))
    return items


def run_giving_reminders(now: datetime.datetime | None = None) -> dict:
    """One tick (see the module docstring). Returns {"instalments": new instalments, "due_today": instalments
    reminded today or to be, "claimed": reminders claimed by this tick}."""
    now = now or timezone.now()
    local = timezone.localtime(now)  # settings.TIME_ZONE, Asia/Jakarta
    today = local.date()
    made = services.instalments_generate(today=today)
    result = {"instalments": made, "due_today": 0, "claimed": 0}
    if local.hour < PLEDGE_REMINDER_HOUR:
        return result
    with transaction.atomic():
        items = pledge_due_items(today=today)
        claimed = notifications_claim_many(items)
    result.update(due_today=len(items), claimed=len(claimed))
    return result


def _notify_decision(donation_id, *, status, kind: str, template: str, reason: str) -> bool:
    """Tell the donor, once, of a decision on their donation (`status`) and its reason (the field `reason`). True
    when this call claimed the message; False when the donor gave without an account (nobody to write to), the
    donation is not in that status, or the message was claimed before (a retried task)."""
    donation = Donation.objects.select_related("campaign", "donor").filter(pk=donation_id, status=status).first()
    if donation is None or donation.donor is None:
        return False
    donor = donation.donor
    with transaction.atomic():
        notification = notification_claim(
            key=f"{kind}:{donation.pk}:{donor.pk}", kind=kind, recipient=donor, template=template,
            context={"donation": donation, "campaign": donation.campaign, "amount": rupiah(donation.amount),
                     "reason": getattr(donation, reason)},
            link=reverse("donations:donation", args=[donation.pk]),
        )
    return notification is not None


def notify_rejection(donation_id) -> bool:
    """Tell the donor, once, that their donation was rejected and why."""
    return _notify_decision(donation_id, status=Donation.Status.REJECTED, kind=DONATION_REJECTED,
                            template="donations/email/donation_rejected", reason="reject_reason")


def notify_void(donation_id) -> bool:
    """Tell the donor, once, that their verified donation was voided, its receipt number cancelled, and why."""
    return _notify_decision(donation_id, status=Donation.Status.VOID, kind=DONATION_VOIDED,
                            template="donations/email/donation_voided", reason="void_reason")
