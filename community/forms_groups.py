"""Forms of groups: the groups page's search, proposing a community or making a region group, the staff's decision,
leaving (the last admin names a successor), and linking a program. The rules are the services' (services_groups):
a refusal there comes back beside its field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alumni.models import Institution, Province, StudyProgram
from core.forms import BootstrapFormMixin

from .models import NAME_MAX, TEXT_MAX, Group
from .services_groups import name_taken


class GroupSearchForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Name"), max_length=NAME_MAX, required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *Group.Kind.choices])

    def values(self) -> tuple[str, str]:
        if self.is_valid():
            return self.cleaned_data["q"], self.cleaned_data["kind"]
        return "", ""


class _NameField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(label=_("Name"), max_length=NAME_MAX, **kwargs)


class InterestGroupForm(BootstrapFormMixin, forms.Form):
    name = _NameField(help_text=_("E.g. “Komunitas SLiMS Kediri Raya”."))
    description = forms.CharField(label=_("What the community is about"), max_length=TEXT_MAX,
                                  widget=forms.Textarea({"rows": 4}))
    study_program = forms.ModelChoiceField(
        label=_("Study program whose staff approve it"), queryset=StudyProgram.objects.none(),
        error_messages={"required": _("Choose the study program whose staff approve the community.")},
    )
    join_policy = forms.ChoiceField(label=_("Joining"), choices=Group.JoinPolicy.choices,
                                    initial=Group.JoinPolicy.OPEN, widget=forms.RadioSelect)

    def __init__(self, *args, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["study_program"].queryset = programs if programs is not None else StudyProgram.objects.all()

    def clean_name(self):
        name = self.cleaned_data["name"]
        if name_taken(name):
            raise forms.ValidationError(_("A group with this name exists."))
        return name


class RegionGroupForm(BootstrapFormMixin, forms.Form):
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.all(),
                                      error_messages={"required": _("Choose the province.")})
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none(), required=False,
        empty_label=_("Everyone (not one institution)"),
        help_text=_("Leave empty for one group per province for everyone."),
    )
    name = _NameField(required=False, help_text=_("Empty: the province's name."))
    description = forms.CharField(label=_("Description"), max_length=TEXT_MAX, required=False,
                                  widget=forms.Textarea({"rows": 3}))
    join_policy = forms.ChoiceField(label=_("Joining"), choices=Group.JoinPolicy.choices,
                                    initial=Group.JoinPolicy.OPEN, widget=forms.RadioSelect)

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions if institutions is not None else Institution.objects.none()

    def clean_name(self):
        name = self.cleaned_data["name"]
        if name and name_taken(name):
            raise forms.ValidationError(_("A group with this name exists."))
        return name


class DecideForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                 choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
                                 error_messages={"required": _("Choose approve or refuse.")})
    reason = forms.CharField(label=_("Reason (the creator reads it)"), max_length=1000, required=False,
                             widget=forms.Textarea({"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the community is refused: its creator reads it."))
        return data


class LeaveForm(BootstrapFormMixin, forms.Form):
    successor = forms.ModelChoiceField(label=_("New admin"), queryset=None, required=False,
                                       empty_label=_("Choose a member"))

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["successor"].queryset = members if members is not None else get_user_model().objects.none()
        self.fields["successor"].label_from_instance = lambda user: user.get_full_name()


class ProgramLinkForm(BootstrapFormMixin, forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=None,
                                     error_messages={"required": _("Choose a program."),
                                                     "invalid_choice": _("Choose one of the programs listed.")})

    def __init__(self, *args, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["program"].label_from_instance = lambda p: f"{p.title} ({p.study_program.name})"


class GroupEditForm(BootstrapFormMixin, forms.Form):
    description = forms.CharField(label=_("Description"), max_length=TEXT_MAX, required=False,
                                  widget=forms.Textarea({"rows": 5}))
    join_policy = forms.ChoiceField(label=_("Joining"), choices=Group.JoinPolicy.choices, widget=forms.RadioSelect)

    def __init__(self, *args, group: Group, **kwargs):
        super().__init__(*args, initial={"description": group.description, "join_policy": group.join_policy},
                         **kwargs)
        if group.kind == Group.Kind.COHORT:
            del self.fields["join_policy"]  # everyone of the cohort is in it
