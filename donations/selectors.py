"""Giving reads that cross relations: campaign progress for any number of campaigns, the donor wall, the ledger.

Every function here runs a fixed number of queries whatever the number of campaigns or donations: totals are
database aggregates grouped by campaign (`values().annotate()`), never a loop of per-campaign sums. Money stays
`Decimal` from the database to the page; only verified donations count.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone

from .models import Campaign, CampaignItem, Disbursement, Donation, DonationItem

ZERO = Decimal(0)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def percent(part, whole) -> Decimal | None:
    """part / whole as a percentage with 2 decimals (half up), or None without a whole."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def _bar(value: Decimal | None) -> str:
    """A CSS width ("37.50") for a progress bar: capped at 100 and never localised (a comma breaks CSS)."""
    if value is None:
        return "0"
    return f"{min(value, HUNDRED):.2f}"


@dataclass
class ItemProgress:
    item: CampaignItem
    received: int
    needed: int

    @property
    def percent(self) -> Decimal:
        return percent(self.received, self.needed) or ZERO

    @property
    def bar_width(self) -> str:
        return _bar(self.percent)


@dataclass
class Progress:
    """Where a campaign stands. `percent` is the real value (a campaign may pass its goal: 120.00); the bar
    is capped at 100 (`bar_width`)."""

    goal: Decimal | None
    received: Decimal = ZERO
    donations: int = 0
    donors: int = 0
    pending: int = 0
    disbursed: Decimal = ZERO
    items: list[ItemProgress] = field(default_factory=list)

    @property
    def balance(self) -> Decimal:
        return self.received - self.disbursed

    @property
    def percent(self) -> Decimal | None:
        return percent(self.received, self.goal)

    @property
    def bar_width(self) -> str:
        return _bar(self.percent)

    @property
    def items_received(self) -> int:
        return sum(row.received for row in self.items)

    @property
    def items_needed(self) -> int:
        return sum(row.needed for row in self.items)

    @property
    def items_percent(self) -> Decimal | None:
        """Share of the needed items received, each item counted up to its need: twenty desks do not make up for
        the missing computers."""
        return percent(sum(min(row.received, row.needed) for row in self.items), self.items_needed)

    @property
    def items_bar_width(self) -> str:
        return _bar(self.items_percent)


def campaign_progress(campaigns: Iterable[Campaign]) -> dict:
    """{campaign pk: Progress} for the campaigns given, in 3 queries whatever their number (none for none):
    donations grouped by campaign, disbursements grouped by campaign, needed items with their verified gifts."""
    campaigns = list(campaigns)
    result = {c.pk: Progress(goal=None if c.is_in_kind else c.goal_amount) for c in campaigns}
    if not campaigns:
        return result
    ids = list(result)
    verified = Q(status=Donation.Status.VERIFIED)
    donation_rows = (
        Donation.objects.filter(campaign_id__in=ids)
        .order_by()
        .values("campaign_id")
        .annotate(
            received=Sum("amount", filter=verified),
            donations=Count("pk", filter=verified),
            # A registered donor counts once however often they give; a gift recorded by staff for someone
            # without an account (a name only) counts as one donor each.
            registered=Count("donor_id", filter=verified, distinct=True),
            unregistered=Count("pk", filter=verified & Q(donor_id__isnull=True)),
            pending=Count("pk", filter=Q(status=Donation.Status.PENDING)),
        )
    )
    for row in donation_rows:
        progress = result[row["campaign_id"]]
        progress.received = row["received"] or ZERO
        progress.donations = row["donations"]
        progress.donors = row["registered"] + row["unregistered"]
        progress.pending = row["pending"]
    for row in Disbursement.objects.filter(campaign_id__in=ids).order_by().values("campaign_id").annotate(
        total=Sum("amount")
    ):
        result[row["campaign_id"]].disbursed = row["total"] or ZERO
    in_kind = [c.pk for c in campaigns if c.is_in_kind]
    if in_kind:
        items = CampaignItem.objects.filter(campaign_id__in=in_kind).annotate(
            received=Sum("gifts__quantity", filter=Q(gifts__donation__status=Donation.Status.VERIFIED))
        )
        for item in items:
            result[item.campaign_id].items.append(
                ItemProgress(item=item, received=item.received or 0, needed=item.quantity_needed)
            )
    return result


def days_left(campaign: Campaign, *, today: datetime.date | None = None) -> int | None:
    """Days until the campaign ends (0 on its last day), None without an end date or once it is past."""
    if campaign.ends_on is None:
        return None
    today = today or timezone.localdate()
    remaining = (campaign.ends_on - today).days
    return remaining if remaining >= 0 else None


