"""Directory speed: time and queries per directory page as the number of alumni grows.

    .venv/bin/python bench/directory.py [--sizes 1000 10000 50000]

Runs against a throw-away test database (SQLite in memory, or PostgreSQL when DATABASE_URL is set) and prints
one line per size: rows, median milliseconds for an unfiltered page and for an employer search, and queries.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alumni_portal.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, setup_test_environment  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    setup_test_environment()
    setup_databases(verbosity=0, interactive=False)
    import datetime

    from alumni.models import AlumniProfile, Employment, Faculty, Institution, StudyProgram, User
    from alumni.services import profile_create

    inst = Institution.objects.create(name="Bench")
    program = StudyProgram.objects.create(faculty=Faculty.objects.create(institution=inst, name="F"), code="1",
                                          name="P")
    viewer = User.objects.create_user("viewer@example.org", "x")
    profile_create(user=viewer, study_program=program, nim="0", full_name="Viewer", entry_year=2015)
    client = Client()
    client.force_login(viewer)

    print(f"database: {connection.vendor}")
    print(f"{'alumni':>8} {'page ms':>9} {'search ms':>10} {'queries':>8}")
    made = 0
    UNUSABLE = make_password(None)
    for size in args.sizes:
        users = [User(email=f"b{i}@example.org", password=UNUSABLE) for i in range(made, size)]
        User.objects.bulk_create(users, batch_size=2000)
        users = User.objects.filter(email__startswith="b").order_by("pk")[made:size]
        profiles = [
            AlumniProfile(user=u, study_program=program, nim=f"n{i}", full_name=f"Alumnus {i:07d}",
                          entry_year=2000 + i % 20, vis_career="alumni")
            for i, u in zip(range(made, size), users, strict=True)
        ]
        AlumniProfile.objects.bulk_create(profiles, batch_size=2000)
        Employment.objects.bulk_create(
            [Employment(profile=p, employer=f"Employer {i % 500}", employer_kind="private", scope="local",
                        position="Staff", start_date=datetime.date(2020, 1, 1))
             for i, p in enumerate(profiles)],
            batch_size=2000,
        )
        made = size
        timings = {"page": [], "search": []}
        for _ in range(args.repeat):
            for label, params in (("page", {"page": 3}), ("search", {"employer": "Employer 42"})):
                start = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get("/alumni/directory/", params)
                timings[label].append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200
        print(f"{size:>8} {statistics.median(timings['page']):>9.1f} {statistics.median(timings['search']):>10.1f}"
              f" {len(queries.captured_queries):>8}")


if __name__ == "__main__":
    main()
