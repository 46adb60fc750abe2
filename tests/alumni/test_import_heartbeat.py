"""Import jobs whose worker died (issue 13): the heartbeat, the sweep that fails them, and "Run again"."""

import datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from alumni.importing.jobs import _progress_writer, jobs_fail_stalled, progress_key, run_import
from alumni.models import AlumniProfile, ImportJob
from alumni.tasks import fail_stalled_imports

from ..conftest import client_for
from .test_import import csv_file, line


def a_job(user, status, *, minutes_ago=None, data=None, **extra):
    job = ImportJob.objects.create(
        created_by=user, original_name="alumni.csv", status=status,
        file=SimpleUploadedFile("alumni.csv", data or csv_file(line("40710001"))), **extra,
    )
    if minutes_ago is not None:
        ago = timezone.now() - datetime.timedelta(minutes=minutes_ago)
        ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=ago)
    return job


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.IMPORT_HEARTBEAT_TIMEOUT_MINUTES = 10
    cache.clear()
    return tmp_path


def test_the_sweep_fails_jobs_whose_heartbeat_stopped_and_leaves_the_others(prodi_x, staff_x, media):
    stalled_import = a_job(staff_x, ImportJob.Status.IMPORTING, minutes_ago=11, summary={"new": 1, "invalid": 0})
    stalled_check = a_job(staff_x, ImportJob.Status.PREVIEWING, minutes_ago=30)
    fresh = a_job(staff_x, ImportJob.Status.IMPORTING, minutes_ago=2)
    done = a_job(staff_x, ImportJob.Status.DONE, minutes_ago=60)

    assert fail_stalled_imports() == 2
    assert jobs_fail_stalled() == 0  # nothing twice

    for job, phase in ((stalled_import, "import"), (stalled_check, "preview")):
        job.refresh_from_db()
        assert job.status == ImportJob.Status.FAILED and job.finished_at and job.message
        assert job.summary["stalled"] == phase
    assert stalled_import.summary["new"] == 1  # the check's counts stay
    fresh.refresh_from_db()
    done.refresh_from_db()
    assert (fresh.status, fresh.message) == (ImportJob.Status.IMPORTING, "")
    assert done.status == ImportJob.Status.DONE


def test_a_live_cache_heartbeat_keeps_a_job_whose_row_cannot_be_written(prodi_x, staff_x, media):
    """Inside the import's transaction on SQLite the heartbeat is the cache entry alone: the sweep reads it."""
    job = a_job(staff_x, ImportJob.Status.IMPORTING, minutes_ago=20)
    _progress_writer(job.pk)(1000, 5000)  # in the test's transaction: an atomic block, like the import's
    assert cache.get(progress_key(job.pk))["at"] >= timezone.now().timestamp() - 5
    assert jobs_fail_stalled() == 0
    cache.delete(progress_key(job.pk))
    assert jobs_fail_stalled() == 1


@pytest.mark.django_db(transaction=True)
def test_each_batch_writes_the_heartbeat_outside_a_transaction(prodi_x, staff_x, media):
    job = a_job(staff_x, ImportJob.Status.PREVIEWING, minutes_ago=20)
    _progress_writer(job.pk)(1000, 5000)
    job.refresh_from_db()
    assert timezone.now() - job.heartbeat_at < datetime.timedelta(seconds=5)
    assert jobs_fail_stalled() == 0


def test_an_import_failed_by_the_sweep_meanwhile_writes_nothing(prodi_x, staff_x, media):
    job = a_job(staff_x, ImportJob.Status.IMPORTING)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED)  # the sweep, during the run
    before = AlumniProfile.objects.count()
    outcome = run_import(csv_file(line("40710001"), line("40710002")), user=staff_x, dry_run=False, job=job)
    assert outcome.imported is False and outcome.counts["new"] == 2
    assert AlumniProfile.objects.count() == before


def test_run_again_imports_a_stalled_import_and_checks_a_stalled_check(prodi_x, staff_x, media):
    data = csv_file(line("40710001"), line("40710002"), line("40710003"))
    stalled_import = a_job(staff_x, ImportJob.Status.IMPORTING, minutes_ago=15, data=data,
                           summary={"new": 3, "invalid": 0})
    stalled_check = a_job(staff_x, ImportJob.Status.PREVIEWING, minutes_ago=15, data=data)
    assert jobs_fail_stalled() == 2
    client = client_for(staff_x)

    page = client.get(reverse("alumni:import_job", args=[stalled_import.pk]))
    assert reverse("alumni:import_run_again", args=[stalled_import.pk]).encode() in page.content
    assert client.get(reverse("alumni:import_run_again", args=[stalled_import.pk])).status_code == 405

    before = AlumniProfile.objects.count()
    response = client.post(reverse("alumni:import_run_again", args=[stalled_check.pk]))
    assert response.status_code == 302
    stalled_check.refresh_from_db()
    assert stalled_check.status == ImportJob.Status.PREVIEWED and stalled_check.summary["new"] == 3
    assert AlumniProfile.objects.count() == before

    client.post(reverse("alumni:import_run_again", args=[stalled_import.pk]))
    stalled_import.refresh_from_db()
    assert stalled_import.status == ImportJob.Status.DONE and stalled_import.summary["new"] == 3
    assert AlumniProfile.objects.count() == before + 3
    # Done now: no button, and pressing it again runs nothing.
    assert b"run-again" not in client.get(reverse("alumni:import_job", args=[stalled_import.pk])).content
    client.post(reverse("alumni:import_run_again", args=[stalled_import.pk]))
    assert AlumniProfile.objects.count() == before + 3


def test_run_again_is_the_creators_and_needs_the_file(prodi_x, staff_x, staff_y, media):
    job = a_job(staff_x, ImportJob.Status.IMPORTING, minutes_ago=15, summary={"new": 1, "invalid": 0})
    jobs_fail_stalled()
    assert client_for(staff_y).post(reverse("alumni:import_run_again", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED

    job.file.delete(save=True)  # past the retention period
    client = client_for(staff_x)
    assert b"run-again" not in client.get(reverse("alumni:import_job", args=[job.pk])).content
    assert client.post(reverse("alumni:import_run_again", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert not AlumniProfile.objects.filter(nim="40710001").exists()
