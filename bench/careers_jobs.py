"""The job list at national scale: page time and queries with 50,000 posts.

    .venv/bin/python bench/careers_jobs.py [--posts 50000] [--repeat 15] [--db postgres sqlite]

For each database it makes a scratch database (see scratch.py), migrates it and creates one institution with 20
study programs, 2,000 organisations and `--posts` job posts (80 % open, the rest closed, hidden or removed; every
post listed for 1–3 study programs, a few of those targets still waiting for staff), each with realistic fields
(kind, field, province, city, salary, closing date within 90 days). Then a member of one study program and a staff
member of it request the job list through Django's test client (the whole stack: middleware, the visibility door,
filters, pagination, the template) with no filter, a text search, a kind + province filter, "closing within 7
days", and sorted by closing date; each `--repeat` times. It prints, per request, the median and the 90th
percentile time in milliseconds, the number of SQL queries (the same whatever the number of posts: the test
suite pins it at two sizes) and how many posts matched.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from scratch import migrated_database, run_child  # noqa: E402 (bench/ is on sys.path)

ROOT = Path(__file__).resolve().parent.parent
MEMBER = "member@bench.example"
STAFF = "staff@bench.example"
REQUESTS = {
    "no filter": "",
    "search 'pustakawan'": "?q=pustakawan",
    "kind + province": "?kind=full_time&province={province}",
    "closing within 7 days": "?closing_soon=on",
    "sorted by closing date": "?sort=closing",
    "page 50": "?page=50",
}


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def setup(posts: int) -> None:
    _django()
    import datetime
    import random

    from django.db import connection, transaction
    from django.utils import timezone

    from alumni.models import AlumniProfile, Faculty, Institution, Province, Role, StudyProgram, User
    from alumni.provinces import PROVINCES
    from careers.models import Field, JobPost, JobPostTarget, Organisation, normalise_name

    rng = random.Random(15)
    for code, name in PROVINCES:
        Province.objects.get_or_create(code=code, defaults={"name": name})
    provinces = list(Province.objects.all())
    institution = Institution.objects.create(name="Universitas Bench", short_name="UB")
    faculty = Faculty.objects.create(institution=institution, name="Fakultas Bench")
    programs = [StudyProgram.objects.create(faculty=faculty, code=f"B{i:02}", name=f"Prodi {i}") for i in range(20)]
    member = User.objects.create_user(email=MEMBER, password=None, full_name="Anggota Bench")
    AlumniProfile.objects.create(user=member, study_program=programs[0], nim="B0001", full_name="Anggota Bench",
                                 entry_year=2015, verification=AlumniProfile.Verification.VERIFIED)
    staff = User.objects.create_user(email=STAFF, password=None, full_name="Staf Bench")
    Role.objects.create(user=staff, kind=Role.Kind.STAFF, study_program=programs[0], institution=institution)
    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"PT Organisasi Bench {i}", normalised=normalise_name(f"Organisasi Bench {i}"))
         for i in range(2000)]
    )
    titles = ["Pustakawan", "Arsiparis", "Analis Data", "Guru Bahasa Arab", "Staf Administrasi", "Penerjemah",
              "Customer Service", "Peneliti", "Content Writer", "Programmer"]
    statuses = [JobPost.Status.OPEN] * 8 + [JobPost.Status.CLOSED, JobPost.Status.HIDDEN]
    today = timezone.localdate()
    now = timezone.now()
    batch, targets = [], []
    with transaction.atomic():
        for i in range(posts):
            low = rng.randrange(3, 12) * 500_000
            post = JobPost(
                title=f"{rng.choice(titles)} {i}", organisation=rng.choice(organisations),
                kind=rng.choice(JobPost.Kind.values), field=rng.choice(Field.values),
                province=rng.choice(provinces), city="Kota Bench", remote=rng.random() < 0.1,
                salary_min=low, salary_max=low + 2_000_000, description="Lowongan bench. " * 20,
                requirements="- S1\n- IPK 3,00", apply_how=JobPost.Apply.URL, apply_url="https://example.org/apply",
                closing_date=today + datetime.timedelta(days=rng.randrange(0, 90)), posted_by=member,
                poster_kind=JobPost.PosterKind.MEMBER, status=rng.choice(statuses),
                created_at=now - datetime.timedelta(minutes=i),
            )
            batch.append(post)
            for program in rng.sample(programs, rng.randint(1, 3)):
                state = JobPostTarget.State.APPROVED if rng.random() < 0.9 else JobPostTarget.State.PENDING
                targets.append(JobPostTarget(post=post, study_program=program, state=state))
            if len(batch) == 5000:
                JobPost.objects.bulk_create(batch)
                JobPostTarget.objects.bulk_create(targets)
                batch, targets = [], []
        JobPost.objects.bulk_create(batch)
        JobPostTarget.objects.bulk_create(targets)
    # As autovacuum would after such a load: without statistics the planner takes 50,000 rows for one and joins
    # the targets by nested loop (25 s for "closing within 7 days" instead of milliseconds).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(json.dumps({"posts": JobPost.objects.count(), "targets": JobPostTarget.objects.count()}))


def measure(repeat: int) -> None:
    _django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from alumni.models import Province, User

    # The test client's response.context (the paginator's count) needs the instrumented template rendering.
    setup_test_environment()
    province = Province.objects.get(name="Jawa Barat").pk
    out = {}
    for who in (MEMBER, STAFF):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(email=who))
        for label, query in REQUESTS.items():
            url = reverse("careers:post_list") + query.format(province=province)
            client.get(url)  # warm: the session, the scope and the templates
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            matched = response.context["page"].paginator.count
            times.sort()
            out[f"{who.split('@')[0]}: {label}"] = {
                "median_ms": round(statistics.median(times), 1), "p90_ms": round(times[int(len(times) * 0.9) - 1], 1),
                "queries": len(queries), "matched": matched,
            }
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--db", nargs="+", default=["postgres"], choices=["postgres", "sqlite"])
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        step, *rest = args.child
        setup(int(rest[0])) if step == "setup" else measure(int(rest[0]))
        return
    with tempfile.TemporaryDirectory() as work:
        for db in args.db:
            with migrated_database(db, "bench_careers", Path(work)) as url:
                start = time.perf_counter()
                made = run_child(__file__, url, "setup", str(args.posts))
                print(f"\n{db}: {made['posts']:,} posts, {made['targets']:,} study-program targets "
                      f"(made in {time.perf_counter() - start:.0f} s)")
                result = run_child(__file__, url, "measure", str(args.repeat))
                print(f"{'request':44} {'median ms':>10} {'p90 ms':>8} {'queries':>8} {'matched':>8}")
                for label, row in result.items():
                    print(f"{label:44} {row['median_ms']:>10} {row['p90_ms']:>8} {row['queries']:>8} "
                          f"{row['matched']:>8}")


if __name__ == "__main__":
    main()
