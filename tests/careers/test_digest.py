"""The weekly job digest: who gets which posts, once per person and ISO week, in their language, only with the
career consent, and a fixed number of queries per chunk of members."""

from __future__ import annotations

import datetime
import threading
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from alumni.models import Consent
from alumni.privacy import CONSENT_WORDING, consent_record
from careers import digest as digest_module
from careers.digest import DIGEST_KIND, digest_send
from careers.models import JobAlert, JobPost
from core import notifications as core_notifications
from core.models import Notification
from core.notifications import notification_preferences_save, notifications_deliver
from core.registry import NOTIFICATION_PURPOSES, OPTIONAL_KINDS

from ..conftest import need
from ..factories import StudyProgramFactory, UserFactory
from .alerts_support import consent, member, post

pytestmark = pytest.mark.django_db


def digests():
    return Notification.objects.filter(kind=DIGEST_KIND)


def recipients():
    return set(digests().values_list("recipient__email", flat=True))


def send(capture, **kwargs):
    """One run with its after-commit deliveries executed (the test runs inside a transaction)."""
    with capture(execute=True):
        return digest_send(**kwargs)


def test_a_member_with_a_matching_post_gets_one_digest_in_their_language(
    django_capture_on_commit_callbacks, prodi_x, staff_x
):
    post(by=staff_x, programs=[prodi_x], title="Pustakawan Arsip Digital", remote=True)
    member(prodi_x, email="ina@example.org", language="id")
    member(prodi_x, email="eve@example.org", language="en")

    run = send(django_capture_on_commit_callbacks)

    assert run.claimed == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"ina@example.org", "eve@example.org"}
    english = by_address["eve@example.org"]
    assert english.subject == "1 new job post for you this week"
    assert "Pustakawan Arsip Digital — PT Pustaka Digital Nusantara" in english.body
    assert "Full-time · Remote · closes on " in english.body
    assert "/careers/jobs/alerts/" in english.body
    eve = digests().get(recipient__email="eve@example.org")
    today = timezone.localdate()
    iso_year, week, _weekday = today.isocalendar()
    assert eve.key == f"careers.digest:{eve.recipient_id}:{iso_year}-W{week:02d}"
    # Each in their own language: the greeting is in the catalogue already (the new msgids come with the lead's
    # translation round).
    assert english.body.startswith("Hello Eve,")
    assert by_address["ina@example.org"].body.startswith("Halo Ina,")


def test_nobody_without_a_matching_post_gets_an_email(prodi_x, staff_x):
    post(by=staff_x, programs=[prodi_x], field="ict")
    member(prodi_x, email="lib@example.org", fields=["library"])
    member(prodi_x, email="any@example.org")

    run = digest_send(deliver=False)

    assert run.claimed == 1
    assert recipients() == {"any@example.org"}


def test_no_posts_this_week_means_no_query_for_members_and_no_email(prodi_x, django_assert_max_num_queries):
    member(prodi_x, email="a1@example.org")
    with django_assert_max_num_queries(1):
        run = digest_send(deliver=False)
    assert run.claimed == 0 and run.people_read == 0


def test_the_digest_needs_the_career_consent(prodi_x, staff_x):
    post(by=staff_x, programs=[prodi_x])
    member(prodi_x, email="never@example.org", with_consent=False)
    withdrawn = member(prodi_x, email="withdrawn@example.org")
    consent(withdrawn, granted=False)
    member(prodi_x, email="yes@example.org")

    digest_send(deliver=False)

    assert recipients() == {"yes@example.org"}
    assert NOTIFICATION_PURPOSES[DIGEST_KIND] == Consent.Purpose.CAREER


def test_a_consent_withdrawn_a_second_before_the_send_stops_the_claimed_digest(prodi_x, staff_x):
    post(by=staff_x, programs=[prodi_x])
    person = member(prodi_x, email="changes.mind@example.org")
    claimed = digest_send(deliver=False)
    assert claimed.claimed == 1
    row = digests().get()

    consent_record(user=person, purpose=Consent.Purpose.CAREER, granted=False,
                   wording_version=CONSENT_WORDING[Consent.Purpose.CAREER][0])
    sent, _tried = notifications_deliver([row.pk])

    assert sent == 0
    assert mail.outbox == []
    row.refresh_from_db()
    assert row.sent_at is None and row.failed_at is not None and row.last_error == "consent withdrawn"


