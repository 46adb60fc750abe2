"""Thin tasks for alumni imports: take an id, call the engine in the alumni.importing package."""

from celery import shared_task

from .importing.invitations import invitation_deliver, invitations_claim
from .importing.jobs import job_import, job_preview, jobs_fail_stalled
from .models import ImportJob, User
from .privacy import import_files_expire


@shared_task
def import_preview(job_id: str) -> None:
    job_preview(job_id=job_id)


@shared_task
def import_run(job_id: str) -> None:
    job_import(job_id=job_id)


@shared_task
def import_invite(job_id: str, user_id: int) -> int:
    job = ImportJob.objects.get(pk=job_id)
    if not job.file:  # deleted after the retention period: the file's rows are gone
        return 0
    return len(invitations_claim(job=job, by=User.objects.get(pk=user_id)))


@shared_task
def deliver_invitations(invitation_ids: list[int]) -> int:
    """Send claimed invitations; each is leased on its own, so a row sent elsewhere is skipped."""
    return sum(invitation_deliver(invitation_id=pk) for pk in invitation_ids)


@shared_task
def expire_import_files() -> int:
    """Beat: delete the files of finished or abandoned imports past IMPORT_FILE_RETENTION_DAYS."""
    return import_files_expire()


@shared_task
def fail_stalled_imports() -> int:
    """Beat: fail the checks and imports whose worker stopped (no heartbeat for IMPORT_HEARTBEAT_TIMEOUT_MINUTES)."""
    return jobs_fail_stalled()
