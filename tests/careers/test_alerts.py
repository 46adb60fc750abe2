"""The job alerts page: a member chooses fields, provinces, kinds, remote only and weekly or never; without the
career consent the page says the digest needs it and links to the privacy page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alumni.models import Consent
from careers.digest import DIGEST_KIND
from careers.models import JobAlert
from core.models import AuditLog

from ..conftest import client_for
from .alerts_support import consent, member, province

pytestmark = pytest.mark.django_db
URL = "/careers/jobs/alerts/"


def test_the_url_name_is_careers_alerts():
    assert reverse("careers:alerts") == URL


def test_without_the_career_consent_the_page_says_the_digest_needs_it_and_links_to_privacy(alumnus_a):
    response = client_for(alumnus_a).get(URL, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="career-consent-needed"' in page
    assert f'href="{reverse("alumni:privacy")}"' in page


def test_with_the_career_consent_the_page_has_no_consent_notice(alumnus_a):
    consent(alumnus_a)
    page = client_for(alumnus_a).get(URL).content.decode()
    assert 'id="career-consent-needed"' not in page


def test_a_withdrawn_consent_shows_the_notice_again(alumnus_a):
    consent(alumnus_a)
    consent(alumnus_a, granted=False)
    assert 'id="career-consent-needed"' in client_for(alumnus_a).get(URL).content.decode()


def test_a_member_saves_an_alert_and_it_is_audited(alumnus_a):
    province("31")
    response = client_for(alumnus_a).post(URL, {
        "fields": ["library", "ict"], "province_codes": ["31"], "kinds": ["internship"], "remote_only": "on",
        "frequency": "weekly",
    })
    assert response.status_code == 302 and response["Location"] == URL
    alert = JobAlert.objects.get(user=alumnus_a)
    assert (alert.fields, alert.province_codes, alert.kinds, alert.remote_only, alert.frequency) == (
        ["ict", "library"], ["31"], ["internship"], True, "weekly"
    )
    assert AuditLog.objects.filter(action="careers.alert.saved", actor=alumnus_a, target_id=str(alert.pk)).count() == 1


def test_saving_again_replaces_the_alert_and_the_form_shows_what_is_saved(alumnus_a):
    client = client_for(alumnus_a)
    client.post(URL, {"fields": ["library"], "frequency": "weekly"})
    client.post(URL, {"frequency": "never"})
    alert = JobAlert.objects.get(user=alumnus_a)
    assert (alert.fields, alert.frequency) == ([], "never")
    assert response_form_initial(client) == {"fields": [], "frequency": "never"}


def test_a_student_keeps_an_alert_too(prodi_x):
    student = member(prodi_x, email="student@example.org", student=True, with_alert=False)
    response = client_for(student).post(URL, {"frequency": "weekly"})
    assert response.status_code == 302
    assert JobAlert.objects.filter(user=student, frequency="weekly").exists()


def response_form_initial(client) -> dict:
    form = client.get(URL).context["form"]
    return {"fields": form.initial["fields"], "frequency": form.initial["frequency"]}


@pytest.mark.parametrize(
    "data",
    [
        {"frequency": "daily"},
        {},
        {"frequency": "weekly", "fields": ["astrology"]},
        {"frequency": "weekly", "kinds": ["slavery"]},
        {"frequency": "weekly", "province_codes": ["99"]},
    ],
)
def test_bad_input_re_renders_with_an_error_in_the_users_language_and_saves_nothing(alumnus_a, data):
    alumnus_a.language = "id"
    alumnus_a.save()
    response = client_for(alumnus_a).post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "is-invalid" in response.content.decode()
    assert not JobAlert.objects.filter(user=alumnus_a).exists()
    assert not AuditLog.objects.filter(action="careers.alert.saved").exists()


def test_html_in_the_choices_is_rejected_not_rendered(alumnus_a):
    response = client_for(alumnus_a).post(URL, {"frequency": "weekly", "fields": ["<script>alert(1)</script>"]})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize("persona", ["pending_person", "staff_x", "admin_user", "employer_contact"])
def test_people_who_are_not_members_cannot_post_an_alert(persona, request):
    user = request.getfixturevalue(persona)
    response = client_for(user).post(URL, {"frequency": "weekly"})
    assert response.status_code == 403
    assert not JobAlert.objects.exists()


def test_the_privacy_page_lists_the_career_purpose_with_its_wording(alumnus_a):
    alumnus_a.language = "en"
    alumnus_a.save()
    page = client_for(alumnus_a).get(reverse("alumni:privacy")).content.decode()
    assert 'value="career"' in page
    assert "weekly digest of the job posts that match my job alerts" in page
    assert str(Consent.Purpose.CAREER.label) in page


def test_the_preferences_page_offers_the_digest(alumnus_a):
    alumnus_a.language = "en"
    alumnus_a.save()
    page = client_for(alumnus_a).get(reverse("notification_preferences")).content.decode()
    assert DIGEST_KIND in page
    assert "Weekly job digest" in page
