"""Giving and personal data (UU PDP): what "Download my data" includes, and what deleting an account keeps.

Deleting an account keeps every amount, date, campaign and issued receipt number (the institution's books and
the public ledger must still add up), and removes the person: donations lose their donor link and their message,
the name on them becomes the deletion marker and they show as anonymous; pledges stop and are dropped with their
unpaid instalments, their paid instalments staying as anonymous donations.
"""

from __future__ import annotations

from .models import Donation, Instalment, Pledge


def export_donations(user) -> dict:
    donations = Donation.objects.filter(donor=user).select_related("campaign").order_by("created_at")
    pledges = Pledge.objects.filter(donor=user).select_related("campaign").order_by("created_at")
    return {
        "donations": [
            {"campaign": d.campaign.title, "amount": str(d.amount), "method": d.method, "paid_on": d.paid_on,
             "status": d.status, "receipt_number": d.receipt_number, "anonymous": d.anonymous,
             "message": d.message, "reject_reason": d.reject_reason, "recorded_at": d.created_at,
             "items": [{"item": i.item.name, "quantity": i.quantity} for i in d.items.select_related("item")]}
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


def anonymise_donations(user, marker: str) -> None:
    Donation.objects.filter(donor=user).update(donor=None, donor_name=marker, anonymous=True, message="")
    Donation.objects.filter(instalment__pledge__donor=user).update(instalment=None)
    Instalment.objects.filter(pledge__donor=user).delete()
    Pledge.objects.filter(donor=user).delete()
