"""Weekly job digest build: time, queries and claims of one `digest_send` over 200,000 members.

    .venv/bin/python bench/careers_digest.py [--members 200000] [--posts 300] [--programs 20]

Runs against a throw-away test database (SQLite, or PostgreSQL when DATABASE_URL is set). The data, built with
bulk_create: `--members` verified members (alumni and one in five a student) over `--programs` study programs, a
third of them in English; 70% with the career consent granted, 5% who granted and then withdrew it, the rest
undecided (opt-in: off); 85% with a weekly alert (a third of those by field, a fifth by province, a tenth by kind,
one in twenty remote only), 10% with an alert set to never, 5% without one; 1% turned the digest off on the
preferences page. `--posts` posts of the last seven days (fields, kinds, provinces and remote spread over them),
each approved for one or two study programs, plus older and closed posts the digest must skip.

Prints the first build (claims rendered and written, deliver=False: the emails would go out after commit, one
delivery task per chunk) in seconds and queries, and the hourly rerun of the same week (nothing left to claim).
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alumni_portal.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

BATCH = 5000


def build(args) -> dict:
    from alumni.models import AlumniProfile, Consent, Faculty, Institution, Province, StudyProgram, User
    from alumni.privacy import CONSENT_WORDING
    from careers.digest import DIGEST_KIND
    from careers.models import Field, JobAlert, JobPost, JobPostTarget, Organisation, normalise_name
    from core.models import NotificationPreference

    rng = random.Random(15)
    now = timezone.now()
    today = timezone.localdate(now)
    inst = Institution.objects.create(name="Bench")
    faculty = Faculty.objects.create(institution=inst, name="F")
    prodis = StudyProgram.objects.bulk_create(
        [StudyProgram(faculty=faculty, code=f"B{i:03d}", name=f"Prodi {i}") for i in range(args.programs)]
    )
    provinces = list(Province.objects.order_by("code"))
    codes = [p.code for p in provinces]
    fields, kinds = Field.values, JobPost.Kind.values

    unusable = make_password(None)
    User.objects.bulk_create(
        [User(email=f"m{i}@example.org", full_name=f"Member {i}", password=unusable,
              language="en" if i % 3 == 0 else "id") for i in range(args.members)],
        batch_size=BATCH,
    )
    user_ids = list(User.objects.filter(email__startswith="m").order_by("pk").values_list("pk", flat=True))
    AlumniProfile.objects.bulk_create(
        [AlumniProfile(user_id=uid, study_program=prodis[i % args.programs], nim=f"{i:09d}",
                       full_name=f"Member {i}", entry_year=2010 + i % 14,
                       graduation_date=None if i % 5 == 0 else datetime.date(2019, 8, 25))
         for i, uid in enumerate(user_ids)],
        batch_size=BATCH,
    )
    version = CONSENT_WORDING[Consent.Purpose.CAREER][0]
    consents, alerts, off = [], [], []
    earlier = now - datetime.timedelta(days=30)
    for i, uid in enumerate(user_ids):
        roll = i % 100
        if roll < 75:
            consents.append(Consent(user_id=uid, purpose="career", granted=True, wording_version=version, at=earlier))
        if 70 <= roll < 75:
            consents.append(Consent(user_id=uid, purpose="career", granted=False, wording_version=version, at=now))
        kind = i % 20
        if kind < 17:
            alerts.append(JobAlert(
                user_id=uid, frequency="weekly",
                fields=rng.sample(fields, 2) if i % 3 == 0 else [],
                province_codes=rng.sample(codes, 3) if i % 5 == 1 else [],
                kinds=rng.sample(kinds, 2) if i % 10 == 2 else [],
                remote_only=i % 20 == 3,
            ))
        elif kind < 19:
            alerts.append(JobAlert(user_id=uid, frequency="never"))
        if i % 100 == 50:
            off.append(NotificationPreference(user_id=uid, kind=DIGEST_KIND, enabled=False))
    Consent.objects.bulk_create(consents, batch_size=BATCH)
    JobAlert.objects.bulk_create(alerts, batch_size=BATCH)
    NotificationPreference.objects.bulk_create(off, batch_size=BATCH)

    organisations = Organisation.objects.bulk_create([
        Organisation(name=f"PT Bench Nusantara {i}", normalised=normalise_name(f"PT Bench Nusantara {i}"))
        for i in range(60)
    ])
    poster = user_ids[0]
    posts, targets = [], []
    for n in range(args.posts + args.posts // 3):
        this_week = n < args.posts
        status = "open" if this_week or n % 2 else "closed"
        post = JobPost(
            title=f"Lowongan {n}", organisation=organisations[n % 60], kind=kinds[n % len(kinds)],
            field=fields[n % len(fields)], province=None if n % 7 == 0 else provinces[n % len(provinces)],
            city="Kota Bench", remote=n % 7 == 0, closing_date=today + datetime.timedelta(days=5 + n % 60),
            posted_by_id=poster, poster_kind="member", status=status,
            created_at=now - datetime.timedelta(hours=1 + (n % 160)) if this_week
            else now - datetime.timedelta(days=8 + n % 20),
        )
        posts.append(post)
        for k in range(1 + n % 2):
            targets.append(JobPostTarget(post=post, study_program=prodis[(n + k * 7) % args.programs],
                                         state="approved"))
    JobPost.objects.bulk_create(posts, batch_size=BATCH)
    JobPostTarget.objects.bulk_create(targets, batch_size=BATCH)
    return {"members": len(user_ids), "with the career consent": sum(i % 100 < 70 for i in range(len(user_ids))),
            "weekly alerts": sum(a.frequency == "weekly" for a in alerts), "posts this week": args.posts,
            "older or closed posts": len(posts) - args.posts}


def run(label: str) -> None:
    from careers.digest import digest_send
    from core.models import Notification

    with CaptureQueriesContext(connection) as queries:
        start, cpu = time.perf_counter(), time.process_time()
        result = digest_send(deliver=False)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label}: {seconds:,.1f} s ({cpu:,.1f} s CPU in this process), "
          f"{len(queries.captured_queries)} queries, {result.chunks} chunks, "
          f"{result.people_read:,} members read, {result.claimed:,} digests claimed "
          f"({result.posts} posts of the week); digests in the table: "
          f"{Notification.objects.filter(kind='careers.digest').count():,}")
    # Where the database time went, by statement.
    spent: dict[str, list[float]] = {}
    for query in queries.captured_queries:
        sql = query["sql"]
        what = ("INSERT claims" if sql.startswith('INSERT INTO "core_notification"')
                else "alerts chunk" if 'FROM "careers_jobalert"' in sql
                else "claimed keys" if 'FROM "core_notification"' in sql
                else "preferences" if 'FROM "core_notificationpreference"' in sql
                else "consent" if 'FROM "alumni_consent"' in sql
                else "posts" if "careers_jobpost" in sql else "other")
        spent.setdefault(what, []).append(float(query["time"]))
    print(f"{'':{len(label)}}  database: " + ", ".join(
        f"{what} {sum(times):,.1f} s ({len(times)})" for what, times in sorted(spent.items(), key=lambda i: -sum(i[1]))
    ))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=200_000)
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--programs", type=int, default=20)
    args = parser.parse_args()

    # No setup_test_environment(): it instruments every template render for the test client, which would time
    # the instrumentation, not the digest. The test settings' locmem email backend is enough (deliver=False).
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        print(f"database: {connection.vendor}")
        start = time.perf_counter()
        sizes = build(args)
        print(", ".join(f"{v:,} {k}" for k, v in sizes.items()) + f" (built in {time.perf_counter() - start:.1f} s)")
        reverse("careers:alerts")  # the URLconf is loaded once per worker process, not per digest run
        run("first build")
        run("hourly rerun")
    finally:
        teardown_databases(databases, verbosity=0)


if __name__ == "__main__":
    main()
