from __future__ import annotations

import datetime

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from core.images import reencode_image
from core.widgets import DatePicker

from .models import AlumniProfile, Employment, Province, StudyProgram
from .reference import use_reference_choices
from .selectors import DirectoryFilters
from .widgets import profile_photo_input

MIN_YEAR = 1950


def year_bounds() -> tuple[int, int]:
    return MIN_YEAR, timezone.localdate().year + 1


class SignupForm(AllauthSignupForm):
    """Email + password signup, with the person's name (allauth's form adds the rest)."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)

    field_order = ["full_name", "email", "password1", "password2"]

    def save(self, request):
        user = super().save(request)
        user.full_name = self.cleaned_data["full_name"].strip()
        user.language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)[:2]
        user.save(update_fields=["full_name", "language"])
        return user


class RecordDatesMixin:
    """The entry cohort within year_bounds() and a graduation date neither in the future nor before the cohort:
    the registration form, staff's record form and the correction form check them alike."""

    def clean_entry_year(self):
        year = self.cleaned_data["entry_year"]
        low, high = year_bounds()
        if not low <= year <= high:
            raise forms.ValidationError(_("Enter a year between %(low)s and %(high)s.") % {"low": low, "high": high})
        return year

    def clean(self):
        data = super().clean()
        validate_graduation(data, self)
        return data


