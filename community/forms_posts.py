"""Forms of posts: writing (text, up to MAX_POST_IMAGES pictures each with its description, an announcement box for
the group's admins), editing, a comment, a report, and a moderator's hide/show with the reason. The picture rules
are the service's (services_posts.clean_images); its refusals come back beside the pictures."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin

from .models import COMMENT_MAX, MAX_POST_IMAGES, TEXT_MAX
from .services_posts import ALT_MAX

ACCEPT = "image/jpeg,image/png,image/webp"


class PostForm(BootstrapFormMixin, forms.Form):
    body = forms.CharField(label=_("Text"), max_length=TEXT_MAX, widget=forms.Textarea({"rows": 5}),
                           help_text=_("Web addresses become links."),
                           error_messages={"required": _("Write something first.")})

    def __init__(self, *args, announcements: bool = False, with_images: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if announcements:
            self.fields["announcement"] = forms.BooleanField(
                label=_("Announcement (pinned at the top of the group)"), required=False)
        if with_images:
            for i in range(1, MAX_POST_IMAGES + 1):
                self.fields[f"image_{i}"] = forms.FileField(
                    label=_("Picture %(n)d") % {"n": i}, required=False,
                    widget=forms.ClearableFileInput({"accept": ACCEPT}))
                self.fields[f"alt_{i}"] = forms.CharField(
                    label=_("Description of picture %(n)d (for people who cannot see it)") % {"n": i},
                    max_length=ALT_MAX, required=False)

    def images(self) -> list:
        """[(upload, alt)] of the pictures sent."""
        out = []
        for i in range(1, MAX_POST_IMAGES + 1):
            upload = self.cleaned_data.get(f"image_{i}")
            if upload:
                out.append((upload, self.cleaned_data.get(f"alt_{i}", "")))
        return out


class CommentForm(BootstrapFormMixin, forms.Form):
    body = forms.CharField(label=_("Your comment"), max_length=COMMENT_MAX, widget=forms.Textarea({"rows": 2}),
                           error_messages={"required": _("Write something first.")})


class ReportForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("What is wrong?"), max_length=1000, widget=forms.Textarea({"rows": 3}),
                             error_messages={"required": _("Say briefly what is wrong with it.")})


class ModerateForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason (other moderators and the author read it)"), max_length=1000,
                             required=False, widget=forms.Textarea({"rows": 2}))
