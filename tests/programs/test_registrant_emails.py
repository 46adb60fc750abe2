"""Registrants' emails on a session page: staff of the study program see them; a PIC who is an alumnus sees each
one only as far as that registrant's own visibility setting allows (issue 11, §4)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alumni.models import AlumniProfile, Visibility
from programs.models import Participation

from ..conftest import client_for
from ..factories import AlumniProfileFactory, ProgramFactory, SessionFactory, UserFactory


@pytest.fixture
def session(prodi_x, alumnus_a):
    """A public session of prodi X whose program alumnus A leads (A is no staff)."""
    program = ProgramFactory(study_program=prodi_x, audience="public", pic=alumnus_a)
    return SessionFactory(program=program)


def register(session, user, status=Participation.Status.REGISTERED):
    return Participation.objects.create(program=session.program, session=session, user=user, status=status)


def set_email_visibility(user, level):
    AlumniProfile.objects.filter(user=user).update(vis_email=level)


def page(session, viewer):
    response = client_for(viewer).get(reverse("programs:session", args=[session.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_pic_sees_a_registrants_email_only_as_the_registrant_allows(session, alumnus_a, alumnus_b):
    register(session, alumnus_b)
    set_email_visibility(alumnus_b, Visibility.STAFF)
    html = page(session, alumnus_a)
    assert "Bagus Pratama" in html
    assert alumnus_b.email not in html

    set_email_visibility(alumnus_b, Visibility.ALUMNI)
    assert alumnus_b.email in page(session, alumnus_a)


def test_staff_of_the_study_program_see_every_registrants_email(session, staff_x, alumnus_b):
    register(session, alumnus_b)
    set_email_visibility(alumnus_b, Visibility.PRIVATE)
    assert alumnus_b.email in page(session, staff_x)


def test_a_registrant_without_a_name_or_profile_is_not_shown_to_the_pic_by_email(session, alumnus_a):
    nameless = UserFactory(email="tanpa.nama@example.org", full_name="")
    waiting = UserFactory(email="antre@example.org", full_name="")
    register(session, nameless)
    register(session, waiting, status=Participation.Status.WAITLISTED)
    html = page(session, alumnus_a)
    assert nameless.email not in html
    assert waiting.email not in html


def test_the_list_costs_no_query_per_registrant(session, alumnus_a, prodi_x):
    def count():
        with CaptureQueriesContext(connection) as queries:
            page(session, alumnus_a)
        return len(queries)

    first = AlumniProfileFactory(study_program=prodi_x, vis_email=Visibility.ALUMNI).user
    register(session, first)
    one = count()
    for _ in range(4):
        register(session, AlumniProfileFactory(study_program=prodi_x, vis_email=Visibility.ALUMNI).user)
    assert count() == one


def test_a_nameless_team_member_or_pic_is_not_shown_to_members_by_email(prodi_x, alumnus_b):
    nameless_pic = UserFactory(email="pic.tanpa.nama@example.org", full_name="")
    program = ProgramFactory(study_program=prodi_x, audience="alumni", pic=nameless_pic)
    helper = UserFactory(email="panitia.tanpa.nama@example.org", full_name="")
    Participation.objects.create(program=program, user=helper, role="committee")
    html = client_for(alumnus_b).get(program.get_absolute_url()).content.decode()
    assert nameless_pic.email not in html and helper.email not in html
