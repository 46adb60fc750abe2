"""Forms for programs and sessions. They validate input; every write goes through `programs.services`."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

from django import forms
from django.core.validators import validate_email
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alumni.models import Role, StudyProgram, User
from core.forms import BootstrapFormMixin

from .models import Participation, Program
from .services import NEEDS_REASON, PROGRAM_FIELDS

# Times are typed and shown in Western Indonesian Time, whatever the server's clock says.
WIB = ZoneInfo("Asia/Jakarta")
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _choices_with_all(choices):
    return [("", _("All"))] + list(choices)


class ProgramFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_choices_with_all(Program.Kind.choices))
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=_choices_with_all(Program.Category.choices)
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_choices_with_all(Program.Status.choices))
    study_program = forms.ModelChoiceField(
        label=_("Study program"), queryset=StudyProgram.objects.none(), required=False, empty_label=_("All")
    )

    def __init__(self, *args, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["study_program"].queryset = StudyProgram.objects.visible_to(viewer).order_by("name")

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data["q"].strip(),
            "kind": data["kind"],
            "category": data["category"],
            "status": data["status"],
            "study_program": data["study_program"].pk if data["study_program"] else None,
        }


MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


class CalendarFilterForm(BootstrapFormMixin, forms.Form):
    """The session calendar's choices, from the query string: which month, month grid or list, which kind of
    program. A month before the current one or a month that is no month is refused with a message; the page then
    shows the current month."""

    MONTH_VIEW, LIST_VIEW = "month", "list"

    month = forms.CharField(label=_("Month"), required=False, max_length=20,
                            widget=forms.TextInput(attrs={"type": "month"}))
    kind = forms.ChoiceField(label=_("Kind of program"), required=False,
                             choices=_choices_with_all(Program.Kind.choices))
    view = forms.ChoiceField(label=_("Show as"), required=False,
                             choices=[("", _("Month on a wide screen, list on a phone")), (MONTH_VIEW, _("Month")),
                                      (LIST_VIEW, _("List"))])

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.first_month = today.replace(day=1)

    def clean_month(self) -> datetime.date:
        text = (self.cleaned_data.get("month") or "").strip()
        if not text:
            return self.first_month
        match = MONTH_RE.match(text)
        month = None
        if match and 1 <= int(match.group(2)) <= 12 and 1900 <= int(match.group(1)) <= 2999:
            month = datetime.date(int(match.group(1)), int(match.group(2)), 1)
        if month is None:
            raise forms.ValidationError(_("Choose a month written as YYYY-MM, e.g. 2026-12."))
        if month < self.first_month:
            raise forms.ValidationError(_("The calendar shows upcoming sessions only: choose this month or a later "
                                          "one."))
        return month

    def choices(self) -> tuple[datetime.date, str, str]:
        """(first day of the month, kind, view) as chosen, the defaults for whatever was refused."""
        data = self.cleaned_data if self.is_bound else {}
        return (
            data.get("month") or self.first_month,
            data.get("kind") or "",
            data.get("view") or "",
        )


def validate_cadence(form: forms.BaseForm, data: dict) -> None:
    """N only means something for "every N years"; the rule that it is there lives in `Program.clean`."""
    if data.get("cadence") != Program.Cadence.EVERY_N_YEARS:
        data["cadence_years"] = None


class ProgramForm(BootstrapFormMixin, forms.ModelForm):
    """The program's own fields (title … grace days). Subclasses add the study program and the PIC."""

    class Meta:
        model = Program
        fields = list(PROGRAM_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadence_years"].help_text = _("Only for “every N years”, e.g. 3 for every three years.")
        self.fields["cadence_years"].widget.attrs["min"] = 2

    def clean(self):
        data = super().clean()
        validate_cadence(self, data)
        return data

    def program_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in PROGRAM_FIELDS}


