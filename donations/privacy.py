"""Giving and personal data (UU PDP): what "Download my data" includes, and what deleting an account keeps.

Deleting an account keeps every amount, date, campaign and issued receipt number (the institution's books and
the public ledger must still add up), and removes the person: donations lose their donor link and their message,
the name on them becomes the deletion marker and they show as anonymous, and their transfer slips (which show the
sender's name and account) are deleted; pledges stop and are dropped with their unpaid instalments, their paid
instalments staying as anonymous donations.
"""

from __future__ import annotations

import posixpath

from django.db import transaction
from django.db.models import Q

from core import fragments
from core.models import AuditLog

from .models import Donation, Instalment, Pledge
from .page_cache import GIVING


def export_donations(user) -> dict:
    donations = (Donation.objects.filter(donor=user).select_related("campaign").prefetch_related("items__item")
                 .order_by("created_at"))
    pledges = (Pledge.objects.filter(donor=user).select_related("campaign").prefetch_related("instalments")
               .order_by("created_at"))
    return {
        "donations": [
            {"campaign": d.campaign.title, "amount": str(d.amount), "method": d.method, "paid_on": d.paid_on,
             "status": d.status, "receipt_number": d.receipt_number, "anonymous": d.anonymous,
             "message": d.message, "reject_reason": d.reject_reason, "void_reason": d.void_reason,
             "recorded_at": d.created_at,
             "transfer_slip": _slip_path(d) if d.proof else None,
             "items": [{"item": i.item.name, "quantity": i.quantity} for i in d.items.all()]}
            for d in donations
        ],
        "pledges": [
            {"campaign": p.campaign.title, "amount": str(p.amount), "frequency": p.frequency, "weekday": p.weekday,
             "day_of_month": p.day_of_month, "starts_on": p.starts_on, "ends_on": p.ends_on, "status": p.status,
             "anonymous": p.anonymous,
             "instalments": [{"due_on": i.due_on, "amount": str(i.amount), "status": i.status}
                             for i in p.instalments.all()]}
            for p in pledges
        ],
    }


def _slip_path(donation: Donation) -> str:
    return f"transfer-slips/{donation.pk}-{posixpath.basename(donation.proof.name)}"


def donation_files(user) -> list[tuple[str, object]]:
    """The person's transfer slips, for the ZIP of "Download my data" (one query)."""
    return [
        (_slip_path(d), d.proof)
        for d in Donation.objects.filter(donor=user).exclude(proof="").only("pk", "proof").order_by("created_at")
    ]


def anonymise_donations(user, marker: str) -> None:
    # The audit trail of their gifts and pledges joins an amount and a receipt number to a name: redact it first,
    # while the rows still say whose they are.
    donation_ids = [str(pk) for pk in Donation.objects.filter(donor=user).values_list("pk", flat=True)]
    pledge_ids = [str(pk) for pk in Pledge.objects.filter(donor=user).values_list("pk", flat=True)]
    q = Q(pk__in=[])
    if donation_ids:
        q |= Q(target_type=Donation._meta.label_lower, target_id__in=donation_ids)
    if pledge_ids:
        q |= Q(target_type=Pledge._meta.label_lower, target_id__in=pledge_ids)
    AuditLog.objects.filter(q).update(target_repr=marker, data={"redacted": True})
    # Transfer slips show the sender's name and account: they go too, once the deletion has committed.
    proofs = list(Donation.objects.filter(donor=user).exclude(proof="").values_list("proof", flat=True))
    storage = Donation._meta.get_field("proof").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in proofs])
    Donation.objects.filter(donor=user).update(donor=None, donor_name=marker, anonymous=True, message="", proof="")
    # The donor wall showed their name and messages: no cached campaign page shows them again.
    fragments.forget(GIVING)
    Donation.objects.filter(instalment__pledge__donor=user).update(instalment=None)
    Instalment.objects.filter(pledge__donor=user).delete()
    Pledge.objects.filter(donor=user).delete()
