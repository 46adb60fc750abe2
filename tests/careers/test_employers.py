"""Employer contacts: someone outside the study programs asks to recruit for an organisation, the study program's
staff approve or refuse with a reason, the person is told once by email, and follows it on their own page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from careers.models import EmployerContact, Organisation
from careers.organisations import organisation_resolve
from careers.services_employers import employer_apply, employer_approve, employer_refuse
from core.models import AuditLog, Notification

from ..conftest import client_for
from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recruiter(db):
    return UserFactory(email="sari@penerbitnusa.example", full_name="Sari Rekrutmen")


@pytest.fixture
def request_x(recruiter, prodi_x):
    return employer_apply(user=recruiter, organisation_name="PT Penerbit Nusa", position="HR Officer",
                          phone="+62 811 2233 4455", study_program=prodi_x)


def test_someone_outside_the_programs_asks_through_the_form_and_sees_their_status(recruiter, prodi_x):
    organisation_resolve(name="PT Bank Rakyat Indonesia (Persero) Tbk")
    client = client_for(recruiter)

    response = client.post(reverse("careers:employer_apply"), {
        "organisation": "Bank Rakyat Indonesia", "position": "Recruiter", "phone": "0812-3456-7890",
        "study_program": prodi_x.pk,
    })

    assert response.status_code == 302
    assert response["Location"] == reverse("careers:employer_status")
    contact = EmployerContact.objects.get(user=recruiter)
    assert contact.status == EmployerContact.Status.PENDING
    assert contact.organisation.name == "PT Bank Rakyat Indonesia (Persero) Tbk"  # found, not created again
    assert Organisation.objects.count() == 1
    assert AuditLog.objects.filter(action="careers.employer_contact.requested", actor=recruiter).count() == 1
    status = client.get(reverse("careers:employer_status"))
    assert status.status_code == 200
    assert "Waiting for approval" in status.content.decode() or "Menunggu" in status.content.decode()


def test_a_bad_phone_or_an_empty_organisation_re_renders_the_form_and_saves_nothing(recruiter, prodi_x):
    response = client_for(recruiter).post(reverse("careers:employer_apply"), {
        "organisation": " -- ", "position": "Recruiter", "phone": "call me", "study_program": prodi_x.pk,
    })

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"organisation", "phone"}
    assert not EmployerContact.objects.exists()
    assert not Organisation.objects.exists()


def test_a_new_organisation_is_created_from_an_employer_request(request_x):
    assert request_x.organisation.name == "PT Penerbit Nusa"


@pytest.mark.parametrize("persona", ["alumnus_a", "pending_person", "staff_x", "admin_user"])
def test_members_pending_people_and_staff_cannot_become_employer_contacts(persona, prodi_x, request):
    with pytest.raises(PermissionDenied):
        employer_apply(user=request.getfixturevalue(persona), organisation_name="PT X", position="HR",
                       phone="", study_program=prodi_x)
    assert not EmployerContact.objects.exists()


def test_a_waiting_request_cannot_be_sent_twice(request_x, recruiter, prodi_x):
    with pytest.raises(ValidationError):
        employer_apply(user=recruiter, organisation_name="PT Lain", position="HR", phone="", study_program=prodi_x)


def test_the_queue_lists_requests_of_the_programs_one_runs(request_x, staff_x, staff_y):
    assert [c.pk for c in client_for(staff_x).get(reverse("careers:employer_queue")).context["pending"]] == [
        request_x.pk]
    assert client_for(staff_y).get(reverse("careers:employer_queue")).context["pending"] == []


def test_staff_approve_and_the_person_is_emailed_once(request_x, staff_x, recruiter):
    response = client_for(staff_x).post(reverse("careers:employer_decide", args=[request_x.pk]),
                                        {"decision": "approve"})

    assert response.status_code == 302
    request_x.refresh_from_db()
    assert request_x.status == EmployerContact.Status.APPROVED
    assert request_x.decided_by == staff_x
    [mail] = Notification.objects.filter(recipient=recruiter)
    assert mail.kind == "careers_employer_decided"
    assert "PT Penerbit Nusa" in mail.subject
    assert AuditLog.objects.filter(action="careers.employer_contact.approved", actor=staff_x).count() == 1

    with pytest.raises(ValidationError):  # a second decision (a double click) changes nothing
        employer_approve(contact=request_x, by=staff_x)
    assert Notification.objects.filter(recipient=recruiter).count() == 1


def test_refusing_needs_a_reason_that_the_person_reads(request_x, staff_x, recruiter):
    client = client_for(staff_x)
    url = reverse("careers:employer_decide", args=[request_x.pk])

    client.post(url, {"decision": "refuse", "reason": "  "})
    request_x.refresh_from_db()
    assert request_x.status == EmployerContact.Status.PENDING
    assert not Notification.objects.filter(recipient=recruiter).exists()

    client.post(url, {"decision": "refuse", "reason": "Mohon gunakan email kantor."})

    request_x.refresh_from_db()
    assert (request_x.status, request_x.reason) == (EmployerContact.Status.REFUSED, "Mohon gunakan email kantor.")
    [mail] = Notification.objects.filter(recipient=recruiter)
    assert "Mohon gunakan email kantor." in mail.body
    status_page = client_for(recruiter).get(reverse("careers:employer_status"))
    assert "Mohon gunakan email kantor." in status_page.content.decode()


def test_a_refused_person_may_ask_again_and_is_told_again(request_x, staff_x, recruiter, prodi_x):
    employer_refuse(contact=request_x, by=staff_x, reason="Email pribadi.")
    assert client_for(recruiter).get(reverse("careers:employer_apply")).status_code == 200

    again = employer_apply(user=recruiter, organisation_name="PT Penerbit Nusa", position="HR Officer",
                           phone="", study_program=prodi_x)
    assert (again.pk, again.status, again.reason) == (request_x.pk, EmployerContact.Status.PENDING, "")
    employer_approve(contact=again, by=staff_x)

    assert Notification.objects.filter(recipient=recruiter).count() == 2


def test_staff_of_another_program_cannot_decide(request_x, staff_y):
    response = client_for(staff_y).post(reverse("careers:employer_decide", args=[request_x.pk]),
                                        {"decision": "approve"})

    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        employer_approve(contact=request_x, by=staff_y)
    request_x.refresh_from_db()
    assert request_x.status == EmployerContact.Status.PENDING


def test_an_approved_contact_counts_as_an_approved_employer(request_x, staff_x, recruiter):
    employer_approve(contact=request_x, by=staff_x)

    assert EmployerContact.objects.filter(user=recruiter, status="approved").exists()
    assert client_for(recruiter).get(reverse("careers:employer_apply")).status_code == 302


@pytest.mark.parametrize("size", [2, 12])
def test_the_queue_takes_a_fixed_number_of_queries(prodi_x, staff_x, size, django_assert_max_num_queries):
    for i in range(size):
        employer_apply(user=UserFactory(full_name=f"Perekrut {i}"), organisation_name=f"PT Perekrut {i}",
                       position="HR", phone="", study_program=prodi_x)
    client = client_for(staff_x)

    with django_assert_max_num_queries(7):  # measured: 6, plus the session's first request
        response = client.get(reverse("careers:employer_queue"))

    assert len(response.context["pending"]) == size


def test_the_programs_staff_hear_of_a_new_request_once(staff_x, staff_y, recruiter, prodi_x):
    contact = employer_apply(user=recruiter, organisation_name="PT Penerbit Nusa", position="HR Officer",
                             phone="", study_program=prodi_x)

    [mail] = Notification.objects.filter(kind="careers_employer_requested")
    assert mail.recipient == staff_x
    assert "Sari Rekrutmen" in mail.subject and "PT Penerbit Nusa" in mail.subject
    assert mail.link.endswith(reverse("careers:employer_queue"))

    employer_refuse(contact=contact, by=staff_x, reason="Email pribadi.")
    employer_apply(user=recruiter, organisation_name="PT Penerbit Nusa", position="HR Officer", phone="",
                   study_program=prodi_x)
    assert Notification.objects.filter(kind="careers_employer_requested", recipient=staff_x).count() == 2
    assert not Notification.objects.filter(kind="careers_employer_requested", recipient=staff_y).exists()
