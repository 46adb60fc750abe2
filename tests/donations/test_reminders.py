"""The giving tick: instalments made on the right days across month ends, pledge reminders on the due morning only,
exactly once, only with fundraising consent and the kind turned on; the rejection notice once.

Dates are fixed (January–March 2026) and written out by hand: 2026-01-30 is a Friday, January has 31 days and
February 2026 has 28.
"""

import datetime
import io
import threading
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from alumni.models import Consent
from alumni.privacy import CONSENT_WORDING, consent_record
from core import notifications as core_notifications
from core.models import Notification, NotificationPreference
from donations import services
from donations.models import Campaign, Donation, Instalment, Pledge
from donations.reminders import PLEDGE_REMINDER_HOUR, notify_rejection, run_giving_reminders

from ..conftest import need
from ..factories import CampaignFactory, UserFactory

JAKARTA = ZoneInfo("Asia/Jakarta")
FUNDRAISING = Consent.Purpose.FUNDRAISING
D = datetime.date
FRIDAYS = [D(2026, 1, 30), D(2026, 2, 6), D(2026, 2, 13), D(2026, 2, 20), D(2026, 2, 27)]
MONTH_ENDS = [D(2026, 1, 31), D(2026, 2, 28)]
START = D(2026, 1, 28)  # a Wednesday: the first Friday is the 30th


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=JAKARTA)


def days(first: datetime.date, last: datetime.date):
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def agree(user, granted: bool = True):
    consent_record(user=user, purpose=FUNDRAISING, granted=granted, wording_version=CONSENT_WORDING[FUNDRAISING][0])


def donor(email: str, *, consent: bool = True, language: str = "en"):
    user = UserFactory(email=email, language=language)
    if consent:
        agree(user)
    return user


def weekly(campaign, user, *, weekday=4, today=START, amount="10000"):
    return services.pledge_create(
        donor=user, campaign=campaign, today=today,
        terms=services.PledgeTerms(amount=Decimal(amount), frequency=Pledge.Frequency.WEEKLY, starts_on=today,
                                   weekday=weekday),
    )


def monthly(campaign, user, *, day=31, today=START, amount="250000"):
    return services.pledge_create(
        donor=user, campaign=campaign, today=today,
        terms=services.PledgeTerms(amount=Decimal(amount), frequency=Pledge.Frequency.MONTHLY, starts_on=today,
                                   day_of_month=day),
    )


def dues(pledge):
    return list(pledge.instalments.order_by("due_on").values_list("due_on", flat=True))


def reminded(user=None):
    """Due dates of the pledge_due reminders claimed (for one person)."""
    qs = Notification.objects.filter(kind="pledge_due")
    if user is not None:
        qs = qs.filter(recipient=user)
    return sorted(D.fromisoformat(key.rsplit(":", 1)[1]) for key in qs.values_list("key", flat=True))


@pytest.fixture
def campaign(prodi_x, staff_x):
    return CampaignFactory(study_program=prodi_x, title="Wakaf sumur desa", beneficiary="Desa Sukamaju",
                           goal_amount=50_000_000, created_by=staff_x)


@pytest.fixture
def tick(django_capture_on_commit_callbacks):
    """One tick at a Jakarta time, with its after-commit delivery executed (the test runs inside a transaction)."""

    def run(when: datetime.datetime) -> dict:
        with django_capture_on_commit_callbacks(execute=True):
            return run_giving_reminders(now=when)

    return run


# --- instalments and reminders across month ends ----------------------------------------------------------------


def test_ticks_across_a_month_end_make_the_expected_instalments_and_remind_on_due_mornings(campaign, tick):
    ani, budi = donor("ani@example.org"), donor("budi@example.org")
    friday = weekly(campaign, ani)
    month_end = monthly(campaign, budi)
    assert dues(friday) == [] and dues(month_end) == []

    claimed_on = {}
    for day in days(D(2026, 1, 28), D(2026, 3, 2)):
        before = tick(at(day, 6, 45))
        assert before["claimed"] == 0  # the instalment exists from midnight, the reminder waits for 07:00
        made_today = {p.pk for p in (friday, month_end) if day in dues(p)}
        assert before["instalments"] == len(made_today)
        claimed_on[day] = tick(at(day, PLEDGE_REMINDER_HOUR))["claimed"] + tick(at(day, 18))["claimed"]

    assert dues(friday) == FRIDAYS
    assert dues(month_end) == MONTH_ENDS
    assert {day: n for day, n in claimed_on.items() if n} == {day: 1 for day in FRIDAYS + MONTH_ENDS}
    assert reminded(ani) == FRIDAYS
    assert reminded(budi) == MONTH_ENDS
    assert len(mail.outbox) == 7
    assert sorted(m.to[0] for m in mail.outbox) == ["ani@example.org"] * 5 + ["budi@example.org"] * 2
    friday.refresh_from_db()
    assert friday.next_due_on == D(2026, 3, 6)
    month_end.refresh_from_db()
    assert month_end.next_due_on == D(2026, 3, 31)


