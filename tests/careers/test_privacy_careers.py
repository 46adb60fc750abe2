"""UU PDP: "Download my data" holds everything careers keeps about a person, and "Delete my account" leaves
nothing personal in careers (posts closed and stripped of their free text and contacts, alert, settings and
employer-contact row deleted, notes emptied) while the anonymous counts stay."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import pytest
from django.core import serializers
from django.urls import reverse
from django.utils import timezone

from alumni.privacy import account_delete
from careers.models import (
    Application,
    CareerSettings,
    EmployerContact,
    Introduction,
    JobAlert,
    JobPost,
    JobReport,
    Outcome,
)
from careers.organisations import organisation_resolve
from core.audit import audit_log
from core.models import AuditLog

from ..conftest import client_for
from .alerts_support import alert, post

pytestmark = pytest.mark.django_db

SECRETS = ("kirim CV ke ani.pribadi@example.org", "WA 0812-1111-2222", "Saya ingin bertanya soal magang",
           "Tolong kenalkan saya", "Ini penipuan, minta transfer", "HR Ani Lestari", "0813-5555-6666")


@pytest.fixture
def careers_a(alumnus_a, alumnus_b, prodi_x, staff_x):
    """Ani posted two vacancies (one open with her private email in it, one hidden), applied to Bagus's post,
    reported one, keeps an alert and settings, asked Bagus for an introduction and was asked by him, answered an
    outcome, and registered as an employer contact."""
    organisation = organisation_resolve(name="PT Pustaka Digital Nusantara")
    own = post(by=alumnus_a, programs=[prodi_x], title="Pustakawan Digital", description=SECRETS[0],
               requirements=SECRETS[1], apply_how="email", apply_email="ani.pribadi@example.org", closing=20)
    post(by=alumnus_a, programs=[prodi_x], title="Arsiparis", status=JobPost.Status.HIDDEN, closing=10,
         apply_url="https://ani.example.org/lamar")
    other = post(by=alumnus_b, programs=[prodi_x], title="Staf Katalog", closing=15)
    Application.objects.create(user=alumnus_b, post=own)  # Bagus applied to Ani's post: his data, kept
    application = Application.objects.create(user=alumnus_a, post=other)
    JobReport.objects.create(post=other, reporter=alumnus_a, reason=JobReport.Reason.SCAM, note=SECRETS[4])
    alert(alumnus_a, fields=["library"], province_codes=["31"], kinds=["internship"])
    CareerSettings.objects.create(user=alumnus_a, introductions_open=True, share_phone=True)
    expires = timezone.now() + datetime.timedelta(days=14)
    asked = Introduction.objects.create(requester=alumnus_a, recipient=alumnus_b, organisation=organisation,
                                        post=other, note=SECRETS[2], expires_at=expires)
    Introduction.objects.create(requester=alumnus_b, recipient=alumnus_a, organisation=organisation,
                                note=SECRETS[3], expires_at=expires, status=Introduction.Status.ACCEPTED,
                                answered_at=timezone.now())
    Outcome.objects.create(user=alumnus_a, application=application, applied=True, interviewed=True, hired=False)
    Outcome.objects.create(user=alumnus_a, introduction=asked, applied=True)
    EmployerContact.objects.create(user=alumnus_a, organisation=organisation, study_program=prodi_x,
                                   position=SECRETS[5], phone=SECRETS[6], status=EmployerContact.Status.APPROVED,
                                   decided_by=staff_x)
    audit_log(actor=staff_x, action="careers.post.approved", target=own, data={"reason": "Ani's post is fine"})
    return alumnus_a


def download(user) -> dict:
    response = client_for(user).post(reverse("alumni:privacy_export"))
    assert response.status_code == 200
    return json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("data.json"))


def test_download_my_data_holds_everything_careers_keeps_about_the_person(careers_a):
    data = download(careers_a)

    posts = {p["title"]: p for p in data["job_posts"]}
    assert set(posts) == {"Pustakawan Digital", "Arsiparis"}
    assert posts["Pustakawan Digital"]["description"] == SECRETS[0]
    assert posts["Pustakawan Digital"]["apply_email"] == "ani.pribadi@example.org"
    assert posts["Pustakawan Digital"]["study_programs"] == [
        {"study_program": str(careers_a.alumni_profile.study_program), "state": "approved", "reason": ""}]
    assert [a["post"] for a in data["job_applications"]] == ["Staf Katalog"]
    assert [(r["post"], r["reason"], r["note"]) for r in data["job_reports"]] == [("Staf Katalog", "scam",
                                                                                   SECRETS[4])]
    assert (data["job_alert"]["fields"], data["job_alert"]["province_codes"], data["job_alert"]["kinds"]) == (
        ["library"], ["31"], ["internship"])
    assert data["career_settings"]["share_phone"] is True
    assert [(i["with"], i["note"]) for i in data["introductions"]["asked"]] == [("Bagus Pratama", SECRETS[2])]
    assert [(i["with"], i["note"], i["status"]) for i in data["introductions"]["received"]] == [
        ("Bagus Pratama", SECRETS[3], "accepted")]
    assert sorted((o["about"], o["hired"]) for o in data["career_outcomes"]) == [
        ("application", False), ("introduction", None)]
    assert (data["employer_contact"]["position"], data["employer_contact"]["phone"]) == (SECRETS[5], SECRETS[6])
    # The staff's decision on her post is about her: its details are hers to read.
    approved = [e for e in data["audit_log"] if e["action"] == "careers.post.approved"]
    assert approved and approved[0]["details"] == {"reason": "Ani's post is fine"}


def test_download_my_data_holds_none_of_another_persons_careers_data(careers_a, alumnus_b):
    data = download(alumnus_b)
    assert [p["title"] for p in data["job_posts"]] == ["Staf Katalog"]
    assert data["job_alert"] is None and data["career_settings"] is None and data["employer_contact"] is None
    assert [a["post"] for a in data["job_applications"]] == ["Pustakawan Digital"]
    assert data["job_reports"] == [] and data["career_outcomes"] == []


def test_the_download_page_names_the_careers_data(alumnus_a):
    alumnus_a.language = "en"
    alumnus_a.save()
    page = client_for(alumnus_a).get(reverse("alumni:privacy_export")).content.decode()
    for label in ("the job posts you posted", "your job alert", "the introductions you asked for and were asked for",
                  "your employer-contact registration"):
        assert label in page


def careers_rows_text() -> str:
    """Every careers row, serialised: what is left in the database."""
    models = (JobPost, Application, JobReport, JobAlert, CareerSettings, Introduction, Outcome, EmployerContact)
    return "".join(serializers.serialize("json", m.objects.all()) for m in models)


def test_delete_my_account_leaves_nothing_personal_in_careers_and_keeps_the_counts(careers_a, alumnus_b):
    assert all(secret in careers_rows_text() for secret in SECRETS)

    account_delete(user=careers_a, by=careers_a)

    text = careers_rows_text()
    assert [secret for secret in SECRETS if secret in text] == []
    assert "ani.pribadi@example.org" not in text and "ani.example.org" not in text
    # Her posts are closed, with title, organisation, field and dates kept for the yearly counts.
    posts = JobPost.objects.filter(posted_by=careers_a)
    assert sorted(posts.values_list("title", "status")) == [("Arsiparis", "closed"), ("Pustakawan Digital", "closed")]
    assert all(p.closed_at is not None and p.apply_email == p.apply_url == p.description == p.requirements == ""
               for p in posts)
    # Bagus's application to her post is his data: it stays.
    assert Application.objects.filter(user=alumnus_b, post__posted_by=careers_a).count() == 1
    assert not JobAlert.objects.filter(user=careers_a).exists()
    assert not CareerSettings.objects.filter(user=careers_a).exists()
    assert not EmployerContact.objects.filter(user=careers_a).exists()
    # The introductions still count (asked / accepted), without their notes; her open request is withdrawn.
    assert sorted(Introduction.objects.values_list("status", "note")) == [("accepted", ""), ("withdrawn", "")]
    assert JobReport.objects.get(reporter=careers_a).note == ""
    assert Outcome.objects.filter(user=careers_a).count() == 2
    # The audit entry about her post no longer says anything about it.
    entry = AuditLog.objects.get(action="careers.post.approved")
    assert entry.data == {"redacted": True} and entry.target_repr.startswith("ANON-")


def test_a_request_the_deleted_person_was_asked_and_had_not_answered_expires(alumnus_a, alumnus_b):
    Introduction.objects.create(requester=alumnus_b, recipient=alumnus_a, note="Boleh kenalan?",
                                expires_at=timezone.now() + datetime.timedelta(days=14))
    account_delete(user=alumnus_a, by=alumnus_a)
    intro = Introduction.objects.get()
    assert (intro.status, intro.note) == ("expired", "")
    assert intro.answered_at is not None
