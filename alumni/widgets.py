"""A stored picture's file input (a profile photo, a campaign cover): the current picture as a thumbnail, served
through the portal's own view of it (the permission door: alumni.views.profile_photo, donations' campaign_cover),
with Remove and Replace. Django's own ClearableFileInput links to the storage URL (/media/…, which the portal never
serves) and prints the storage path."""

from __future__ import annotations

import hashlib

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class StoredImageInput(forms.ClearableFileInput):
    """`url_name`: the view that serves the picture, with the owning object's pk as its one argument; `alt`: what
    the thumbnail shows, for screen readers; `thumbnail_class`: the thumbnail's CSS classes."""

    template_name = "alumni/widgets/stored_image.html"

    def __init__(self, *, url_name: str, alt, remove_label=None, thumbnail_class="img-thumbnail",
                 attrs: dict | None = None):
        super().__init__(attrs=attrs)
        self.url_name, self.alt, self.thumbnail_class = url_name, alt, thumbnail_class
        self.remove_label = remove_label or _("Remove this picture")

    def is_initial(self, value) -> bool:
        # A stored picture of a saved object; not the storage URL, which is never served.
        instance = getattr(value, "instance", None)
        return bool(value and getattr(value, "name", "") and instance is not None and not instance._state.adding)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        if widget["is_initial"]:
            # The views let browsers keep a picture for a while: a replaced one (a new file name) gets a new URL.
            version = hashlib.sha256(value.name.encode()).hexdigest()[:12]
            widget["image_url"] = f"{reverse(self.url_name, args=[value.instance.pk])}?v={version}"
            widget["replace_help_id"] = f"{widget['attrs'].get('id', name)}-replace"
            widget.update(alt=self.alt, remove_label=self.remove_label, thumbnail_class=self.thumbnail_class,
                          replace_text=_("To replace it, choose another picture."))
        return context


def profile_photo_input() -> StoredImageInput:
    return StoredImageInput(
        url_name="alumni:photo", alt=_("Your current profile photo"), remove_label=_("Remove this photo"),
        thumbnail_class="avatar avatar-lg", attrs={"accept": "image/jpeg,image/png,image/webp"},
    )
