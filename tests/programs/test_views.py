"""Program pages, as each persona uses them: browse, propose, decide, schedule, register, attend, subscribe."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from alumni.models import AlumniProfile
from core.models import Notification
from programs.models import CalendarFeed, Participation, Program, ProgramTransition, Session

from ..conftest import client_for
from ..factories import ProgramFactory, SessionFactory, StudyProgramFactory, UserFactory

S = Program.Status
LIST = reverse("programs:list")

PROPOSAL = {
    "title": "Forum Menulis Alumni",
    "description": "Pertemuan bulanan menulis artikel populer dan jurnal.",
    "kind": "academic",
    "category": "publication",
    "organiser": "alumni_association",
    "audience": "both",
    "cadence": "monthly",
    "cadence_years": "",
    "grace_days": "10",
}


def titles(response):
    return [program.title for program in response.context["page"].object_list]


def wib(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def public_program(prodi_x):
    return ProgramFactory(study_program=prodi_x, title="Kuliah Tamu Terbuka", audience="public",
                          category="guest_lecture")


@pytest.fixture
def members_program(prodi_x):
    return ProgramFactory(study_program=prodi_x, title="Mentoring Skripsi", audience="alumni")


@pytest.fixture
def proposal(prodi_x, alumnus_a):
    program = ProgramFactory(study_program=prodi_x, title="Reuni Akbar 2030", status=S.PROPOSED,
                             proposed_by=alumnus_a, category="reunion", cadence="one_off")
    ProgramTransition.objects.create(program=program, to_status=S.PROPOSED, by=alumnus_a)
    return program


# --- list ----------------------------------------------------------------------------------------------------


def test_anonymous_sees_public_programs_only(public_program, members_program, proposal):
    response = client_for(None).get(LIST)
    assert response.status_code == 200
    assert titles(response) == ["Kuliah Tamu Terbuka"]
    assert b"Mentoring Skripsi" not in response.content


def test_member_sees_listed_programs_but_not_others_proposals(
    public_program, members_program, proposal, alumnus_b
):
    assert titles(client_for(alumnus_b).get(LIST)) == ["Kuliah Tamu Terbuka", "Mentoring Skripsi"]


def test_list_filters(prodi_x, prodi_y, staff_x, admin_user):
    ProgramFactory(study_program=prodi_x, title="Alpha Mentoring", kind="academic", category="mentoring")
    ProgramFactory(study_program=prodi_x, title="Bravo Futsal", kind="non_academic", category="sport",
                   description="Pertandingan persahabatan alumni.")
    ProgramFactory(study_program=prodi_x, title="Charlie Training", category="training", status=S.COMPLETED)
    ProgramFactory(study_program=prodi_y, title="Delta Arabic Club", category="training")
    client = client_for(admin_user)
    assert titles(client.get(LIST, {"kind": "non_academic"})) == ["Bravo Futsal"]
    assert titles(client.get(LIST, {"category": "training"})) == ["Charlie Training", "Delta Arabic Club"]
    assert titles(client.get(LIST, {"status": "completed"})) == ["Charlie Training"]
    assert titles(client.get(LIST, {"study_program": prodi_y.pk})) == ["Delta Arabic Club"]
    assert titles(client.get(LIST, {"q": "persahabatan"})) == ["Bravo Futsal"]  # searches the description too
    assert titles(client.get(LIST, {"q": "training", "study_program": prodi_x.pk})) == ["Charlie Training"]
    assert titles(client.get(LIST)) == ["Alpha Mentoring", "Bravo Futsal", "Charlie Training", "Delta Arabic Club"]


def test_list_paginates_and_shows_next_session(prodi_x):
    for n in range(25):
        ProgramFactory(study_program=prodi_x, title=f"Program {n:02d}", audience="public")
    first = Program.objects.get(title="Program 00")
    session = SessionFactory(program=first)
    response = client_for(None).get(LIST)
    assert len(titles(response)) == 20
    assert response.context["page"].object_list[0].next_scheduled == session.start
    assert titles(client_for(None).get(LIST, {"page": 2})) == [f"Program {n}" for n in range(20, 25)]


# --- detail and permissions ----------------------------------------------------------------------------------


def test_detail_shows_facts_health_sessions_team_and_history(public_program, staff_x, alumnus_b):
    past = SessionFactory(program=public_program, start=timezone.now() - datetime.timedelta(days=10),
                          title="Sesi Lalu")
    SessionFactory(program=public_program, title="Sesi Depan", capacity=5)
    Participation.objects.create(program=public_program, user=alumnus_b, role="mentor")
    ProgramTransition.objects.create(program=public_program, from_status=S.APPROVED, to_status=S.RUNNING,
                                     by=staff_x, reason="Sesi pertama dijadwalkan")
    response = client_for(None).get(public_program.get_absolute_url())
    assert response.status_code == 200
    health = response.context["health"]
    assert health.last_held == past.start
    assert health.days_overdue == 0
    assert [s.title for s in response.context["upcoming"]] == ["Sesi Depan"]
    assert response.context["upcoming"][0].seats_left == 5
    assert [s.title for s in response.context["past"]] == ["Sesi Lalu"]
    assert [p.user for p in response.context["team"]] == [alumnus_b]
    content = response.content.decode()
    assert "Sesi pertama dijadwalkan" in content and "Staf X" in content
    assert response.context["buttons"] == []  # anonymous: no status buttons


def test_detail_shows_overdue_days(prodi_x, staff_x):
    program = ProgramFactory(study_program=prodi_x, cadence="monthly", grace_days=14)
    SessionFactory(program=program, start=timezone.now() - datetime.timedelta(days=50))
    response = client_for(staff_x).get(program.get_absolute_url())
    due = timezone.localdate(timezone.now() - datetime.timedelta(days=50))
    health = response.context["health"]
    assert health.next_due is not None and health.next_due > due
    assert health.days_overdue == (timezone.localdate() - health.next_due).days > 0
    assert {b["to"] for b in response.context["buttons"]} == {S.COMPLETED, S.CANCELLED}


def test_staff_y_cannot_see_or_act_on_prodi_x_program(members_program, proposal, staff_y, alumnus_a):
    session = SessionFactory(program=members_program)
    client = client_for(staff_y)
    for url in (
        members_program.get_absolute_url(),
        proposal.get_absolute_url(),
        reverse("programs:edit", args=[members_program.pk]),
        reverse("programs:approve", args=[proposal.pk]),
        session.get_absolute_url(),
        reverse("programs:session_ics", args=[session.pk]),
    ):
        assert client.get(url).status_code == 404, url
    pic = {"pic": alumnus_a.pk}
    assert client.post(reverse("programs:approve", args=[proposal.pk]), pic).status_code == 404
    assert client.post(reverse("programs:reject", args=[proposal.pk]), {"reason": "x"}).status_code == 404
    transition = {"to": S.CANCELLED, "reason": "x"}
    assert client.post(reverse("programs:transition", args=[members_program.pk]), transition).status_code == 404
    assert client.post(reverse("programs:session_register", args=[session.pk])).status_code == 404
    proposal.refresh_from_db()
    members_program.refresh_from_db()
    assert (proposal.status, members_program.status) == (S.PROPOSED, S.RUNNING)
    assert not Participation.objects.filter(user=staff_y).exists()
    assert b"Reuni Akbar" not in client.get(reverse("programs:proposals")).content


def test_alumnus_may_not_manage_a_program_they_can_see(members_program, alumnus_b):
    client = client_for(alumnus_b)
    assert client.get(reverse("programs:edit", args=[members_program.pk])).status_code == 403
    assert client.get(reverse("programs:session_create", args=[members_program.pk])).status_code == 403
    response = client.post(reverse("programs:transition", args=[members_program.pk]), {"to": S.COMPLETED})
    assert response.status_code == 403
    members_program.refresh_from_db()
    assert members_program.status == S.RUNNING


# --- propose, approve, reject, transitions -------------------------------------------------------------------


def test_proposal_goes_to_staff_x_queue(prodi_x, alumnus_a, staff_x, staff_y):
    response = client_for(alumnus_a).post(reverse("programs:propose"), {**PROPOSAL, "study_program": prodi_x.pk})
    program = Program.objects.get(title="Forum Menulis Alumni")
    assert response.status_code == 302
    assert response["Location"] == program.get_absolute_url()
    assert (program.status, program.proposed_by, program.study_program) == (S.PROPOSED, alumnus_a, prodi_x)
    assert program.grace_days == 10
    assert "Forum Menulis Alumni" in client_for(staff_x).get(reverse("programs:proposals")).content.decode()
    assert "Forum Menulis Alumni" not in client_for(staff_y).get(reverse("programs:proposals")).content.decode()
    # The proposer sees the proposal (as its proposer); other alumni do not.
    assert client_for(alumnus_a).get(program.get_absolute_url()).status_code == 200


def test_every_n_years_needs_n(prodi_x, alumnus_a):
    client = client_for(alumnus_a)
    data = {**PROPOSAL, "study_program": prodi_x.pk, "cadence": "every_n_years"}
    response = client.post(reverse("programs:propose"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["cadence_years"] == [
        "Sebutkan setiap berapa tahun program ini berjalan (misalnya 3)."
    ]
    response = client.post(reverse("programs:propose"), {**data, "cadence_years": "1"})
    assert "cadence_years" in response.context["form"].errors
    assert not Program.objects.exists()
    client.post(reverse("programs:propose"), {**data, "cadence_years": "3"})
    program = Program.objects.get()
    assert program.cadence_years == 3
    with translation.override("en"):
        assert program.cadence_label() == "Every 3 years"


def test_years_are_dropped_for_other_cadences(prodi_x, alumnus_a):
    client_for(alumnus_a).post(reverse("programs:propose"), {**PROPOSAL, "study_program": prodi_x.pk,
                                                              "cadence_years": "4"})
    assert Program.objects.get().cadence_years is None


def test_propose_requires_login(db):
    response = client_for(None).get(reverse("programs:propose"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_approve_with_pic_notifies_proposer(proposal, alumnus_a, staff_x):
    client = client_for(staff_x)
    page = client.get(reverse("programs:approve", args=[proposal.pk]))
    # The PIC may be the proposer (chosen by default) or staff of the study program.
    assert set(page.context["form"].fields["pic"].queryset) == {alumnus_a, staff_x}
    assert page.context["form"].fields["pic"].initial == alumnus_a.pk
    response = client.post(reverse("programs:approve", args=[proposal.pk]),
                           {"pic": staff_x.pk, "next": reverse("programs:proposals")})
    assert response.status_code == 302 and response["Location"] == reverse("programs:proposals")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.pic) == (S.APPROVED, staff_x)
    note = Notification.objects.get(recipient=alumnus_a, kind="program_decided")
    assert "Reuni Akbar 2030" in note.subject
    last = proposal.transitions.last()
    assert (last.from_status, last.to_status, last.by) == (S.PROPOSED, S.APPROVED, staff_x)


def test_approve_refuses_a_pic_from_outside(proposal, staff_x, staff_y, alumnus_b):
    response = client_for(staff_x).post(reverse("programs:approve", args=[proposal.pk]), {"pic": staff_y.pk})
    assert response.status_code == 200
    assert "pic" in response.context["form"].errors
    proposal.refresh_from_db()
    assert proposal.status == S.PROPOSED and proposal.pic is None


def test_proposer_cannot_approve_own_proposal(proposal, alumnus_a):
    response = client_for(alumnus_a).post(reverse("programs:approve", args=[proposal.pk]), {"pic": alumnus_a.pk})
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == S.PROPOSED


def test_reject_needs_a_reason(proposal, alumnus_a, staff_x):
    client = client_for(staff_x)
    url = reverse("programs:reject", args=[proposal.pk])
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    proposal.refresh_from_db()
    assert proposal.status == S.PROPOSED
    assert not Notification.objects.filter(kind="program_decided").exists()

    response = client.post(url, {"reason": "Jadwal bentrok dengan wisuda."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == S.REJECTED
    assert proposal.transitions.last().reason == "Jadwal bentrok dengan wisuda."
    assert Notification.objects.filter(recipient=alumnus_a, kind="program_decided").exists()


def test_illegal_transition_shows_a_clear_message_and_changes_nothing(proposal, staff_x):
    before = ProgramTransition.objects.count()
    response = client_for(staff_x).post(
        reverse("programs:transition", args=[proposal.pk]), {"to": S.COMPLETED}
    )
    assert response.status_code == 200
    assert "tidak dapat diubah menjadi" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == S.PROPOSED
    assert ProgramTransition.objects.count() == before


def test_cancel_needs_reason_then_records_it(members_program, staff_x):
    url = reverse("programs:transition", args=[members_program.pk])
    client = client_for(staff_x)
    response = client.post(url, {"to": S.CANCELLED, "reason": ""})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    members_program.refresh_from_db()
    assert members_program.status == S.RUNNING
    response = client.post(url, {"to": S.CANCELLED, "reason": "Dana tidak tersedia."})
    assert response.status_code == 302
    members_program.refresh_from_db()
    assert members_program.status == S.CANCELLED
    assert members_program.transitions.last().reason == "Dana tidak tersedia."


def test_pic_completes_program(prodi_x, alumnus_a):
    program = ProgramFactory(study_program=prodi_x, pic=alumnus_a)
    response = client_for(alumnus_a).post(reverse("programs:transition", args=[program.pk]), {"to": S.COMPLETED})
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.status == S.COMPLETED


def test_staff_create_program_with_pic_of_that_prodi(prodi_x, staff_x, alumnus_a, staff_y):
    client = client_for(staff_x)
    data = {**PROPOSAL, "study_program": prodi_x.pk, "pic_email": "staff.y@example.org"}
    response = client.post(reverse("programs:create"), data)
    assert response.status_code == 200 and "pic_email" in response.context["form"].errors
    response = client.post(reverse("programs:create"), {**data, "pic_email": "ANI@example.org"})
    program = Program.objects.get()
    assert response.status_code == 302
    assert (program.status, program.pic) == (S.APPROVED, alumnus_a)


def test_staff_cannot_create_for_another_prodi(prodi_x, staff_y):
    response = client_for(staff_y).post(reverse("programs:create"), {**PROPOSAL, "study_program": prodi_x.pk,
                                                                      "pic_email": "staff.y@example.org"})
    assert response.status_code == 200 and "study_program" in response.context["form"].errors
    assert not Program.objects.exists()


def test_alumni_may_not_create_programs(alumnus_a):
    assert client_for(alumnus_a).get(reverse("programs:create")).status_code == 403


def test_pic_edits_program_but_not_its_pic(prodi_x, alumnus_a, alumnus_b):
    program = ProgramFactory(study_program=prodi_x, pic=alumnus_a)
    client = client_for(alumnus_a)
    assert "pic_email" not in client.get(reverse("programs:edit", args=[program.pk])).context["form"].fields
    data = {**PROPOSAL, "title": "Mentoring Riset 2.0", "pic_email": alumnus_b.email}
    assert client.post(reverse("programs:edit", args=[program.pk]), data).status_code == 302
    program.refresh_from_db()
    assert (program.title, program.pic) == ("Mentoring Riset 2.0", alumnus_a)


def test_team_member_added_by_email(members_program, staff_x, alumnus_b):
    """By invitation (tests/programs/test_team_invitations.py): the person joins when they accept."""
    client = client_for(staff_x)
    url = reverse("programs:team_add", args=[members_program.pk])
    client.post(url, {"team-email": "nobody@example.org", "team-role": "mentor"})
    client.post(url, {"team-email": alumnus_b.email, "team-role": "mentor"})
    assert not Participation.objects.exists()
    invitation = alumnus_b.team_invitations.get()
    client_for(alumnus_b).post(reverse("programs:invitation", args=[invitation.pk]), {"decision": "accept"})
    member = Participation.objects.get()
    assert (member.user, member.role, member.session) == (alumnus_b, "mentor", None)
    # Asked first: the unconfirmed POST (the page's Remove button) shows what happens and changes nothing.
    ask = client.post(reverse("programs:team_remove", args=[member.pk]))
    assert ask.status_code == 200 and b'name="confirm"' in ask.content
    member.refresh_from_db()
    assert member.status != Participation.Status.CANCELLED
    done = client.post(reverse("programs:team_remove", args=[member.pk]), {"confirm": "1"})
    assert done.status_code == 302
    member.refresh_from_db()
    assert member.status == Participation.Status.CANCELLED


# --- sessions ------------------------------------------------------------------------------------------------


def test_schedule_session_in_wib_with_speakers(prodi_x, staff_x, alumnus_b):
    """Speakers are invited by email and listed once they accept (tests/programs/test_team_invitations.py)."""
    program = ProgramFactory(study_program=prodi_x, status=S.APPROVED, pic=staff_x)
    day = timezone.localdate() + datetime.timedelta(days=30)
    data = {
        "title": "", "start": f"{day:%Y-%m-%d}T09:00", "end": f"{day:%Y-%m-%d}T11:30", "place": "Aula",
        "online_url": "", "capacity": "30", "registration_deadline": "", "agenda": "Pembukaan",
        "speakers": "bagus@example.org",
    }
    response = client_for(staff_x).post(reverse("programs:session_create", args=[program.pk]), data)
    session = Session.objects.get()
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    # 09:00 WIB is 02:00 UTC.
    assert session.start.astimezone(datetime.UTC).time() == datetime.time(2, 0)
    assert session.end - session.start == datetime.timedelta(hours=2, minutes=30)
    assert not Participation.objects.filter(session=session).exists()
    invitation = alumnus_b.team_invitations.get()
    assert (invitation.session, invitation.role) == (session, "speaker")
    client_for(alumnus_b).post(reverse("programs:invitation", args=[invitation.pk]), {"decision": "accept"})
    assert Participation.objects.get(session=session).user == alumnus_b
    program.refresh_from_db()
    assert program.status == S.RUNNING


def test_schedule_session_shows_errors(members_program, staff_x):
    day = timezone.localdate() + datetime.timedelta(days=3)
    data = {"start": f"{day}T10:00", "end": f"{day}T09:00", "place": "", "speakers": "ghost@example, b@example.org"}
    response = client_for(staff_x).post(reverse("programs:session_create", args=[members_program.pk]), data)
    errors = response.context["form"].errors
    assert {"end", "place", "speakers"} <= set(errors)
    assert not Session.objects.exists()


def test_edit_session_keeps_wib_and_invites_more_speakers(members_program, staff_x, alumnus_a, alumnus_b):
    session = SessionFactory(program=members_program, start=wib(timezone.localdate() + datetime.timedelta(days=9), 13))
    ani = Participation.objects.create(program=members_program, session=session, user=alumnus_a, role="speaker")
    client = client_for(staff_x)
    url = reverse("programs:session_edit", args=[session.pk])
    form = client.get(url).context["form"]
    assert form["start"].value().strftime("%H:%M") == "13:00"
    assert not form["speakers"].value()  # only new invitations here; current speakers are on the session page
    day = timezone.localdate(session.start)
    response = client.post(url, {"start": f"{day}T14:00", "end": f"{day}T16:00", "place": "Lab", "capacity": "2",
                                 "speakers": "bagus@example.org"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert timezone.localtime(session.start).hour == 14
    invitation = alumnus_b.team_invitations.get()
    assert invitation.session == session
    page = client.get(session.get_absolute_url())
    assert invitation in page.context["invitations"]
    # A current speaker is removed from the session page.
    client.post(reverse("programs:team_remove", args=[ani.pk]), {"confirm": "1"})
    client_for(alumnus_b).post(reverse("programs:invitation", args=[invitation.pk]), {"decision": "accept"})
    speakers = Participation.objects.filter(session=session, role="speaker").current()
    assert [p.user for p in speakers] == [alumnus_b]


def test_cancel_session_needs_reason(members_program, staff_x):
    session = SessionFactory(program=members_program)
    url = reverse("programs:session_cancel", args=[session.pk])
    client = client_for(staff_x)
    assert client.post(url, {"reason": ""}).status_code == 200
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED
    assert client.post(url, {"reason": "Pembicara sakit."}).status_code == 302
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED


def test_register_then_full_then_waitlist_promotion(members_program, alumnus_a, alumnus_b, prodi_x):
    session = SessionFactory(program=members_program, capacity=1)
    third = UserFactory(email="citra@example.org")
    AlumniProfile.objects.create(user=third, study_program=prodi_x, nim="X3", full_name="Citra", entry_year=2016,
                                 graduation_date=datetime.date(2020, 8, 25))  # an alumna: the program is for alumni
    register = reverse("programs:session_register", args=[session.pk])

    client_for(alumnus_a).post(register)
    client_for(alumnus_b).post(register)
    client_for(third).post(register)
    status = dict(Participation.objects.filter(session=session).values_list("user__email", "status"))
    assert status == {"ani@example.org": "registered", "bagus@example.org": "waitlisted",
                      "citra@example.org": "waitlisted"}

    page = client_for(third).get(session.get_absolute_url())
    assert page.context["mine"].status == "waitlisted" and page.context["position"] == 2
    assert client_for(alumnus_b).get(session.get_absolute_url()).context["position"] == 1
    assert page.context["counts"] == {"registered": 1, "waitlisted": 2}

    response = client_for(alumnus_a).post(reverse("programs:session_unregister", args=[session.pk]))
    assert response.status_code == 302
    status = dict(Participation.objects.filter(session=session).values_list("user__email", "status"))
    assert status == {"ani@example.org": "cancelled", "bagus@example.org": "registered",
                      "citra@example.org": "waitlisted"}
    assert Notification.objects.filter(recipient=alumnus_b, kind="waitlist_promoted").exists()


def test_register_twice_shows_message(members_program, alumnus_a):
    session = SessionFactory(program=members_program)
    client = client_for(alumnus_a)
    client.post(reverse("programs:session_register", args=[session.pk]))
    response = client.post(reverse("programs:session_register", args=[session.pk]), follow=True)
    assert Participation.objects.count() == 1
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_anonymous_is_asked_to_log_in_to_register(prodi_x):
    program = ProgramFactory(study_program=prodi_x, audience="public")
    session = SessionFactory(program=program)
    response = client_for(None).get(session.get_absolute_url())
    assert response.status_code == 200
    assert reverse("account_login") in response.content.decode()
    response = client_for(None).post(reverse("programs:session_register", args=[session.pk]))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert not Participation.objects.exists()


def test_staff_sees_participants_and_marks_attendance(members_program, staff_x, alumnus_a, alumnus_b):
    session = SessionFactory(program=members_program, start=timezone.now() - datetime.timedelta(hours=3))
    for user in (alumnus_a, alumnus_b):
        Participation.objects.create(program=members_program, session=session, user=user)
    page = client_for(staff_x).get(session.get_absolute_url())
    assert [p.user for p in page.context["registered"]] == [alumnus_a, alumnus_b]
    assert {a["user"] for a in page.context["attendees"]} == {alumnus_a, alumnus_b}

    # An alumnus sees neither the list nor the attendance form.
    other = client_for(alumnus_a).get(session.get_absolute_url())
    assert "registered" not in other.context and "Bagus" not in other.content.decode()
    assert client_for(alumnus_a).post(reverse("programs:session_attendance", args=[session.pk]),
                                      {"attended": [alumnus_a.pk]}).status_code == 403

    response = client_for(staff_x).post(reverse("programs:session_attendance", args=[session.pk]),
                                        {"attended": [alumnus_a.pk]})
    assert response.status_code == 302
    attended = dict(Participation.objects.filter(session=session).values_list("user__email", "attended"))
    assert attended == {"ani@example.org": True, "bagus@example.org": False}


def test_attendance_before_start_is_refused(members_program, staff_x, alumnus_a):
    session = SessionFactory(program=members_program)
    Participation.objects.create(program=members_program, session=session, user=alumnus_a)
    client_for(staff_x).post(reverse("programs:session_attendance", args=[session.pk]), {"attended": [alumnus_a.pk]})
    assert Participation.objects.get().attended is None


# --- calendar ------------------------------------------------------------------------------------------------


def test_ics_download(prodi_x, settings):
    settings.SITE_URL = "https://alumni.example.ac.id"
    program = ProgramFactory(study_program=prodi_x, audience="public", title="Kuliah Tamu: Arsip Digital")
    session = SessionFactory(program=program, start=wib(datetime.date(2031, 3, 4), 9), place="Aula Utama",
                             end=wib(datetime.date(2031, 3, 4), 11), agenda="Sambutan; diskusi")
    response = client_for(None).get(reverse("programs:session_ics", args=[session.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="kuliah-tamu-arsip-digital-2031-03-04.ics"'
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR")
    assert "BEGIN:VEVENT" in body
    assert "SUMMARY:Kuliah Tamu: Arsip Digital" in body
    assert "DTSTART:20310304T020000Z" in body and "DTEND:20310304T040000Z" in body
    assert f"UID:{session.pk}@alumni.example.ac.id" in body
    assert "LOCATION:Aula Utama" in body
    assert f"/programs/sessions/{session.pk}/" in body.replace("\r\n ", "")


def test_feed_by_token_and_reset(members_program, alumnus_a):
    mine = SessionFactory(program=members_program, title="Sesi Saya")
    SessionFactory(program=members_program, title="Sesi Orang Lain")
    Participation.objects.create(program=members_program, session=mine, user=alumnus_a)

    page = client_for(alumnus_a).get(reverse("programs:calendar"))
    token = CalendarFeed.objects.get(user=alumnus_a).token
    feed_url = reverse("programs:calendar_feed", args=[token])
    assert feed_url in page.context["feed_url"]

    response = client_for(None).get(feed_url)  # no login: the token is the key
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.count("BEGIN:VEVENT") == 1 and "SUMMARY:Sesi Saya" in body

    assert client_for(None).get(reverse("programs:calendar_feed", args=["not-a-real-token"])).status_code == 404

    client_for(alumnus_a).post(reverse("programs:calendar_reset"))
    assert client_for(None).get(feed_url).status_code == 404
    new_token = CalendarFeed.objects.get(user=alumnus_a).token
    assert new_token != token
    assert client_for(None).get(reverse("programs:calendar_feed", args=[new_token])).status_code == 200


# --- health --------------------------------------------------------------------------------------------------


def test_health_lists_overdue_first_and_is_for_staff_only(prodi_x, prodi_y, staff_x, alumnus_a):
    long_ago = timezone.now() - datetime.timedelta(days=120)
    late = ProgramFactory(study_program=prodi_x, title="A Late Monthly")
    SessionFactory(program=late, start=long_ago)
    Participation.objects.create(program=late, session=late.sessions.get(), user=alumnus_a, attended=True)
    very_late = ProgramFactory(study_program=prodi_x, title="B Very Late Weekly", cadence="weekly", status=S.LAPSED)
    SessionFactory(program=very_late, start=long_ago)
    on_time = ProgramFactory(study_program=prodi_x, title="C On Time")
    SessionFactory(program=on_time)
    ProgramFactory(study_program=prodi_x, title="D Finished", status=S.COMPLETED)
    ProgramFactory(study_program=prodi_y, title="E Other Prodi")

    response = client_for(staff_x).get(reverse("programs:health"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [p.title for p, _h, _a in rows] == ["B Very Late Weekly", "A Late Monthly", "C On Time"]
    assert rows[0][1].days_overdue > rows[1][1].days_overdue > 0 == rows[2][1].days_overdue
    assert response.context["summary"] == {"watched": 3, "overdue": 2, "lapsed": 1, "due_soon": 0}
    chart = {item["title"]: item["sessions"] for item in response.context["chart"]}
    assert chart["A Late Monthly"] == [
        {"date": timezone.localdate(long_ago).isoformat(), "came": 1, "registered": 1}
    ]
    assert 'id="attendance-data"' in response.content.decode()

    assert client_for(alumnus_a).get(reverse("programs:health")).status_code == 403
    assert client_for(alumnus_a).get(reverse("programs:proposals")).status_code == 403


# --- dashboard and profile -----------------------------------------------------------------------------------


def test_dashboard_shows_my_sessions_and_staff_health(members_program, alumnus_a, staff_x, prodi_x):
    session = SessionFactory(program=members_program, title="Sesi Mentoring Maret")
    Participation.objects.create(program=members_program, session=session, user=alumnus_a)
    overdue = ProgramFactory(study_program=prodi_x, title="Program Terlambat")
    SessionFactory(program=overdue, start=timezone.now() - datetime.timedelta(days=90))
    ProgramFactory(study_program=prodi_x, status=S.PROPOSED)

    mine = client_for(alumnus_a).get(reverse("dashboard"))
    assert [p.session for p in mine.context["my_sessions"]] == [session]
    assert "Sesi Mentoring Maret" in mine.content.decode()

    staff = client_for(staff_x).get(reverse("dashboard"))
    assert staff.context["program_health"]["overdue"] == 1
    assert staff.context["proposals_waiting"] == 1
    assert reverse("programs:health") in staff.content.decode()


def test_profile_shows_involvement_to_the_right_people(prodi_x, prodi_y, alumnus_a, alumnus_b, staff_x):
    visible = ProgramFactory(study_program=prodi_x, title="Program Terlihat")
    hidden = ProgramFactory(study_program=prodi_y, title="Usulan Rahasia", status=S.PROPOSED)
    session = SessionFactory(program=visible)
    Participation.objects.create(program=visible, session=session, user=alumnus_a, attended=True)
    Participation.objects.create(program=hidden, user=alumnus_a, role="committee")
    waiting = SessionFactory(program=visible, title="Sesi Penuh")
    Participation.objects.create(program=visible, session=waiting, user=alumnus_a, status="waitlisted")
    url = AlumniProfile.objects.get(user=alumnus_a).get_absolute_url()

    own = client_for(alumnus_a).get(url)
    assert {p.program.title for p in own.context["involvement"]} == {"Program Terlihat", "Usulan Rahasia"}
    assert len(own.context["involvement"]) == 3
    staff = client_for(staff_x).get(url)
    assert len(staff.context["involvement"]) == 3
    other = client_for(alumnus_b).get(url)
    # A fellow alumnus sees only registered involvement in programs they can see: no proposal, no waitlist.
    assert [p.program.title for p in other.context["involvement"]] == ["Program Terlihat"]
    assert "Usulan Rahasia" not in other.content.decode()
    assert other.context["involvement_full"] is False


def test_staff_y_sees_other_prodi_program_in_list_only_if_public(public_program, members_program, staff_y):
    assert titles(client_for(staff_y).get(LIST)) == ["Kuliah Tamu Terbuka"]


def test_new_study_program_filter_choices_are_all_prodis(prodi_x, prodi_y):
    StudyProgramFactory(code="88888", name="Sejarah")
    form = client_for(None).get(LIST).context["form"]
    assert form.fields["study_program"].queryset.count() == 3


def test_attendance_counts_participants_only(prodi_x, staff_x, alumnus_a, alumnus_b):
    program = ProgramFactory(study_program=prodi_x, title="Kuliah Tamu")
    session = SessionFactory(program=program, start=timezone.now() - datetime.timedelta(days=2))
    Participation.objects.create(program=program, session=session, user=alumnus_a)
    Participation.objects.create(program=program, session=session, user=alumnus_b, role="speaker")
    client_for(staff_x).post(reverse("programs:session_attendance", args=[session.pk]),
                             {"attended": [alumnus_a.pk, alumnus_b.pk]})
    chart = client_for(staff_x).get(reverse("programs:health")).context["chart"]
    assert chart[0]["sessions"][0]["came"] == chart[0]["sessions"][0]["registered"] == 1  # the speaker is no seat
    past = client_for(staff_x).get(program.get_absolute_url()).context["past"]
    assert (past[0].registered, past[0].came) == (1, 1)


def test_admin_saves_through_the_services(prodi_x, staff_x):
    """An operator (superuser) editing in the admin still goes through the services; staff use the portal."""
    program = ProgramFactory(study_program=prodi_x, status=S.APPROVED, pic=staff_x)
    root = UserFactory(email="root@example.org", is_superuser=True)
    assert client_for(staff_x).get(reverse("admin:programs_session_add")).status_code == 403
    client = client_for(root)
    day = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    session = {"program": program.pk, "start_0": day, "start_1": "09:00", "end_0": day, "end_1": "08:00",
               "place": "", "_save": "Save"}
    response = client.post(reverse("admin:programs_session_add"), session)
    assert set(response.context["adminform"].form.errors) == {"end", "place"}  # the service's rules, shown
    response = client.post(reverse("admin:programs_session_add"), {**session, "end_1": "11:00", "place": "Aula"})
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.status == S.RUNNING  # scheduled through session_schedule
    data = {**PROPOSAL, "title": "Dibuat", "study_program": prodi_x.pk, "pic": staff_x.pk, "_save": "Save",
            "transitions-TOTAL_FORMS": 0, "transitions-INITIAL_FORMS": 0}  # the read-only history inline
    response = client.post(reverse("admin:programs_program_add"), data)
    assert response.status_code == 302
    created = Program.objects.get(title="Dibuat")
    assert (created.status, created.transitions.get().by) == (S.APPROVED, root)  # through program_create
