"""Staff forms for running a campaign: the campaign itself with its needed items and pictures, an update, and a
disbursement. Money goes through `RupiahField` (whole rupiah, Indonesian grouping); files are checked by content."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alumni.models import Institution, StudyProgram
from alumni.scope import scope_for
from alumni.widgets import StoredImageInput
from core.forms import BootstrapFormMixin
from core.images import reencode_image

from .models import Campaign, CampaignImage, CampaignItem, CampaignUpdate
from .money import RupiahField
from .uploads import ProofField

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_EXTRA_IMAGES = 6
# What the image views can name by content (donations.uploads.sniff): no GIF, no TIFF.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def clean_image(upload):
    """An uploaded picture (already opened by Pillow through ImageField) that is small enough and of a format the
    image views serve; re-encoded by Pillow (`reencode_image`: random name, at most 4,000 × 4,000, no metadata)."""
    if not upload or not hasattr(upload, "image"):  # nothing new uploaded (kept or cleared)
        return upload
    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The picture is %(size)s MB; the limit is 5 MB."), params={"size": f"{upload.size / 1048576:.1f}"}
        )
    extension = IMAGE_FORMATS.get(getattr(upload.image, "format", None) or "")
    if extension is None:
        raise ValidationError(_("Use a JPEG, PNG or WebP picture."))
    return reencode_image(upload)


# Moves a campaign's status may make. Closing is allowed at any time; a closed campaign stays closed (its books
# are final and donors were told), and an open one does not go back to draft (it may already have donations).
ALLOWED_STATUS = {
    Campaign.Status.DRAFT: {Campaign.Status.DRAFT, Campaign.Status.OPEN, Campaign.Status.CLOSED},
    Campaign.Status.OPEN: {Campaign.Status.OPEN, Campaign.Status.CLOSED},
    Campaign.Status.CLOSED: {Campaign.Status.CLOSED},
}
NEW_STATUS = {Campaign.Status.DRAFT, Campaign.Status.OPEN}


class CampaignForm(BootstrapFormMixin, forms.ModelForm):
    goal_amount = RupiahField(
        label=_("Goal (Rp)"), required=False, help_text=_("Required for money campaigns, e.g. 25.000.000.")
    )
    study_program = forms.ModelChoiceField(label=_("Study program"), queryset=StudyProgram.objects.none())
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none(), required=False,
        help_text=_("For a campaign of the whole institution."),
    )

    class Meta:
        model = Campaign
        fields = ["title", "kind", "study_program", "summary", "description", "beneficiary", "goal_amount",
                  "starts_on", "ends_on", "status", "payment_instructions", "cover"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 6}),
            "payment_instructions": forms.Textarea(attrs={"rows": 3}),
            "cover": StoredImageInput(
                url_name="donations:campaign_cover", alt=_("The campaign's current cover picture"),
                thumbnail_class="img-thumbnail object-fit-cover", attrs={"accept": "image/jpeg,image/png,image/webp"},
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Not `instance.pk`: a UUID primary key is set before the first save.
        self.editing = not self.instance._state.adding
        scope = scope_for(user)
        programs = self.fields["study_program"]
        programs.queryset = StudyProgram.objects.managed_by(user).select_related("faculty").order_by("name")
        institutions = Institution.objects.managed_by(user) if scope.is_admin else Institution.objects.none()
        self.admin_institutions = list(institutions)
        if self.admin_institutions:
            # Institution admins alone may run a campaign of the whole institution (no study program).
            programs.required = False
            programs.empty_label = _("Whole institution")
            self.fields["institution"].queryset = institutions
            if len(self.admin_institutions) == 1:
                self.fields["institution"].widget = forms.HiddenInput()
                self.fields["institution"].initial = self.admin_institutions[0].pk
            elif self.editing:
                self.fields["institution"].initial = self.instance.institution_id
        else:
            del self.fields["institution"]
            programs.empty_label = None
        self.fields["cover"].help_text = _("JPEG, PNG or WebP, at most 5 MB.")
        self.fields["payment_instructions"].help_text = _(
            "The institution's account or e-wallet that donations go to. Never a private account."
        )

    def clean_cover(self):
        return clean_image(self.cleaned_data.get("cover"))

    def clean_status(self):
        # Every status stays in the list so that a refused move gets this message, not "not a valid choice".
        status = self.cleaned_data["status"]
        if not self.editing:
            if status not in NEW_STATUS:
                raise ValidationError(_("A new campaign starts as a draft or open."))
        elif status not in ALLOWED_STATUS[self.instance.status]:
            if self.instance.status == Campaign.Status.CLOSED:
                raise ValidationError(_("A closed campaign cannot be reopened: start a new campaign instead."))
            raise ValidationError(_("An open campaign cannot go back to draft; close it instead."))
        return status

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind and kind != Campaign.Kind.IN_KIND:
            if not cleaned.get("goal_amount") and "goal_amount" not in self.errors:
                self.add_error("goal_amount", _("Set a goal in rupiah for a money campaign."))
        elif kind == Campaign.Kind.IN_KIND:
            cleaned["goal_amount"] = None
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date is before the start date."))
        if self.editing and kind and kind != self.instance.kind and self.instance.donations.exists():
            self.add_error("kind", _("The kind cannot change once donations have been made."))
        program = cleaned.get("study_program")
        if program is not None:
            cleaned["institution"] = program.faculty.institution
        elif "study_program" not in self.errors:
            institution = cleaned.get("institution")
            if institution is None and len(self.admin_institutions) == 1:
                institution = self.admin_institutions[0]
            if institution is None:
                self.add_error("institution", _("Choose the institution that runs this campaign."))
            cleaned["institution"] = institution
        return cleaned

    def save(self, commit=True):
        campaign = super().save(commit=False)
        campaign.institution = self.cleaned_data["institution"]
        if commit:
            campaign.save()
        return campaign


class ItemForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CampaignItem
        fields = ["name", "quantity_needed", "unit"]
        widgets = {"quantity_needed": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"})}

    def clean_quantity_needed(self):
        quantity = self.cleaned_data["quantity_needed"]
        if quantity is not None and quantity < 1:
            raise ValidationError(_("At least one."))
        return quantity


ItemFormSet = forms.inlineformset_factory(
    Campaign, CampaignItem, form=ItemForm, extra=3, can_delete=True, max_num=100, validate_max=True
)


class ImageForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CampaignImage
        fields = ["image", "caption"]
        widgets = {
            "image": StoredImageInput(url_name="donations:campaign_image", alt=_("The picture as it is now"),
                                      attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }

    def clean_image(self):
        return clean_image(self.cleaned_data.get("image"))


ImageFormSet = forms.inlineformset_factory(
    Campaign, CampaignImage, form=ImageForm, extra=2, can_delete=True, max_num=MAX_EXTRA_IMAGES, validate_max=True,
)


def items_given(formset) -> int:
    """How many items a validated formset keeps: filled in and not marked for deletion."""
    count = 0
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if data.get("name") and not data.get("DELETE"):
            count += 1
    return count


class UpdateForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CampaignUpdate
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}


class DisbursementForm(BootstrapFormMixin, forms.Form):
    amount = RupiahField(label=_("Amount (Rp)"))
    paid_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    purpose = forms.CharField(label=_("Purpose"), max_length=300,
                              help_text=_("What the money paid for, e.g. 10 desks for the reading room."))
    recipient = forms.CharField(label=_("Paid to"), max_length=200, required=False)
    proof = ProofField(label=_("Proof (receipt, invoice)"), required=False,
                       help_text=_("A photo or PDF; shown on the public ledger."))

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise ValidationError(_("The date is in the future."))
        return paid_on
