import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from alumni.models import AlumniProfile, Employment, Province
from core.models import AuditLog

from ..conftest import client_for
from ..factories import EmploymentFactory, StudyProgramFactory, UserFactory


def tiny_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (11, 110, 79)).save(buffer, format="PNG")
    return buffer.getvalue()


def profile_form(profile, **changes):
    data = {
        "full_name": profile.full_name, "entry_year": profile.entry_year,
        "graduation_date": profile.graduation_date.isoformat() if profile.graduation_date else "",
        "email": profile.email, "phone": profile.phone, "province": profile.province_id or "",
        "city": profile.city, "bio": profile.bio, "listed_in_directory": "on" if profile.listed_in_directory else "",
    }
    for part in ("email", "phone", "location", "graduation", "career", "bio", "photo"):
        data[f"vis_{part}"] = getattr(profile, f"vis_{part}")
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_alumnus_edits_profile_and_the_change_is_audited(alumnus_a):
    profile = AlumniProfile.objects.get(user=alumnus_a)
    jogja = Province.objects.get(name="DI Yogyakarta")
    response = client_for(alumnus_a).post(
        reverse("alumni:profile_edit"),
        profile_form(profile, phone="+62 812 1111 2222", province=jogja.pk, city="Sleman", vis_career="private"),
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.phone, profile.province, profile.city, profile.vis_career) == (
        "+62 812 1111 2222", jogja, "Sleman", "private",
    )
    entry = AuditLog.objects.get(action="alumni.profile.updated")
    assert entry.actor == alumnus_a
    # Which fields changed, never their values.
    assert sorted(entry.data["fields"]) == ["city", "phone", "province", "vis_career"]
    assert "Sleman" not in str(entry.data) and "2222" not in str(entry.data)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phone": "call me maybe"}, "phone"),
        # Cohort and graduation date are not on this form: staff change them (tests/alumni/test_corrections.py).
        ({"vis_email": "everyone"}, "vis_email"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_bad_profile_input_re_renders_with_errors_and_changes_nothing(alumnus_a, changes, field):
    profile = AlumniProfile.objects.get(user=alumnus_a)
    before = AlumniProfile.objects.filter(pk=profile.pk).values().get()
    response = client_for(alumnus_a).post(reverse("alumni:profile_edit"), profile_form(profile, **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert AlumniProfile.objects.filter(pk=profile.pk).values().get() == before
    assert not AuditLog.objects.filter(action="alumni.profile.updated").exists()


def test_photo_upload_is_served_only_through_the_permission_door(alumnus_a, alumnus_b, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    profile = AlumniProfile.objects.get(user=alumnus_a)
    upload = SimpleUploadedFile("me.png", tiny_png(), content_type="image/png")
    response = client_for(alumnus_a).post(
        reverse("alumni:profile_edit"), {**profile_form(profile, vis_photo="private"), "photo": upload}
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.photo.name.startswith(f"photos/{profile.pk}/")
    url = reverse("alumni:photo", args=[profile.pk])
    assert client_for(alumnus_a).get(url).status_code == 200
    assert client_for(alumnus_b).get(url).status_code == 404


def test_a_non_image_is_refused_as_photo(alumnus_a, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    profile = AlumniProfile.objects.get(user=alumnus_a)
    fake = SimpleUploadedFile("me.png", b"<?php echo 'hi'; ?>", content_type="image/png")
    response = client_for(alumnus_a).post(reverse("alumni:profile_edit"), {**profile_form(profile), "photo": fake})
    assert response.status_code == 200
    assert "photo" in response.context["form"].errors
    profile.refresh_from_db()
    assert not profile.photo


def test_alumnus_adds_edits_and_removes_a_job(alumnus_a):
    client = client_for(alumnus_a)
    data = {
        "employer": "Dinas Perpustakaan Kota", "employer_kind": "government", "scope": "local",
        "position": "Pustakawan Ahli", "field_relevance": "1", "start_date": "2021-02-01", "end_date": "",
    }
    assert client.post(reverse("alumni:employment_create"), data).status_code == 302
    job = Employment.objects.get(profile__user=alumnus_a)
    assert (job.employer, job.is_current) == ("Dinas Perpustakaan Kota", True)
    data["end_date"] = "2023-06-30"
    assert client.post(reverse("alumni:employment_edit", args=[job.pk]), data).status_code == 302
    job.refresh_from_db()
    assert str(job.end_date) == "2023-06-30"
    assert client.post(reverse("alumni:employment_delete", args=[job.pk])).status_code == 302
    assert not Employment.objects.filter(pk=job.pk).exists()
    actions = list(AuditLog.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["alumni.employment.created", "alumni.employment.updated", "alumni.employment.deleted"]


def test_job_ending_before_it_starts_is_refused(alumnus_a):
    response = client_for(alumnus_a).post(reverse("alumni:employment_create"), {
        "employer": "X", "employer_kind": "private", "scope": "local", "position": "Y",
        "start_date": "2022-01-01", "end_date": "2021-01-01",
    })
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    assert not Employment.objects.exists()


def test_someone_elses_job_cannot_be_edited(alumnus_a, alumnus_b):
    job = EmploymentFactory(profile=AlumniProfile.objects.get(user=alumnus_b))
    client = client_for(alumnus_a)
    assert client.get(reverse("alumni:employment_edit", args=[job.pk])).status_code == 404
    assert client.post(reverse("alumni:employment_delete", args=[job.pk])).status_code == 404
    assert Employment.objects.filter(pk=job.pk).exists()


def test_new_member_registers_their_profile(db):
    program = StudyProgramFactory(code="71201", name="Ilmu Perpustakaan")
    user = UserFactory(email="new@example.org", full_name="Nia Baru")
    response = client_for(user).post(reverse("alumni:profile_create"), {
        "study_program": program.pk, "nim": " 1871201099 ", "full_name": "Nia Baru", "entry_year": "2018",
        "graduation_date": "2022-08-20",
    })
    assert response.status_code == 302
    profile = AlumniProfile.objects.get(user=user)
    assert (profile.nim, profile.study_program, profile.email) == ("1871201099", program, "new@example.org")


def test_registering_a_taken_nim_says_nothing_about_it_and_waits_for_verification(alumnus_a, prodi_x):
    """The form no longer tells anyone which NIMs exist (tests/alumni/test_verification.py has the whole rule)."""
    user = UserFactory(email="impostor@example.org")
    response = client_for(user).post(reverse("alumni:profile_create"), {
        "study_program": prodi_x.pk, "nim": "15710001", "full_name": "Not Ani", "entry_year": "2015",
    })
    assert response.status_code == 302
    assert AlumniProfile.objects.get(user=user).verification == AlumniProfile.Verification.PENDING
