"""Forms of giving: a pledge, a donation (with its proof), a gift staff record on someone's behalf, and the reason
for a rejection. Amounts go through `money.RupiahField` and proofs through `uploads.ProofField`: nothing here parses
money or sniffs files itself."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alumni.models import User
from alumni.privacy import CONSENT_WORDING, Purpose
from core import dates
from core.forms import BootstrapFormMixin

from .models import Campaign, CampaignItem, Donation, Instalment, Pledge
from .money import RupiahField
from .services import Gift, PledgeTerms
from .uploads import ProofField, max_proof_bytes

DATE_INPUT = {"type": "date"}


def date_input() -> forms.DateInput:
    return forms.DateInput(DATE_INPUT, format="%Y-%m-%d")  # what <input type="date"> reads


def add_errors(form, error: ValidationError) -> None:
    """A service's refusal, shown at the top of the form that asked for it."""
    for message in error.messages:
        form.add_error(None, message)


class PledgeForm(BootstrapFormMixin, forms.Form):
    amount = RupiahField(label=_("Amount per instalment (Rp)"))
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Pledge.Frequency.choices, initial=Pledge.Frequency.WEEKLY,
    )
    weekday = forms.TypedChoiceField(
        label=_("Weekday"), choices=Pledge.Weekday.choices, coerce=int, initial=Pledge.Weekday.FRIDAY,
        required=False, help_text=_("For a weekly pledge."),
    )
    day_of_month = forms.IntegerField(
        label=_("Day of the month"), min_value=1, max_value=31, required=False,
        help_text=_("For a monthly pledge: 1–31; in shorter months the instalment falls on the last day."),
    )
    starts_on = forms.DateField(label=_("First instalment on or after"), widget=date_input())
    ends_on = forms.DateField(
        label=_("Last instalment on or before"), required=False, widget=date_input(),
        help_text=_("Optional, for a weekly or monthly pledge. Leave empty to give until you stop."),
    )
    anonymous = forms.BooleanField(label=_("Give anonymously (hide my name on the donor wall)"), required=False)
    remind = forms.BooleanField(label=_("Remind me by email when an instalment is due"), required=False)

    def __init__(self, *args, consented: bool = False, today: datetime.date | None = None, **kwargs):
        self.today = today or timezone.localdate()
        self.consented = consented
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].initial = self.today
        self.fields["day_of_month"].initial = self.today.day
        wording = CONSENT_WORDING[Purpose.FUNDRAISING][1]
        remind = self.fields["remind"]
        if consented:
            remind.initial = True
            remind.disabled = True
            remind.help_text = _("You already agreed to fundraising emails; you can withdraw that on the privacy "
                                 "page at any time.")
        else:
            remind.help_text = wording

    def clean_starts_on(self):
        starts_on = self.cleaned_data["starts_on"]
        if starts_on < self.today:
            raise ValidationError(_("The first instalment cannot be in the past."))
        return starts_on

    def clean(self):
        data = super().clean()
        frequency = data.get("frequency")
        if frequency == Pledge.Frequency.WEEKLY and data.get("weekday") in (None, ""):
            self.add_error("weekday", _("Choose the weekday of a weekly pledge."))
        if frequency == Pledge.Frequency.MONTHLY and not data.get("day_of_month"):
            self.add_error("day_of_month", _("Choose the day of the month of a monthly pledge."))
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and frequency != Pledge.Frequency.ONCE and ends_on < starts_on:
            self.add_error("ends_on", _("The end date is before the first instalment."))
        return data

    def terms(self) -> PledgeTerms:
        data = self.cleaned_data
        weekday = data.get("weekday")
        return PledgeTerms(
            amount=data["amount"], frequency=data["frequency"], starts_on=data["starts_on"],
            ends_on=data.get("ends_on"), weekday=None if weekday in (None, "") else weekday,
            day_of_month=data.get("day_of_month"), anonymous=data.get("anonymous", False),
        )

    @property
    def wants_reminders(self) -> bool:
        return bool(self.cleaned_data.get("remind")) and not self.consented


