"""The profile form's photo (issue 14 §3): the current photo is a thumbnail served through the portal's photo view
(never a /media/ link, never the storage path), with Remove and Replace, each with a label."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alumni.models import AlumniProfile
from core.models import AuditLog

from ..conftest import client_for
from .test_profile import profile_form, tiny_png

EDIT = reverse("alumni:profile_edit")


@pytest.fixture
def with_photo(alumnus_a, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    profile = AlumniProfile.objects.get(user=alumnus_a)
    response = client_for(alumnus_a).post(EDIT, {**profile_form(profile), "photo": upload()})
    assert response.status_code == 302
    profile.refresh_from_db()
    return profile


def upload():
    return SimpleUploadedFile("me.png", tiny_png(), content_type="image/png")


def photo_part(html: str) -> str:
    """From the photo's label to the end of its field group."""
    start = html.index('for="id_photo"')
    return html[start:html.index('name="vis_photo"', start)]


def test_the_current_photo_is_a_thumbnail_through_the_photo_view_with_remove_and_replace(with_photo, alumnus_a):
    html = client_for(alumnus_a).get(EDIT).content.decode()
    part = photo_part(html)
    thumbnails = re.findall(r'<img class="avatar avatar-lg" src="([^"]+)" alt="([^"]+)"', part)
    assert len(thumbnails) == 1
    src, alt = thumbnails[0]
    assert src.startswith(reverse("alumni:photo", args=[with_photo.pk]) + "?v=")
    assert alt  # named for screen readers
    assert "/media/" not in html and with_photo.photo.name not in html  # neither the storage URL nor its path
    # Remove: a checkbox with its own label; Replace: the file input, described by the text beside it.
    assert re.search(r'<input type="checkbox" class="form-check-input" name="photo-clear" id="photo-clear_id">\s*'
                     r'<label class="form-check-label" for="photo-clear_id">', part)
    file_input = re.search(r'<input type="file" name="photo" aria-describedby="([^"]+)"[^>]*id="id_photo"', part)
    assert file_input and f'id="{file_input.group(1)}"' in part
    # The thumbnail opens for its owner.
    photo = client_for(alumnus_a).get(src)
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"


def test_without_a_photo_there_is_only_the_file_input(alumnus_a):
    part = photo_part(client_for(alumnus_a).get(EDIT).content.decode())
    assert "<img" not in part and "photo-clear" not in part
    assert '<input type="file" name="photo"' in part


def test_replacing_gives_the_thumbnail_a_new_address(with_photo, alumnus_a):
    client = client_for(alumnus_a)
    before = re.search(r'<img class="avatar avatar-lg" src="([^"]+)"', client.get(EDIT).content.decode()).group(1)
    old_name = with_photo.photo.name
    assert client.post(EDIT, {**profile_form(with_photo), "photo": upload()}).status_code == 302
    with_photo.refresh_from_db()
    assert with_photo.photo.name != old_name
    after = re.search(r'<img class="avatar avatar-lg" src="([^"]+)"', client.get(EDIT).content.decode()).group(1)
    assert after != before  # browsers keep a photo for an hour: a new file is a new URL


def test_remove_clears_the_photo(with_photo, alumnus_a):
    response = client_for(alumnus_a).post(EDIT, {**profile_form(with_photo), "photo-clear": "on"})
    assert response.status_code == 302
    with_photo.refresh_from_db()
    assert not with_photo.photo
    entry = AuditLog.objects.filter(action="alumni.profile.updated").latest("pk")
    assert entry.data["fields"] == ["photo"]
    assert client_for(alumnus_a).get(reverse("alumni:photo", args=[with_photo.pk])).status_code == 404


def test_remove_and_replace_at_once_is_refused_and_changes_nothing(with_photo, alumnus_a):
    name = with_photo.photo.name
    response = client_for(alumnus_a).post(EDIT, {**profile_form(with_photo), "photo-clear": "on", "photo": upload()})
    assert response.status_code == 200
    assert "photo" in response.context["form"].errors
    with_photo.refresh_from_db()
    assert with_photo.photo.name == name
