"""A program's page from the cache (programs/page_cache.ProgramPage): the program row and what everyone sees alike
are kept in the cache, `Program.is_visible_to` decides who may see it, and a viewer without tools gets the whole
cached content. These tests hold the Python twin to the queryset, check that nothing is served to someone who may
not see it, that changes show on the next request and that the fast path reads nothing of its own."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs import services
from programs.models import Participation, Program
from programs.page_cache import ProgramPage

from ..conftest import client_for
from ..factories import ProgramFactory, SessionFactory, UserFactory

PERSONAS = ("anonymous", "pending_person", "alumnus_a", "alumnus_b", "staff_x", "staff_y", "admin_user",
            "superuser")


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.org", full_name="Root", is_superuser=True, is_staff=True)


def get(user, program):
    with CaptureQueriesContext(connection) as queries:
        response = client_for(user).get(program.get_absolute_url())
    return response, [q["sql"] for q in queries]


def own_reads(queries):
    """The queries of the page itself: not the session's, the login's or the request's savepoints."""
    return [sql for sql in queries if "programs_" in sql or "donations_" in sql]


def test_the_python_twin_agrees_with_the_queryset_for_every_persona_status_and_audience(request, prodi_x, prodi_y):
    people = {name: request.getfixturevalue(name) for name in PERSONAS}
    # alumnus_b and the pending person propose or run some of them: a proposer's and a PIC's own rows.
    owners = (None, ("proposed_by", "alumnus_b"), ("pic", "alumnus_b"), ("proposed_by", "pending_person"),
              ("pic", "pending_person"))
    for status, audience, owner in itertools.product(Program.Status.values, Program.Audience.values, owners):
        for study_program in (prodi_x, prodi_y):
            ProgramFactory(study_program=study_program, status=status, audience=audience,
                           **({owner[0]: people[owner[1]]} if owner else {}))
    programs = list(Program.objects.all())
    assert len(programs) == len(Program.Status.values) * len(Program.Audience.values) * len(owners) * 2
    for name, user in people.items():
        visible = set(Program.objects.visible_to(user).values_list("pk", flat=True))
        twin = {program.pk for program in programs if program.is_visible_to(user)}
        assert twin == visible, name
        assert 0 < len(visible) <= len(programs), name


