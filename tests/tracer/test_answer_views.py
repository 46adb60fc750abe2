"""The answer pages: token links, page by page, save and finish later, submit, nomination, closed waves."""

import datetime

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone, translation

from tracer import engine
from tracer.models import Answer, Invitation, Response

from ..conftest import client_for
from ..factories import AlumniProfileFactory
from .test_engine import PAGE_2, PAGE_3_WORKING, WORKING_PAGE_1, invite, open_wave


@pytest.fixture(autouse=True)
def english(settings):
    # Source-language pages and messages; the language choice itself is tested elsewhere.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def url(invitation, page=None):
    base = reverse("tracer:answer", args=[invitation.token])
    return f"{base}?page={page}" if page else base


def post(client, invitation, page, data, action="next"):
    return client.post(url(invitation), {"page": page, "action": action, **data})


@pytest.fixture
def invitation(alumnus_a):
    return invite(profile=alumnus_a.alumni_profile)


def test_token_link_works_without_login(client, invitation):
    page = client.get(url(invitation))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert "Page 1 of 4" in html and "What is your current status?" in html
    assert 'inputmode="numeric"' in html  # f502, f505
    # Employment questions are in the page, hidden until f8 says working (the script mirrors show_if).
    assert 'data-question="f504"' in html and "hidden" in html.split('data-question="f504"')[1].split(">")[0]