def test_the_reminder_links_to_paying_that_instalment_in_the_donors_language(campaign, tick):
    ani = donor("ani@example.org", language="en")
    pledge = weekly(campaign, ani)
    tick(at(D(2026, 1, 30), 7, 30))
    instalment = pledge.instalments.get()
    note = Notification.objects.get(kind="pledge_due")
    assert note.key == f"pledge_due:{instalment.pk}:{ani.pk}:2026-01-30"
    assert note.link.endswith(f"/giving/{campaign.pk}/donate/?instalment={instalment.pk}")
    assert "Rp 10.000" in note.body and "is due today, Friday, 30 Jan 2026" in note.body
    assert "Wakaf sumur desa" in note.subject
    [message] = mail.outbox
    assert message.to == ["ani@example.org"]
    assert f"?instalment={instalment.pk}" in message.body
    assert "List-Unsubscribe" in message.extra_headers  # an optional kind: the preferences page is one click away
    assert "Rp 10.000" in message.alternatives[0][0]


def test_missed_days_are_not_reminded_later(campaign, tick):
    ani = donor("ani@example.org")
    pledge = weekly(campaign, ani)
    # The beat was down from Thursday to Monday: Monday's tick makes Friday's instalment but reminds nothing.
    result = tick(at(D(2026, 2, 2), 9))
    assert dues(pledge) == [D(2026, 1, 30)]
    assert result == {"instalments": 1, "due_today": 0, "claimed": 0}
    assert Notification.objects.filter(kind="pledge_due").count() == 0


def test_a_one_off_pledge_and_the_last_instalment_of_an_ended_pledge_are_reminded_on_their_day(campaign, tick):
    ani, budi = donor("ani@example.org"), donor("budi@example.org")
    once = services.pledge_create(donor=ani, campaign=campaign, today=START, terms=services.PledgeTerms(
        amount=Decimal(500_000), frequency=Pledge.Frequency.ONCE, starts_on=D(2026, 2, 3)))
    last = services.pledge_create(donor=budi, campaign=campaign, today=START, terms=services.PledgeTerms(
        amount=Decimal(10_000), frequency=Pledge.Frequency.WEEKLY, weekday=4, starts_on=START,
        ends_on=D(2026, 1, 30)))
    assert once.status == Pledge.Status.COMPLETED  # its only instalment exists from the start
    tick(at(D(2026, 1, 30), 7))
    last.refresh_from_db()
    assert last.status == Pledge.Status.COMPLETED and reminded(budi) == [D(2026, 1, 30)]
    tick(at(D(2026, 2, 3), 8))
    assert reminded(ani) == [D(2026, 2, 3)]


def test_an_instalment_already_paid_or_waiting_for_verification_is_not_reminded(campaign, tick, staff_x):
    ani = donor("ani@example.org")
    pledge = weekly(campaign, ani)
    tick(at(D(2026, 1, 30), 0, 5))
    instalment = pledge.instalments.get()
    donation = Donation.objects.create(campaign=campaign, donor=ani, instalment=instalment, amount=Decimal(10000),
                                       method=Donation.Method.BANK_TRANSFER, paid_on=D(2026, 1, 30))
    assert tick(at(D(2026, 1, 30), 8))["claimed"] == 0
    # A rejected payment leaves the instalment unpaid: the morning reminder still goes out.
    services.donation_reject(donation_id=donation.pk, user=staff_x, reason="blurred")
    assert tick(at(D(2026, 1, 30), 9))["claimed"] == 1


# --- exactly once -----------------------------------------------------------------------------------------------


def test_a_tick_run_twice_sends_each_reminder_once(campaign, tick):
    users = [donor(f"d{n}@example.org") for n in range(3)]
    for user in users:
        weekly(campaign, user)
    first = tick(at(D(2026, 1, 30), 7, 15))
    second = tick(at(D(2026, 1, 30), 7, 15))
    third = tick(at(D(2026, 1, 30), 7, 30))
    assert (first["claimed"], second["claimed"], third["claimed"]) == (3, 0, 0)
    assert first["instalments"] == 3 and second["instalments"] == third["instalments"] == 0
    assert Instalment.objects.count() == 3
    assert Notification.objects.filter(kind="pledge_due").count() == 3
    assert len(mail.outbox) == 3
    assert Notification.objects.filter(kind="pledge_due", sent_at__isnull=True).count() == 0


