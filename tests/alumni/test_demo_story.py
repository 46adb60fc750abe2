"""The seeded demo tells the truth (issue 14): every alumnus the README names has a tracer invitation in the running
wave, so "My surveys" has a questionnaire to try; sessions fall on the weekday their program's text names; the
texts promise nothing the pages lack; nothing is dated later than now."""

import io
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone

from programs.models import Program
from tracer.demo import README_ALUMNI, RUNNING_TITLE
from tracer.models import Invitation, Wave

from ..conftest import client_for

WEEKDAYS = {"senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "sabtu": 5, "minggu": 6}

# Fields whose rows lie ahead by nature: what is planned, or when something ends, is due, expires or stays locked.
# Everything else (when something was made, sent, answered, paid, verified…) must not be later than now.
FUTURE_BY_NATURE = {"start", "end", "registration_deadline", "closes_at", "ends_on", "next_due_on", "due_on",
                    "expires_at", "locked_until"}


@pytest.fixture
def demo(provinces, national_surveys):
    call_command("seed_demo", stdout=io.StringIO())


@pytest.mark.django_db
def test_every_readme_alumnus_has_a_survey_to_try(demo):
    wave = Wave.objects.get(title=RUNNING_TITLE)
    assert wave.is_open()
    invited = Invitation.objects.filter(wave=wave, profile__email__in=README_ALUMNI,
                                        respondent=Invitation.Respondent.GRADUATE)
    assert sorted(invited.values_list("profile__email", flat=True)) == sorted(README_ALUMNI)
    # The README's members log in and find it on "My surveys", ready to start.
    for email in ("siti.rahmawati@demo.ac.id", "budi.santoso@demo.ac.id"):
        user = invited.get(profile__email=email).profile.user
        rows = client_for(user).get(reverse("tracer:my_surveys")).context["rows"]
        assert [(r["invitation"].wave.title, r["action"]) for r in rows] == [(RUNNING_TITLE, "Mulai")]  # Start
    # Seeding again invites nobody twice.
    before = Invitation.objects.filter(wave=wave).count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Invitation.objects.filter(wave=wave).count() == before


@pytest.mark.django_db
def test_sessions_fall_on_the_weekday_their_program_names(demo):
    named = 0
    for program in Program.objects.prefetch_related("sessions"):
        words = set(re.findall(r"[a-z]+", program.description.lower()))
        days = {WEEKDAYS[w] for w in words & set(WEEKDAYS)}
        if not days:
            continue
        named += 1
        assert len(days) == 1, program.title
        weekdays = {timezone.localdate(s.start).weekday() for s in program.sessions.all()}
        assert weekdays == days, program.title
    assert named == 2  # the Saturday futsal and the Friday wakaf
    # A weekly program keeps its rhythm: a week between sessions, none running now is skipped twice.
    futsal = Program.objects.get(title__startswith="Futsal")
    starts = sorted(s.start for s in futsal.sessions.all())
    gaps = {(b - a).days for a, b in zip(starts, starts[1:], strict=False)}
    assert gaps <= {7, 14} and sum(1 for a, b in zip(starts, starts[1:], strict=False) if (b - a).days == 14) <= 1
    assert len(starts) == 10


@pytest.mark.django_db
def test_nothing_is_dated_later_than_now(demo):
    now, today = timezone.now(), timezone.localdate()
    checked = 0
    for model in apps.get_models():
        if model._meta.app_label not in ("alumni", "core", "programs", "donations", "tracer"):
            continue
        for field in model._meta.concrete_fields:
            if field.name in FUTURE_BY_NATURE or not isinstance(field, models.DateField):
                continue
            limit = now if isinstance(field, models.DateTimeField) else today
            late = model.objects.filter(**{f"{field.name}__gt": limit})
            assert not late.exists(), f"{model._meta.label}.{field.name}: {list(late.values_list(field.name)[:3])}"
            checked += 1
    assert checked > 40


@pytest.mark.django_db
def test_the_texts_promise_nothing_the_pages_lack(demo):
    from donations.models import Campaign

    for campaign in Campaign.objects.all():
        assert "QRIS" not in campaign.payment_instructions  # the campaign page has no QR code
    reunion = Program.objects.get(title__startswith="Reuni Akbar")
    assert "wakaf buku" not in reunion.description  # the reunion raises no book fund
    futsal = Program.objects.get(title__startswith="Futsal")
    assert "14 pemain" in futsal.description
    assert {s.capacity for s in futsal.sessions.all()} == {14}


@pytest.mark.django_db
def test_loading_the_demo_emails_no_receipts(provinces, national_surveys, mailoutbox):
    from core.models import Notification
    from donations.models import Donation
    from donations.receipts import RECEIPT_KIND

    call_command("seed_demo", stdout=io.StringIO())
    verified = Donation.objects.filter(status=Donation.Status.VERIFIED, donor__isnull=False).count()
    assert verified > 100
    # Not one receipt (nor its PDF) went out, and none waits in the outbox for the sweep to send.
    assert [m.subject for m in mailoutbox if m.attachments] == []
    receipts = Notification.objects.filter(kind=RECEIPT_KIND)
    assert receipts.count() > 0 and not receipts.unsent().exists()
