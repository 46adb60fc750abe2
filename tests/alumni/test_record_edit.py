"""Staff of a study program edit an alumnus's academic record on a portal page (no Django admin): audited with the
names of the fields changed, never their values; a NIM another verified record holds is a form error."""

import datetime

import pytest
from django.urls import reverse

from alumni.models import AlumniProfile
from core.models import AuditLog

from ..conftest import client_for


@pytest.fixture
def record_a(alumnus_a):
    return AlumniProfile.objects.get(user=alumnus_a)


def form(profile, **values):
    data = {"study_program": profile.study_program_id, "nim": profile.nim, "full_name": profile.full_name,
            "email": profile.email, "entry_year": profile.entry_year,
            "graduation_date": profile.graduation_date.isoformat() if profile.graduation_date else ""}
    data.update(values)
    return data


def test_staff_edit_the_record_and_the_audit_names_only_the_fields(record_a, staff_x):
    url = reverse("alumni:record_edit", args=[record_a.pk])
    response = client_for(staff_x).post(url, form(record_a, full_name="Ani Lestari Putri", entry_year="2014",
                                                  email="ani.baru@example.org"))
    assert response.status_code == 302 and response["Location"] == record_a.get_absolute_url()
    record_a.refresh_from_db()
    assert (record_a.full_name, record_a.entry_year, record_a.email) == (
        "Ani Lestari Putri", 2014, "ani.baru@example.org")
    entry = AuditLog.objects.get(action="alumni.profile.record_updated")
    assert entry.actor == staff_x
    assert entry.data == {"fields": ["email", "entry_year", "full_name"], "source": "staff"}
    assert "ani.baru" not in str(entry.data) and "Putri" not in str(entry.data)


def test_a_nim_of_another_verified_record_is_a_form_error(record_a, alumnus_b, staff_x):
    taken = AlumniProfile.objects.get(user=alumnus_b).nim
    response = client_for(staff_x).post(reverse("alumni:record_edit", args=[record_a.pk]),
                                        form(record_a, nim=taken))
    assert response.status_code == 200
    assert response.context["form"].errors["nim"]
    record_a.refresh_from_db()
    assert record_a.nim == "15710001"
    assert not AuditLog.objects.filter(action="alumni.profile.record_updated").exists()


def test_a_nim_only_a_pending_request_declares_does_not_block(record_a, pending_person, staff_x):
    declared = AlumniProfile.objects.get(user=pending_person).nim
    response = client_for(staff_x).post(reverse("alumni:record_edit", args=[record_a.pk]),
                                        form(record_a, nim=declared))
    assert response.status_code == 302
    record_a.refresh_from_db()
    assert record_a.nim == declared


def test_only_study_programs_the_staff_member_manages(record_a, prodi_y, staff_x, admin_user):
    url = reverse("alumni:record_edit", args=[record_a.pk])
    response = client_for(staff_x).post(url, form(record_a, study_program=prodi_y.pk))
    assert response.status_code == 200 and response.context["form"].errors["study_program"]
    record_a.refresh_from_db()
    assert record_a.study_program_id != prodi_y.pk
    # An institution admin runs both and may move the record.
    assert client_for(admin_user).post(url, form(record_a, study_program=prodi_y.pk)).status_code == 302
    record_a.refresh_from_db()
    assert record_a.study_program_id == prodi_y.pk


def test_bad_dates_re_render_the_form(record_a, staff_x):
    url = reverse("alumni:record_edit", args=[record_a.pk])
    future = (datetime.date.today() + datetime.timedelta(days=40)).isoformat()
    for values in ({"graduation_date": future}, {"entry_year": "2021"}, {"entry_year": "1800"}):
        response = client_for(staff_x).post(url, form(record_a, **values))
        assert response.status_code == 200 and response.context["form"].errors
    record_a.refresh_from_db()
    assert record_a.entry_year == 2015


def test_an_email_its_owner_keeps_to_themselves_is_neither_shown_nor_overwritten(record_a, staff_x):
    record_a.vis_email = "private"
    record_a.save()
    url = reverse("alumni:record_edit", args=[record_a.pk])
    page = client_for(staff_x).get(url)
    assert page.status_code == 200 and record_a.email.encode() not in page.content
    response = client_for(staff_x).post(url, form(record_a, email="staff.guess@example.org", full_name="Ani L."))
    assert response.status_code == 302
    record_a.refresh_from_db()
    assert (record_a.email, record_a.full_name) == ("ani@example.org", "Ani L.")


def test_the_profile_page_links_to_the_record_for_staff_of_the_program_only(record_a, alumnus_b, staff_x):
    link = reverse("alumni:record_edit", args=[record_a.pk]).encode()
    assert link in client_for(staff_x).get(record_a.get_absolute_url()).content
    assert link not in client_for(alumnus_b).get(record_a.get_absolute_url()).content
