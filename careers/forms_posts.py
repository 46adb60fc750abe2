"""Forms of job posts: writing and editing a post (its checks are the service's, `services_posts.post_errors`, so
the page and the service say the same), the paste-a-WhatsApp-message step, the job list's filters, a report, and
the reason staff give when they refuse or remove a post."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alumni.models import Province, StudyProgram
from core.forms import BootstrapFormMixin
from donations.money import RupiahField

from .models import MAX_OPEN_DAYS, NOTE_MAX, TEXT_MAX, TITLE_MAX, Field, JobPost, JobReport
from .selectors_posts import PostFilters
from .services_posts import CITY_MAX, ORGANISATION_MAX, POST_FIELDS, REASON_MAX, TAGS_MAX, PosterRights, post_errors


def _date_input() -> forms.DateInput:
    return forms.DateInput({"type": "date"}, format="%Y-%m-%d")


def _with_all(choices) -> list:
    return [("", _("All"))] + list(choices)


class PostForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Job title"), max_length=TITLE_MAX)
    organisation_name = forms.CharField(
        label=_("Organisation"), max_length=ORGANISATION_MAX,
        help_text=_("The employer, as people know it (e.g. “Perpustakaan Nasional RI”, “PT Bank BRI”)."),
    )
    kind = forms.ChoiceField(label=_("Kind of work"), choices=[("", "—"), *JobPost.Kind.choices])
    field = forms.ChoiceField(label=_("Field of work"), choices=[("", "—"), *Field.choices])
    tags = forms.CharField(label=_("Tags"), max_length=TAGS_MAX, required=False,
                           help_text=_("Words separated by commas, e.g. cataloguing, SLiMS, digital archive."))
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.all(), required=False,
                                      empty_label="—")
    city = forms.CharField(label=_("City/regency"), max_length=CITY_MAX, required=False)
    remote = forms.BooleanField(label=_("Remote work (from anywhere)"), required=False)
    salary_min = RupiahField(label=_("Salary from (Rp per month, optional)"), required=False)
    salary_max = RupiahField(label=_("Salary up to (Rp per month, optional)"), required=False)
    description = forms.CharField(label=_("Description"), max_length=TEXT_MAX, required=False,
                                  widget=forms.Textarea({"rows": 6}))
    requirements = forms.CharField(label=_("Requirements"), max_length=TEXT_MAX, required=False,
                                   widget=forms.Textarea({"rows": 5}))
    apply_how = forms.ChoiceField(label=_("How to apply"), choices=JobPost.Apply.choices,
                                  initial=JobPost.Apply.URL, widget=forms.RadioSelect)
    apply_url = forms.CharField(label=_("Application link"), max_length=500, required=False,
                                help_text=_("Starts with https:// or http://."),
                                widget=forms.TextInput({"inputmode": "url"}))
    apply_email = forms.CharField(label=_("Application email"), max_length=254, required=False,
                                  widget=forms.TextInput({"inputmode": "email"}))
    closing_date = forms.DateField(label=_("Closing date"), widget=_date_input())
    study_programs = forms.ModelMultipleChoiceField(
        label=_("Study programs this job suits"), queryset=StudyProgram.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one study program this job suits.")},
    )

    def __init__(self, *args, rights: PosterRights | None = None, today: datetime.date | None = None,
                 closing_date_was: datetime.date | None = None, **kwargs):
        self.today = today or timezone.localdate()
        self.closing_date_was = closing_date_was
        super().__init__(*args, **kwargs)
        self.fields["closing_date"].help_text = _(
            "Required; at most %(days)s days ahead. The post closes itself on that day."
        ) % {"days": MAX_OPEN_DAYS}
        if rights is None:
            del self.fields["study_programs"]
        else:
            programs = self.fields["study_programs"]
            programs.queryset = StudyProgram.objects.filter(pk__in=rights.choosable_program_ids).order_by("name")
            programs.initial = list(rights.default_program_ids)
            programs.help_text = _(
                "Listed at once for the programs you belong to or run; staff of the others decide first."
            )

    def clean(self):
        data = super().clean()
        wrong = post_errors(data={name: data.get(name) for name in POST_FIELDS}, today=self.today,
                            closing_date_was=self.closing_date_was)
        for name, message in wrong.items():
            if name not in self.errors:
                self.add_error(name if name in self.fields else None, message)
        return data

    def post_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in POST_FIELDS}

    def program_ids(self) -> list[int]:
        return [p.pk for p in self.cleaned_data.get("study_programs") or []]

    @staticmethod
    def initial_from(post: JobPost) -> dict[str, Any]:
        initial = {name: getattr(post, name) for name in POST_FIELDS if name != "organisation_name"}
        initial["organisation_name"] = post.organisation.name
        return initial


class PasteForm(BootstrapFormMixin, forms.Form):
    pasted = forms.CharField(
        label=_("Paste a WhatsApp message"), max_length=TEXT_MAX, widget=forms.Textarea({"rows": 6}),
        help_text=_("Paste the vacancy as it came in the group; we fill in the form below from it. Nothing is "
                    "published until you check it and press Publish."),
        error_messages={"required": _("Paste the text of the message first.")},
    )


# The form's labels of the fields the paste parser may fill ("We filled in: …").
PASTE_LABELS = {
    "title": _("job title"), "organisation": _("organisation"), "kind": _("kind of work"),
    "province_code": _("province"), "city": _("city/regency"), "remote": _("remote work"),
    "closing_date": _("closing date"), "apply_email": _("application email"), "apply_url": _("application link"),
    "phone": _("phone"), "salary_min": _("salary from"), "salary_max": _("salary up to"),
    "requirements": _("requirements"), "description": _("description"),
}


def initial_from_paste(vacancy, *, provinces: dict[str, Province]) -> dict[str, Any]:
    """The post form's initial data from a parsed message (careers.paste.PastedVacancy): nothing is saved."""
    initial: dict[str, Any] = {}
    for name in ("title", "kind", "city", "closing_date", "apply_email", "apply_url", "salary_min", "salary_max",
                 "requirements", "description"):
        value = getattr(vacancy, name, None)
        if value not in (None, ""):
            initial[name] = value
    if getattr(vacancy, "organisation", ""):
        initial["organisation_name"] = vacancy.organisation
    if getattr(vacancy, "remote", False):
        initial["remote"] = True
    province = provinces.get(getattr(vacancy, "province_code", "") or "")
    if province is not None:
        initial["province"] = province.pk
    if initial.get("apply_url"):
        initial["apply_how"] = JobPost.Apply.URL
    elif initial.get("apply_email"):
        initial["apply_how"] = JobPost.Apply.EMAIL
    else:
        initial["apply_how"] = JobPost.Apply.ASK
    return initial


