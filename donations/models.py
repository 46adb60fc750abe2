"""Giving: campaigns, pledges and their instalments, donations verified by staff, numbered receipts, and
disbursements, so that every rupiah in and out is on a public ledger.

Money is `Decimal` rupiah everywhere (no floats), whole rupiah only: the rupiah has had no sen in circulation for
decades, so an amount with a fraction is refused (`donations.money`). Totals are database sums over *verified*
donations; nothing is kept as a running counter that concurrent verifications could get wrong.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alumni.models import Institution, StudyProgram
from alumni.scope import scope_for

MONEY = {"max_digits": 15, "decimal_places": 0}


def _campaign_scope_q(user, prefix: str = "") -> Q:
    """Campaigns this person runs: staff of its study program; admins of its institution (which alone run the
    institution-wide campaigns)."""
    scope = scope_for(user)
    return Q(**{f"{prefix}study_program_id__in": scope.staff_program_ids}) | Q(
        **{f"{prefix}institution_id__in": scope.admin_institution_ids}
    )


class CampaignQuerySet(models.QuerySet):
    def public(self):
        """Open and closed campaigns are public, to anyone, signed in or not: the point is transparency."""
        return self.filter(status__in=[Campaign.Status.OPEN, Campaign.Status.CLOSED])

    def visible_to(self, user):
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        return self.filter(Q(status__in=[Campaign.Status.OPEN, Campaign.Status.CLOSED]) | _campaign_scope_q(user))

    def managed_by(self, user):
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        return self.filter(_campaign_scope_q(user))


class Campaign(models.Model):
    class Kind(models.TextChoices):
        DONATION = "donation", _("Donation (sumbangan)")
        ENDOWMENT = "endowment", _("Endowment (wakaf)")
        EMERGENCY = "emergency", _("Emergency fundraising")
        IN_KIND = "in_kind", _("In-kind (goods)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("institution")
    )
    study_program = models.ForeignKey(
        StudyProgram, on_delete=models.PROTECT, null=True, blank=True, related_name="campaigns",
        verbose_name=_("study program"), help_text=_("Empty: a campaign of the whole institution."),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"))
    beneficiary = models.CharField(
        _("beneficiary"), max_length=200, help_text=_("Who receives the help, e.g. a village, the study program, "
                                                      "or the member in need.")
    )
    goal_amount = models.DecimalField(_("goal (Rp)"), null=True, blank=True, **MONEY)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Where transfers go: shown on the campaign page. An institutional account, not a private one.
    payment_instructions = models.TextField(_("how to pay"), blank=True)
    cover = models.ImageField(_("cover image"), upload_to="campaigns/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        indexes = [models.Index(fields=["status", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="in_kind") | Q(goal_amount__gt=0), name="campaign_money_goal_positive"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("donations:campaign", args=[self.pk])

    @property
    def is_in_kind(self) -> bool:
        return self.kind == self.Kind.IN_KIND

    def is_run_by(self, user) -> bool:
        """Python twin of Campaign.objects.managed_by(user) for this loaded row (no query: the scope is cached)."""
        scope = scope_for(user)
        return scope.is_superuser or self.study_program_id in scope.staff_program_ids or (
            self.institution_id in scope.admin_institution_ids
        )

    def is_visible_to(self, user) -> bool:
        """Python twin of Campaign.objects.visible_to(user) for this loaded row: open and closed campaigns for
        everyone, drafts for the people who run them (tests/donations/test_campaign_page_fast.py holds the two
        together)."""
        return self.status in (self.Status.OPEN, self.Status.CLOSED) or self.is_run_by(user)

    def accepts_gifts(self, *, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.OPEN and self.starts_on <= today and (
            self.ends_on is None or today <= self.ends_on
        )


class CampaignImage(models.Model):
    """Pictures for the description: the well being dug, the desks delivered."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to="campaigns/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("campaign image")
        verbose_name_plural = _("campaign images")

    def __str__(self) -> str:
        return self.caption or self.image.name


class CampaignItem(models.Model):
    """One needed item of an in-kind campaign, e.g. 10 desks."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="items", verbose_name=_("campaign"))
    name = models.CharField(_("item"), max_length=200)
    quantity_needed = models.PositiveIntegerField(_("quantity needed"))
    unit = models.CharField(_("unit"), max_length=30, blank=True, help_text=_("e.g. pieces, sets, boxes"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("needed item")
        verbose_name_plural = _("needed items")
        constraints = [models.CheckConstraint(condition=Q(quantity_needed__gt=0), name="item_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity_needed} {self.unit} {self.name}".strip()


class CampaignUpdate(models.Model):
    """News posted by staff on the campaign page: progress, thanks, what was bought."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="updates")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    posted_at = models.DateTimeField(_("posted"), default=timezone.now)

    class Meta:
        ordering = ["-posted_at"]
        verbose_name = _("campaign update")
        verbose_name_plural = _("campaign updates")

    def __str__(self) -> str:
        return self.title


