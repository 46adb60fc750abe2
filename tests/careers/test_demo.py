"""The demo careers network: 25 posts in every state the issue names, alerts, applications, two introductions (one
accepted), the employer contact's login; loaded once."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from careers.models import (
    Application,
    EmployerContact,
    EmploymentOrganisation,
    Introduction,
    JobAlert,
    JobPost,
    JobPostTarget,
    JobReport,
    Organisation,
)
from careers.organisations import organisation_find


@pytest.mark.django_db
def test_demo_careers_show_every_state_and_load_once(provinces):
    call_command("seed_demo")
    counts = (JobPost.objects.count(), JobReport.objects.count(), Introduction.objects.count())
    call_command("seed_demo")
    assert (JobPost.objects.count(), JobReport.objects.count(), Introduction.objects.count()) == counts
    assert counts[0] == 25

    today = timezone.localdate()
    status = dict(JobPost.objects.values_list("title", "status"))
    assert list(status.values()).count("closed") == 3
    assert status["Dapatkan Rp 5 juta per hari dari rumah!!!"] == "hidden"  # three reports
    assert JobPost.objects.get(title="Pustakawan Layanan Referensi").report_count == 1  # reported once, listed
    closing_soon = JobPost.objects.filter(status="open", closing_date__lte=today + timezone.timedelta(days=3))
    assert closing_soon.count() >= 3
    assert not JobPost.objects.filter(status="open", closing_date__lt=today).exists()
    # One post waits for another study program's staff, one was refused there with a reason.
    assert JobPostTarget.objects.filter(state="pending").exists()
    refused = JobPostTarget.objects.get(state="refused")
    assert refused.reason and refused.post.title == "Analis Data Perpustakaan"
    # Every kind of poster.
    assert set(JobPost.objects.values_list("poster_kind", flat=True)) == {"member", "staff", "employer"}
    assert EmployerContact.objects.get(user__email="rekrutmen@pustakadigital.co.id").status == "approved"

    # Employers are matched whatever way people type them; alumni's jobs are linked to them.
    assert organisation_find("Bank BRI") == organisation_find("PT Bank Rakyat Indonesia (Persero) Tbk")
    assert Organisation.objects.count() >= 13
    assert EmploymentOrganisation.objects.count() > 50

    assert JobAlert.objects.filter(frequency="weekly").count() == 4
    assert Application.objects.count() == 3
    assert sorted(Introduction.objects.values_list("status", flat=True)) == ["accepted", "requested"]