def test_the_command_runs_one_tick_by_hand(campaign, django_capture_on_commit_callbacks):
    ani = donor("ani@example.org")
    weekly(campaign, ani)
    out = io.StringIO()
    with mock.patch("donations.reminders.timezone.now", return_value=at(D(2026, 1, 30), 8)):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("run_giving_reminders", stdout=out)
    assert "instalments made: 1" in out.getvalue()
    assert "1 pledge reminder(s) claimed" in out.getvalue()
    assert reminded(ani) == [D(2026, 1, 30)]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_ticks_send_each_reminder_once(prodi_x, staff_x):
    need(connection.vendor == "postgresql", "two ticks racing on one database need PostgreSQL (SQLite locks the file)")
    campaign = Campaign.objects.create(
        institution=prodi_x.faculty.institution, study_program=prodi_x, title="Wakaf", kind=Campaign.Kind.ENDOWMENT,
        description="-", beneficiary="Desa", goal_amount=Decimal("1000000"), starts_on=D(2026, 1, 1),
        status=Campaign.Status.OPEN,
    )
    for n in range(6):
        weekly(campaign, donor(f"race{n}@example.org"))
    mail.outbox.clear()
    # Both ticks select the same reminders, meet here, then insert at the same time: a real race on the unique key.
    barrier = threading.Barrier(2, timeout=20)
    real_insert = core_notifications._insert_claims
    inserts, results, errors = [], [], []

    def racing_insert(rows):
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass
        won = real_insert(rows)
        inserts.append((len(rows), len(won)))
        return won

    def run():
        try:
            results.append(run_giving_reminders(now=at(D(2026, 1, 30), 7, 5)))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    # Instalments made beforehand: both ticks then see the same six due rows.
    services.instalments_generate(today=D(2026, 1, 30))
    with mock.patch.object(core_notifications, "_insert_claims", racing_insert):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert errors == []
    assert len(inserts) == 2 and all(tried == 6 for tried, _won in inserts)
    assert sum(won for _tried, won in inserts) == 6
    assert sum(r["claimed"] for r in results) == 6
    assert Notification.objects.filter(kind="pledge_due").count() == 6
    assert len(mail.outbox) == 6
    assert len({m.to[0] for m in mail.outbox}) == 6


# --- consent and preferences ------------------------------------------------------------------------------------


def test_no_reminder_without_fundraising_consent(campaign, tick):
    never = donor("never@example.org", consent=False)
    withdrew = donor("withdrew@example.org")
    agreed = donor("agreed@example.org")
    for user in (never, withdrew, agreed):
        weekly(campaign, user)
    agree(withdrew, granted=False)
    result = tick(at(D(2026, 1, 30), 8))
    assert result["instalments"] == 3  # the pledges run on; only the emails need consent
    assert result["due_today"] == 3 and result["claimed"] == 1
    assert [m.to[0] for m in mail.outbox] == ["agreed@example.org"]


def test_no_reminder_when_the_kind_is_turned_off(campaign, tick):
    off, on = donor("off@example.org"), donor("on@example.org")
    weekly(campaign, off)
    weekly(campaign, on)
    NotificationPreference.objects.create(user=off, kind="pledge_due", enabled=False)
    assert tick(at(D(2026, 1, 30), 8))["claimed"] == 1
    assert [m.to[0] for m in mail.outbox] == ["on@example.org"]


# --- pause, resume, stop ----------------------------------------------------------------------------------------


def test_a_paused_pledge_gets_nothing_while_paused_and_resumes_from_the_next_due_date(campaign, tick):
    ani = donor("ani@example.org")
    pledge = weekly(campaign, ani)
    for day in days(D(2026, 1, 28), D(2026, 2, 1)):
        tick(at(day, 8))
    services.pledge_pause(pledge=pledge, user=ani)  # Sunday 1 February
    for day in days(D(2026, 2, 2), D(2026, 2, 15)):
        assert tick(at(day, 8)) == {"instalments": 0, "due_today": 0, "claimed": 0}
    pledge.refresh_from_db()
    services.pledge_resume(pledge=pledge, user=ani, today=D(2026, 2, 16))  # Monday: the 6th and 13th are skipped
    for day in days(D(2026, 2, 16), D(2026, 2, 28)):
        tick(at(day, 8))
    assert dues(pledge) == [D(2026, 1, 30), D(2026, 2, 20), D(2026, 2, 27)]
    assert reminded(ani) == [D(2026, 1, 30), D(2026, 2, 20), D(2026, 2, 27)]


