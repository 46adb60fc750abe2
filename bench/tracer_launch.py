"""Tracer wave launch speed: one wave over 20,000 alumni, on SQLite and PostgreSQL.

    .venv/bin/python bench/tracer_launch.py [--alumni 20000] [--db sqlite postgres]

For each database it makes a scratch database (a SQLite file in a temporary folder; for PostgreSQL
`createdb -h 127.0.0.1 -U postgres bench_launch_<pid>`, dropped afterwards), migrates it and seeds (bulk_create)
20,000 graduates of 2021–2023 over two study programs: 40% with an account, 30% imported with an email, 30%
imported without. Then it times `wave_launch` (freeze, bulk invitations, claim of the account holders' invitation
notifications, all in one transaction) and, separately, the after-commit task that emails the personal link to
imported graduates (locmem email backend). Delivery of the claimed notifications is the portal's shared mechanism
(a lease and a send per message, see bench/reminders.py) and is not run here. It prints ms and queries of each, and
how many INSERT statements created the invitations.
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from scratch import migrated_database, run_child  # noqa: E402 (bench/ is on sys.path)

ROOT = Path(__file__).resolve().parent.parent



def child(alumni: int) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # locmem email backend
    import datetime
    import logging

    from django.contrib.auth.hashers import make_password
    from django.core import mail
    from django.db import connection, transaction
    from django.utils import timezone

    from alumni.models import AlumniProfile, Faculty, Institution, Role, StudyProgram, User
    from core.models import Notification
    from tracer import services
    from tracer.models import Invitation, Survey

    logging.disable(logging.INFO)
    seed_start = time.perf_counter()
    institution = Institution.objects.create(name="Bench", short_name="BENCH")
    faculty = Faculty.objects.create(institution=institution, name="F")
    programs = [StudyProgram.objects.create(faculty=faculty, code=f"B{n}", name=f"Program {n}") for n in (1, 2)]
    with_account = alumni * 4 // 10
    unusable = make_password(None)
    User.objects.bulk_create(
        [User(email=f"u{i}@bench.example", full_name=f"Lulusan {i}", password=unusable) for i in range(with_account)],
        batch_size=2000,
    )
    users = list(User.objects.filter(email__endswith="@bench.example").order_by("pk"))
    profiles = []
    for i in range(alumni):
        user = users[i] if i < with_account else None
        email = user.email if user else (f"imported{i}@bench.example" if i < alumni * 7 // 10 else "")
        profiles.append(AlumniProfile(user=user, study_program=programs[i % 2], nim=f"{i:09d}",
                                      full_name=f"Lulusan {i}", email=email, entry_year=2017,
                                      graduation_date=datetime.date(2021 + i % 3, 8, 25)))
    # And some who are not invited: another graduation year.
    profiles += [AlumniProfile(study_program=programs[0], nim=f"X{i:08d}", full_name=f"Lama {i}", entry_year=2010,
                               graduation_date=datetime.date(2015, 8, 25)) for i in range(alumni // 10)]
    AlumniProfile.objects.bulk_create(profiles, batch_size=2000)
    admin = User.objects.create_user("admin@bench.example")
    Role.objects.create(user=admin, kind=Role.Kind.ADMIN, institution=institution)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    seed_seconds = time.perf_counter() - seed_start

    now = timezone.now()
    wave = services.wave_create(
        by=admin, title="Bench", version=Survey.objects.get(slug="dikti-core").latest_version(),
        study_programs=programs, graduation_years=[2021, 2022, 2023], opens_at=now,
        closes_at=now + datetime.timedelta(days=60), reminder_days=[7, 14, 21], max_reminders=3,
    )
    counts = {"all": 0, "invitation_inserts": 0}

    def counter(execute, sql, params, many, context):
        counts["all"] += 1
        if sql.startswith('INSERT INTO "tracer_invitation"'):
            counts["invitation_inserts"] += 1
        return execute(sql, params, many, context)

    callbacks = []
    results = {"seed_seconds": seed_seconds, "alumni": alumni}
    start = time.perf_counter()
    with connection.execute_wrapper(counter):
        with transaction.atomic():
            invited = services.wave_launch(wave=wave, by=User.objects.get(pk=admin.pk))
            callbacks = list(connection.run_on_commit)
            connection.run_on_commit = []  # run (and time) them below, outside the launch
    results["launch"] = {"ms": (time.perf_counter() - start) * 1000, "queries": counts["all"],
                         "invitation_inserts": counts["invitation_inserts"], "invited": invited}
    counts["all"] = 0
    mail.outbox = []
    start = time.perf_counter()
    with connection.execute_wrapper(counter):
        services.send_invitation_emails(wave_id=wave.pk)
    results["after commit"] = {"ms": (time.perf_counter() - start) * 1000, "queries": counts["all"],
                               "emails": len(mail.outbox), "notifications": Notification.objects.count(),
                               "skipped": len(callbacks)}
    assert Invitation.objects.filter(wave=wave).count() == invited == alumni
    print(json.dumps(results))


def bench(db: str, alumni: int, workdir: Path) -> None:
    with migrated_database(db, "bench_launch", workdir) as url:
        r = run_child(__file__, url, str(alumni))
        print(f"\ndatabase: {db}  ({r['alumni']:,} eligible alumni, seeded in {r['seed_seconds']:.0f} s)")
        launch, after = r["launch"], r["after commit"]
        print(f"launch (freeze + {launch['invited']:,} invitations in {launch['invitation_inserts']} INSERTs "
              f"+ claims): {launch['ms']:,.0f} ms, {launch['queries']} queries")
        print(f"{after['notifications']:,} invitation notifications claimed (delivered after commit, one lease and "
              f"send each: see bench/reminders.py; not timed here)")
        print(f"link emails to imported graduates without an account ({after['emails']:,} emails): "
              f"{after['ms']:,.0f} ms, {after['queries']:,} queries")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(int(sys.argv[2]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--alumni", type=int, default=20_000)
    parser.add_argument("--db", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_launch_") as tmp:
        for db in args.db:
            bench(db, args.alumni, Path(tmp))


if __name__ == "__main__":
    main()
