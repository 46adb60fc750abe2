"""Tracer results speed: a wave with 20,000 submitted responses (~25 answers each), on SQLite and PostgreSQL.

    .venv/bin/python bench/tracer_results.py [--responses 20000] [--db sqlite postgres]

For each database it makes a scratch database (a SQLite file in a temporary folder; for PostgreSQL
`createdb -h 127.0.0.1 -U postgres bench_tracer_<pid>`, dropped afterwards), migrates it, seeds the wave with the
demo's answer generator (bulk_create), then times, best of 3 after one warm-up: the selectors (`wave_results`) for an
institution admin, the results page through the test client for a study-program staff member (half the responses),
the cohort page (one study program, one graduation year), and the national-layout CSV export of the whole wave.
It prints milliseconds and the number of queries for each.

Measured 2026-11-29 (20,000 responses, 977,140 answers; this container, best of 3, nothing else running):

    step                                 SQLite ms  queries   PostgreSQL ms  queries
    selectors (admin, all)                    4182       12             570       12
    results page (staff, half)                4288       16             699       15
    cohort page (1 program, 1 year)           3355       22             765       21
    national CSV export (all)                 8374       21            6100       21

The query count is the same at any size; the time is the aggregate scans of the Answer table (about a million rows).
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from scratch import migrated_database, run_child  # noqa: E402 (bench/ is on sys.path)

ROOT = Path(__file__).resolve().parent.parent



def child(responses: int) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # 'testserver' host, response.context
    import datetime
    import random
    import uuid

    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from alumni.models import AlumniProfile, Faculty, Institution, Role, StudyProgram, User
    from tracer import national
    from tracer.demo import _answer_rows, core_answers
    from tracer.models import Answer, Invitation, Response, Survey, Wave
    from tracer.results import wave_results

    rng = random.Random(7)
    seed_start = time.perf_counter()
    institution = Institution.objects.create(name="Bench", short_name="BENCH")
    faculty = Faculty.objects.create(institution=institution, name="F")
    programs = [StudyProgram.objects.create(faculty=faculty, code=f"B{n}", name=f"Program {n}") for n in (1, 2)]
    profiles = [
        AlumniProfile(study_program=programs[i % 2], nim=f"{i:09d}", full_name=f"Lulusan {i}", entry_year=2017,
                      graduation_date=datetime.date(2021 + i % 3, 8, 25))
        for i in range(responses)
    ]
    AlumniProfile.objects.bulk_create(profiles, batch_size=2000)
    version = Survey.objects.get(slug="dikti-core").latest_version()
    now = timezone.now()
    wave = Wave.objects.create(version=version, title="Bench", graduation_years=[2021, 2022, 2023],
                               opens_at=now - datetime.timedelta(days=60), closes_at=now - datetime.timedelta(days=1),
                               launched_at=now - datetime.timedelta(days=60))
    wave.study_programs.set(programs)
    answers = 0
    for start in range(0, responses, 2000):
        chunk = profiles[start:start + 2000]
        invitations = [Invitation(version=version, wave=wave, profile=p) for p in chunk]
        Invitation.objects.bulk_create(invitations)
        rows, values = [], []
        for invitation in invitations:
            response = Response(id=uuid.uuid4(), invitation=invitation, version=version, profile=invitation.profile,
                                status="submitted", page=4, submitted_at=now)
            rows.append(response)
            values += _answer_rows(response, core_answers(rng, graduated=invitation.profile.graduation_date))
        Response.objects.bulk_create(rows)
        Answer.objects.bulk_create(values, batch_size=5000)
        answers += len(values)
    admin = User.objects.create_user("admin@bench.example", is_superuser=False)
    Role.objects.create(user=admin, kind=Role.Kind.ADMIN, institution=institution)
    staff = User.objects.create_user("staff@bench.example")
    Role.objects.create(user=staff, kind=Role.Kind.STAFF, institution=institution, study_program=programs[0])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    seed_seconds = time.perf_counter() - seed_start

    client = Client()
    client.force_login(staff)
    survey = Survey.objects.get(slug="dikti-core")

    def admin_selectors():
        fresh = User.objects.get(pk=admin.pk)  # the scope is cached per user object: count its queries too
        return wave_results(wave, fresh)

    def page():
        response = client.get(reverse("tracer:wave_results", args=[wave.pk]))
        assert response.status_code == 200

    def cohort():
        response = client.get(reverse("tracer:results"), {"survey": survey.pk, "program": programs[0].pk,
                                                          "year": 2022})
        assert response.status_code == 200 and response.context["results"].submitted

    def export():
        return national.export_csv(Response.objects.filter(invitation__wave=wave))

    results = {"seed_seconds": seed_seconds, "responses": responses, "answers": answers}
    for name, step in (("selectors (admin, all)", admin_selectors), ("results page (staff, half)", page),
                       ("cohort page (1 program, 1 year)", cohort), ("national CSV export (all)", export)):
        step()
        best, queries = None, 0
        for _ in range(3):
            count = 0

            def counter(execute, sql, params, many, context):
                nonlocal count
                count += 1
                return execute(sql, params, many, context)

            start = time.perf_counter()
            with connection.execute_wrapper(counter):
                step()
            elapsed = (time.perf_counter() - start) * 1000
            best = elapsed if best is None else min(best, elapsed)
            queries = count
        results[name] = {"ms": best, "queries": queries}
    print(json.dumps(results))


def bench(db: str, responses: int, workdir: Path) -> None:
    with migrated_database(db, "bench_tracer", workdir) as url:
        r = run_child(__file__, url, str(responses))
        print(f"\ndatabase: {db}  ({r['responses']} submitted responses, {r['answers']} answers, "
              f"seeded in {r['seed_seconds']:.0f} s)")
        print(f"{'step':<34} {'ms':>8} {'queries':>8}")
        for name, value in r.items():
            if isinstance(value, dict):
                print(f"{name:<34} {value['ms']:>8.0f} {value['queries']:>8}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(int(sys.argv[2]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=20_000)
    parser.add_argument("--db", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_tracer_") as tmp:
        for db in args.db:
            bench(db, args.responses, Path(tmp))


if __name__ == "__main__":
    main()
