"""The reminder tick: who gets which reminder, exactly once, in their language, with a constant number of queries.

Dates are Asia/Jakarta dates, built relative to today, so the boundaries (tomorrow vs today vs the day after, the
due-soon window, the grace day) hold whatever day the suite runs.
"""

import datetime
import io
import smtplib
import threading
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from alumni.models import Role
from core import notifications as core_notifications
from core.models import Notification, NotificationPreference
from core.registry import OPTIONAL_KINDS
from programs.models import Participation, Program, Session
from programs.reminders import KINDS, reminders_tick

from ..conftest import need
from ..factories import ProgramFactory, SessionFactory, StudyProgramFactory, UserFactory, grant

JAKARTA = ZoneInfo("Asia/Jakarta")
P, R = Participation.Role, Participation.Status
WEEKDAYS_ID = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
WEEKDAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def today() -> datetime.date:
    return timezone.localdate(timezone.now(), JAKARTA)


def day(offset: int) -> datetime.date:
    return today() + datetime.timedelta(days=offset)


def at(on: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(on, datetime.time(hour, minute), tzinfo=JAKARTA)


def session_at(program, start, **kwargs):
    return SessionFactory(program=program, start=start, end=start + datetime.timedelta(hours=1), **kwargs)


def take_part(session, user, role=P.PARTICIPANT, status=R.REGISTERED):
    return Participation.objects.create(program=session.program, session=session, user=user, role=role, status=status)


def tick(capture, **kwargs):
    """One tick with its after-commit delivery executed (the test runs inside a transaction)."""
    with capture(execute=True):
        return reminders_tick(**kwargs)


def sent(kind):
    """(recipient email, subject) of the reminders of this kind that left."""
    return sorted((n.recipient.email, n.subject) for n in Notification.objects.filter(kind=kind, sent_at__isnull=False))


def recipients(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def counts(**claimed):
    return {kind: claimed.get(kind, 0) for kind in KINDS}


@pytest.fixture
def pic():
    return UserFactory(email="pic@example.org", full_name="Pia Pic", language="en")


# --- session_tomorrow -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_session_tomorrow_reaches_registered_participants_and_speakers_only(
    django_capture_on_commit_callbacks, prodi_x, pic
):
    program = ProgramFactory(study_program=prodi_x, pic=pic)
    people = {name: UserFactory(email=f"{name}@example.org", full_name=name.title(), language="en") for name in (
        "early", "late", "speaker", "both", "waiting", "cancelled", "committee", "today", "aftertomorrow", "called_off"
    )}
    first = session_at(program, at(day(1), 0, 0))  # the first minute of tomorrow
    last = session_at(program, at(day(1), 23, 59))  # the last minute of tomorrow
    take_part(first, people["early"])
    take_part(last, people["late"])
    take_part(first, people["speaker"], role=P.SPEAKER)
    take_part(first, people["both"])
    take_part(first, people["both"], role=P.SPEAKER)
    take_part(first, people["waiting"], status=R.WAITLISTED)
    take_part(first, people["cancelled"], status=R.CANCELLED)
    take_part(first, people["committee"], role=P.COMMITTEE)
    take_part(session_at(program, at(day(0), 23, 59)), people["today"])
    take_part(session_at(program, at(day(2), 0, 0)), people["aftertomorrow"])
    take_part(session_at(program, at(day(1), 10), status=Session.Status.CANCELLED), people["called_off"])

    result = tick(django_capture_on_commit_callbacks)

    assert result == {"lapsed": 0, "claimed": counts(session_tomorrow=4)}
    assert recipients("session_tomorrow") == [
        "both@example.org", "early@example.org", "late@example.org", "speaker@example.org",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == recipients("session_tomorrow")
    # Registered and speaking: one message, the speaker's.
    both = [m for m in mail.outbox if m.to == ["both@example.org"]]
    assert len(both) == 1 and "you are speaking at" in both[0].body
    assert "you are registered for" in next(m for m in mail.outbox if m.to == ["early@example.org"]).body


@pytest.mark.django_db
def test_a_tick_run_twice_sends_each_reminder_once(django_capture_on_commit_callbacks, prodi_x, staff_x, pic):
    program = ProgramFactory(study_program=prodi_x, pic=pic)
    session = session_at(program, at(day(1), 9))
    for n in range(3):
        take_part(session, UserFactory(email=f"r{n}@example.org"))
    # Due soon: a one-off program is due 30 days after it started running; this one started 25 days ago.
    ProgramFactory(study_program=prodi_x, pic=pic, cadence="one_off", status_changed_at=at(day(-25)))

    first = tick(django_capture_on_commit_callbacks)
    second = tick(django_capture_on_commit_callbacks)

    assert first["claimed"] == counts(session_tomorrow=3, program_due_soon=2)
    assert second["claimed"] == counts()
    assert len(mail.outbox) == 5
    assert Notification.objects.filter(kind__in=KINDS).count() == 5
    assert Notification.objects.filter(kind__in=KINDS, sent_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_a_session_moved_to_another_day_is_a_new_reminder(django_capture_on_commit_callbacks, prodi_x):
    session = session_at(ProgramFactory(study_program=prodi_x), at(day(1), 9))
    take_part(session, UserFactory(email="moved@example.org"))
    tick(django_capture_on_commit_callbacks)
    # Moved a day later: the next day's tick reminds again (its key carries the new date).
    Session.objects.filter(pk=session.pk).update(start=at(day(2), 9), end=at(day(2), 10))
    later = timezone.now() + datetime.timedelta(days=1)
    assert tick(django_capture_on_commit_callbacks, now=later)["claimed"]["session_tomorrow"] == 1
    assert len(mail.outbox) == 2


# --- program_due_soon -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_due_soon_window_and_recipients(django_capture_on_commit_callbacks, prodi_x, prodi_y, staff_x, staff_y, pic):
    def one_off(title, due_in_days, **kwargs):
        # A running one-off program without a session is due 30 days after it started running.
        kwargs.setdefault("study_program", prodi_x)
        kwargs.setdefault("pic", pic)
        return ProgramFactory(title=title, cadence="one_off", status_changed_at=at(day(due_in_days - 30)), **kwargs)

    one_off("due in 8 days", 8)
    one_off("due in 7 days", 7)
    one_off("due today", 0)
    one_off("late 3 days", -3)
    one_off("approved, late 20 days", -20, status="approved")  # approved programs never lapse: still reminded
    one_off("in prodi Y", 2, study_program=prodi_y, pic=None)
    one_off("proposed", 2, status="proposed", pic=None)
    one_off("completed", 2, status="completed")
    scheduled = one_off("late but scheduled", -3)
    session_at(scheduled, at(day(5), 9))

    result = tick(django_capture_on_commit_callbacks)

    assert result["claimed"] == counts(program_due_soon=9)
    rows = sorted(Notification.objects.filter(kind="program_due_soon").values_list("recipient__email", "key"))
    by_title = {}
    for email, key in rows:
        title = Program.objects.get(pk=key.split(":")[1]).title
        by_title.setdefault(title, []).append(email)
    assert by_title == {
        "due in 7 days": ["pic@example.org", "staff.x@example.org"],
        "due today": ["pic@example.org", "staff.x@example.org"],
        "late 3 days": ["pic@example.org", "staff.x@example.org"],
        "approved, late 20 days": ["pic@example.org", "staff.x@example.org"],
        "in prodi Y": ["staff.y@example.org"],
    }
    # The key carries the due date: program_due_soon:<program>:<user>:<due date>.
    late = Program.objects.get(title="late 3 days")
    assert Notification.objects.filter(key=f"program_due_soon:{late.pk}:{pic.pk}:{day(-3).isoformat()}").exists()
    pic_mail = next(m for m in mail.outbox if m.to == ["pic@example.org"] and "late 3 days" in m.subject)
    assert "overdue" in pic_mail.subject
    assert "person in charge" in pic_mail.body


# --- program_lapsed, through the lapse rule -------------------------------------------------------------------------


@pytest.mark.django_db
def test_tick_lapses_after_the_grace_days_and_tells_staff(django_capture_on_commit_callbacks, prodi_x, staff_x, pic):
    def weekly(title, days_overdue):
        # The last session was held `7 + days_overdue` days ago, so the next one was due `days_overdue` days ago.
        program = ProgramFactory(title=title, study_program=prodi_x, pic=pic, cadence="weekly", grace_days=14)
        session_at(program, at(day(-7 - days_overdue), 10))
        return program

    minus_one, on_grace, plus_one = weekly("grace - 1", 13), weekly("grace", 14), weekly("grace + 1", 15)

    result = tick(django_capture_on_commit_callbacks)

    assert result == {"lapsed": 1, "claimed": counts(program_due_soon=4, program_lapsed=1)}
    statuses = dict(Program.objects.values_list("title", "status"))
    assert statuses == {"grace - 1": "running", "grace": "running", "grace + 1": "lapsed"}
    assert recipients("program_lapsed") == ["staff.x@example.org"]
    assert Notification.objects.get(kind="program_lapsed").key == (
        f"program_lapsed:{plus_one.pk}:{staff_x.pk}:{today().isoformat()}"
    )
    due_keys = set(Notification.objects.filter(kind="program_due_soon").values_list("key", flat=True))
    assert {key.split(":")[1] for key in due_keys} == {str(minus_one.pk), str(on_grace.pk)}
    assert tick(django_capture_on_commit_callbacks) == {"lapsed": 0, "claimed": counts()}
    assert len(mail.outbox) == 5


@pytest.mark.django_db
def test_a_program_that_lapses_again_is_announced_again(django_capture_on_commit_callbacks, prodi_x, staff_x):
    program = ProgramFactory(study_program=prodi_x, cadence="weekly", grace_days=3, status="lapsed",
                             status_changed_at=at(day(-3), 8))
    ProgramFactory(title="lapsed long ago", study_program=prodi_x, status="lapsed", status_changed_at=at(day(-30)))
    session_at(program, at(day(-30), 10))

    assert tick(django_capture_on_commit_callbacks)["claimed"] == counts(program_lapsed=1)
    # Revived, then late again: the tick lapses it today, a new occasion with a new key.
    Program.objects.filter(pk=program.pk).update(status="running", status_changed_at=at(day(-2)))
    assert tick(django_capture_on_commit_callbacks) == {"lapsed": 1, "claimed": counts(program_lapsed=1)}
    assert sorted(Notification.objects.filter(kind="program_lapsed").values_list("key", flat=True)) == [
        f"program_lapsed:{program.pk}:{staff_x.pk}:{day(-3).isoformat()}",
        f"program_lapsed:{program.pk}:{staff_x.pk}:{today().isoformat()}",
    ]
    assert len(mail.outbox) == 2


# --- proposal_waiting -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_proposals_waiting_a_week_remind_staff_weekly(
    django_capture_on_commit_callbacks, prodi_x, staff_x, staff_y, alumnus_a
):
    def proposal(title, age_days):
        program = ProgramFactory(title=title, study_program=prodi_x, status="proposed", proposed_by=alumnus_a)
        Program.objects.filter(pk=program.pk).update(created_at=at(day(-age_days), 9))
        return program

    proposal("6 days", 6)
    seven = proposal("7 days", 7)
    proposal("13 days", 13)
    fourteen = proposal("14 days", 14)

    assert tick(django_capture_on_commit_callbacks)["claimed"] == counts(proposal_waiting=3)
    assert recipients("proposal_waiting") == ["staff.x@example.org"] * 3
    keys = set(Notification.objects.filter(kind="proposal_waiting").values_list("key", flat=True))
    assert f"proposal_waiting:{seven.pk}:{staff_x.pk}:{today().isoformat()}" in keys
    assert f"proposal_waiting:{fourteen.pk}:{staff_x.pk}:{today().isoformat()}" in keys
    assert tick(django_capture_on_commit_callbacks)["claimed"] == counts()
    # A week later: the 6-day proposal's first reminder, and the next weekly one for each of the three others.
    week_later = timezone.now() + datetime.timedelta(days=7)
    assert tick(django_capture_on_commit_callbacks, now=week_later)["claimed"] == counts(proposal_waiting=4)
    assert tick(django_capture_on_commit_callbacks, now=week_later)["claimed"] == counts()
    assert len(mail.outbox) == 7


# --- preferences, failures, language ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_kind_turned_off_is_not_sent(django_capture_on_commit_callbacks, prodi_x, staff_x, pic):
    program = ProgramFactory(study_program=prodi_x, pic=pic, cadence="one_off", status_changed_at=at(day(-25)))
    session = session_at(ProgramFactory(study_program=prodi_x), at(day(1), 9))
    take_part(session, pic)
    quiet = UserFactory(email="quiet@example.org")
    take_part(session, quiet)
    core_notifications.notification_preferences_save(user=quiet, enabled=[])
    # The PIC turns session reminders off but keeps program reminders.
    core_notifications.notification_preferences_save(user=pic, enabled=["program_due_soon"])

    assert tick(django_capture_on_commit_callbacks)["claimed"] == counts(program_due_soon=2)
    assert recipients("session_tomorrow") == []
    assert recipients("program_due_soon") == ["pic@example.org", "staff.x@example.org"]
    # quiet turned every optional kind off, the PIC all but one.
    assert NotificationPreference.objects.filter(enabled=False).count() == 2 * len(OPTIONAL_KINDS) - 1
    assert Notification.objects.filter(kind="program_due_soon", key__contains=str(program.pk)).count() == 2


@pytest.mark.django_db
def test_a_failed_send_is_retried_by_the_next_tick_and_sent_once(django_capture_on_commit_callbacks, prodi_x):
    session = session_at(ProgramFactory(study_program=prodi_x), at(day(1), 9))
    take_part(session, UserFactory(email="flaky@example.org"))
    real_send = locmem.EmailBackend.send_messages
    calls = []

    def send_once_fails(self, messages):
        calls.append(len(messages))
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("connection lost")
        return real_send(self, messages)

    with mock.patch.object(locmem.EmailBackend, "send_messages", send_once_fails):
        assert tick(django_capture_on_commit_callbacks)["claimed"] == counts(session_tomorrow=1)
        notification = Notification.objects.get(kind="session_tomorrow")
        assert (len(mail.outbox), notification.sent_at, notification.attempts) == (0, None, 1)
        assert notification.last_error == "connection lost"

        assert tick(django_capture_on_commit_callbacks)["claimed"] == counts()  # nothing new claimed …
        notification.refresh_from_db()
        assert notification.sent_at is not None  # … but the sweep at its start sent the failed one
        assert notification.attempts == 2
        tick(django_capture_on_commit_callbacks)
    assert len(calls) == 2
    assert [m.to for m in mail.outbox] == [["flaky@example.org"]]


@pytest.mark.django_db
def test_reminder_email_has_text_and_html_in_the_recipients_language(django_capture_on_commit_callbacks, prodi_x):
    session = session_at(ProgramFactory(study_program=prodi_x, title="Kelas Menulis"), at(day(1), 9),
                         place="Ruang 101")
    take_part(session, UserFactory(email="en@example.org", full_name="Emma English", language="en"))
    take_part(session, UserFactory(email="id@example.org", full_name="Ina Indonesia", language="id"))

    tick(django_capture_on_commit_callbacks)

    weekday = day(1).weekday()
    messages = {m.to[0]: m for m in mail.outbox}
    assert set(messages) == {"en@example.org", "id@example.org"}
    for email, weekday_name, hello, lang in (
        ("en@example.org", WEEKDAYS_EN[weekday], "Hello Emma,", 'lang="en"'),
        ("id@example.org", WEEKDAYS_ID[weekday], "Halo Ina,", 'lang="id"'),
    ):
        message = messages[email]
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        # The weekday of the session date and the greeting are translated by existing catalogues.
        assert weekday_name in message.body and weekday_name in html
        assert message.body.startswith(hello) and hello in html
        assert lang in html
        assert "Kelas Menulis" in message.subject and "Ruang 101" in html
        # Every reminder links to the preferences page, in the body and in List-Unsubscribe.
        assert "http://127.0.0.1:8000/notifications/preferences/" in message.body
        assert 'href="http://127.0.0.1:8000/notifications/preferences/"' in html
        assert message.extra_headers["List-Unsubscribe"] == "<http://127.0.0.1:8000/notifications/preferences/>"
        assert f"/programs/sessions/{session.pk}/" in message.body or "/dashboard/" in message.body
    english_weekday = WEEKDAYS_EN[weekday]
    assert english_weekday not in messages["id@example.org"].body


@pytest.mark.django_db
def test_text_is_not_html_escaped_and_html_is(django_capture_on_commit_callbacks, prodi_x):
    session = session_at(ProgramFactory(study_program=prodi_x, title='Tips & "Trik" <Menulis>'), at(day(1), 9))
    take_part(session, UserFactory(email="plain@example.org", language="en"))
    tick(django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.subject == 'Tomorrow: Tips & "Trik" <Menulis>'
    assert 'registered for "Tips & "Trik" <Menulis>" tomorrow' in message.body
    assert "Tips &amp; &quot;Trik&quot; &lt;Menulis&gt;" in message.alternatives[0][0]
    assert "<Menulis>" not in message.alternatives[0][0]


@pytest.mark.django_db
def test_run_reminders_command_prints_the_claims_per_kind(django_capture_on_commit_callbacks, prodi_x):
    session = session_at(ProgramFactory(study_program=prodi_x), at(day(1), 9))
    take_part(session, UserFactory(email="cmd@example.org"))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_reminders", stdout=out)
    assert "session_tomorrow: 1 claimed" in out.getvalue()
    assert "program_due_soon: 0 claimed" in out.getvalue()
    assert [m.to for m in mail.outbox] == [["cmd@example.org"]]


# --- concurrency ------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_ticks_send_each_reminder_once(prodi_x, staff_x, pic):
    need(connection.vendor == "postgresql", "two ticks racing on one database need PostgreSQL (SQLite locks the file)")
    program = ProgramFactory(study_program=prodi_x, pic=pic)
    session = session_at(program, at(day(1), 9))
    for n in range(5):
        take_part(session, UserFactory(email=f"race{n}@example.org"))
    ProgramFactory(study_program=prodi_x, pic=pic, cadence="one_off", status_changed_at=at(day(-25)))
    lapsing = ProgramFactory(study_program=prodi_x, cadence="weekly", grace_days=3)
    session_at(lapsing, at(day(-20)))
    mail.outbox.clear()  # the staff role's own notification

    # Both ticks select the same reminders, then meet here, then insert them at the same time: a real race on the
    # unique key. The loser's INSERT waits for the winner's commit and then inserts nothing.
    barrier = threading.Barrier(2, timeout=20)
    real_insert = core_notifications._insert_claims

    inserts = []

    def racing_insert(rows):
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass
        won = real_insert(rows)
        inserts.append((len(rows), len(won)))
        return won

    results, errors = [], []

    def run():
        try:
            results.append(reminders_tick())
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    with mock.patch.object(core_notifications, "_insert_claims", racing_insert):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert errors == []
    # Both ticks tried to insert (the lapse notice may be in one tick's batch only); together they won 8 rows.
    assert len(inserts) == 2 and min(tried for tried, _won in inserts) >= 7
    assert sum(won for _tried, won in inserts) == 8
    assert sum(r["lapsed"] for r in results) == 1
    claimed = {kind: sum(r["claimed"][kind] for r in results) for kind in KINDS}
    assert claimed == counts(session_tomorrow=5, program_due_soon=2, program_lapsed=1)
    assert Notification.objects.filter(kind__in=KINDS).count() == 8
    assert len(mail.outbox) == 8
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == 8
    assert Notification.objects.filter(kind__in=KINDS, sent_at__isnull=True).count() == 0


# --- queries ----------------------------------------------------------------------------------------------------


def build_programs(n: int, *, prefix: str) -> dict:
    """n programs over 4 study programs, each with 2 staff: most have a past session and one tomorrow with 3
    participants, a speaker and someone waitlisted; every 5th has no upcoming session and is due soon; every 7th is
    an old proposal; every 9th lapsed yesterday. Bulk inserts keep the setup fast."""
    prodis = [StudyProgramFactory(code=f"{prefix}{i}") for i in range(4)]
    for prodi in prodis:
        for s in range(2):
            grant(UserFactory(email=f"{prefix}.staff{prodi.pk}.{s}@example.org"), Role.Kind.STAFF, prodi)
    people = [UserFactory(email=f"{prefix}.p{i}@example.org") for i in range(12)]
    pic = UserFactory(email=f"{prefix}.pic@example.org")
    programs, sessions, parts = [], [], []
    expected = counts()
    for i in range(n):
        prodi = prodis[i % 4]
        if i % 7 == 3:
            programs.append(Program(study_program=prodi, title=f"{prefix} {i}", description="-", kind="academic",
                                    category="mentoring", organiser="joint", cadence="monthly", status="proposed"))
            expected["proposal_waiting"] += 2
            continue
        if i % 9 == 4:
            programs.append(Program(study_program=prodi, pic=pic, title=f"{prefix} {i}", description="-",
                                    kind="academic", category="mentoring", organiser="joint", cadence="weekly",
                                    status="lapsed", status_changed_at=at(day(-1))))
            expected["program_lapsed"] += 2
            continue
        program = Program(study_program=prodi, pic=pic, title=f"{prefix} {i}", description="-", kind="academic",
                          category="mentoring", organiser="joint", cadence="weekly", status="running")
        programs.append(program)
        held = at(day(-3), 10)
        sessions.append(Session(program=program, start=held, end=held + datetime.timedelta(hours=1)))
        if i % 5 == 0:
            expected["program_due_soon"] += 3  # due in 4 days: the PIC and 2 staff
            continue
        tomorrow = Session(program=program, start=at(day(1), 9), end=at(day(1), 11))
        sessions.append(tomorrow)
        for k in range(3):
            parts.append(Participation(program=program, session=tomorrow, user=people[(i + k) % 12]))
        parts.append(Participation(program=program, session=tomorrow, user=people[(i + 3) % 12], role=P.SPEAKER))
        parts.append(Participation(program=program, session=tomorrow, user=people[(i + 4) % 12],
                                   status=R.WAITLISTED))
        expected["session_tomorrow"] += 4
    Program.objects.bulk_create(programs)
    Program.objects.filter(title__startswith=f"{prefix} ", status="proposed").update(created_at=at(day(-10)))
    Session.objects.bulk_create(sessions)
    Participation.objects.bulk_create(parts)
    return expected


# The tick's queries without delivery: these tests run inside a transaction whose after-commit callbacks never run,
# so the delivery task queued on commit (one task for the batch, its own queries per message) is not counted. No
# program lapses in these ticks: a lapse is a locked write per program (see programs_lapse_overdue).
TICK_MAX_QUERIES = 12


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 200])
def test_a_tick_runs_a_fixed_number_of_queries(django_assert_max_num_queries, size):
    expected = build_programs(size, prefix=f"q{size}")
    with django_assert_max_num_queries(TICK_MAX_QUERIES) as captured:
        result = reminders_tick()
    assert result == {"lapsed": 0, "claimed": expected}
    assert len(captured.captured_queries) == TICK_MAX_QUERIES
