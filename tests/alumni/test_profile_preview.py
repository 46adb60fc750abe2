""""View my profile as others see it": the preview as a member, as staff of the study program and as the public is
rendered by the real profile page's code for a stand-in viewer, so it shows exactly what a real viewer sees."""

import re

import pytest
from django.urls import reverse

from alumni.models import AlumniProfile
from core.models import AuditLog

from ..conftest import client_for
from ..factories import EmploymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile_a(alumnus_a, provinces):
    """A shares her email and career with members, her phone and bio with staff only, keeps her city to herself."""
    profile = AlumniProfile.objects.get(user=alumnus_a)
    profile.email, profile.phone, profile.city = "ani@example.org", "+62 812 1111 2222", "Bogor"
    profile.bio = "Pustakawan"
    profile.province = provinces.get(code="020000")
    profile.vis_email, profile.vis_career = "alumni", "alumni"
    profile.vis_phone, profile.vis_bio, profile.vis_graduation = "staff", "staff", "staff"
    profile.vis_location = "private"
    profile.save()
    EmploymentFactory(profile=profile, employer="Perpustakaan Nasional RI", position="Pustakawan Ahli")
    return profile


def shown(html: str) -> str:
    """The profile itself (avatar, name, contact, career, sections): the element with id="profile-view"."""
    start = html.index('<div id="profile-view">')
    depth = 0
    for tag in re.finditer(r"<div\b|</div>", html[start:]):
        depth += 1 if tag.group(0) == "<div" else -1
        if depth == 0:
            return html[start:start + tag.end()]
    raise AssertionError("profile-view is not closed")


def preview(owner, kind):
    return client_for(owner).get(reverse("alumni:profile_preview", args=[kind]))


@pytest.mark.parametrize("kind, viewer", [("member", "alumnus_b"), ("staff", "staff_x")])
def test_the_preview_shows_exactly_what_a_real_viewer_sees(profile_a, alumnus_a, kind, viewer, request):
    real = client_for(request.getfixturevalue(viewer)).get(profile_a.get_absolute_url())
    assert real.status_code == 200
    previewed = preview(alumnus_a, kind)
    assert previewed.status_code == 200
    assert shown(previewed.content.decode()) == shown(real.content.decode())


def test_members_and_staff_see_different_parts(profile_a, alumnus_a):
    as_member = shown(preview(alumnus_a, "member").content.decode())
    as_staff = shown(preview(alumnus_a, "staff").content.decode())
    assert "ani@example.org" in as_member and "Pustakawan Ahli" in as_member
    assert "+62 812 1111 2222" not in as_member and "+62 812 1111 2222" in as_staff
    assert "Bogor" not in as_member and "Bogor" not in as_staff  # only herself
    parts = preview(alumnus_a, "member").context["parts"]
    assert {name: parts[name] for name in ("email", "phone", "location", "graduation", "career", "bio")} == {
        "email": True, "phone": False, "location": False, "graduation": False, "career": True, "bio": False,
    }


def test_the_public_sees_nothing_as_a_real_anonymous_visitor(profile_a, alumnus_a):
    real = client_for(None).get(profile_a.get_absolute_url())
    assert real.status_code == 302 and real["Location"].startswith(reverse("account_login"))
    html = preview(alumnus_a, "public").content.decode()
    assert 'id="profile-preview-hidden"' in html and 'id="profile-view"' not in html
    assert "ani@example.org" not in html and "Pustakawan Ahli" not in html


def test_a_profile_left_out_of_the_directory_is_hidden_from_members_in_the_preview_too(profile_a, alumnus_a,
                                                                                         alumnus_b):
    AlumniProfile.objects.filter(pk=profile_a.pk).update(listed_in_directory=False)
    assert client_for(alumnus_b).get(profile_a.get_absolute_url()).status_code == 404
    assert 'id="profile-preview-hidden"' in preview(alumnus_a, "member").content.decode()
    assert 'id="profile-view"' in preview(alumnus_a, "staff").content.decode()  # staff still see the record


def test_a_preview_reads_nothing_for_anyone_and_audits_nothing(profile_a, alumnus_a, staff_x):
    preview(alumnus_a, "staff")
    assert not AuditLog.objects.filter(action="alumni.profile.viewed").exists()
    client_for(staff_x).get(profile_a.get_absolute_url())
    assert AuditLog.objects.filter(action="alumni.profile.viewed").count() == 1  # a real staff read is


def test_the_own_profile_offers_the_preview_and_the_preview_has_no_edit_buttons(profile_a, alumnus_a):
    own = client_for(alumnus_a).get(profile_a.get_absolute_url()).content.decode()
    for kind in ("member", "staff", "public"):
        assert reverse("alumni:profile_preview", args=[kind]) in own
    html = preview(alumnus_a, "staff").content.decode()
    assert reverse("alumni:profile_edit") not in html and reverse("alumni:record_edit", args=[profile_a.pk]) not in html
    assert 'aria-current="page"' in html


def test_an_unknown_preview_is_404_and_someone_without_a_record_is_sent_to_create_one(profile_a, alumnus_a, staff_x):
    assert preview(alumnus_a, "president").status_code == 404
    response = preview(staff_x, "member")
    assert response.status_code == 302 and response["Location"] == reverse("alumni:profile_create")