class ProfileCreateForm(BootstrapFormMixin, RecordDatesMixin, forms.Form):
    """For a verified account that matched no imported record: tell us who you are."""

    study_program = forms.ModelChoiceField(
        label=_("Study program"), queryset=StudyProgram.objects.none(), empty_label=_("Choose your study program")
    )
    nim = forms.CharField(label=_("Student number (NIM)"), max_length=30)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    entry_year = forms.IntegerField(label=_("Entry cohort (angkatan)"))
    graduation_date = forms.DateField(
        label=_("Graduation date"),
        required=False,
        widget=DatePicker(),
        help_text=_("Leave empty if you are still a student."),
    )

    def __init__(self, *args, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["study_program"].queryset = StudyProgram.objects.visible_to(viewer).select_related("faculty")

    def clean_nim(self):
        return self.cleaned_data["nim"].strip()


def validate_graduation(data: dict, form: forms.BaseForm) -> None:
    graduation, entry_year = data.get("graduation_date"), data.get("entry_year")
    if graduation and graduation > timezone.localdate():
        form.add_error("graduation_date", _("The graduation date cannot be in the future."))
    elif graduation and entry_year and graduation.year < entry_year:
        form.add_error("graduation_date", _("The graduation date is before the entry cohort."))


class ProfileForm(BootstrapFormMixin, forms.ModelForm):
    """What a person writes about themselves. The academic record (name as the record holds it, cohort, graduation
    date) is not here: the LKPS counts by it, so its owner asks staff for a correction (alumni.records)."""

    class Meta:
        model = AlumniProfile
        fields = [
            "email", "vis_email", "phone", "vis_phone",
            "province", "city", "vis_location", "vis_graduation", "bio", "vis_bio", "photo", "vis_photo",
            "vis_career", "listed_in_directory",
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 4}),
            "photo": profile_photo_input(),
        }
        help_texts = {
            "email": _("Contact address shown in the directory; your login email is managed under Account."),
            "listed_in_directory": _("Other alumni can find you in the directory."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = Province.objects.order_by("name")
        self.fields["province"].empty_label = _("—")

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = phone.replace("+", "").replace(" ", "").replace("-", "")
        if phone and (not digits.isdigit() or not 8 <= len(digits) <= 15):
            raise forms.ValidationError(_("Enter a phone number of 8 to 15 digits, such as +62 812 3456 7890."))
        return phone

    def clean_photo(self):
        """A new photo is re-encoded by Pillow (`reencode_image`): named by its detected format, at most
        4,000 × 4,000 pixels, no EXIF (no GPS position of where it was taken)."""
        photo = self.cleaned_data.get("photo")
        if not isinstance(photo, UploadedFile):  # nothing new: kept, cleared or empty
            return photo
        if photo.size > settings.PROFILE_PHOTO_MAX_BYTES:
            raise forms.ValidationError(
                _("The photo is too large (at most %(mb)s MB).") % {"mb": settings.PROFILE_PHOTO_MAX_BYTES // 2**20}
            )
        return reencode_image(photo)


class EmploymentForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Employment
        fields = [
            "employer", "employer_kind", "scope", "position", "field_relevance", "province", "city",
            "start_date", "end_date",
        ]
        widgets = {
            "start_date": DatePicker(),
            "end_date": DatePicker(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = Province.objects.order_by("name")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        today = timezone.localdate()
        if start and start > today + datetime.timedelta(days=366):
            self.add_error("start_date", _("The start date is too far in the future."))
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return data


class DirectoryFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    employer = forms.CharField(label=_("Employer"), required=False, max_length=100)
    study_program = forms.ModelChoiceField(
        label=_("Study program"), queryset=StudyProgram.objects.none(), required=False, empty_label=_("All")
    )
    cohort = forms.IntegerField(label=_("Cohort"), required=False, min_value=MIN_YEAR, max_value=2100)
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.none(), required=False, empty_label=_("All")
    )
    employer_kind = forms.ChoiceField(
        label=_("Kind of employer"), required=False,
        choices=[("", _("All"))] + list(Employment.EmployerKind.choices),
    )
    # Free text (part of the name is enough: "bandung" finds "Kota Bandung"); the page offers the cities of the
    # chosen province (selectors.city_suggestions) as a datalist.
    city = forms.CharField(label=_("City/regency"), required=False, max_length=100,
                           widget=forms.TextInput(attrs={"list": "city-options", "autocomplete": "off"}))
    sort = forms.ChoiceField(label=_("Sort by"), required=False,
                             choices=[("name", _("Name")), ("cohort", _("Cohort, then name"))])

    def __init__(self, *args, viewer=None, shown=True, **kwargs):
        super().__init__(*args, **kwargs)
        # Study-program and province names are public (StudyProgram.visible_to gives every row): the options come
        # from the cache (alumni/reference.py), a submitted choice is checked against the tables. `shown=False`:
        # the form only reads the filters (the exports), no options needed.
        self.fields["study_program"].queryset = StudyProgram.objects.visible_to(viewer)
        self.fields["province"].queryset = Province.objects.all()
        if shown:
            use_reference_choices(self, study_program="study_program", province="province")

    def filters(self) -> DirectoryFilters:
        """The valid form's filters (call is_valid() first)."""
        data = self.cleaned_data
        return DirectoryFilters(
            q=data["q"],
            employer=data["employer"],
            study_program=data["study_program"].pk if data["study_program"] else None,
            cohort=data["cohort"],
            province=data["province"].pk if data["province"] else None,
            employer_kind=data["employer_kind"],
            city=data["city"].strip(),
            sort="" if data["sort"] in ("", "name") else data["sort"],
        )


class VerificationDecisionForm(BootstrapFormMixin, forms.Form):
    """Staff decide on a pending request: approve it (optionally as one of the study program's unclaimed imported
    records) or refuse it with a reason the person reads."""

    VERIFY, REFUSE = "verify", "refuse"

    decision = forms.ChoiceField(
        label=_("Decision"), choices=[(VERIFY, _("Approve")), (REFUSE, _("Refuse"))], widget=forms.RadioSelect
    )
    imported = forms.ModelChoiceField(
        label=_("This is the imported record"), queryset=AlumniProfile.objects.none(), required=False,
        empty_label=_("No: approve the request as entered"),
    )
    reason = forms.CharField(
        label=_("Reason (shown to the person)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, linkable=None, **kwargs):
        super().__init__(*args, **kwargs)
        if linkable is not None:
            self.fields["imported"].queryset = linkable

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REFUSE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why, so that the person can correct their request."))
        if data.get("decision") == self.REFUSE and data.get("imported"):
            self.add_error("imported", _("A refused request is not linked to a record."))
        return data
