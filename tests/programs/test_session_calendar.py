"""The session calendar (/programs/agenda/): upcoming sessions of the programs the viewer may see, a month at a time,
as a grid and as a list, filtered by kind; a fixed number of queries however many sessions there are."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Participation, Program, Session, add_months

from ..conftest import client_for
from ..factories import ProgramFactory, SessionFactory

URL = reverse("programs:agenda")


def next_month() -> datetime.date:
    return add_months(timezone.localdate().replace(day=1), 1)


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def session(program, day: datetime.date, hour: int = 9, **fields) -> Session:
    start = at(day, hour)
    return SessionFactory(program=program, start=start, end=start + datetime.timedelta(hours=2), **fields)


def titles(response) -> list[str]:
    return [s.display_title for _day, sessions in response.context["days"] for s in sessions]


@pytest.fixture
def programs(prodi_x, prodi_y, alumnus_a):
    """In next month: a public guest lecture (academic) and a members' futsal (non-academic) on the 10th and 12th,
    a cancelled session, a proposal's session, and a session of the month after."""
    month = next_month()
    public = ProgramFactory(study_program=prodi_x, title="Kuliah Tamu", audience="public", kind="academic")
    members = ProgramFactory(study_program=prodi_y, title="Futsal Alumni", audience="alumni", kind="non_academic")
    proposal = ProgramFactory(study_program=prodi_x, title="Usulan Reuni", status="proposed", audience="public")
    session(public, month.replace(day=10), 9)
    session(public, month.replace(day=10), 13, title="Kuliah Tamu: sesi kedua")
    futsal = session(members, month.replace(day=12), 7)
    session(public, month.replace(day=20), status=Session.Status.CANCELLED, title="Dibatalkan")
    session(proposal, month.replace(day=21))
    session(public, add_months(month, 1).replace(day=5), title="Bulan berikutnya")
    Participation.objects.create(program=members, session=futsal, user=alumnus_a)
    return {"public": public, "members": members, "month": month}


def test_a_visitor_sees_the_public_sessions_of_the_month(client, programs):
    response = client.get(URL, {"month": f"{programs['month']:%Y-%m}"})
    assert response.status_code == 200
    assert titles(response) == ["Kuliah Tamu", "Kuliah Tamu: sesi kedua"]
    assert response.context["count"] == 2
    body = response.content.decode()
    assert "Futsal Alumni" not in body and "Usulan Reuni" not in body and "Dibatalkan" not in body


def test_a_member_sees_members_programs_too_and_their_own_seat(alumnus_a, programs):
    response = client_for(alumnus_a).get(URL, {"month": f"{programs['month']:%Y-%m}"})
    assert titles(response) == ["Kuliah Tamu", "Kuliah Tamu: sesi kedua", "Futsal Alumni"]
    registered = [s.display_title for _d, day in response.context["days"] for s in day if s.is_registered]
    assert registered == ["Futsal Alumni"]
    # The grid: the 10th holds two sessions, the 12th one; 28 to 42 days in whole weeks from Monday.
    cells = [cell for week in response.context["weeks"] for cell in week]
    assert len(cells) % 7 == 0 and cells[0]["date"].weekday() == 0
    by_day = {c["date"].day: len(c["sessions"]) for c in cells if c["in_month"]}
    assert by_day[10] == 2 and by_day[12] == 1 and sum(by_day.values()) == 3


def test_a_pending_person_sees_public_sessions_only(pending_person, programs):
    response = client_for(pending_person).get(URL, {"month": f"{programs['month']:%Y-%m}"})
    assert titles(response) == ["Kuliah Tamu", "Kuliah Tamu: sesi kedua"]


def test_staff_see_their_study_programs_proposals(staff_x, programs):
    response = client_for(staff_x).get(URL, {"month": f"{programs['month']:%Y-%m}"})
    assert "Usulan Reuni" in titles(response)


def test_filter_by_kind(alumnus_a, programs):
    month = f"{programs['month']:%Y-%m}"
    client = client_for(alumnus_a)
    assert titles(client.get(URL, {"month": month, "kind": "non_academic"})) == ["Futsal Alumni"]
    assert titles(client.get(URL, {"month": month, "kind": "academic"})) == ["Kuliah Tamu", "Kuliah Tamu: sesi kedua"]


def test_past_and_finished_sessions_are_not_listed(alumnus_a, prodi_x):
    program = ProgramFactory(study_program=prodi_x, audience="public")
    now = timezone.now()
    SessionFactory(program=program, title="Selesai", start=now - datetime.timedelta(hours=3),
                   end=now - datetime.timedelta(hours=1))
    SessionFactory(program=program, title="Sedang berlangsung", start=now - datetime.timedelta(hours=1),
                   end=now + datetime.timedelta(hours=1))
    response = client_for(alumnus_a).get(URL)
    assert "Selesai" not in titles(response)
    assert response.context["month"] == timezone.localdate().replace(day=1)
    assert response.context["previous_link"] == ""  # no month before the current one


