"""The profile photo input: the current photo as a thumbnail, served through the portal's photo view (the
permission door, alumni.views.profile_photo), with Remove and Replace. Django's own ClearableFileInput links to
the storage URL (/media/photos/…, which the portal never serves) and prints the storage path."""

from __future__ import annotations

import hashlib

from django import forms
from django.urls import reverse


class ProfilePhotoInput(forms.ClearableFileInput):
    template_name = "alumni/widgets/profile_photo.html"

    def is_initial(self, value) -> bool:
        # A stored photo of a saved profile; not the storage URL, which is never served.
        return bool(value and getattr(value, "name", "") and getattr(getattr(value, "instance", None), "pk", None))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        if widget["is_initial"]:
            # The view lets browsers keep a photo for an hour: a replaced photo (a new file name) gets a new URL.
            version = hashlib.sha256(value.name.encode()).hexdigest()[:12]
            widget["photo_url"] = f"{reverse('alumni:photo', args=[value.instance.pk])}?v={version}"
            widget["replace_help_id"] = f"{widget['attrs'].get('id', name)}-replace"
        return context
