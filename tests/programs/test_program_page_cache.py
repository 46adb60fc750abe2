"""A program's page: its sessions, history and rhythm are rendered once and cached (programs/page_cache.py) until
the program's data or a person's name changes; who may see it and the viewer's buttons stay live."""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs import services
from programs.models import Program, Session

from ..conftest import client_for
from ..factories import ProgramFactory, SessionFactory


def view(user, program):
    with CaptureQueriesContext(connection) as queries:
        response = client_for(user).get(program.get_absolute_url())
    reads = [q["sql"] for q in queries if "programs_session" in q["sql"] or "programs_programtransition" in q["sql"]]
    return response, reads


def test_the_second_visitor_gets_sessions_and_history_without_reading_them(prodi_x, alumnus_a, alumnus_b):
    program = ProgramFactory(study_program=prodi_x, audience="public")
    SessionFactory(program=program, place="Aula Pusat")
    first, reads = view(alumnus_a, program)
    assert reads and "Aula Pusat" in first.content.decode()
    for visitor in (alumnus_b, None):
        response, reads = view(visitor, program)
        assert response.status_code == 200 and reads == []
        assert "Aula Pusat" in response.content.decode()


def test_registering_cancelling_and_attendance_show_on_the_next_request(prodi_x, staff_x, alumnus_a, alumnus_b):
    program = ProgramFactory(study_program=prodi_x, audience="public")
    session = SessionFactory(program=program, capacity=2)
    assert "2 / 2" in view(alumnus_b, program)[0].content.decode()
    services.session_register(session=session, user=alumnus_a)
    assert "1 / 2" in view(alumnus_b, program)[0].content.decode()
    services.session_unregister(session=session, user=alumnus_a)
    assert "2 / 2" in view(alumnus_b, program)[0].content.decode()
    services.session_cancel(session=session, by=staff_x, reason="Hujan deras")
    assert "Dibatalkan" in view(alumnus_b, program)[0].content.decode()

    held = SessionFactory(program=program, start=timezone.now() - datetime.timedelta(days=3), capacity=None)
    services.session_register(session=held, user=alumnus_a, now=held.start - datetime.timedelta(days=1))
    services.attendance_mark(session=held, by=staff_x, attended_user_ids={alumnus_a.pk})
    page = view(alumnus_b, program)[0].content.decode()
    assert re.search(r'<td data-label="[^"]+">1</td>\s*<td data-label="[^"]+">1</td>', page)  # registered 1, came 1


def test_a_status_change_shows_in_the_history_and_the_buttons_stay_the_viewers(prodi_x, staff_x, alumnus_a):
    program = ProgramFactory(study_program=prodi_x, audience="public", status=Program.Status.RUNNING)
    entry = '<li class="border-start border-3 ps-3 mb-2">'
    assert view(alumnus_a, program)[0].content.decode().count(entry) == 0
    services.program_transition(program=program, to=Program.Status.COMPLETED, by=staff_x)
    page = view(alumnus_a, program)[0].content.decode()
    assert page.count(entry) == 1 and "Staf X" in page
    transition = reverse("programs:transition", args=[program.pk])
    assert transition not in page
    staff_page = view(staff_x, program)[0].content.decode()
    assert staff_page.count(entry) == 1 and reverse("programs:edit", args=[program.pk]) in staff_page


def test_a_members_only_program_stays_closed_to_the_anonymous_after_members_saw_it(prodi_x, alumnus_a):
    program = ProgramFactory(study_program=prodi_x, audience="alumni")
    Session.objects.create(program=program, start=timezone.now() + datetime.timedelta(days=2),
                           end=timezone.now() + datetime.timedelta(days=2, hours=1), place="Ruang Alumni")
    member_page = view(alumnus_a, program)[0]
    anonymous = view(None, program)[0]
    assert member_page.status_code == 200
    assert anonymous.status_code in (302, 404) or "Ruang Alumni" not in anonymous.content.decode()