class ProposeForm(ProgramForm):
    class Meta(ProgramForm.Meta):
        fields = ["study_program", *PROGRAM_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["study_program"].queryset = StudyProgram.objects.visible_to(None).select_related("faculty")
        self.fields["study_program"].empty_label = _("Choose a study program")


def pic_candidates(study_program: StudyProgram):
    """People who may lead a program of this study program: its alumni and students with an account, its staff,
    and admins of its institution."""
    return User.objects.filter(
        Q(alumni_profile__study_program=study_program)
        | Q(roles__kind=Role.Kind.STAFF, roles__study_program=study_program)
        | Q(roles__kind=Role.Kind.ADMIN, roles__institution_id=study_program.faculty.institution_id),
        is_active=True,
    ).distinct()


class PicEmailMixin:
    """A PIC given by the email of an existing account that belongs to the program's study program."""

    def clean_pic_for(self, study_program: StudyProgram | None, email: str):
        email = (email or "").strip().lower()
        if not email or study_program is None:
            return None
        user = pic_candidates(study_program).filter(email__iexact=email).first()
        if user is None:
            self.add_error(
                "pic_email",
                _("No account with this email belongs to %(prodi)s (as alumnus, student or staff).")
                % {"prodi": study_program},
            )
        return user


class ProgramCreateForm(PicEmailMixin, ProgramForm):
    """Staff create an approved program directly, naming its PIC."""

    pic_email = forms.EmailField(
        label=_("Person in charge (PIC): email"),
        help_text=_("The account email of an alumnus, student or staff member of this study program."),
    )

    class Meta(ProgramForm.Meta):
        fields = ["study_program", *PROGRAM_FIELDS]

    def __init__(self, *args, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["study_program"].queryset = StudyProgram.objects.managed_by(viewer).select_related("faculty")
        self.fields["study_program"].empty_label = None

    def clean(self):
        data = super().clean()
        data["pic"] = self.clean_pic_for(data.get("study_program"), data.get("pic_email"))
        return data


class ProgramEditForm(PicEmailMixin, ProgramForm):
    """Edit a program. Staff may also hand it to another PIC; a PIC edits the rest."""

    pic_email = forms.EmailField(label=_("Person in charge (PIC): email"), required=False)

    def __init__(self, *args, can_change_pic=False, **kwargs):
        super().__init__(*args, **kwargs)
        if can_change_pic:
            self.fields["pic_email"].initial = self.instance.pic.email if self.instance.pic_id else ""
            self.fields["pic_email"].help_text = _("Leave as is to keep the current PIC.")
        else:
            del self.fields["pic_email"]

    def clean(self):
        data = super().clean()
        if "pic_email" in self.fields and data.get("pic_email"):
            data["pic"] = self.clean_pic_for(self.instance.study_program, data["pic_email"])
        else:
            data["pic"] = None
        return data


class ApproveForm(BootstrapFormMixin, forms.Form):
    pic = forms.ModelChoiceField(
        label=_("Person in charge (PIC)"), queryset=User.objects.none(), empty_label=None,
        help_text=_("The proposer or a staff member of this study program."),
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        sp = program.study_program
        self.fields["pic"].queryset = User.objects.filter(
            Q(pk=program.proposed_by_id)
            | Q(roles__kind=Role.Kind.STAFF, roles__study_program=sp)
            | Q(roles__kind=Role.Kind.ADMIN, roles__institution_id=sp.faculty.institution_id),
            is_active=True,
        ).distinct().order_by("full_name", "email")
        self.fields["pic"].label_from_instance = lambda u: f"{u.full_name} <{u.email}>" if u.full_name else u.email
        if program.proposed_by_id:
            self.fields["pic"].initial = program.proposed_by_id


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        error_messages={"required": _("Please give a reason.")},
    )


class TransitionForm(BootstrapFormMixin, forms.Form):
    to = forms.ChoiceField(choices=Program.Status.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                             max_length=2000)

    def clean(self):
        data = super().clean()
        if data.get("to") in NEEDS_REASON and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Please give a reason."))
        return data


class WibDateTimeField(forms.DateTimeField):
    """A datetime-local input read and shown as WIB (Asia/Jakarta)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", [DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"])
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return value.astimezone(WIB).replace(tzinfo=None)
        return value

    def to_python(self, value):
        result = super().to_python(value)
        if result is None:
            return None
        # super() made it aware in the current time zone; re-read the wall-clock time as WIB.
        naive = timezone.make_naive(result) if timezone.is_aware(result) else result
        return naive.replace(tzinfo=WIB)


EMAIL_SPLIT = re.compile(r"[\s,;]+")


def split_emails(text: str) -> tuple[list[str], list[str]]:
    """A list of emails (comma, space or newline separated), each once: (valid, invalid). No account is looked
    up: speakers are invited by email (`services.team_invite`), whether or not an account has the address."""
    emails = list(dict.fromkeys(e.lower() for e in EMAIL_SPLIT.split(text or "") if e))
    valid, invalid = [], []
    for email in emails:
        try:
            validate_email(email)
        except forms.ValidationError:
            invalid.append(email)
        else:
            valid.append(email)
    return valid, invalid


class SessionForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Leave empty to use the program's title.")
    )
    start = WibDateTimeField(label=_("Starts (WIB)"))
    end = WibDateTimeField(label=_("Ends (WIB)"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(label=_("Capacity"), required=False, min_value=1, help_text=_("Empty: no limit."))
    registration_deadline = WibDateTimeField(
        label=_("Registration until (WIB)"), required=False, help_text=_("Empty: open until the session starts.")
    )
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    speakers = forms.CharField(
        label=_("Invite speakers"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Emails of the speakers to invite, separated by commas or new lines. Each receives an invitation "
                    "and is listed as a speaker once they accept."),
    )

    FIELDS = ("title", "start", "end", "place", "online_url", "capacity", "registration_deadline", "agenda")

    def clean_speakers(self):
        emails, invalid = split_emails(self.cleaned_data["speakers"])
        if invalid:
            raise forms.ValidationError(
                _("These are not email addresses: %(emails)s.") % {"emails": ", ".join(invalid)}
            )
        return emails

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The session must end after it starts."))
        deadline = data.get("registration_deadline")
        if deadline and start and deadline > start:
            self.add_error("registration_deadline", _("Registration must close before the session starts."))
        if not data.get("place") and not data.get("online_url") and "place" not in self.errors:
            self.add_error("place", _("Give a place, an online link, or both."))
        return data

    def session_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.FIELDS}


TEAM_ROLES = [
    (role, label) for role, label in Participation.Role.choices if role != Participation.Role.PARTICIPANT
]


class TeamMemberForm(BootstrapFormMixin, forms.Form):
    """Invite someone to the team by email. The form never looks the address up: whether an account has it is
    none of the inviter's business (see `services.team_invite`)."""

    email = forms.EmailField(
        label=_("Email"), help_text=_("The person receives an invitation and joins the team when they accept.")
    )
    role = forms.ChoiceField(label=_("Role"), choices=TEAM_ROLES, initial=Participation.Role.COMMITTEE)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class InvitationAnswerForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "accept"), ("decline", "decline")])
