"""Giving services: pledges and their instalments, donations and their verification with a receipt number,
disbursements. Every write that touches more than one row is here; views, admin, commands and tasks call these.

Receipt numbers. `donation_verify` runs in one transaction: it locks the donation row (so two staff clicking
"verify" at once verify it once), then locks the institution's counter row for the year (`SELECT … FOR UPDATE`),
takes the next number and saves both. Concurrent verifications queue on the counter row, so numbers are
consecutive, never repeated, and a verification that fails rolls its number back with it: no gaps.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.dispatch import enqueue

from .models import (
    Campaign,
    Disbursement,
    Donation,
    DonationItem,
    Instalment,
    Pledge,
    ReceiptCounter,
)
from .money import rupiah
from .page_cache import giving_changed
from .receipts import receipt_claim

# --- Schedules --------------------------------------------------------------------------------------------------

def monthly_date(year: int, month: int, day: int) -> datetime.date:
    """Day `day` of the month, or the month's last day when the month is shorter (31 → 28/29/30)."""
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def next_occurrence(pledge: Pledge, on_or_after: datetime.date) -> datetime.date | None:
    """The first due date of a recurring pledge on or after a day (and not before the pledge starts), or None
    when it would fall after the pledge's end date."""
    day = max(on_or_after, pledge.starts_on)
    if pledge.frequency == Pledge.Frequency.WEEKLY:
        due = day + datetime.timedelta(days=(pledge.weekday - day.weekday()) % 7)
    elif pledge.frequency == Pledge.Frequency.MONTHLY:
        due = monthly_date(day.year, day.month, pledge.day_of_month)
        if due < day:
            year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
            due = monthly_date(year, month, pledge.day_of_month)
    else:
        due = pledge.starts_on if pledge.starts_on >= on_or_after else None
    if due is None or (pledge.ends_on and due > pledge.ends_on):
        return None
    return due