def test_a_second_run_in_the_same_week_sends_nothing_and_next_week_sends_again(prodi_x, staff_x):
    post(by=staff_x, programs=[prodi_x])
    member(prodi_x, email="weekly@example.org")
    now = timezone.now()

    assert digest_send(now=now, deliver=False).claimed == 1
    again = digest_send(now=now + datetime.timedelta(hours=1), deliver=False)
    assert again.claimed == 0 and again.people_read == 0  # the week's key is found in SQL: nobody is read again

    post(by=staff_x, programs=[prodi_x], created_days_ago=-7, title="Next week's post")
    next_week = digest_send(now=now + datetime.timedelta(days=7, hours=1), deliver=False)
    assert next_week.claimed == 1
    assert digests().count() == 2


def test_only_posts_listed_for_the_members_own_study_program_this_week_are_sent(prodi_x, prodi_y, staff_x):
    post(by=staff_x, programs=[prodi_x], title="Listed")
    post(by=staff_x, programs=[], pending=[prodi_x], title="Pending for X")
    post(by=staff_x, programs=[prodi_x], title="Old", created_days_ago=8)
    post(by=staff_x, programs=[prodi_x], title="Closed", status=JobPost.Status.CLOSED)
    post(by=staff_x, programs=[prodi_x], title="Hidden", status=JobPost.Status.HIDDEN)
    post(by=staff_x, programs=[prodi_x], title="Past its date", closing=-1)
    member(prodi_x, email="x@example.org", language="en")
    member(prodi_y, email="y@example.org", language="en")

    run = digest_send(deliver=False)

    assert run.claimed == 1
    body = digests().get().body
    assert "Listed" in body
    for title in ("Pending for X", "Old —", "Closed", "Hidden", "Past its date"):
        assert title not in body


@pytest.mark.parametrize(
    ("alert_kwargs", "expected"),
    [
        ({}, {"Library Jakarta", "ICT remote", "Library Aceh contract"}),
        ({"fields": ["library"]}, {"Library Jakarta", "Library Aceh contract"}),
        ({"province_codes": ["31"]}, {"Library Jakarta", "ICT remote"}),  # remote matches every province
        ({"kinds": ["contract"]}, {"Library Aceh contract"}),
        ({"remote_only": True}, {"ICT remote"}),
        ({"fields": ["library"], "province_codes": ["11"], "kinds": ["contract", "internship"]},
         {"Library Aceh contract"}),
        ({"fields": ["health"]}, set()),
    ],
)
def test_an_alert_matches_on_fields_provinces_kinds_and_remote_with_empty_meaning_any(
    prodi_x, staff_x, alert_kwargs, expected
):
    post(by=staff_x, programs=[prodi_x], title="Library Jakarta", field="library", province_code="31")
    post(by=staff_x, programs=[prodi_x], title="ICT remote", field="ict", remote=True)
    post(by=staff_x, programs=[prodi_x], title="Library Aceh contract", field="library", kind="contract",
         province_code="11")
    member(prodi_x, email="m@example.org", language="en", **alert_kwargs)

    digest_send(deliver=False)

    body = "".join(digests().values_list("body", flat=True))
    shown = {t for t in ("Library Jakarta", "ICT remote", "Library Aceh contract") if t in body}
    assert shown == expected


def test_students_get_the_digest_and_pending_people_and_never_do_not(prodi_x, staff_x):
    post(by=staff_x, programs=[prodi_x])
    member(prodi_x, email="student@example.org", student=True)
    member(prodi_x, email="pending@example.org", verification="pending")
    member(prodi_x, email="never@example.org", frequency="never")
    member(prodi_x, email="no.alert@example.org", with_alert=False)

    digest_send(deliver=False)

    assert recipients() == {"student@example.org"}