def test_a_member_gets_the_cached_page_without_a_query_of_its_own(prodi_x, alumnus_a, alumnus_b, staff_x):
    program = ProgramFactory(study_program=prodi_x, pic=staff_x, proposed_by=alumnus_b, title="Mentoring Riset",
                             audience="public")
    SessionFactory(program=program, place="Aula Pusat")
    services.participant_add(program=program, by=staff_x, user=alumnus_b, role=Participation.Role.MENTOR)
    first, _ = get(alumnus_a, program)
    assert first.status_code == 200
    for visitor in (alumnus_a, None):
        response, queries = get(visitor, program)
        page = response.content.decode()
        assert response.status_code == 200 and own_reads(queries) == []
        assert "Mentoring Riset" in page and "Aula Pusat" in page and "Bagus Pratama" in page and "Staf X" in page
        assert "<title>Mentoring Riset" in page
        assert reverse("programs:edit", args=[program.pk]) not in page
    # The content was rendered once, for everyone: it holds no CSRF token (base.html's forms have their own).
    body = ProgramPage(program.pk).body(lambda: pytest.fail("the content was not cached"))
    assert "Aula Pusat" in body and "csrfmiddlewaretoken" not in body
    # A signed-in member's request reads the session and the user, and nothing else.
    client = client_for(alumnus_a)
    client.get(program.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(program.get_absolute_url()).status_code == 200
    reads = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    assert len(reads) == 2 and all("django_session" in sql or "alumni_user" in sql for sql in reads), reads


@pytest.mark.parametrize("status", [Program.Status.PROPOSED, Program.Status.REJECTED, Program.Status.CANCELLED])
def test_an_unlisted_program_404s_for_members_after_staff_and_its_proposer_warmed_the_cache(
    prodi_x, staff_x, alumnus_a, alumnus_b, pending_person, status
):
    program = ProgramFactory(study_program=prodi_x, status=status, audience="public", proposed_by=alumnus_b,
                             title="Usulan Rahasia")
    for insider in (staff_x, alumnus_b):
        response, _ = get(insider, program)
        assert response.status_code == 200 and "Usulan Rahasia" in response.content.decode()
    for outsider in (alumnus_a, pending_person, None):
        response, _ = get(outsider, program)
        assert response.status_code == 404 and "Usulan Rahasia" not in response.content.decode()


def test_a_members_only_program_404s_for_the_pending_and_the_anonymous_after_a_member_saw_it(
    prodi_x, alumnus_a, pending_person
):
    program = ProgramFactory(study_program=prodi_x, audience="alumni", title="Khusus Alumni")
    assert get(alumnus_a, program)[0].status_code == 200
    for outsider in (pending_person, None):
        assert get(outsider, program)[0].status_code == 404


def test_a_program_that_does_not_exist_is_a_404(db, alumnus_a):
    missing = reverse("programs:detail", args=["00000000-0000-0000-0000-000000000000"])
    assert client_for(alumnus_a).get(missing).status_code == 404


def test_a_session_a_team_member_and_a_new_pic_show_on_the_next_request(prodi_x, staff_x, alumnus_a, alumnus_b):
    program = ProgramFactory(study_program=prodi_x, status=Program.Status.PROPOSED, proposed_by=alumnus_a,
                             audience="public")
    assert get(staff_x, program)[0].status_code == 200
    assert get(alumnus_b, program)[0].status_code == 404
    # The approval writes the PIC with update(): the member sees the approved program and its PIC at once.
    services.program_approve(program=program, by=staff_x, pic=alumnus_b)
    page = get(None, program)[0].content.decode()
    assert "Bagus Pratama" in page and get(alumnus_b, program)[0].status_code == 200

    SessionFactory(program=program, place="Ruang Seminar Baru")
    assert "Ruang Seminar Baru" in get(None, program)[0].content.decode()

    carol = UserFactory(email="carol@example.org", full_name="Carol Relawan")
    services.participant_add(program=program, by=staff_x, user=carol, role=Participation.Role.VOLUNTEER)
    assert "Carol Relawan" in get(None, program)[0].content.decode()

    dewi = UserFactory(email="dewi@example.org", full_name="Dewi Penanggung Jawab")
    services.program_update(program=Program.objects.get(pk=program.pk), by=staff_x, data={}, pic=dewi)
    page = get(None, program)[0].content.decode()
    assert "Dewi Penanggung Jawab" in page and "Bagus Pratama" not in page

    dewi.full_name = "Dewi Berganti Nama"
    dewi.save()
    assert "Dewi Berganti Nama" in get(None, program)[0].content.decode()


def test_staff_and_the_pic_keep_their_tools_after_a_member_warmed_the_cache(prodi_x, staff_x, alumnus_a,
                                                                             alumnus_b):
    program = ProgramFactory(study_program=prodi_x, pic=alumnus_b, status=Program.Status.RUNNING)
    services.participant_add(program=program, by=staff_x, user=alumnus_a, role=Participation.Role.MENTOR)
    services.team_invite(program=program, by=staff_x, email="baru@example.org",
                         role=Participation.Role.COMMITTEE)
    member_page = get(alumnus_a, program)[0].content.decode()
    edit = reverse("programs:edit", args=[program.pk])
    transition = reverse("programs:transition", args=[program.pk])
    assert edit not in member_page and transition not in member_page and "baru@example.org" not in member_page
    for manager in (staff_x, alumnus_b):
        page = get(manager, program)[0].content.decode()
        assert edit in page and transition in page and "csrfmiddlewaretoken" in page
        assert "baru@example.org" in page and reverse("programs:team_add", args=[program.pk]) in page
    # And the member's page, served again from the cache, still has none of it.
    member_page = get(alumnus_a, program)[0].content.decode()
    assert edit not in member_page and "baru@example.org" not in member_page


def test_the_cache_keeps_no_password_or_email_of_the_people_it_names(prodi_x, staff_x, alumnus_a):
    import pickle

    program = ProgramFactory(study_program=prodi_x, pic=staff_x, proposed_by=alumnus_a)
    services.participant_add(program=program, by=staff_x, user=alumnus_a, role=Participation.Role.MENTOR)
    page = ProgramPage(program.pk)
    stored = pickle.dumps(page.program)
    for person in (staff_x, alumnus_a):
        assert person.email.encode() not in stored and person.password.encode() not in stored
    assert page.program.pic.full_name == "Staf X" and page.program.program_team[0].user.full_name == "Ani Lestari"