def test_a_pledge_paused_on_its_due_morning_is_not_reminded(campaign, tick):
    ani = donor("ani@example.org")
    pledge = weekly(campaign, ani)
    tick(at(D(2026, 1, 30), 6))  # the instalment exists
    services.pledge_pause(pledge=pledge, user=ani)
    assert tick(at(D(2026, 1, 30), 8))["claimed"] == 0
    assert Notification.objects.filter(kind="pledge_due").count() == 0


def test_a_stopped_pledge_gets_nothing(campaign, tick):
    ani = donor("ani@example.org")
    pledge = weekly(campaign, ani)
    for day in days(D(2026, 1, 28), D(2026, 2, 10)):
        tick(at(day, 8))
    assert reminded(ani) == [D(2026, 1, 30), D(2026, 2, 6)]
    services.pledge_stop(pledge=pledge, user=ani)
    for day in days(D(2026, 2, 11), D(2026, 3, 2)):
        assert tick(at(day, 8)) == {"instalments": 0, "due_today": 0, "claimed": 0}
    assert dues(pledge) == [D(2026, 1, 30), D(2026, 2, 6)]
    assert set(pledge.instalments.values_list("status", flat=True)) == {Instalment.Status.CANCELLED}
    assert reminded(ani) == [D(2026, 1, 30), D(2026, 2, 6)]


# --- queries ----------------------------------------------------------------------------------------------------


def test_the_tick_runs_a_fixed_number_of_queries(campaign, django_assert_max_num_queries):
    counts = []
    for size, friday in ((5, D(2026, 1, 30)), (50, D(2026, 2, 6))):
        Notification.objects.all().delete()
        Pledge.objects.update(status=Pledge.Status.STOPPED, next_due_on=None)
        users = [donor(f"q{size}.{n}@example.org") for n in range(size)]
        for user in users:
            weekly(campaign, user, today=friday - datetime.timedelta(days=2))
        with django_assert_max_num_queries(12) as captured:
            result = run_giving_reminders(now=at(friday, 7, 30))
        assert result == {"instalments": size, "due_today": size, "claimed": size}
        counts.append(len(captured))
    assert counts[0] == counts[1]


# --- rejection --------------------------------------------------------------------------------------------------


def test_notify_rejection_tells_the_donor_once_with_the_reason(campaign, staff_x, django_capture_on_commit_callbacks):
    ani = donor("ani@example.org", consent=False)  # not a fundraising message: no consent needed
    donation = Donation.objects.create(campaign=campaign, donor=ani, amount=Decimal(50000),
                                       method=Donation.Method.BANK_TRANSFER, paid_on=D(2026, 1, 30))
    with django_capture_on_commit_callbacks(execute=True):
        services.donation_reject(donation_id=donation.pk, user=staff_x, reason="The transfer slip is unreadable.")
    note = Notification.objects.get(kind="donation_rejected")
    assert note.key == f"donation_rejected:{donation.pk}:{ani.pk}"
    assert note.link.endswith(f"/giving/donations/{donation.pk}/")
    assert "The transfer slip is unreadable." in note.body and "Rp 50.000" in note.body
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_rejection(donation.pk) is False  # a retried task: claimed before
    assert Notification.objects.filter(kind="donation_rejected").count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ani@example.org"]
    assert "The transfer slip is unreadable." in mail.outbox[0].body
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers  # not a kind one can turn off


def test_notify_rejection_without_an_account_sends_nothing(campaign, staff_x, django_capture_on_commit_callbacks):
    donation = Donation.objects.create(campaign=campaign, donor=None, donor_name="Pak Harun", amount=Decimal(50000),
                                       method=Donation.Method.CASH, paid_on=D(2026, 1, 30),
                                       status=Donation.Status.REJECTED, reject_reason="Counted twice.")
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_rejection(donation.pk) is False
    assert Notification.objects.filter(kind="donation_rejected").count() == 0
    assert [m for m in mail.outbox if "Pak Harun" in m.body] == []


def test_notify_rejection_ignores_a_donation_that_is_not_rejected(campaign, django_capture_on_commit_callbacks):
    ani = donor("ani@example.org")
    donation = Donation.objects.create(campaign=campaign, donor=ani, amount=Decimal(50000),
                                       method=Donation.Method.BANK_TRANSFER, paid_on=D(2026, 1, 30))
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_rejection(donation.pk) is False
    assert Notification.objects.filter(kind="donation_rejected").count() == 0
