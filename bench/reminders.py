"""Reminder tick speed: time, queries and claims of one tick over 2,000 programs and 20,000 sessions.

    .venv/bin/python bench/reminders.py [--programs 2000] [--sessions-per-program 10] [--registrants 5]

Runs against a throw-away test database (SQLite in memory, or PostgreSQL when DATABASE_URL is set). The data:
running weekly programs spread over 20 study programs (2 staff each), each with its sessions a week apart around
today (so about one in seven has a session tomorrow and about one in ten is due soon), registrants on every
session, 1% of programs overdue past their grace days (they lapse in the tick), plus old proposals and programs
that lapsed yesterday. Prints, for a first tick and for a rerun: the tick (lapse + select + claim, in one
transaction) in ms and queries, what it claimed, and the delivery that runs after commit (eager Celery, locmem
email).
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alumni_portal.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core import mail  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.utils import timezone  # noqa: E402


def build(args) -> dict:
    from alumni.models import Faculty, Institution, Role, StudyProgram, User
    from programs.models import Participation, Program, Session

    tz = timezone.get_default_timezone()
    today = timezone.localdate(timezone.now(), tz)

    def at(offset: int, hour: int = 10) -> datetime.datetime:
        return datetime.datetime.combine(today + datetime.timedelta(days=offset), datetime.time(hour), tzinfo=tz)

    inst = Institution.objects.create(name="Bench")
    faculty = Faculty.objects.create(institution=inst, name="F")
    prodis = StudyProgram.objects.bulk_create(
        [StudyProgram(faculty=faculty, code=f"B{i:03d}", name=f"Prodi {i}") for i in range(20)]
    )
    unusable = make_password(None)
    User.objects.bulk_create(
        [User(email=f"u{i}@example.org", full_name=f"User {i}", password=unusable, language="id" if i % 3 else "en")
         for i in range(5000)],
        batch_size=2000,
    )
    users = list(User.objects.order_by("pk"))
    staff = users[:40]
    Role.objects.bulk_create(
        [Role(user=u, kind=Role.Kind.STAFF, institution=inst, study_program=prodis[i // 2])
         for i, u in enumerate(staff)]
    )
    people = users[40:]

    def program(i, **kwargs):
        return Program(study_program=prodis[i % 20], title=f"Program {i}", description="-", kind="academic",
                       category="mentoring", organiser="joint", cadence="weekly", grace_days=14, **kwargs)

    programs, sessions, parts = [], [], []
    n_lapsing = args.programs // 100
    for i in range(args.programs):
        p = program(i, pic=people[i % len(people)], status="running")
        programs.append(p)
        if i < n_lapsing:
            # Last session 30 days ago: due 23 days ago, past 14 grace days. This tick lapses it.
            base = -30 - 7 * (args.sessions_per_program - 1)
        else:
            base = -(i % 70)  # the last of its sessions is between 6 days ago and 63 days ahead
        for k in range(args.sessions_per_program):
            start = at(base + 7 * k, 9 + i % 8)
            session = Session(program=p, start=start, end=start + datetime.timedelta(hours=2))
            sessions.append(session)
            for r in range(args.registrants):
                role = Participation.Role.SPEAKER if r == 0 else Participation.Role.PARTICIPANT
                last = r == args.registrants - 1
                status = Participation.Status.WAITLISTED if last else Participation.Status.REGISTERED
                parts.append(Participation(program=p, session=session, role=role, status=status,
                                           user=people[(i * 7 + k * 13 + r) % len(people)]))
    extra = []
    for j in range(args.programs // 20):
        extra.append(program(args.programs + j, status="proposed", proposed_by=people[j]))
    for j in range(args.programs // 25):
        extra.append(program(args.programs + 1000 + j, status="lapsed", pic=people[j], status_changed_at=at(-1)))
    Program.objects.bulk_create(programs + extra, batch_size=1000)
    Program.objects.filter(status="proposed").update(created_at=at(-10))
    Session.objects.bulk_create(sessions, batch_size=2000)
    Participation.objects.bulk_create(parts, batch_size=2000)
    return {"programs": len(programs) + len(extra), "sessions": len(sessions), "participations": len(parts)}


def run_tick(label: str) -> None:
    from core.models import Notification
    from programs.reminders import reminders_tick

    mail.outbox = []
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        # An outer transaction holds the after-commit delivery back until the tick is timed; leaving it runs the
        # delivery (eager Celery), timed apart.
        with transaction.atomic():
            result = reminders_tick()
            tick_ms = (time.perf_counter() - start) * 1000
            tick_queries = len(queries.captured_queries)
            start = time.perf_counter()
        delivery_ms = (time.perf_counter() - start) * 1000
    delivery_queries = len(queries.captured_queries) - tick_queries
    claimed = sum(result["claimed"].values())
    print(f"{label}: tick {tick_ms:,.0f} ms, {tick_queries} queries ({result['lapsed']} programs lapsed), "
          f"claimed {claimed}: " + ", ".join(f"{k} {v}" for k, v in result["claimed"].items()))
    print(f"{'':{len(label)}}  commit + delivery: {delivery_ms:,.0f} ms, {delivery_queries} queries, "
          f"{len(mail.outbox)} emails; notifications in the table: {Notification.objects.count()}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--programs", type=int, default=2000)
    parser.add_argument("--sessions-per-program", type=int, default=10)
    parser.add_argument("--registrants", type=int, default=5)
    args = parser.parse_args()

    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        print(f"database: {connection.vendor}")
        start = time.perf_counter()
        sizes = build(args)
        print(", ".join(f"{v:,} {k}" for k, v in sizes.items()) + f" (built in {time.perf_counter() - start:.1f} s)")
        run_tick("first tick")
        run_tick("rerun")
    finally:
        teardown_databases(databases, verbosity=0)


if __name__ == "__main__":
    main()
