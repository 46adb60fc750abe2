"""A graduate cannot name their own email, or another graduate's, as their supervisor for the employer survey;
staff sending employer links obey the same rule (issue 11, §4)."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from alumni.models import AlumniProfile
from tracer import engine
from tracer.models import Invitation, Response
from tracer.nomination import supervisor_email_refusal

from ..conftest import client_for
from ..factories import AlumniProfileFactory, StudyProgramFactory, UserFactory
from .test_engine import PAGE_2, PAGE_3_WORKING, WORKING_PAGE_1, invite


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def invitation(alumnus_a):
    return invite(profile=alumnus_a.alumni_profile)


def answer_up_to_the_last_page(client, invitation):
    url = reverse("tracer:answer", args=[invitation.token])
    for page, data in ((1, WORKING_PAGE_1), (2, PAGE_2), (3, PAGE_3_WORKING)):
        client.post(url, {"page": page, "action": "next", **data})
    return url


def nominate(client, url, email):
    return client.post(url, {
        "page": 4, "action": "submit", "supervisor_name": "Pak Atasan", "supervisor_position": "Kepala",
        "supervisor_organisation": "Perpusnas", "supervisor_email": email,
    })


def test_a_graduate_cannot_name_their_own_email(client, invitation, alumnus_a):
    profile = alumnus_a.alumni_profile
    AlumniProfile.objects.filter(pk=profile.pk).update(email="ani.pribadi@example.org")
    url = answer_up_to_the_last_page(client, invitation)
    for own in (alumnus_a.email, "ANI.PRIBADI@example.org"):  # the account's email and the profile's
        response = nominate(client, url, own)
        assert response.status_code == 200
        assert "supervisor_email" in response.context["extra_form"].errors
    assert not Invitation.objects.filter(respondent=Invitation.Respondent.EMPLOYER).exists()
    assert Response.objects.get().status == Response.Status.PARTIAL


def test_a_graduate_cannot_name_another_graduate(client, invitation, alumnus_b, prodi_y):
    # A record without an account, of another study program of the same institution, counts too.
    AlumniProfileFactory(user=None, study_program=prodi_y, email="lulusan.lain@example.org")
    url = answer_up_to_the_last_page(client, invitation)
    for other in (alumnus_b.email, "lulusan.lain@example.org"):
        response = nominate(client, url, other)
        assert response.status_code == 200
        assert "supervisor_email" in response.context["extra_form"].errors
    assert not Invitation.objects.filter(respondent=Invitation.Respondent.EMPLOYER).exists()


def test_a_real_supervisor_is_still_invited(client, invitation, django_capture_on_commit_callbacks):
    # An account that is no graduate (a supervisor who signed up, say) may be named.
    UserFactory(email="atasan@perpusnas.example")
    url = answer_up_to_the_last_page(client, invitation)
    with django_capture_on_commit_callbacks(execute=True):
        assert nominate(client, url, "atasan@perpusnas.example").status_code == 302
    assert Invitation.objects.filter(respondent=Invitation.Respondent.EMPLOYER).count() == 1


def test_the_engine_drops_a_nomination_of_a_graduate(invitation, alumnus_b):
    response = engine.response_for(invitation)
    for page, data in ((1, WORKING_PAGE_1), (2, PAGE_2), (3, PAGE_3_WORKING)):
        engine.response_save_page(response=response, page=page, data=data, partial=False, advance=True)
    engine.response_submit(response=response, nominee={"name": "B", "email": alumnus_b.email})
    assert not Invitation.objects.filter(respondent=Invitation.Respondent.EMPLOYER).exists()


def test_graduates_of_another_institution_are_not_refused(alumnus_a):
    other = StudyProgramFactory(code="55101", faculty__institution__name="Universitas Lain", faculty__name="F")
    stranger = AlumniProfileFactory(study_program=other, email="alumni.lain@example.org")
    assert supervisor_email_refusal(profile=alumnus_a.alumni_profile, email=stranger.email) is None


def test_staff_cannot_send_an_employer_link_to_a_graduate(national_surveys, prodi_x, alumnus_a, alumnus_b, staff_x):
    mail.outbox.clear()
    data = {"study_program": prodi_x.pk, "nim": "15710001", "name": "Bagus", "position": "",
            "organisation": "Perpusnas"}
    for email in (alumnus_a.email, alumnus_b.email):
        response = client_for(staff_x).post(reverse("tracer:employer_invite"), {**data, "email": email})
        assert response.status_code == 200
        assert "email" in response.context["form"].errors
    assert not Invitation.objects.exists()
    assert len(mail.outbox) == 0