class _GiftForm(BootstrapFormMixin, forms.Form):
    """What a donation and a recorded gift share: amount (or items for in-kind), method, date, proof, message."""

    amount = RupiahField(label=_("Amount (Rp)"))
    method = forms.ChoiceField(label=_("Payment method"))
    paid_on = forms.DateField(label=_("Paid on"), widget=date_input())
    proof = ProofField(
        label=_("Proof of payment"), required=False,
    )
    message = forms.CharField(
        label=_("Message (optional)"), max_length=300, required=False, widget=forms.Textarea({"rows": 2}),
        help_text=_("Staff of the campaign read it. It is published only if you tick the box below."),
    )
    message_public = forms.BooleanField(
        label=_("Publish the message on the donor wall and the public ledger"), required=False,
        help_text=_("Everyone who visits the campaign page can read a published message, also when the gift is "
                    "anonymous (then without the name)."),
    )
    anonymous = forms.BooleanField(label=_("Hide the name on the donor wall and the public ledger"), required=False)

    methods: tuple[str, ...] = ()
    proof_required_for = (Donation.Method.BANK_TRANSFER, Donation.Method.EWALLET)

    def __init__(self, *args, campaign: Campaign, today: datetime.date | None = None, **kwargs):
        self.campaign = campaign
        self.today = today or timezone.localdate()
        super().__init__(*args, **kwargs)
        labels = dict(Donation.Method.choices)
        self.fields["method"].choices = [(m, labels[m]) for m in self.methods]
        if len(self.methods) == 1:
            self.fields["method"].initial = self.methods[0]
        self.fields["paid_on"].initial = self.today
        self.fields["proof"].help_text = _(
            "Required for a bank transfer or an e-wallet: a photo or screenshot of the transfer (JPEG, PNG, WebP) or "
            "a PDF, at most %(limit)s MB. Only the giver and the campaign's staff can see it."
        ) % {"limit": f"{max_proof_bytes() / 1048576:.0f}"}
        self.items: list[CampaignItem] = list(campaign.items.all()) if campaign.is_in_kind else []
        if campaign.is_in_kind:
            amount = self.fields["amount"]
            amount.required = False
            amount.label = _("Value in rupiah (optional)")
            amount.help_text = _("If you know it, for the books; goods are counted by quantity.")
            self.fields["proof"].label = _("Photo of the goods or the delivery note (optional)")
            self.fields["proof"].help_text = _("A photo (JPEG, PNG, WebP) or a PDF.")
            for item in self.items:
                self.fields[f"item_{item.pk}"] = forms.IntegerField(
                    label=f"{item.name}" + (f" ({item.unit})" if item.unit else ""), min_value=0,
                    max_value=1_000_000, required=False, initial=0,
                    widget=forms.NumberInput({"class": "form-control", "inputmode": "numeric"}),
                    help_text=_("Needed: %(quantity)s") % {"quantity": item.quantity_needed},
                )

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > self.today:
            raise ValidationError(_("The payment date cannot be in the future."))
        return paid_on

    def clean(self):
        data = super().clean()
        method = data.get("method")
        if method in self.proof_required_for and not data.get("proof") and "proof" not in self.errors:
            self.add_error("proof", _("Attach the proof: a photo or screenshot of the transfer, or a PDF."))
        if self.campaign.is_in_kind:
            if not any(data.get(f"item_{item.pk}") for item in self.items):
                raise ValidationError(_("Say how many of at least one item you give."))
        return data

    def gift(self, **extra) -> Gift:
        data = self.cleaned_data
        items = None
        if self.campaign.is_in_kind:
            items = {item: data[f"item_{item.pk}"] for item in self.items if data.get(f"item_{item.pk}")}
        return Gift(
            amount=data.get("amount") or 0, method=data["method"], paid_on=data["paid_on"],
            proof=data.get("proof") or None, message=data.get("message", ""),
            message_public=data.get("message_public", False), anonymous=data.get("anonymous", False),
            items=items, **extra,
        )


class DonationForm(_GiftForm):
    def __init__(self, *args, campaign: Campaign, instalment: Instalment | None = None, **kwargs):
        if campaign.is_in_kind:
            self.methods = (Donation.Method.IN_KIND,)
        else:
            self.methods = (Donation.Method.BANK_TRANSFER, Donation.Method.EWALLET, Donation.Method.CASH)
        super().__init__(*args, campaign=campaign, **kwargs)
        self.instalment = instalment
        if instalment is not None:
            amount = self.fields["amount"]
            amount.initial = instalment.amount
            amount.disabled = True  # the instalment's amount, whatever the browser sends
            amount.help_text = _("The amount of the instalment due on %(date)s.") % {
                "date": dates.day(instalment.due_on)
            }


class RecordForm(_GiftForm):
    """Staff record a gift handed over in person: cash for a money campaign, goods for an in-kind one."""

    donor_name = forms.CharField(label=_("Giver's name"), max_length=200)
    donor_email = forms.EmailField(
        label=_("Giver's account (email)"), required=False,
        help_text=_("Optional: the email of the giver's portal account, so the gift appears on their page and the "
                    "receipt is emailed to them."),
    )
    field_order = ["donor_name", "donor_email"]
    proof_required_for = ()

    def __init__(self, *args, campaign: Campaign, **kwargs):
        self.methods = (Donation.Method.IN_KIND,) if campaign.is_in_kind else (Donation.Method.CASH,)
        super().__init__(*args, campaign=campaign, **kwargs)
        self.fields["proof"].label = _("Photo or receipt (optional)")
        self.fields["proof"].help_text = ""
        self.donor: User | None = None

    def clean_donor_email(self):
        email = self.cleaned_data.get("donor_email", "").strip()
        if not email:
            return ""
        self.donor = User.objects.filter(email__iexact=email, is_active=True).first()
        if self.donor is None:
            raise ValidationError(_("No account has this email. Leave it empty to record the gift by name only."))
        return email


class RejectForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea({"rows": 3}),
        help_text=_("The donor reads this, e.g. “The transfer is not on the account statement.”"),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Say why the donation is rejected: the donor will read it."))
        return reason


class VoidForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea({"rows": 3}),
        help_text=_("The donor reads this, e.g. “Verified by mistake: the transfer was for another campaign.”"),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Say why the donation is voided: the donor will read it."))
        return reason
