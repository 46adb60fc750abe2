"""The demo programs: realistic rhythms, one about to lapse, one lapsed, a proposal waiting; loaded once."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from programs.models import Participation, Program, Session
from programs.selectors import programs_with_rhythm


@pytest.mark.django_db
def test_demo_programs_show_every_state_and_load_once(provinces):
    call_command("seed_demo")
    counts = (Program.objects.count(), Session.objects.count(), Participation.objects.count())
    call_command("seed_demo")
    assert (Program.objects.count(), Session.objects.count(), Participation.objects.count()) == counts
    # The ten programs of programs/demo.py, and the SLiMS community's gathering day (community/demo.py).
    assert counts[0] == 11

    status = dict(Program.objects.values_list("title", "status"))
    assert status["Forum Menulis Alumni"] == "lapsed"
    assert status["Pelatihan Manajemen Arsip Digital"] == "proposed"
    assert status["Pelatihan SLiMS untuk Pustakawan Sekolah"] == "completed"
    reunion = Program.objects.get(title__startswith="Reuni Akbar")
    assert reunion.cadence_label() in ("Every 3 years", "Setiap 3 tahun")

    today = timezone.localdate()
    rhythm = {p.title: p for p in programs_with_rhythm(Program.objects.all())}
    clinic = rhythm["Klinik Konsultasi Perpustakaan Sekolah"]
    health = clinic.health(today=today, last_held=clinic.last_held, next_scheduled=clinic.next_scheduled)
    assert clinic.status == "running" and 0 < health.days_overdue <= clinic.grace_days  # about to lapse
    # Past sessions have attendance; the next futsal match is full with a waitlist.
    assert Participation.objects.filter(attended=True).count() > 100
    # The proposal has waited 9 days: the reminder tick tells the study program's staff.
    proposal = Program.objects.get(status="proposed")
    assert (timezone.localdate() - timezone.localdate(proposal.created_at)).days == 9
    futsal = Session.objects.filter(program__category="sport", start__gt=timezone.now()).order_by("start").first()
    assert futsal.participations.filter(status="registered").count() == futsal.capacity
    assert futsal.participations.filter(status="waitlisted").count() == 2