def _goods(donation: Donation) -> str:
    """"3 unit Komputer, 2 Meja": the goods of an in-kind gift (from prefetched items)."""
    return ", ".join(" ".join(part for part in (str(gift.quantity), gift.item.unit, gift.item.name) if part)
                     for gift in donation.items.all())


# --- Donor wall -------------------------------------------------------------------------------------------------

WALL_PAGE_SIZE = 20


def donor_wall(campaign: Campaign, *, page: int | str | None = 1, per_page: int = WALL_PAGE_SIZE) -> Page:
    """Verified donations, newest first, as a page (3 queries: count, rows, goods given). `wall_name` hides
    the donor's name where they asked; amounts are shown (donors choose the visibility of their name only)."""
    rows = (
        Donation.objects.verified()
        .filter(campaign=campaign)
        .select_related("donor")
        .prefetch_related(Prefetch("items", queryset=DonationItem.objects.select_related("item").order_by("pk")))
        .order_by("-paid_on", "-created_at", "-pk")
    )
    wall = Paginator(rows, per_page).get_page(page)
    wall.object_list = list(wall.object_list)
    for donation in wall.object_list:
        donation.wall_name = donation.public_name
        donation.wall_message = donation.public_message
        donation.goods = _goods(donation)
    return wall


# --- Ledger -----------------------------------------------------------------------------------------------------

@dataclass
class LedgerRow:
    """One line of the ledger: money in (`amount_in`) or out (`amount_out`), with the balance after it."""

    date: datetime.date
    kind: str  # "in" or "out"
    description: str
    party: str
    method: str = ""
    reference: str = ""
    amount_in: Decimal = ZERO
    amount_out: Decimal = ZERO
    balance: Decimal = ZERO
    items: str = ""
    proof_id: object = None  # a disbursement's id when it has a proof
    # A donation voided after its verification: listed with its (used) receipt number and the amount it had, but it
    # adds nothing (amount_in 0), so the balance and the totals leave it out.
    void: bool = False
    voided_amount: Decimal = ZERO


@dataclass
class Ledger:
    campaign: Campaign
    inflows: list[LedgerRow]
    outflows: list[LedgerRow]
    rows: list[LedgerRow]  # in and out together, oldest first, with the running balance
    received: Decimal
    disbursed: Decimal
    months: list[dict]  # {"month": date (first day), "in": Decimal, "out": Decimal}

    @property
    def balance(self) -> Decimal:
        return self.received - self.disbursed


def ledger(campaign: Campaign) -> Ledger:
    """The campaign's public books (3 queries): verified donations in (anonymised where the donor asked), every
    disbursement out, the balance after each line by date, totals and monthly sums. On one day money in is listed
    before money out, as a disbursement is only recorded against money already verified. Voided donations are listed
    as void with their receipt number (a number is never reused, so none is missing from the books) and count
    nowhere."""
    donations = (
        Donation.objects.on_ledger()
        .filter(campaign=campaign)
        .select_related("donor")
        .prefetch_related(Prefetch("items", queryset=DonationItem.objects.select_related("item").order_by("pk")))
        .order_by("paid_on", "receipt_year", "receipt_sequence", "pk")
    )
    methods = dict(Donation.Method.choices)
    inflows = [
        LedgerRow(
            date=d.paid_on, kind="in", description=d.public_message, party=d.public_name,
            method=str(methods.get(d.method, d.method)), reference=d.receipt_number or "",
            amount_in=ZERO if d.status == Donation.Status.VOID else d.amount,
            items=_goods(d), void=d.status == Donation.Status.VOID,
            voided_amount=d.amount if d.status == Donation.Status.VOID else ZERO,
        )
        for d in donations
    ]
    outflows = [
        LedgerRow(
            date=d.paid_on, kind="out", description=d.purpose, party=d.recipient, amount_out=d.amount,
            proof_id=d.pk if d.proof else None,
        )
        for d in Disbursement.objects.filter(campaign=campaign).order_by("paid_on", "created_at", "pk")
    ]
    rows = sorted([*inflows, *outflows], key=lambda row: (row.date, row.kind != "in"))
    balance = ZERO
    months: dict[datetime.date, dict] = {}
    for row in rows:
        balance += row.amount_in - row.amount_out
        row.balance = balance
        month = months.setdefault(row.date.replace(day=1), {"month": row.date.replace(day=1), "in": ZERO,
                                                            "out": ZERO})
        month["in"] += row.amount_in
        month["out"] += row.amount_out
    return Ledger(
        campaign=campaign, inflows=inflows, outflows=outflows, rows=rows,
        received=sum((row.amount_in for row in inflows), ZERO),
        disbursed=sum((row.amount_out for row in outflows), ZERO),
        months=[months[key] for key in sorted(months)],
    )