class PostFilterForm(BootstrapFormMixin, forms.Form):
    SORTS = [("newest", _("Newest first")), ("closing", _("Closing soonest first"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        help_text=_("Title, organisation, tags or description."))
    kind = forms.ChoiceField(label=_("Kind of work"), required=False, choices=_with_all(JobPost.Kind.choices))
    field = forms.ChoiceField(label=_("Field of work"), required=False, choices=_with_all(Field.choices))
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.all(), required=False,
                                      empty_label=_("All"))
    city = forms.CharField(label=_("City/regency"), required=False, max_length=100)
    poster_kind = forms.ChoiceField(label=_("Posted by"), required=False,
                                    choices=_with_all(JobPost.PosterKind.choices))
    remote = forms.BooleanField(label=_("Remote work only"), required=False)
    closing_soon = forms.BooleanField(label=_("Closing within 7 days"), required=False)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORTS)

    FOLDED = ("kind", "field", "province", "city", "poster_kind", "remote", "closing_soon", "sort")

    def filters(self) -> PostFilters:
        if not self.is_valid():
            return PostFilters()
        d = self.cleaned_data
        return PostFilters(
            q=d["q"].strip(), kind=d["kind"], field=d["field"],
            province_id=d["province"].pk if d["province"] else None, city=d["city"].strip(),
            remote=d["remote"], closing_soon=d["closing_soon"], poster_kind=d["poster_kind"],
            sort=d["sort"] or "newest",
        )

    def any_folded(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.FOLDED)


class ReportForm(BootstrapFormMixin, forms.Form):
    reason = forms.ChoiceField(label=_("What is wrong?"), choices=JobReport.Reason.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": _("Choose what is wrong with the post.")})
    note = forms.CharField(label=_("Note for staff (optional)"), max_length=NOTE_MAX, required=False,
                           widget=forms.Textarea({"rows": 2}))


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason (the poster reads it)"), max_length=REASON_MAX, widget=forms.Textarea({"rows": 3}),
        error_messages={"required": _("Say why, for the poster.")},
    )