class CampaignPartQuerySet(models.QuerySet):
    """Rows that belong to a campaign (disbursements, and below pledges and donations): managed by those who run
    the campaign."""

    def managed_by(self, user):
        if scope_for(user).is_superuser:
            return self.all()
        return self.filter(_campaign_scope_q(user, "campaign__"))


class DonorPartQuerySet(CampaignPartQuerySet):
    """Pledges and donations: the donor sees their own; those who run the campaign see all of it. The public sees
    the ledger (verified only, anonymised where asked), never these rows."""

    def visible_to(self, user):
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        return self.filter(Q(donor_id=scope.user_id) | _campaign_scope_q(user, "campaign__"))


class Pledge(models.Model):
    """A promise to give: once, weekly on a weekday, or monthly on a day of the month, until an optional end."""

    class Frequency(models.TextChoices):
        ONCE = "once", _("Once")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        STOPPED = "stopped", _("Stopped")
        COMPLETED = "completed", _("Ended (no more instalments)")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("campaign"))
    donor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pledges", verbose_name=_("donor")
    )
    amount = models.DecimalField(_("amount per instalment (Rp)"), **MONEY)
    frequency = models.CharField(_("how often"), max_length=10, choices=Frequency.choices)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, null=True, blank=True)
    day_of_month = models.PositiveSmallIntegerField(
        _("day of the month"), null=True, blank=True,
        help_text=_("1–31; in shorter months the instalment falls on the last day."),
    )
    starts_on = models.DateField(_("first instalment on or after"))
    ends_on = models.DateField(_("last instalment on or before"), null=True, blank=True)
    anonymous = models.BooleanField(_("give anonymously"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # The next due date not yet turned into an instalment; None once stopped or completed.
    next_due_on = models.DateField(_("next due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DonorPartQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        indexes = [models.Index(fields=["status", "next_due_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="pledge_amount_positive"),
            models.CheckConstraint(
                condition=~Q(frequency="weekly") | Q(weekday__isnull=False), name="weekly_pledge_has_weekday"
            ),
            models.CheckConstraint(
                condition=~Q(frequency="monthly") | Q(day_of_month__gte=1, day_of_month__lte=31),
                name="monthly_pledge_has_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.donor} · {self.campaign} · {self.amount}"

    def get_absolute_url(self) -> str:
        return reverse("donations:pledge", args=[self.pk])


class InstalmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(pledge__in=Pledge.objects.visible_to(user))

    def unpaid(self):
        """Due and not paid yet: no donation waits for verification or is verified for it. A rejected donation
        lets go of its instalment (`services.donation_reject`), which is then unpaid again."""
        return self.filter(status=Instalment.Status.DUE, donation__isnull=True)


class Instalment(models.Model):
    """One due payment of a pledge. Settled by a verified donation."""

    class Status(models.TextChoices):
        DUE = "due", _("Due")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="instalments")
    due_on = models.DateField(_("due"))
    amount = models.DecimalField(_("amount (Rp)"), **MONEY)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DUE)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = InstalmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_on"]
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [models.UniqueConstraint(fields=["pledge", "due_on"], name="one_instalment_per_pledge_day")]

    def __str__(self) -> str:
        return f"{self.pledge} · {self.due_on}"


class DonationQuerySet(DonorPartQuerySet):
    def verified(self):
        """Donations that count: verified and not voided since."""
        return self.filter(status=Donation.Status.VERIFIED)

    def on_ledger(self):
        """What the public ledger lists: verified donations, and voided ones (shown as void, their receipt number
        used for good)."""
        return self.filter(status__in=[Donation.Status.VERIFIED, Donation.Status.VOID])


class Donation(models.Model):
    class Method(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("Bank transfer")
        EWALLET = "ewallet", _("E-wallet")
        CASH = "cash", _("Cash")
        IN_KIND = "in_kind", _("In kind (goods)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        # Verified by mistake and undone: the receipt number stays used (never issued again), the gift no longer
        # counts in any total, and the ledger shows the line as void.
        VOID = "void", _("Void")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="donations", verbose_name=_("campaign")
    )
    donor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="donations",
        verbose_name=_("donor"),
    )
    # For gifts staff record on someone's behalf (cash handed over at a reunion): the name on the receipt.
    donor_name = models.CharField(_("donor's name"), max_length=200, blank=True)
    instalment = models.OneToOneField(
        Instalment, on_delete=models.SET_NULL, null=True, blank=True, related_name="donation",
        verbose_name=_("pledge instalment"),
    )
    amount = models.DecimalField(_("amount (Rp)"), default=0, **MONEY)
    method = models.CharField(_("payment method"), max_length=20, choices=Method.choices)
    paid_on = models.DateField(_("paid on"))
    proof = models.FileField(_("proof of payment"), upload_to="donations/proofs/%Y/%m/", blank=True)
    message = models.CharField(_("message"), max_length=300, blank=True)
    # A message is private (donor and staff) unless the donor chose to publish it on the donor wall and the public
    # ledger; an anonymous gift's published message shows without the name.
    message_public = models.BooleanField(_("publish my message"), default=False)
    anonymous = models.BooleanField(_("hide my name on the donor wall and ledger"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reject_reason = models.CharField(_("reason for rejection"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=60, unique=True, null=True, blank=True)
    receipt_year = models.PositiveSmallIntegerField(null=True, blank=True)
    receipt_sequence = models.PositiveIntegerField(null=True, blank=True)
    # Set by the task that emails the receipt, with a conditional update: a retried task sends it once.
    receipt_sent_at = models.DateTimeField(_("receipt emailed"), null=True, blank=True)
    void_reason = models.CharField(_("reason for voiding"), max_length=300, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("voided by"),
    )
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = DonationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        indexes = [models.Index(fields=["campaign", "status"]), models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="donation_amount_not_negative"),
            models.CheckConstraint(condition=Q(method="in_kind") | Q(amount__gt=0), name="money_donation_positive"),
            # A voided donation keeps the number it was issued: numbers are never reused.
            models.CheckConstraint(
                condition=Q(status__in=["verified", "void"], receipt_number__isnull=False)
                | (~Q(status__in=["verified", "void"]) & Q(receipt_number__isnull=True)),
                name="donation_receipt_iff_issued",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} · {self.campaign} · {self.amount}"

    def get_absolute_url(self) -> str:
        return reverse("donations:donation", args=[self.pk])

    @property
    def display_name(self) -> str:
        """The name on the receipt (never the public one: see `public_name`)."""
        if self.donor_name:
            return self.donor_name
        return self.donor.get_full_name() if self.donor else str(_("Anonymous donor"))

    @property
    def public_message(self) -> str:
        """The message as the donor wall and the public ledger show it: only when the donor published it."""
        return self.message if self.message_public else ""

    @property
    def public_name(self) -> str:
        """The name on the donor wall and the public ledger: never an email address."""
        if self.anonymous:
            return str(_("Hamba Allah (anonymous)"))
        if self.donor_name:
            return self.donor_name
        return (self.donor.full_name if self.donor else "") or str(_("A donor"))


class DonationItem(models.Model):
    """Goods given to an in-kind campaign: how many of which needed item."""

    donation = models.ForeignKey(Donation, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(CampaignItem, on_delete=models.PROTECT, related_name="gifts", verbose_name=_("item"))
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("donated item")
        verbose_name_plural = _("donated items")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="donated_quantity_positive"),
            models.UniqueConstraint(fields=["donation", "item"], name="one_row_per_item_per_donation"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.item.name}"


class ReceiptCounter(models.Model):
    """The last receipt number issued per institution and year. Verification locks this row, so numbers are
    gap-free and unique under concurrent verifications; the number is taken in the same transaction that marks
    the donation verified, so a failed verification rolls the counter back too."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["institution", "year"], name="one_receipt_counter_per_year")]

    def __str__(self) -> str:
        return f"{self.institution} {self.year}: {self.last_number}"


class Disbursement(models.Model):
    """Money taken out of a campaign and what it paid for. Public on the ledger, with its proof."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="disbursements", verbose_name=_("campaign")
    )
    amount = models.DecimalField(_("amount (Rp)"), **MONEY)
    paid_on = models.DateField(_("date"))
    purpose = models.CharField(_("purpose"), max_length=300)
    recipient = models.CharField(_("paid to"), max_length=200, blank=True)
    proof = models.FileField(_("proof (receipt, invoice)"), upload_to="donations/disbursements/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = CampaignPartQuerySet.as_manager()

    class Meta:
        ordering = ["-paid_on", "-created_at"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_positive")]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.paid_on} · {self.amount}"