@pytest.mark.parametrize("month", ["2026-13", "desember", "12/2026", "2026-1"])
def test_a_month_that_is_no_month_is_refused_with_a_message(alumnus_a, programs, month):
    response = client_for(alumnus_a).get(URL, {"month": month})
    assert response.status_code == 200
    assert "YYYY-MM" in response.context["form"].errors["month"][0]
    assert 'class="form-control is-invalid"' in response.content.decode()
    assert response.context["month"] == timezone.localdate().replace(day=1)


def test_a_past_month_is_refused_and_the_current_one_shown(alumnus_a, programs):
    past = add_months(timezone.localdate().replace(day=1), -2)
    response = client_for(alumnus_a).get(URL, {"month": f"{past:%Y-%m}", "kind": "academic"})
    assert "month" in response.context["form"].errors
    assert response.context["month"] == timezone.localdate().replace(day=1)
    assert response.context["kind"] == "academic"  # the valid choices stand


def test_an_empty_month_links_to_the_next_session(alumnus_a, programs):
    later = add_months(programs["month"], 1)
    response = client_for(alumnus_a).get(URL, {"month": f"{later:%Y-%m}", "kind": "non_academic"})
    assert response.context["count"] == 0 and response.context["next_start"] is None
    # Nothing this month: the page names the day of the next session and links to its month.
    response = client_for(alumnus_a).get(URL, {"month": f"{timezone.localdate():%Y-%m}", "kind": "academic"})
    assert response.context["count"] == 0
    assert response.context["next_start"] == at(programs["month"].replace(day=10), 9)
    assert response.context["next_start_link"] == f"?month={programs['month']:%Y-%m}&kind=academic"


def test_views_month_grid_list_and_automatic(alumnus_a, programs):
    client = client_for(alumnus_a)
    month = f"{programs['month']:%Y-%m}"
    both = client.get(URL, {"month": month}).content.decode()
    # Without a choice both are in the page: the grid for wide screens, the list (phones) below md.
    assert '<div class="d-none d-md-block" id="calendar-grid">' in both
    assert '<div class="d-md-none" id="calendar-list">' in both
    grid = client.get(URL, {"month": month, "view": "month"}).content.decode()
    assert 'id="calendar-grid"' in grid and 'id="calendar-list"' not in grid
    assert '<th scope="col">' in grid
    listed = client.get(URL, {"month": month, "view": "list"}).content.decode()
    assert 'id="calendar-list"' in listed and 'id="calendar-grid"' not in listed
    # The month links keep the chosen view and kind.
    response = client.get(URL, {"month": month, "view": "list", "kind": "academic"})
    assert response.context["next_link"] == (
        f"?month={add_months(programs['month'], 1):%Y-%m}&kind=academic&view=list"
    )


def test_the_menu_links_to_the_calendar(client, alumnus_a):
    assert f'href="{URL}"' in client.get(reverse("programs:list")).content.decode()
    assert f'href="{URL}"' in client_for(alumnus_a).get(reverse("dashboard")).content.decode()


# Measured on SQLite (5 for a signed-in viewer, 3 for a visitor, at 5 and at 120 sessions): the session and the
# user, the scope (roles, profile), the month's sessions with their programs and the viewer's seats in one query;
# an empty month adds the next session (1).
CALENDAR_QUERIES = 6


@pytest.mark.parametrize("size", [5, 120])
@pytest.mark.parametrize("persona", ["anonymous", "alumnus_a", "staff_x"])
def test_calendar_queries_do_not_grow_with_sessions(size, persona, prodi_x, request, django_assert_max_num_queries):
    month = next_month()
    programs = Program.objects.bulk_create(
        ProgramFactory.build(study_program=prodi_x, title=f"Program {i:03d}", audience="public") for i in range(size)
    )
    Session.objects.bulk_create(
        Session(program=p, start=at(month.replace(day=1 + i % 28), 8 + i % 10),
                end=at(month.replace(day=1 + i % 28), 8 + i % 10) + datetime.timedelta(hours=1))
        for i, p in enumerate(programs)
    )
    user = request.getfixturevalue(persona) if persona != "anonymous" else None
    client = client_for(user)
    client.get(URL)  # warm the session
    with django_assert_max_num_queries(CALENDAR_QUERIES):
        response = client.get(URL, {"month": f"{month:%Y-%m}", "kind": "academic"})
    assert response.context["count"] == size
