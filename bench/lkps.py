"""LKPS tables speed: `lkps_tables` over 200,000 alumni with 100,000 tracer responses, on SQLite and PostgreSQL.

    .venv/bin/python bench/lkps.py [--alumni 200000] [--responses 100000] [--db sqlite postgres]

For each database it makes a scratch database (a SQLite file in a temporary folder; for PostgreSQL
`createdb -h 127.0.0.1 -U postgres bench_lkps_<pid>`, dropped afterwards), migrates it and seeds (bulk_create) the
alumni over two study programs and graduation years 2020–2024, submitted dikti-core responses with f8, f502, f14,
f5d, f505 and f5a1 for the first `--responses` of them (one in ten with a second, older response), employer ratings
for one in ten, and minimum wages for every province and year. Then, for one study program (half the alumni) and
TS = 2025, best of three, it times and counts the queries of: `lkps_tables`, the XLSX workbook, the PDF, the report
page (tabs 8.d.1 and 8.e.2) and a drill-down page, through the whole request as a staff member.
"""

import argparse
import datetime
import json
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

from scratch import migrated_database, run_child  # noqa: E402 (bench/ is on sys.path)

ROOT = Path(__file__).resolve().parent.parent



def child(alumni: int, responses: int) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from alumni.models import AlumniProfile, Faculty, Institution, Province, Role, StudyProgram, User
    from alumni.services import role_grant
    from tracer.lkps import cell_graduates, lkps_tables, lkps_workbook
    from tracer.lkps_pdf import lkps_pdf
    from tracer.models import Answer, MinimumWage, Response, Survey

    rng = random.Random(7)
    seed_start = time.perf_counter()
    institution = Institution.objects.create(name="Bench", short_name="BENCH")
    faculty = Faculty.objects.create(institution=institution, name="F")
    programs = [StudyProgram.objects.create(faculty=faculty, code=f"B{n}", name=f"Program {n}") for n in (1, 2)]
    provinces = list(Province.objects.values_list("pk", "code"))
    MinimumWage.objects.bulk_create([MinimumWage(province_id=pk, year=y, amount=rng.randint(2, 5) * 1_000_000)
                                     for pk, _code in provinces for y in range(2019, 2026)])
    profiles = [
        AlumniProfile(study_program=programs[i % 2], nim=f"{i:09d}", full_name=f"Lulusan {i}", entry_year=2016,
                      graduation_date=datetime.date(2020 + (i // 2) % 5, 8, 25))
        for i in range(alumni)
    ]
    AlumniProfile.objects.bulk_create(profiles, batch_size=5000)
    core = Survey.objects.get(slug="dikti-core").latest_version()
    employer = Survey.objects.get(slug="dikti-employer").latest_version()
    now = timezone.now()
    aspects = ["etika", "keahlian", "bahasa_asing", "teknologi_informasi", "komunikasi", "kerjasama",
               "pengembangan_diri"]
    made = answers = 0
    for start in range(0, responses, 5000):
        rows, values = [], []
        for profile in profiles[start:min(start + 5000, responses)]:
            for older in ((True, False) if rng.random() < 0.1 else (False,)):
                response = Response(id=uuid.uuid4(), version=core, profile=profile, status="submitted",
                                    submitted_at=now - datetime.timedelta(days=400 if older else 1))
                rows.append(response)
                f8 = rng.choice((1, 1, 1, 3, 4, 2, 5))
                given = {"f8": f8}
                if f8 in (1, 3):
                    given.update(f502=rng.randint(0, 24), f14=rng.randint(1, 5), f5d=rng.randint(1, 3),
                                 f505=rng.randint(2, 12) * 1_000_000, f5a1=int(rng.choice(provinces)[1]))
                values += [Answer(response=response, code=c, value_int=v) for c, v in given.items()]
            if rng.random() < 0.1:
                response = Response(id=uuid.uuid4(), version=employer, profile=profile, status="submitted",
                                    submitted_at=now)
                rows.append(response)
                values += [Answer(response=response, code=a, value_int=rng.randint(1, 4)) for a in aspects]
        Response.objects.bulk_create(rows)
        Answer.objects.bulk_create(values, batch_size=5000)
        made += len(rows)
        answers += len(values)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    seed_seconds = time.perf_counter() - seed_start

    def measure(fn, runs=3):
        """Best wall time of `runs` calls (ms), the queries of the last call, and its result."""
        best, result, count = None, None, 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        for _ in range(runs):
            count = 0
            begin = time.perf_counter()
            with connection.execute_wrapper(counter):
                result = fn()
            elapsed = (time.perf_counter() - begin) * 1000
            best = elapsed if best is None else min(best, elapsed)
        return {"ms": best, "queries": count}, result

    program = programs[0]
    figures = {}
    figures["lkps_tables"], tables = measure(lambda: lkps_tables(study_program=program, ts=2025))
    figures["workbook"], _book = measure(lambda: lkps_workbook(lkps_tables(study_program=program, ts=2025)))
    figures["pdf"], pdf = measure(lambda: lkps_pdf(lkps_tables(study_program=program, ts=2025), evidence=None,
                                                   generated_at=timezone.now(), generated_by="bench"))
    # The staff pages through the whole request (session, permission checks, template), first tab and drill-down.
    staff = User.objects.create_user(email="staf@bench.example", password=None)
    role_grant(user=staff, kind=Role.Kind.STAFF, study_program=program)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(staff)
    page_url = f"/tracer/lkps/{program.code}/2025/"

    def page(query):
        response = client.get(page_url + query)
        assert response.status_code == 200, response.status_code
        return response

    figures["page_8d1"], _page = measure(lambda: page("?tab=8d1"))
    figures["page_8e2"], _page = measure(lambda: page("?tab=8e2"))
    figures["drill_traced_2021"], _drill = measure(lambda: page("cell/?column=traced&year=2021"))
    print(json.dumps({"seed_seconds": seed_seconds, "alumni": alumni, "responses": made, "answers": answers,
                      "figures": figures, "traced_total": tables["8.d.1"]["total"]["traced"],
                      "iku": str(tables["IKU-1"]["iku"]), "pdf_bytes": len(pdf),
                      "drill_rows": cell_graduates(study_program=program, ts=2025, column="traced",
                                                   year=2021).count()}))


def bench(db: str, alumni: int, responses: int, workdir: Path) -> None:
    with migrated_database(db, "bench_lkps", workdir) as url:
        r = run_child(__file__, url, str(alumni), str(responses))
        print(f"\ndatabase: {db}  ({r['alumni']} alumni, {r['responses']} submitted responses, {r['answers']} answers, "
              f"seeded in {r['seed_seconds']:.0f} s)")
        print(f"traced in the rows: {r['traced_total']}, IKU-1 {r['iku']}%, PDF {r['pdf_bytes']} bytes, "
              f"drill-down rows: {r['drill_rows']}")
        for name, figure in r["figures"].items():
            print(f"  {name:<20} {figure['ms']:>8.0f} ms  {figure['queries']:>3} queries")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--alumni", type=int, default=200_000)
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--db", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_lkps_") as tmp:
        for db in args.db:
            bench(db, args.alumni, args.responses, Path(tmp))


if __name__ == "__main__":
    main()
