"""Giving reports for the staff who run campaigns: totals per campaign, per month and per kind, the repeat-donor
rate and the pledge fulfilment rate. Every number is a database aggregate over *verified* donations (pending and
rejected ones never count), and the whole report takes a fixed number of queries whatever the number of campaigns,
donations or pledges (tests/donations/test_reports.py pins it).

Definitions (shown on the page too):

- Period. With a year: donations by their payment date (``paid_on``) in that year, disbursements by their date,
  instalments by their due date. Without: everything so far, and the monthly chart shows the last 12 months.
  Balance and goal progress are always the campaign's state today (all verified money in − all money out).
- Donors are counted by account; a gift staff recorded without an account counts by the name written on it
  (case and surrounding spaces ignored), so two cash gifts from "Pak Harun" are one donor.
- Repeat-donor rate: donors with two or more verified donations ÷ donors with at least one, in %, two decimals,
  across all the campaigns the person runs (a donor giving once to two campaigns is a repeat donor).
- Pledge fulfilment rate: instalments paid ÷ instalments due by today, cancelled ones (a stopped pledge) left
  out, in %, two decimals.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    CharField,
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat, Lower, Trim, TruncMonth
from django.utils import timezone

from core import dates

from .models import MONEY, Campaign, Disbursement, Donation, Instalment
from .selectors import ZERO, percent

VERIFIED = Donation.Status.VERIFIED


def donor_identity(prefix: str = ""):
    """The donor's account id, or for a gift recorded without an account the donor's name (lower case,
    trimmed), as one text expression the database can group and count."""
    return Coalesce(
        Cast(f"{prefix}donor_id", output_field=CharField()),
        Concat(Value("name:"), Lower(Trim(f"{prefix}donor_name")), output_field=CharField()),
        output_field=CharField(),
    )


def _money(expression) -> Coalesce:
    return Coalesce(expression, Value(ZERO), output_field=DecimalField(**MONEY))


def _disbursed(year: int | None) -> Subquery:
    rows = Disbursement.objects.filter(campaign=OuterRef("pk"))
    if year is not None:
        rows = rows.filter(paid_on__year=year)
    return Subquery(rows.order_by().values("campaign").annotate(total=Sum("amount")).values("total")[:1])


@dataclass
class CampaignRow:
    campaign: Campaign
    verified: Decimal
    donations: int
    donors: int
    disbursed: Decimal
    balance: Decimal
    goal_percent: Decimal | None


@dataclass
class Report:
    year: int | None
    campaigns: list[CampaignRow]
    totals: dict
    months: list[dict]
    kinds: list[dict]
    repeat: dict
    fulfilment: dict

    def charts(self) -> dict:
        """Data for the three charts (whole rupiah as integers: JSON has no Decimal)."""
        return {
            "months": {"labels": [m["label"] for m in self.months], "data": [int(m["amount"]) for m in self.months]},
            "campaigns": {"labels": [r.campaign.title for r in self.campaigns],
                          "data": [int(r.verified) for r in self.campaigns]},
            "kinds": {"labels": [k["label"] for k in self.kinds], "data": [int(k["amount"]) for k in self.kinds]},
        }


def _period(year: int | None, today: datetime.date) -> tuple[datetime.date | None, datetime.date]:
    if year is not None:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return None, today


def _months(year: int | None, today: datetime.date) -> list[datetime.date]:
    """The first days of the 12 months of the chosen year, or of the last 12 months up to this one."""
    if year is not None:
        return [datetime.date(year, m, 1) for m in range(1, 13)]
    months, first = [], today.replace(day=1)
    for back in range(11, -1, -1):
        index = first.year * 12 + first.month - 1 - back
        months.append(datetime.date(index // 12, index % 12 + 1, 1))
    return months


def report_years(user) -> list[int]:
    """The years with a verified donation to a campaign the person runs, newest first (one query)."""
    managed = Campaign.objects.managed_by(user).values("pk")
    dates = Donation.objects.filter(campaign__in=managed, status=VERIFIED).dates("paid_on", "year", order="DESC")
    return [d.year for d in dates]


def campaign_rows(managed: QuerySet, *, year: int | None) -> list[CampaignRow]:
    """One query: each campaign with its verified money and donors in the period, money out, and its balance."""
    verified = Q(donations__status=VERIFIED)
    in_period = verified & Q(donations__paid_on__year=year) if year is not None else verified
    campaigns = managed.exclude(status=Campaign.Status.DRAFT)
    if year is not None:
        # Campaigns that ran during the year, or received or spent money in it (a late transfer counts).
        campaigns = campaigns.filter(
            Q(starts_on__lte=datetime.date(year, 12, 31), ends_on__isnull=True)
            | Q(starts_on__lte=datetime.date(year, 12, 31), ends_on__gte=datetime.date(year, 1, 1))
            | Exists(Donation.objects.filter(campaign=OuterRef("pk"), status=VERIFIED, paid_on__year=year))
            | Exists(Disbursement.objects.filter(campaign=OuterRef("pk"), paid_on__year=year))
        )
    campaigns = (
        campaigns.select_related("study_program")
        .annotate(
            r_verified=_money(Sum("donations__amount", filter=in_period)),
            r_donations=Count("donations", filter=in_period),
            r_donors=Count(donor_identity("donations__"), filter=in_period, distinct=True),
            r_verified_all=_money(Sum("donations__amount", filter=verified)),
            r_disbursed=_money(_disbursed(year)),
            r_disbursed_all=_money(_disbursed(None)),
        )
        .order_by("-starts_on", "title")
    )
    rows = []
    for c in campaigns:
        rows.append(CampaignRow(
            campaign=c, verified=c.r_verified, donations=c.r_donations, donors=c.r_donors, disbursed=c.r_disbursed,
            balance=c.r_verified_all - c.r_disbursed_all,
            goal_percent=percent(c.r_verified_all, c.goal_amount) if c.goal_amount else None,
        ))
    return rows


def _donations(managed: QuerySet, *, start: datetime.date | None, end: datetime.date) -> QuerySet:
    qs = Donation.objects.filter(campaign__in=managed.values("pk"), status=VERIFIED, paid_on__lte=end)
    return qs.filter(paid_on__gte=start) if start else qs


def month_rows(managed: QuerySet, *, year: int | None, today: datetime.date) -> list[dict]:
    """One query: verified amount and count by month of payment, every month of the range (zeros included)."""
    months = _months(year, today)
    end = datetime.date(year, 12, 31) if year is not None else today
    found = {
        row["month"]: row
        for row in _donations(managed, start=months[0], end=end)
        .annotate(month=TruncMonth("paid_on"))
        .order_by()
        .values("month")
        .annotate(amount=Sum("amount"), donations=Count("pk"))
    }
    rows = []
    for month in months:
        row = found.get(month, {})
        rows.append({"month": month, "label": dates.month(month), "amount": row.get("amount") or ZERO,
                     "donations": row.get("donations", 0)})
    return rows


def kind_rows(managed: QuerySet, *, start: datetime.date | None, end: datetime.date) -> list[dict]:
    """One query: verified amount, donations and donors per campaign kind (every kind listed, zeros included)."""
    found = {
        row["campaign__kind"]: row
        for row in _donations(managed, start=start, end=end)
        .order_by()
        .values("campaign__kind")
        .annotate(amount=Sum("amount"), donations=Count("pk"), donors=Count(donor_identity(), distinct=True))
    }
    return [
        {"kind": kind, "label": str(label), "amount": found.get(kind, {}).get("amount") or ZERO,
         "donations": found.get(kind, {}).get("donations", 0), "donors": found.get(kind, {}).get("donors", 0)}
        for kind, label in Campaign.Kind.choices
    ]


def repeat_donors(managed: QuerySet, *, start: datetime.date | None, end: datetime.date) -> dict:
    """One query: donors with at least one and with two or more verified donations in the period."""
    per_donor = (
        _donations(managed, start=start, end=end)
        .order_by()
        .annotate(identity=donor_identity())
        .values("identity")
        .annotate(gifts=Count("pk"))
    )
    counts = per_donor.aggregate(donors=Count("identity"), repeat=Count("identity", filter=Q(gifts__gte=2)))
    donors, repeat = counts["donors"] or 0, counts["repeat"] or 0
    return {"donors": donors, "repeat": repeat, "rate": percent(repeat, donors)}


def fulfilment(managed: QuerySet, *, start: datetime.date | None, end: datetime.date, today: datetime.date) -> dict:
    """One query: instalments due by today (cancelled ones left out) and how many of them are paid."""
    instalments = Instalment.objects.filter(
        pledge__campaign__in=managed.values("pk"), due_on__lte=min(end, today)
    ).exclude(status=Instalment.Status.CANCELLED)
    if start:
        instalments = instalments.filter(due_on__gte=start)
    counts = instalments.aggregate(due=Count("pk"), paid=Count("pk", filter=Q(status=Instalment.Status.PAID)))
    return {"due": counts["due"], "paid": counts["paid"], "rate": percent(counts["paid"], counts["due"])}


def giving_report(*, user, year: int | None = None, today: datetime.date | None = None) -> Report:
    """The whole report for the campaigns `user` runs. Five queries (plus the permission scope, once per request);
    `report_years` is one more, for the year picker."""
    today = today or timezone.localdate()
    managed = Campaign.objects.managed_by(user)
    start, end = _period(year, today)
    rows = campaign_rows(managed, year=year)
    repeat = repeat_donors(managed, start=start, end=end)
    totals = {
        "verified": sum((r.verified for r in rows), ZERO),
        "donations": sum(r.donations for r in rows),
        # A donor of several campaigns is one donor: the distinct count comes from the repeat-donor query.
        "donors": repeat["donors"],
        "disbursed": sum((r.disbursed for r in rows), ZERO),
        "balance": sum((r.balance for r in rows), ZERO),
    }
    return Report(
        year=year, campaigns=rows, totals=totals,
        months=month_rows(managed, year=year, today=today),
        kinds=kind_rows(managed, start=start, end=end),
        repeat=repeat,
        fulfilment=fulfilment(managed, start=start, end=end, today=today),
    )