def test_a_member_does_not_get_their_own_post_in_the_digest(prodi_x):
    poster = member(prodi_x, email="poster@example.org")
    post(by=poster, programs=[prodi_x])
    digest_send(deliver=False)
    assert recipients() == set()


def test_the_digest_can_be_turned_off_on_the_preferences_page(prodi_x, staff_x):
    post(by=staff_x, programs=[prodi_x])
    quiet = member(prodi_x, email="quiet@example.org")
    member(prodi_x, email="loud@example.org")
    assert DIGEST_KIND in OPTIONAL_KINDS
    notification_preferences_save(user=quiet, enabled=set(OPTIONAL_KINDS) - {DIGEST_KIND})

    digest_send(deliver=False)

    assert recipients() == {"loud@example.org"}


def test_an_inactive_account_gets_no_digest(prodi_x, staff_x):
    post(by=staff_x, programs=[prodi_x])
    gone = member(prodi_x, email="gone@example.org")
    gone.is_active = False
    gone.save()
    digest_send(deliver=False)
    assert recipients() == set()


def test_a_long_digest_lists_the_first_posts_and_counts_the_rest(prodi_x, staff_x):
    for n in range(digest_module.DIGEST_MAX_POSTS + 3):
        post(by=staff_x, programs=[prodi_x], title=f"Post number {n:02d}")
    member(prodi_x, email="busy@example.org", language="en")

    digest_send(deliver=False)

    row = digests().get()
    assert row.subject == f"{digest_module.DIGEST_MAX_POSTS + 3} new job posts for you this week"
    assert row.body.count("Post number") == digest_module.DIGEST_MAX_POSTS
    assert "…and 3 more." in row.body


def build_members(prodi, n: int, *, prefix: str):
    for i in range(n):
        member(prodi, email=f"{prefix}{i}@example.org", fields=["library"] if i % 2 else [])


@pytest.mark.parametrize("size", [5, 50])
def test_the_digest_build_takes_a_fixed_number_of_queries(prodi_x, staff_x, size, django_assert_max_num_queries):
    for n in range(6):
        post(by=staff_x, programs=[prodi_x], title=f"Post {n}", field="library" if n % 2 else "ict")
    build_members(prodi_x, size, prefix=f"q{size}.")
    # 2 posts + bounds + 1 alerts chunk + claim (keys, preferences, consent, INSERT) + the chunk's savepoints.
    with django_assert_max_num_queries(10):
        run = digest_send(deliver=False)
    assert run.claimed == size


def test_members_are_read_in_ranges_of_user_ids_with_the_same_queries_per_range(
    prodi_x, staff_x, django_assert_max_num_queries
):
    post(by=staff_x, programs=[prodi_x])
    build_members(prodi_x, 12, prefix="chunk.")
    ids = sorted(JobAlert.objects.values_list("user_id", flat=True))
    ranges = (ids[-1] - ids[0]) // 4 + 1
    # posts (2) + bounds (1) + per range: alerts, savepoint, keys, preferences, consent, INSERT, release.
    with django_assert_max_num_queries(3 + 7 * ranges):
        run = digest_send(deliver=False, chunk=4)
    assert run.claimed == 12 and run.chunks == ranges >= 3


# --- concurrency ------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_digest_runs_racing_claim_each_digest_once(provinces):
    need(connection.vendor == "postgresql", "two runs racing on one database need PostgreSQL (SQLite locks the file)")
    prodi = StudyProgramFactory(code="77101")
    staff = UserFactory(email="race.staff@example.org")
    post(by=staff, programs=[prodi])
    for i in range(6):
        member(prodi, email=f"race{i}@example.org")
    mail.outbox.clear()

    # Both runs read the same people, then meet here and insert at the same time: a real race on the unique key.
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
            results.append(digest_send())
        except Exception as exc:  # noqa: BLE001 - reported below
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
    assert len(inserts) == 2 and all(tried == 6 for tried, _won in inserts)
    assert sum(won for _tried, won in inserts) == 6
    assert sum(r.claimed for r in results) == 6
    assert digests().count() == 6
    assert len(mail.outbox) == 6
    assert len({m.to[0] for m in mail.outbox}) == 6