def test_labels_follow_the_active_language(client, invitation):
    client.cookies["django_language"] = "id"
    with translation.override("id"):
        html = client.get(url(invitation), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Jelaskan status Anda saat ini?" in html and "Wiraswasta" in html


def test_page_by_page_resume_and_submit(client, invitation):
    response = post(client, invitation, 1, WORKING_PAGE_1)
    assert response.status_code == 302 and response["Location"].endswith("?page=2")
    # Save and finish later with nothing answered yet on page 2: the page is kept.
    response = post(client, invitation, 2, {}, action="later")
    assert response.status_code == 302
    saved = Response.objects.get(invitation=invitation)
    assert saved.page == 2 and saved.status == Response.Status.PARTIAL
    # Coming back (a new browser) resumes at page 2 and page 1 still shows the answers.
    other = client_for(None)
    assert "Page 2 of 4" in other.get(url(invitation)).content.decode()
    page_1 = other.get(url(invitation, 1)).content.decode()
    assert 'value="Perpustakaan Nasional"' in page_1 and 'name="f8" id="f8-1" value="1" checked' in page_1
    # Skipping ahead of the page reached shows the page reached.
    assert "Page 2 of 4" in other.get(url(invitation, 4)).content.decode()
    assert post(other, invitation, 2, PAGE_2).status_code == 302
    assert post(other, invitation, 3, PAGE_3_WORKING).status_code == 302
    done = post(other, invitation, 4, {"f301": "3"}, action="submit")
    assert done.status_code == 302 and done["Location"] == reverse("tracer:answer_done", args=[invitation.token])
    saved.refresh_from_db()
    assert saved.status == Response.Status.SUBMITTED
    thanks = other.get(done["Location"])
    assert "Thank you!" in thanks.content.decode()
    # Submitted is read-only: the form redirects to the thank-you page and a POST changes nothing.
    assert other.get(url(invitation))["Location"] == done["Location"]
    post(other, invitation, 1, {"f8": "4"})
    assert engine.answers_of(saved)["f8"] == 1


def test_errors_are_shown_beside_the_question(client, invitation):
    page = post(client, invitation, 1, {**WORKING_PAGE_1, "f502": "130", "f1101": "8"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Enter a number between 0 and 120." in html and "Choose one of the options." in html
    assert 'value="130"' in html  # what was typed stays
    assert not Answer.objects.exists()


def test_submit_with_a_gap_sends_back_to_the_first_page_with_a_problem(client, invitation):
    post(client, invitation, 1, WORKING_PAGE_1)
    post(client, invitation, 2, PAGE_2)
    post(client, invitation, 3, PAGE_3_WORKING)
    # Page 1 changed behind the form's back: f1101 "other" needs f1102, which was never answered.
    response = Response.objects.get(invitation=invitation)
    Answer.objects.filter(response=response, code="f1101").update(value_int=5)
    refused = post(client, invitation, 4, {}, action="submit")
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Page 1 of 4" in html and "please check page 1 of 4" in html
    assert 'id="err-f1102"' in html and "This question is required." in html
    response.refresh_from_db()
    assert response.status == Response.Status.PARTIAL


def test_token_reaches_only_its_own_response(client, invitation, alumnus_a, alumnus_b):
    other = invite(profile=alumnus_b.alumni_profile, wave=invitation.wave)
    post(client_for(None), other, 1, {"f8": "5"})
    # Alumnus A, logged in, opens and posts through A's token: B's response is untouched and never shown.
    a = client_for(alumnus_a)
    post(a, invitation, 1, {"f8": "4"})
    assert engine.answers_of(other.response) == {"f8": 5}
    assert engine.answers_of(invitation.response) == {"f8": 4}
    # Posting B's response id or invitation id changes nothing either: only the token in the URL counts.
    post(a, invitation, 1, {"f8": "3", "response": str(other.response.pk), "invitation": str(other.pk)})
    assert engine.answers_of(other.response) == {"f8": 5}
    # Logged in as A, B's token still shows B's response (the token is the credential), not A's.
    html = a.get(url(other, 1)).content.decode()
    assert 'id="f8-5" value="5" checked' in html
    assert client.get(reverse("tracer:answer", args=["not-a-token"])).status_code == 404


def test_no_answer_url_names_a_response_or_invitation_by_id():
    tracer = [p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "tracer"][0]
    mine = {p.name: str(p.pattern) for p in tracer.url_patterns if p.name in ("answer", "answer_done", "my_surveys")}
    assert set(mine) == {"answer", "answer_done", "my_surveys"}
    assert all("<slug:token>" in pattern or "<" not in pattern for pattern in mine.values())


@pytest.mark.parametrize("when", ["closed", "not_launched"])
def test_closed_wave(client, invitation, when):
    post(client, invitation, 1, {"f8": "5"})
    wave = invitation.wave
    if when == "closed":
        wave.closes_at = timezone.now() - datetime.timedelta(minutes=1)
        wave.opens_at = wave.closes_at - datetime.timedelta(days=30)
    else:
        wave.launched_at = None
    wave.save()
    page = client.get(url(invitation))
    assert page.status_code == 200
    assert ("This survey is closed." if when == "closed" else "This survey is not open yet.") in page.content.decode()
    refused = post(client, invitation, 1, {"f8": "1", **WORKING_PAGE_1}, action="submit")
    assert refused.status_code == 403
    assert engine.answers_of(invitation.response) == {"f8": 5}
    assert Response.objects.get(invitation=invitation).status == Response.Status.PARTIAL


def test_closed_wave_does_not_create_a_response(client, alumnus_a):
    wave = open_wave()
    wave.launched_at = None
    wave.save()
    invitation = invite(profile=alumnus_a.alumni_profile, wave=wave)
    post(client, invitation, 1, {"f8": "5"})
    assert not Response.objects.exists()


def test_nomination_on_the_last_page(client, invitation, mailoutbox, django_capture_on_commit_callbacks):
    for page, data in ((1, WORKING_PAGE_1), (2, PAGE_2), (3, PAGE_3_WORKING)):
        post(client, invitation, page, data)
    half = post(client, invitation, 4, {"supervisor_name": "Dr. Sri"}, action="submit")
    assert half.status_code == 200 and "Enter your supervisor" in half.content.decode()
    nominee = {"supervisor_name": "Dr. Sri Wahyuni", "supervisor_position": "Kepala Perpustakaan",
               "supervisor_organisation": "Perpusnas", "supervisor_email": "sri@perpusnas.example"}
    with django_capture_on_commit_callbacks(execute=True):
        done = post(client, invitation, 4, nominee, action="submit")
    assert done.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        post(client, invitation, 4, nominee, action="submit")  # a double click
    employer = Invitation.objects.get(respondent=Invitation.Respondent.EMPLOYER)
    assert employer.nominated_in == invitation.response and employer.wave == invitation.wave
    assert len(mailoutbox) == 1 and employer.token in mailoutbox[0].body
    assert "Dr. Sri Wahyuni" in client.get(done["Location"]).content.decode()

    # The supervisor answers through the same pages: one page, with their own details.
    page = client_for(None).get(url(employer))
    html = page.content.decode()
    assert "Page 1 of 1" in html and 'value="Dr. Sri Wahyuni"' in html and "Ethics" in html
    ratings = {"etika": "4", "keahlian": "3", "bahasa_asing": "2", "teknologi_informasi": "4", "komunikasi": "3",
               "kerjasama": "4", "pengembangan_diri": "1"}
    answered = client_for(None).post(url(employer), {
        "page": 1, "action": "submit", **ratings, "saran": "Perbanyak magang.", "respondent_name": "Dr. Sri Wahyuni",
        "respondent_position": "Kepala Perpustakaan", "organisation": "Perpusnas",
    })
    assert answered.status_code == 302
    response = employer.response
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED and response.profile == invitation.profile
    assert (response.respondent_name, response.respondent_position) == ("Dr. Sri Wahyuni", "Kepala Perpustakaan")
    assert response.response_date == timezone.localdate()
    assert engine.answers_of(response)["saran"] == "Perbanyak magang."


def test_my_surveys_lists_only_my_graduate_invitations(alumnus_a, alumnus_b, invitation):
    alumnus_a.language = "en"
    alumnus_a.save(update_fields=["language"])
    invite(profile=alumnus_b.alumni_profile, wave=invitation.wave)
    # An employer invitation about A is not A's to answer.
    Invitation.objects.create(version=invitation.version, wave=invitation.wave, profile=invitation.profile,
                              respondent=Invitation.Respondent.EMPLOYER, email="boss@example.org")
    html = client_for(alumnus_a).get(reverse("tracer:my_surveys")).content.decode()
    assert html.count("/tracer/t/") == 1 and invitation.token in html and "Not started" in html
    post(client_for(None), invitation, 1, {"f8": "5"})
    html = client_for(alumnus_a).get(reverse("tracer:my_surveys")).content.decode()
    assert "Started (page 2)" in html and "Continue" in html
    other = AlumniProfileFactory(user__language="en")
    html = client_for(other.user).get(reverse("tracer:my_surveys")).content.decode()
    assert invitation.token not in html and "You have no tracer-study invitations." in html
