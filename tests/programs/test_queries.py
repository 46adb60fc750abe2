"""The program list, the health dashboard and a session page run a fixed number of queries, however many
programs or participants there are (10 or 200)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Participation, Program, Session

from ..conftest import client_for
from ..factories import ProgramFactory, SessionFactory, UserFactory

SIZES = [10, 200]

# Measured on SQLite, staff persona: session and user (2), the request's savepoint and release (2), scope (2:
# roles, profile), then the page's own reads: list 3 (count, study-program filter, page), health 2 (programs
# with rhythm, attendance), session 5 (session, seat counts, participants with their profiles, open speaker
# invitations, own registration).
LIST_QUERIES = 9
HEALTH_QUERIES = 8
SESSION_QUERIES = 11


def make_programs(prodi, n: int) -> list[Program]:
    now = timezone.now()
    programs = Program.objects.bulk_create(
        ProgramFactory.build(study_program=prodi, title=f"Program {i:03d}", audience="public") for i in range(n)
    )
    sessions = []
    for i, program in enumerate(programs):
        start = now - datetime.timedelta(days=30 + i % 60)
        sessions.append(Session(program=program, start=start, end=start + datetime.timedelta(hours=2), place="Aula"))
        start = now + datetime.timedelta(days=1 + i % 20)
        sessions.append(Session(program=program, start=start, end=start + datetime.timedelta(hours=2), place="Aula"))
    Session.objects.bulk_create(sessions)
    return programs


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("persona", ["anonymous", "staff_x"])
def test_program_list_queries(size, persona, prodi_x, request, django_assert_max_num_queries):
    make_programs(prodi_x, size)
    user = request.getfixturevalue(persona) if persona != "anonymous" else None
    client = client_for(user)
    client.get(reverse("programs:list"))  # warm the session
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(reverse("programs:list"), {"q": "Program", "kind": "academic"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == size
    assert all(p.next_scheduled for p in response.context["page"].object_list)


@pytest.mark.parametrize("size", SIZES)
def test_health_dashboard_queries(size, prodi_x, staff_x, django_assert_max_num_queries):
    programs = make_programs(prodi_x, size)
    people = [UserFactory(email=f"hadir{i}@example.org", verified=False) for i in range(3)]
    past = Session.objects.filter(start__lt=timezone.now()).select_related("program")
    Participation.objects.bulk_create(
        Participation(program=s.program, session=s, user=u, attended=bool(i % 2))
        for s in past for i, u in enumerate(people)
    )
    client = client_for(staff_x)
    client.get(reverse("programs:health"))
    with django_assert_max_num_queries(HEALTH_QUERIES):
        response = client.get(reverse("programs:health"))
    assert len(response.context["rows"]) == len(programs)
    assert len(response.context["chart"]) == len(programs)


@pytest.mark.parametrize("size", SIZES)
def test_session_detail_staff_queries(size, prodi_x, staff_x, django_assert_max_num_queries):
    program = ProgramFactory(study_program=prodi_x)
    session = SessionFactory(program=program, capacity=size // 2, start=timezone.now() - datetime.timedelta(hours=1))
    users = [UserFactory(email=f"peserta{i}@example.org", verified=False) for i in range(size)]
    now = timezone.now()
    Participation.objects.bulk_create(
        Participation(
            program=program, session=session, user=u,
            status="registered" if i < size // 2 else "waitlisted",
            queued_at=now + datetime.timedelta(seconds=i),
        )
        for i, u in enumerate(users)
    )
    Participation.objects.create(program=program, session=session, user=staff_x, role="speaker")
    client = client_for(staff_x)
    client.get(session.get_absolute_url())
    with django_assert_max_num_queries(SESSION_QUERIES):
        response = client.get(session.get_absolute_url())
    assert len(response.context["registered"]) == size // 2
    assert len(response.context["waitlist"]) == size - size // 2
    assert len(response.context["attendees"]) == size // 2 + 1
