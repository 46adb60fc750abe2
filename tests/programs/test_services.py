"""Program services: the lifecycle with its refusals, proposals, sessions, the waitlist, and the lapse rule."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core import dates
from core.models import AuditLog
from programs import services
from programs.models import Participation, Program, ProgramTransition, add_months
from programs.selectors import programs_with_rhythm

from ..factories import AlumniProfileFactory, ProgramFactory, SessionFactory, UserFactory

S = Program.Status

PROPOSAL = {
    "title": "Forum Menulis Alumni",
    "description": "Pertemuan bulanan menulis artikel populer dan jurnal.",
    "kind": Program.Kind.ACADEMIC,
    "category": Program.Category.PUBLICATION,
    "organiser": Program.Organiser.ALUMNI_ASSOCIATION,
    "audience": Program.Audience.BOTH,
    "cadence": Program.Cadence.MONTHLY,
    "grace_days": 10,
}


def history(program):
    return list(ProgramTransition.objects.filter(program=program).values_list("from_status", "to_status", "reason"))


def test_full_lifecycle_records_who_when_and_why(prodi_x, alumnus_a, staff_x):
    program = services.program_propose(by=alumnus_a, study_program=prodi_x, data=PROPOSAL)
    assert program.status == S.PROPOSED

    services.program_approve(program=program, by=staff_x, pic=alumnus_a)
    session = services.session_schedule(program=program, by=alumnus_a, data={
        "start": timezone.now() + datetime.timedelta(days=3),
        "end": timezone.now() + datetime.timedelta(days=3, hours=2),
        "place": "Perpustakaan Pusat",
    })
    program.refresh_from_db()
    assert program.status == S.RUNNING  # the first session starts the program
    services.program_transition(program=program, to=S.COMPLETED, by=alumnus_a)  # the PIC may complete it

    assert history(program) == [
        ("", S.PROPOSED, ""), (S.PROPOSED, S.APPROVED, ""), (S.APPROVED, S.RUNNING, ""),
        (S.RUNNING, S.COMPLETED, ""),
    ]
    by = list(ProgramTransition.objects.filter(program=program).values_list("by__email", flat=True))
    assert by == ["ani@example.org", "staff.x@example.org", "ani@example.org", "ani@example.org"]
    actions = set(AuditLog.objects.filter(target_id=str(program.pk)).values_list("action", flat=True))
    assert {"programs.program.proposed", "programs.program.approved", "programs.program.completed"} <= actions
    assert AuditLog.objects.filter(action="programs.session.scheduled", target_id=str(session.pk)).count() == 1


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (S.PROPOSED, S.RUNNING),
        (S.PROPOSED, S.COMPLETED),
        (S.APPROVED, S.COMPLETED),
        (S.COMPLETED, S.RUNNING),
        (S.REJECTED, S.APPROVED),
        (S.CANCELLED, S.RUNNING),
        (S.RUNNING, S.APPROVED),
    ],
)
def test_illegal_moves_are_refused_with_a_message_and_change_nothing(prodi_x, staff_x, start, to):
    program = ProgramFactory(study_program=prodi_x, status=start, pic=staff_x)
    with pytest.raises(ValidationError) as refused:
        services.program_transition(program=program, to=to, by=staff_x, reason="karena")
    assert "tidak dapat diubah menjadi" in str(refused.value)  # Indonesian, the default language
    program.refresh_from_db()
    assert program.status == start
    assert not ProgramTransition.objects.filter(program=program).exists()


def test_only_the_system_lapses_a_program(prodi_x, staff_x):
    program = ProgramFactory(study_program=prodi_x, status=S.RUNNING)
    with pytest.raises(PermissionDenied):
        services.program_transition(program=program, to=S.LAPSED, by=staff_x, reason="manual")
    services.program_transition(program=program, to=S.LAPSED, by=None, reason="overdue")
    assert history(program) == [(S.RUNNING, S.LAPSED, "overdue")]


def test_staff_of_another_prodi_cannot_approve(prodi_x, alumnus_a, staff_y):
    program = services.program_propose(by=alumnus_a, study_program=prodi_x, data=PROPOSAL)
    with pytest.raises(PermissionDenied):
        services.program_approve(program=program, by=staff_y, pic=staff_y)
    program.refresh_from_db()
    assert (program.status, program.pic_id) == (S.PROPOSED, None)


def test_rejection_needs_a_reason_and_tells_the_proposer(
    prodi_x, alumnus_a, staff_x, django_capture_on_commit_callbacks
):
    program = services.program_propose(by=alumnus_a, study_program=prodi_x, data=PROPOSAL)
    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True):
        services.program_reject(program=program, by=staff_x, reason="  ")
    assert len(mail.outbox) == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.program_reject(program=program, by=staff_x, reason="Jadwal bentrok dengan UAS.")
    program.refresh_from_db()
    assert program.status == S.REJECTED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ani@example.org"]
    assert "Jadwal bentrok dengan UAS." in mail.outbox[0].body


def test_approval_tells_the_proposer_once(prodi_x, alumnus_a, staff_x, django_capture_on_commit_callbacks):
    program = services.program_propose(by=alumnus_a, study_program=prodi_x, data=PROPOSAL)
    with django_capture_on_commit_callbacks(execute=True):
        services.program_approve(program=program, by=staff_x, pic=staff_x)
    assert [m.to for m in mail.outbox] == [["ani@example.org"]]
    assert "Forum Menulis Alumni" in mail.outbox[0].subject


def test_the_proposer_may_withdraw_but_not_approve(prodi_x, alumnus_a):
    program = services.program_propose(by=alumnus_a, study_program=prodi_x, data=PROPOSAL)
    assert services.allowed_transitions(program=program, user=alumnus_a) == [S.CANCELLED]
    with pytest.raises(PermissionDenied):
        services.program_transition(program=program, to=S.APPROVED, by=alumnus_a)
    services.program_transition(program=program, to=S.CANCELLED, by=alumnus_a, reason="Tidak jadi.")
    assert Program.objects.get(pk=program.pk).status == S.CANCELLED


def test_every_n_years_needs_n(prodi_x, alumnus_a):
    with pytest.raises(ValidationError):
        services.program_propose(
            by=alumnus_a, study_program=prodi_x,
            data={**PROPOSAL, "cadence": Program.Cadence.EVERY_N_YEARS, "cadence_years": None},
        )
    assert not Program.objects.exists()


def test_a_session_must_end_after_it_starts_and_have_a_place(prodi_x, staff_x):
    program = ProgramFactory(study_program=prodi_x, status=S.APPROVED, pic=staff_x)
    start = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.session_schedule(program=program, by=staff_x, data={"start": start, "end": start})
    assert set(refused.value.message_dict) == {"end", "place"}
    program.refresh_from_db()
    assert program.status == S.APPROVED
    assert not program.sessions.exists()


# --- registration and the waitlist ---------------------------------------------------------------------------


def test_registration_beyond_capacity_waitlists_and_cancellation_promotes_the_first(
    db, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=2)
    people = [UserFactory() for _ in range(4)]
    statuses = [services.session_register(session=session, user=p).status for p in people]
    assert statuses == ["registered", "registered", "waitlisted", "waitlisted"]

    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.session_unregister(session=session, user=people[0])
    assert [p.user for p in promoted] == [people[2]]
    current = dict(Participation.objects.filter(session=session).values_list("user_id", "status"))
    assert current == {
        people[0].pk: "cancelled", people[1].pk: "registered", people[2].pk: "registered", people[3].pk: "waitlisted",
    }
    assert [m.to for m in mail.outbox] == [[people[2].email]]  # told the seat is theirs


def test_registering_twice_is_refused_and_re_registering_queues_again(db):
    session = SessionFactory(capacity=1)
    first, second = UserFactory(), UserFactory()
    services.session_register(session=session, user=first)
    with pytest.raises(ValidationError):
        services.session_register(session=session, user=first)
    services.session_register(session=session, user=second)  # waitlisted
    services.session_unregister(session=session, user=first)  # second moves up
    again = services.session_register(session=session, user=first)
    assert again.status == "waitlisted"
    assert Participation.objects.filter(session=session, user=first).count() == 1


@pytest.mark.parametrize(
    ("audience", "graduated", "admitted"),
    [
        ("alumni", True, True), ("alumni", False, False),
        ("students", True, False), ("students", False, True),
        ("both", True, True), ("both", False, True),
    ],
)
def test_registration_follows_the_programs_audience(prodi_x, audience, graduated, admitted):
    session = SessionFactory(program=ProgramFactory(study_program=prodi_x, audience=audience))
    person = UserFactory()
    AlumniProfileFactory(user=person, study_program=prodi_x,
                         graduation_date=datetime.date(2020, 8, 25) if graduated else None)
    if admitted:
        assert services.session_register(session=session, user=person).status == "registered"
    else:
        with pytest.raises(ValidationError):
            services.session_register(session=session, user=person)
        assert not Participation.objects.exists()


def test_a_members_only_program_refuses_an_account_without_a_profile_but_admits_its_staff(prodi_x, staff_x):
    session = SessionFactory(program=ProgramFactory(study_program=prodi_x, audience="both"))
    with pytest.raises(ValidationError):
        services.session_register(session=session, user=UserFactory())
    assert services.session_register(session=session, user=staff_x).status == "registered"


def test_registration_closes_at_the_deadline(db):
    session = SessionFactory(registration_deadline=timezone.now() + datetime.timedelta(days=1))
    late = session.registration_deadline + datetime.timedelta(seconds=1)
    with pytest.raises(ValidationError):
        services.session_register(session=session, user=UserFactory(), now=late)
    assert not Participation.objects.exists()


def test_raising_capacity_promotes_the_waitlist(prodi_x, staff_x):
    session = SessionFactory(program=ProgramFactory(study_program=prodi_x, audience="public"), capacity=1)
    a, b, c = UserFactory(), UserFactory(), UserFactory()
    for person in (a, b, c):
        services.session_register(session=session, user=person)
    services.session_update(session=session, by=staff_x, data={"capacity": 3})
    assert Participation.objects.filter(session=session, status="registered").count() == 3


def test_attendance_marks_who_came_and_who_did_not(prodi_x, staff_x):
    session = SessionFactory(program=ProgramFactory(study_program=prodi_x, audience="public"))
    a, b = UserFactory(), UserFactory()
    services.session_register(session=session, user=a)
    services.session_register(session=session, user=b)
    type(session).objects.filter(pk=session.pk).update(start=timezone.now() - datetime.timedelta(hours=1))
    session.refresh_from_db()
    assert services.attendance_mark(session=session, by=staff_x, attended_user_ids={a.pk}) == 1
    assert dict(session.participations.values_list("user_id", "attended")) == {a.pk: True, b.pk: False}


def test_attendance_cannot_be_marked_before_the_session(prodi_x, staff_x):
    session = SessionFactory(program=ProgramFactory(study_program=prodi_x))
    with pytest.raises(ValidationError):
        services.attendance_mark(session=session, by=staff_x, attended_user_ids=set())


# --- the lapse rule ------------------------------------------------------------------------------------------


def test_next_due_follows_the_cadence():
    program = Program(cadence=Program.Cadence.MONTHLY)
    assert program.next_due_after(datetime.date(2026, 1, 31)) == datetime.date(2026, 2, 28)
    program.cadence = Program.Cadence.WEEKLY
    assert program.next_due_after(datetime.date(2026, 1, 31)) == datetime.date(2026, 2, 7)
    program.cadence, program.cadence_years = Program.Cadence.EVERY_N_YEARS, 3
    assert program.next_due_after(datetime.date(2024, 2, 29)) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)


def _program_last_held(prodi, grace: int = 14):
    """A running monthly program whose last session was held 60 days ago; returns it and its next due date."""
    held_on = timezone.localdate() - datetime.timedelta(days=60)
    program = ProgramFactory(study_program=prodi, cadence=Program.Cadence.MONTHLY, grace_days=grace)
    start = timezone.make_aware(datetime.datetime.combine(held_on, datetime.time(9, 0)))
    SessionFactory(program=program, start=start, end=start + datetime.timedelta(hours=2))
    return program, program.next_due_after(held_on)


@pytest.mark.parametrize(("overdue_by", "lapses"), [(13, False), (14, False), (15, True)])
def test_a_running_program_lapses_only_past_its_grace_days(prodi_x, overdue_by, lapses):
    program, due = _program_last_held(prodi_x)
    today = due + datetime.timedelta(days=overdue_by)  # grace 14: day 13 and 14 are fine, day 15 lapses
    lapsed = services.programs_lapse_overdue(today=today)
    program.refresh_from_db()
    assert (program.status == S.LAPSED) is lapses
    assert len(lapsed) == int(lapses)
    if lapses:
        reason = ProgramTransition.objects.get(program=program, to_status=S.LAPSED).reason
        assert "15" in reason and due.isoformat() in reason


def test_an_upcoming_session_keeps_a_late_program_running(prodi_x):
    program, due = _program_last_held(prodi_x)
    SessionFactory(program=program)  # next week
    assert services.programs_lapse_overdue(today=due + datetime.timedelta(days=40)) == []
    assert Program.objects.get(pk=program.pk).status == S.RUNNING


def test_a_cancelled_session_does_not_count(prodi_x):
    program, due = _program_last_held(prodi_x)
    SessionFactory(program=program, status="cancelled")
    assert len(services.programs_lapse_overdue(today=due + datetime.timedelta(days=15))) == 1


def test_scheduling_a_session_brings_a_lapsed_program_back(prodi_x, staff_x):
    program, due = _program_last_held(prodi_x)
    services.programs_lapse_overdue(today=due + datetime.timedelta(days=30))
    program.refresh_from_db()
    assert program.status == S.LAPSED
    start = timezone.now() + datetime.timedelta(days=5)
    services.session_schedule(program=program, by=staff_x, data={
        "start": start, "end": start + datetime.timedelta(hours=1), "online_url": "https://meet.example.org/x",
    })
    program.refresh_from_db()
    assert program.status == S.RUNNING
    last = ProgramTransition.objects.filter(program=program).last()
    assert (last.from_status, last.to_status, last.by) == (S.LAPSED, S.RUNNING, staff_x)
    assert dates.day(start) in last.reason  # "6 Des 2026": the portal's day format


def test_health_reports_last_held_next_due_and_days_overdue(prodi_x):
    program, due = _program_last_held(prodi_x)
    annotated = programs_with_rhythm(Program.objects.filter(pk=program.pk)).get()
    health = annotated.health(
        today=due + datetime.timedelta(days=5), last_held=annotated.last_held,
        next_scheduled=annotated.next_scheduled,
    )
    assert (health.next_due, health.days_overdue, health.should_lapse) == (due, 5, False)
    early = annotated.health(today=due - datetime.timedelta(days=3), last_held=annotated.last_held, next_scheduled=None)
    assert (early.days_overdue, early.due_soon) == (0, True)
