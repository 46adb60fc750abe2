"""Staff send employer-survey links themselves, for graduates of their own study programs only."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from alumni.models import AlumniProfile
from core.models import AuditLog
from tracer.models import Invitation

from ..conftest import client_for

URL = reverse("tracer:employer_invite")


def form(prodi, nim="15710001"):
    return {"study_program": prodi.pk, "nim": nim, "name": "Ibu Ratna", "position": "Kepala Perpustakaan",
            "organisation": "Perpustakaan Nasional RI", "email": "ratna@pnri.example.org"}


@pytest.mark.django_db(transaction=True)  # the link is mailed after commit
def test_staff_send_an_employer_link_about_their_graduate(national_surveys, prodi_x, alumnus_a, staff_x):
    mail.outbox.clear()  # the staff role's own welcome mail
    response = client_for(staff_x).post(URL, form(prodi_x))
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.respondent, invitation.profile.user, invitation.created_by) == ("employer", alumnus_a, staff_x)
    assert invitation.version.survey.slug == "dikti-employer"
    assert [m.to for m in mail.outbox] == [["ratna@pnri.example.org"]]
    link = re.search(r"https?://\S+(/tracer/t/\S+/)", mail.outbox[0].body).group(1)
    assert link == invitation.answer_path()
    assert AuditLog.objects.filter(action="tracer.employer.invited").count() == 1
    page = client_for(staff_x).get(URL)
    assert "Ibu Ratna" in page.content.decode()


def test_staff_of_another_prodi_cannot_reach_that_graduate(prodi_x, prodi_y, alumnus_a, staff_y):
    response = client_for(staff_y).post(URL, form(prodi_x))
    assert response.status_code == 200  # prodi X is not a choice for them: the form says so
    assert "study_program" in response.context["form"].errors
    response = client_for(staff_y).post(URL, form(prodi_y))
    assert "nim" in response.context["form"].errors  # no such graduate in their own program
    assert not Invitation.objects.exists()
    assert len(mail.outbox) == 0


def test_alumni_may_not_send_employer_links(alumnus_a):
    assert client_for(alumnus_a).get(URL).status_code == 403
    assert AlumniProfile.objects.count() == 1