def due_dates(pledge: Pledge, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Every due date of the pledge from `start` to `end`, both included."""
    dates = []
    due = next_occurrence(pledge, start)
    while due is not None and due <= end:
        dates.append(due)
        due = next_occurrence(pledge, due + datetime.timedelta(days=1))
    return dates


# --- Pledges ----------------------------------------------------------------------------------------------------

@dataclass
class PledgeTerms:
    amount: Decimal
    frequency: str
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    weekday: int | None = None
    day_of_month: int | None = None
    anonymous: bool = False


def pledge_create(*, donor, campaign: Campaign, terms: PledgeTerms, today: datetime.date | None = None) -> Pledge:
    """A new pledge. Its first instalment (and any already due) exist at once; the tick makes the rest."""
    today = today or timezone.localdate()
    if not campaign.accepts_gifts(today=today) or campaign.is_in_kind:
        raise ValidationError(_("This campaign does not take pledges now."))
    if terms.ends_on and terms.ends_on < terms.starts_on:
        raise ValidationError(_("The end date is before the first instalment."))
    recurring = terms.frequency != Pledge.Frequency.ONCE
    pledge = Pledge(
        campaign=campaign, donor=donor, amount=terms.amount, frequency=terms.frequency, starts_on=terms.starts_on,
        ends_on=terms.ends_on if recurring else None, anonymous=terms.anonymous,
        weekday=terms.weekday if terms.frequency == Pledge.Frequency.WEEKLY else None,
        day_of_month=terms.day_of_month if terms.frequency == Pledge.Frequency.MONTHLY else None,
    )
    pledge.next_due_on = next_occurrence(pledge, pledge.starts_on)
    if pledge.next_due_on is None:
        raise ValidationError(_("No instalment falls between the start and end dates."))
    with transaction.atomic():
        pledge.save()
        _generate(pledge, until=max(today, pledge.next_due_on) if not recurring else today)
        audit_log(actor=donor, action="donations.pledge.created", target=pledge, study_program=campaign.study_program,
                  data={"amount": str(pledge.amount), "frequency": pledge.frequency})
    return pledge


def _generate(pledge: Pledge, *, until: datetime.date) -> list[Instalment]:
    """Instalments for the pledge's due dates from `next_due_on` to `until`; advances `next_due_on`."""
    if pledge.next_due_on is None or pledge.next_due_on > until:
        return []
    dates = due_dates(pledge, pledge.next_due_on, until)
    rows = [Instalment(pledge=pledge, due_on=day, amount=pledge.amount) for day in dates]
    Instalment.objects.bulk_create(rows, ignore_conflicts=True)
    giving_changed()
    _advance(pledge, until)
    pledge.save(update_fields=["next_due_on", "status", "updated_at"])
    return rows


def _advance(pledge: Pledge, until: datetime.date) -> None:
    pledge.next_due_on = next_occurrence(pledge, until + datetime.timedelta(days=1))
    if pledge.next_due_on is None:
        pledge.status = Pledge.Status.COMPLETED


def instalments_generate(*, today: datetime.date | None = None) -> int:
    """The tick: every active pledge whose next due date has come gets its instalments (catching up any days a
    stopped beat missed). Idempotent: the (pledge, due date) pair is unique. 3 queries + 1 per 1,000 pledges
    advanced, whatever the number of pledges."""
    today = today or timezone.localdate()
    made: list[Instalment] = []
    with transaction.atomic():
        # Locked, so that a pause or stop arriving meanwhile waits and is not overwritten by the stale copies.
        pledges = list(Pledge.objects.select_for_update().filter(status=Pledge.Status.ACTIVE, next_due_on__lte=today))
        for pledge in pledges:
            made += [Instalment(pledge=pledge, due_on=day, amount=pledge.amount)
                     for day in due_dates(pledge, pledge.next_due_on, today)]
            _advance(pledge, today)
        Instalment.objects.bulk_create(made, ignore_conflicts=True, batch_size=1000)
        Pledge.objects.bulk_update(pledges, ["next_due_on", "status"], batch_size=1000)
        if pledges:
            giving_changed()
    return len(made)


def _own_pledge(pledge: Pledge, user) -> Pledge:
    if pledge.donor_id != getattr(user, "pk", None):
        raise PermissionDenied
    return pledge


def pledge_pause(*, pledge: Pledge, user) -> Pledge:
    """No instalments fall due while paused; resuming starts from the next due date after the resume."""
    _own_pledge(pledge, user)
    if pledge.status != Pledge.Status.ACTIVE:
        raise ValidationError(_("Only an active pledge can be paused."))
    pledge.status = Pledge.Status.PAUSED
    pledge.save(update_fields=["status", "updated_at"])
    audit_log(actor=user, action="donations.pledge.paused", target=pledge,
              study_program=pledge.campaign.study_program)
    return pledge


def pledge_resume(*, pledge: Pledge, user, today: datetime.date | None = None) -> Pledge:
    today = today or timezone.localdate()
    _own_pledge(pledge, user)
    if pledge.status != Pledge.Status.PAUSED:
        raise ValidationError(_("Only a paused pledge can be resumed."))
    pledge.status = Pledge.Status.ACTIVE
    pledge.next_due_on = next_occurrence(pledge, today)
    if pledge.next_due_on is None:
        pledge.status = Pledge.Status.COMPLETED
    with transaction.atomic():
        pledge.save(update_fields=["status", "next_due_on", "updated_at"])
        _generate(pledge, until=today)
        audit_log(actor=user, action="donations.pledge.resumed", target=pledge,
                  study_program=pledge.campaign.study_program)
    return pledge


def pledge_stop(*, pledge: Pledge, user) -> Pledge:
    """Stopped for good: instalments not yet paid are cancelled (their reminders stop); paid ones stay."""
    _own_pledge(pledge, user)
    if pledge.status in (Pledge.Status.STOPPED, Pledge.Status.COMPLETED):
        raise ValidationError(_("This pledge has already ended."))
    with transaction.atomic():
        pledge.status = Pledge.Status.STOPPED
        pledge.next_due_on = None
        pledge.save(update_fields=["status", "next_due_on", "updated_at"])
        pledge.instalments.unpaid().update(
            status=Instalment.Status.CANCELLED
        )
        giving_changed()
        audit_log(actor=user, action="donations.pledge.stopped", target=pledge,
                  study_program=pledge.campaign.study_program)
    return pledge


# --- Donations --------------------------------------------------------------------------------------------------

@dataclass
class Gift:
    amount: Decimal
    method: str
    paid_on: datetime.date
    proof: object = None
    message: str = ""
    message_public: bool = False
    anonymous: bool = False
    donor_name: str = ""
    items: dict | None = None  # {CampaignItem: quantity} for in-kind gifts


def donation_submit(*, campaign: Campaign, donor, gift: Gift, instalment: Instalment | None = None,
                    recorded_by=None) -> Donation:
    """A donation waiting for staff to check its proof. `recorded_by` is staff entering a gift on someone's
    behalf (cash at an event): then `donor` may be None and `gift.donor_name` names the giver."""
    if not campaign.accepts_gifts():
        raise ValidationError(_("This campaign does not take donations now."))
    if instalment is not None and (instalment.pledge.donor_id != getattr(donor, "pk", None)
                                   or instalment.pledge.campaign_id != campaign.pk):
        raise PermissionDenied
    if gift.method == Donation.Method.IN_KIND:
        if not campaign.is_in_kind or not gift.items:
            raise ValidationError(_("Say which items and how many you give."))
        if any(item.campaign_id != campaign.pk for item in gift.items):
            raise PermissionDenied
    elif campaign.is_in_kind and not gift.items:
        raise ValidationError(_("This campaign collects goods: choose the items you give."))
    with transaction.atomic():
        donation = Donation.objects.create(
            campaign=campaign, donor=donor, donor_name=gift.donor_name, instalment=instalment, amount=gift.amount,
            method=gift.method, paid_on=gift.paid_on, proof=gift.proof or "", message=gift.message,
            message_public=bool(gift.message and gift.message_public), anonymous=gift.anonymous,
        )
        if gift.items:
            DonationItem.objects.bulk_create(
                [DonationItem(donation=donation, item=item, quantity=qty) for item, qty in gift.items.items() if qty]
            )
        audit_log(actor=recorded_by or donor, action="donations.donation.submitted", target=donation,
                  study_program=campaign.study_program, data={"amount": str(donation.amount)})
    return donation


def receipt_number(*, institution, year: int, sequence: int) -> str:
    prefix = (institution.short_name or f"I{institution.pk}").upper().replace(" ", "-")
    return f"{prefix}/KW/{year}/{sequence:06d}"


def _locked_for_decision(donation_id, user, *, status=Donation.Status.PENDING, refusal=None) -> Donation:
    """The donation in `status` (pending by default), row-locked (only its own row), if this person runs its
    campaign; `refusal` is the message when it is in another status."""
    donation = (
        Donation.objects.select_for_update(of=("self",))
        .select_related("campaign__institution", "campaign__study_program")
        .get(pk=donation_id)
    )
    if not Donation.objects.managed_by(user).filter(pk=donation.pk).exists():
        raise PermissionDenied
    if donation.status != status:
        raise ValidationError(refusal or _("This donation has already been decided."))
    return donation


def donation_verify(*, donation_id, user, today: datetime.date | None = None) -> Donation:
    """Pending → verified, with the next receipt number of the institution's year; settles its instalment.
    The receipt's outbox row is committed with the verification (so it is owed even if the task is lost: the
    sweep sends it); the email goes out after commit (a Celery task)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        donation = _locked_for_decision(donation_id, user)
        institution = donation.campaign.institution
        ReceiptCounter.objects.get_or_create(institution=institution, year=today.year)
        counter = ReceiptCounter.objects.select_for_update().get(institution=institution, year=today.year)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        donation.status = Donation.Status.VERIFIED
        donation.decided_by = user
        donation.decided_at = timezone.now()
        donation.receipt_year = today.year
        donation.receipt_sequence = counter.last_number
        donation.receipt_number = receipt_number(institution=institution, year=today.year,
                                                 sequence=counter.last_number)
        donation.save(update_fields=["status", "decided_by", "decided_at", "receipt_year", "receipt_sequence",
                                     "receipt_number"])
        if donation.instalment_id:
            Instalment.objects.filter(pk=donation.instalment_id).update(status=Instalment.Status.PAID)
            giving_changed()
        audit_log(actor=user, action="donations.donation.verified", target=donation,
                  study_program=donation.campaign.study_program,
                  data={"amount": str(donation.amount), "receipt": donation.receipt_number})
        receipt_claim(donation)
        enqueue("donations.tasks.send_receipt", str(donation.pk))
    return donation


@dataclass
class VerifyPreview:
    """What verifying a pending donation will do, shown before staff confirm: the receipt number it will get (the
    next of the institution's counter for the year, read without reserving it: someone verifying meanwhile takes
    it, and this one gets the following), who is emailed, the campaign's total after it."""

    receipt_number: str
    email_to: str  # "" when nobody can be emailed (a gift recorded for someone without an account)
    received_before: Decimal
    received_after: Decimal
    settles_instalment: bool


def donation_verify_preview(*, donation: Donation, today: datetime.date | None = None) -> VerifyPreview:
    """Read-only (2 queries): nothing is locked, no number is taken."""
    today = today or timezone.localdate()
    institution = donation.campaign.institution
    last = (ReceiptCounter.objects.filter(institution=institution, year=today.year)
            .values_list("last_number", flat=True).first()) or 0
    received = campaign_balance_received(donation.campaign)
    donor = donation.donor
    return VerifyPreview(
        receipt_number=receipt_number(institution=institution, year=today.year, sequence=last + 1),
        email_to=donor.email if donor is not None and donor.is_active and donor.email else "",
        received_before=received,
        received_after=received + donation.amount,
        settles_instalment=donation.instalment_id is not None,
    )


def donation_reject(*, donation_id, user, reason: str) -> Donation:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the donation is rejected: the donor will read it."))
    with transaction.atomic():
        donation = _locked_for_decision(donation_id, user)
        instalment_id = donation.instalment_id
        donation.status = Donation.Status.REJECTED
        donation.reject_reason = reason[:300]
        donation.decided_by = user
        donation.decided_at = timezone.now()
        # The instalment it was meant to pay is unpaid again: the donor can pay it with another transfer.
        donation.instalment = None
        donation.save(update_fields=["status", "reject_reason", "decided_by", "decided_at", "instalment"])
        audit_log(actor=user, action="donations.donation.rejected", target=donation,
                  study_program=donation.campaign.study_program,
                  data={"reason": donation.reject_reason,
                        "instalment": str(instalment_id) if instalment_id else None})
        enqueue("donations.tasks.send_rejection", str(donation.pk))
    return donation


def donation_void(*, donation_id, user, reason: str) -> Donation:
    """Undo a verification made by mistake: verified → void, with a reason the donor reads. The receipt number stays
    on the donation (used for good: the counter never goes back, so it is never issued again), the gift leaves every
    total (they count verified donations only), the instalment it paid is unpaid again, and the donor is told once
    (after commit, through core's outbox); a receipt email still unsent is not sent (`receipts.receipt_unwanted`)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the donation is voided: the donor will read it."))
    with transaction.atomic():
        donation = _locked_for_decision(donation_id, user, status=Donation.Status.VERIFIED,
                                        refusal=_("Only a verified donation can be voided."))
        instalment_id = donation.instalment_id
        donation.status = Donation.Status.VOID
        donation.void_reason = reason[:300]
        donation.voided_by = user
        donation.voided_at = timezone.now()
        donation.instalment = None
        donation.save(update_fields=["status", "void_reason", "voided_by", "voided_at", "instalment"])
        if instalment_id:
            # Paid by this gift, which no longer counts: due again, and the donor may pay it with another transfer.
            Instalment.objects.filter(pk=instalment_id, status=Instalment.Status.PAID).update(
                status=Instalment.Status.DUE
            )
        giving_changed()
        audit_log(actor=user, action="donations.donation.voided", target=donation,
                  study_program=donation.campaign.study_program,
                  data={"amount": str(donation.amount), "receipt": donation.receipt_number,
                        "reason": donation.void_reason,
                        "instalment": str(instalment_id) if instalment_id else None})
        enqueue("donations.tasks.send_void_notice", str(donation.pk))
    return donation


# --- Balance and disbursements ----------------------------------------------------------------------------------

def campaign_balance_received(campaign: Campaign) -> Decimal:
    """Verified money in (1 query): voided, rejected and pending gifts do not count."""
    return campaign.donations.verified().aggregate(total=Sum("amount"))["total"] or Decimal(0)


def campaign_balance(campaign: Campaign) -> dict[str, Decimal]:
    """Verified money in, money out, and what is left (2 queries)."""
    received = campaign_balance_received(campaign)
    spent = campaign.disbursements.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return {"received": received, "disbursed": spent, "balance": received - spent}


def disbursement_record(*, campaign: Campaign, user, amount: Decimal, paid_on: datetime.date, purpose: str,
                        recipient: str = "", proof=None) -> Disbursement:
    """Money out. It may not exceed the verified balance: the campaign row is locked while checking, so two
    disbursements recorded at once cannot overdraw it."""
    if not Campaign.objects.managed_by(user).filter(pk=campaign.pk).exists():
        raise PermissionDenied
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        balance = campaign_balance(locked)["balance"]
        if amount > balance:
            raise ValidationError(
                _("Only %(balance)s of verified donations is left in this campaign.") % {"balance": rupiah(balance)}
            )
        try:
            disbursement = Disbursement.objects.create(
                campaign=locked, amount=amount, paid_on=paid_on, purpose=purpose, recipient=recipient,
                proof=proof or "", recorded_by=user,
            )
        except IntegrityError as error:  # the database's own checks (amount > 0) as a message, not a 500
            raise ValidationError(_("The amount must be more than zero.")) from error
        audit_log(actor=user, action="donations.disbursement.recorded", target=disbursement,
                  study_program=locked.study_program, data={"amount": str(amount), "purpose": purpose})
    return disbursement
