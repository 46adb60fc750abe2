"""One door: what staff and institution admins did in the Django admin they now do on portal pages, which go
through the services (scoped, audited); nothing links to a respondent's token; the audit trail records which
fields changed, never a value its owner hides."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from alumni.models import AlumniProfile, Faculty, Role, StudyProgram
from core.models import AuditLog, Notification
from tests.donations.test_manage import _edit, give, make_campaign
from tracer.models import Invitation, MinimumWage

from ..conftest import client_for
from ..factories import UserFactory

pytestmark = pytest.mark.django_db


# --- Roles ------------------------------------------------------------------------------------------------


def test_an_institution_admin_grants_a_staff_role_by_email_and_it_is_audited(admin_user, prodi_y):
    person = UserFactory(email="new.staff@example.org")
    response = client_for(admin_user).post(reverse("alumni:roles"), {
        "email": "NEW.staff@example.org", "kind": "staff", "study_program": prodi_y.pk,
    })
    assert response.status_code == 302
    role = Role.objects.get(user=person)
    assert (role.kind, role.study_program, role.granted_by) == ("staff", prodi_y, admin_user)
    entry = AuditLog.objects.get(action="alumni.role.granted", target_id=str(role.pk))
    assert entry.actor == admin_user
    person.refresh_from_db()
    assert not person.is_staff  # the role works on the portal; the Django admin stays closed


def test_granting_to_an_unknown_email_re_renders_and_writes_nothing(admin_user, prodi_x):
    before = Role.objects.count()
    response = client_for(admin_user).post(reverse("alumni:roles"), {
        "email": "nobody@example.org", "kind": "staff", "study_program": prodi_x.pk,
    })
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    response = client_for(admin_user).post(reverse("alumni:roles"), {"email": "", "kind": "staff"})
    assert set(response.context["form"].errors) >= {"email"}
    assert Role.objects.count() == before
    assert not AuditLog.objects.filter(action="alumni.role.granted", actor=admin_user).exists()


def test_an_institution_admin_grants_an_admin_role(admin_user, alumnus_b):
    client_for(admin_user).post(reverse("alumni:roles"), {"email": alumnus_b.email, "kind": "admin"})
    role = Role.objects.get(user=alumnus_b)
    assert (role.kind, role.study_program, role.institution) == ("admin", None, admin_user.roles.get().institution)


def test_revoking_a_role_is_audited_and_ones_own_admin_role_stays(admin_user, staff_y):
    role = staff_y.roles.get()
    assert client_for(admin_user).post(reverse("alumni:role_revoke", args=[role.pk])).status_code == 302
    assert not Role.objects.filter(pk=role.pk).exists()
    assert AuditLog.objects.get(action="alumni.role.revoked", target_id=str(role.pk)).actor == admin_user
    own = admin_user.roles.get()
    client_for(admin_user).post(reverse("alumni:role_revoke", args=[own.pk]))
    assert Role.objects.filter(pk=own.pk).exists()


def test_staff_cannot_grant_or_revoke_roles(staff_x, staff_y, alumnus_a):
    role = staff_y.roles.get()
    client = client_for(staff_x)
    assert client.post(reverse("alumni:roles"), {"email": alumnus_a.email, "kind": "admin"}).status_code == 403
    assert client.post(reverse("alumni:role_revoke", args=[role.pk])).status_code == 403
    assert not Role.objects.filter(user=alumnus_a).exists() and Role.objects.filter(pk=role.pk).exists()


def test_an_admin_of_another_institution_reaches_none_of_ours(staff_y, prodi_x):
    from alumni.models import Institution

    from ..factories import grant

    other = Institution.objects.create(name="Universitas Lain")
    stranger = UserFactory(email="other.admin@example.org")
    grant(stranger, "admin", institution=other)
    client = client_for(stranger)
    assert client.post(reverse("alumni:role_revoke", args=[staff_y.roles.get().pk])).status_code == 404
    assert client.get(reverse("alumni:program_edit", args=[prodi_x.pk])).status_code == 404
    assert client.get(reverse("alumni:faculty_edit", args=[prodi_x.faculty_id])).status_code == 404
    response = client.post(reverse("alumni:roles"), {"email": "x@example.org", "kind": "staff",
                                                     "study_program": prodi_x.pk})
    assert "study_program" in response.context["form"].errors


# --- Faculties and study programs ----------------------------------------------------------------------------


def test_an_admin_adds_a_faculty_and_a_study_program_and_edits_it(admin_user, prodi_x):
    client = client_for(admin_user)
    assert client.post(reverse("alumni:faculty_create"), {"name": "Fakultas Dakwah"}).status_code == 302
    faculty = Faculty.objects.get(name="Fakultas Dakwah")
    assert faculty.institution == prodi_x.faculty.institution
    response = client.post(reverse("alumni:program_create"), {
        "faculty": faculty.pk, "code": "70233", "name": "Komunikasi Penyiaran Islam", "level": "S1"})
    assert response.status_code == 302
    program = StudyProgram.objects.get(code="70233")
    response = client.post(reverse("alumni:program_edit", args=[program.pk]), {
        "faculty": faculty.pk, "code": "70233", "name": "KPI", "level": "S2"})
    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.name, program.level) == ("KPI", "S2")
    entries = AuditLog.objects.filter(actor=admin_user, action__startswith="alumni.").order_by("pk")
    assert [e.action for e in entries] == [
        "alumni.faculty.created", "alumni.study_program.created", "alumni.study_program.updated"]
    assert entries.last().data["changes"] == {"name": ["Komunikasi Penyiaran Islam", "KPI"], "level": ["S1", "S2"]}
    assert client.get(reverse("alumni:units")).status_code == 200


def test_a_taken_code_or_name_re_renders_and_writes_nothing(admin_user, prodi_x, prodi_y):
    client = client_for(admin_user)
    response = client.post(reverse("alumni:program_edit", args=[prodi_y.pk]), {
        "faculty": prodi_y.faculty_id, "code": prodi_x.code, "name": "Arab", "level": "S1"})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    response = client.post(reverse("alumni:faculty_create"), {"name": prodi_x.faculty.name.upper()})
    assert "name" in response.context["form"].errors
    prodi_y.refresh_from_db()
    assert prodi_y.name == "Bahasa dan Sastra Arab"
    assert Faculty.objects.count() == 1
    assert not AuditLog.objects.filter(actor=admin_user).exists()


def test_staff_cannot_set_up_study_programs(staff_x, prodi_x):
    client = client_for(staff_x)
    assert client.post(reverse("alumni:faculty_create"), {"name": "F"}).status_code == 403
    assert client.post(reverse("alumni:program_edit", args=[prodi_x.pk]), {
        "faculty": prodi_x.faculty_id, "code": "1", "name": "X", "level": "S1"}).status_code == 403
    prodi_x.refresh_from_db()
    assert prodi_x.code == "71201"


# --- Minimum wages ------------------------------------------------------------------------------------------


def test_an_admin_sets_minimum_wages_and_each_change_is_audited(admin_user, provinces):
    jakarta = provinces.get(name__icontains="Jakarta")
    client = client_for(admin_user)
    url = reverse("tracer:minimum_wages")
    assert client.post(url, {"province": jakarta.pk, "year": 2024, "amount": 5067381}).status_code == 302
    assert client.post(url, {"province": jakarta.pk, "year": 2024, "amount": 5100000}).status_code == 302
    assert MinimumWage.objects.get(province=jakarta, year=2024).amount == 5100000
    moves = AuditLog.objects.filter(action="tracer.minimum_wage.saved").order_by("pk")
    assert [(m.actor, m.data["from"], m.data["to"]) for m in moves] == [
        (admin_user, None, 5067381), (admin_user, 5067381, 5100000)]
    page = client.get(url, {"year": 2024, "edit": MinimumWage.objects.get().pk})
    assert page.status_code == 200 and page.context["form"].initial["amount"] == 5100000


def test_bad_wages_re_render_and_staff_cannot_set_them(admin_user, staff_x, provinces):
    jakarta = provinces.get(name__icontains="Jakarta")
    url = reverse("tracer:minimum_wages")
    for amount in ("0", "-1", "lima juta"):
        response = client_for(admin_user).post(url, {"province": jakarta.pk, "year": 2024, "amount": amount})
        assert response.status_code == 200 and "amount" in response.context["form"].errors
    assert client_for(staff_x).post(url, {"province": jakarta.pk, "year": 2024, "amount": 1}).status_code == 403
    assert not MinimumWage.objects.exists()


# --- Campaign settings ------------------------------------------------------------------------------------------


def test_payment_instructions_and_status_changes_are_audited_with_old_and_new(prodi_x, staff_x):
    campaign = make_campaign(prodi_x, payment_instructions="BSI 7001 a.n. Universitas")
    response = _edit(client_for(staff_x), campaign, payment_instructions="BCA 123 a.n. Pribadi", status="closed")
    assert response.status_code == 302
    changed = AuditLog.objects.get(action="donations.campaign.payment_changed")
    assert changed.actor == staff_x
    assert changed.data == {"from": "BSI 7001 a.n. Universitas", "to": "BCA 123 a.n. Pribadi"}
    status = AuditLog.objects.get(action="donations.campaign.status_changed")
    assert (status.data["from"], status.data["to"]) == ("open", "closed")
    edited = AuditLog.objects.get(action="donations.campaign.edited")
    assert {"payment_instructions", "status"} <= set(edited.data["fields"])


def test_a_closed_campaign_is_never_reopened_and_its_kind_is_fixed_by_its_donations(prodi_x, admin_user,
                                                                                    alumnus_a):
    campaign = make_campaign(prodi_x, kind="emergency")
    give(campaign, alumnus_a, 10_000)
    client = client_for(admin_user)
    assert _edit(client, campaign, kind="emergency", status="closed").status_code == 302
    response = _edit(client, campaign, kind="emergency", status="open")
    assert response.status_code == 200 and "status" in response.context["form"].errors
    response = _edit(client, campaign, kind="donation", status="closed")
    assert response.status_code == 200 and "kind" in response.context["form"].errors
    campaign.refresh_from_db()
    assert (campaign.status, campaign.kind) == ("closed", "emergency")


# --- Tokens -------------------------------------------------------------------------------------------------


def test_no_page_export_or_audit_entry_shows_a_respondents_token(prodi_x, staff_x, admin_user, alumnus_a,
                                                                national_surveys):
    from tests.tracer.test_results import WORKING, answer, make_wave

    wave = make_wave([prodi_x], by=admin_user)
    profile = AlumniProfile.objects.get(user=alumnus_a)
    profile.graduation_date = datetime.date(2019, 8, 25)
    profile.save()
    answer(wave, profile, WORKING)
    Invitation.objects.create(version=wave.version, wave=wave, profile=profile, respondent="employer",
                              name="Bu Atasan", email="atasan@example.org", organisation="Perpusnas")
    tokens = list(Invitation.objects.values_list("token", flat=True))
    assert len(tokens) == 2
    root = UserFactory(email="root@example.org", is_superuser=True)
    # The email that carries the link (claimed before sending): operators see that it went, not what it said.
    link = Invitation.objects.get(respondent="graduate").answer_path()
    sent = Notification.objects.create(key="tracer:1", kind="tracer_invitation", recipient=alumnus_a,
                                       subject="Tracer", body=f"Isi survei: {link}", link=link)
    pages = [
        (staff_x, reverse("tracer:wave", args=[wave.pk])),
        (admin_user, reverse("tracer:wave", args=[wave.pk])),
        (admin_user, reverse("tracer:waves")),
        (staff_x, reverse("tracer:results")),
        (staff_x, reverse("tracer:wave_results", args=[wave.pk])),
        (staff_x, reverse("tracer:wave_export", args=[wave.pk])),
        (staff_x, reverse("dashboard")),
        (admin_user, reverse("dashboard")),
        (root, reverse("admin:tracer_invitation_changelist")),
        *[(root, reverse("admin:tracer_invitation_change", args=[pk]))
          for pk in Invitation.objects.values_list("pk", flat=True)],
        (root, reverse("admin:core_notification_changelist")),
        (root, reverse("admin:core_notification_change", args=[sent.pk])),
    ]
    for user, url in pages:
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert not any(token.encode() in body for token in tokens), url
        assert b"/tracer/t/" not in body, url
    assert not hasattr(Invitation, "get_absolute_url")  # no "View on site" in the admin, no link by accident
    for entry in AuditLog.objects.all():
        assert not any(token in f"{entry.data} {entry.target_repr}" for token in tokens)


# --- Audit values ---------------------------------------------------------------------------------------------


def test_the_audit_trail_names_changed_fields_never_a_hidden_value(alumnus_a, staff_x):
    profile = AlumniProfile.objects.get(user=alumnus_a)
    profile.phone, profile.vis_phone = "+62 811 0000 1111", "private"
    profile.save()
    from tests.alumni.test_profile import profile_form

    response = client_for(alumnus_a).post(
        reverse("alumni:profile_edit"), profile_form(profile, phone="+62 822 9999 8888", vis_phone="private"))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.phone == "+62 822 9999 8888"
    for entry in AuditLog.objects.all():
        text = f"{entry.data} {entry.target_repr}"
        assert "0000 1111" not in text and "9999 8888" not in text
    entry = AuditLog.objects.get(action="alumni.profile.updated")
    assert entry.data == {"fields": ["phone"]}
    # Staff see the entry (which fields changed) in their recent activity, and neither number.
    page = client_for(staff_x).get(reverse("dashboard"))
    assert entry in page.context["recent_activity"]
    assert entry.field_labels == [str(AlumniProfile._meta.get_field("phone").verbose_name)]
    assert entry.field_labels[0] in page.content.decode()
    assert b"0000 1111" not in page.content and b"9999 8888" not in page.content


def test_a_job_entry_says_which_job_changed_not_what_it_is(alumnus_a):
    client_for(alumnus_a).post(reverse("alumni:employment_create"), {
        "employer": "Bank Rahasia", "employer_kind": "private", "scope": "national", "position": "Analis",
        "start_date": "2020-01-01"})
    entry = AuditLog.objects.get(action="alumni.employment.created")
    assert "Bank Rahasia" not in f"{entry.data} {entry.target_repr}" and "Analis" not in entry.target_repr


def test_is_staff_alone_opens_no_staff_page(db):
    flag = UserFactory(email="flag@example.org", is_staff=True)
    assert get_user_model().objects.get(pk=flag.pk).is_staff
    client = client_for(flag)
    for name in ("alumni:roles", "alumni:units", "tracer:minimum_wages", "tracer:waves", "alumni:import"):
        assert client.get(reverse(name)).status_code == 403, name
