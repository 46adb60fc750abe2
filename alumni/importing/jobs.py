"""An import's lifecycle: `run_import` and the `ImportJob` steps of the web UI and its Celery tasks.

`run_import` does a preview (nothing is written) or the real import (one transaction; any invalid row and nothing
is written), reading the file with alumni.importing.reading and checking and writing its rows with
alumni.importing.resource. The real import records the conflicts of claimed records (ImportConflict) and one
summary audit entry per study program.

A job is uploaded (`job_create`), checked (`job_preview`, task `alumni.tasks.import_preview`), confirmed
(`job_confirm`) and imported (`job_import`, task `alumni.tasks.import_run`); `job_progress` reads the progress a
running task writes to the cache. `manage.py import_alumni` calls `run_import` directly.

Every batch, the running task also writes the job's `heartbeat_at` (`_heartbeat`): outside the import's transaction,
so that other connections see it. `jobs_fail_stalled` (beat task `alumni.tasks.fail_stalled_imports`) fails a job
whose heartbeat stopped for IMPORT_HEARTBEAT_TIMEOUT_MINUTES (its worker died: the import is one transaction, so
nothing was written), and `job_run_again` queues the check or the import of the same file again.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export.results import RowResult

from core.models import AuditLog

from ..directory_pages import forget_directory_pages
from ..models import ImportConflict, ImportJob, User
from .reading import ImportFileError, Issue, read_table
from .resource import BATCH_SIZE, MAX_STORED_ISSUES, AlumniResource

logger = logging.getLogger(__name__)


# --- Running it ------------------------------------------------------------------------------


@dataclass
class Outcome:
    total_rows: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {"new": 0, "updated": 0, "unchanged": 0, "invalid": 0})
    issues: list[Issue] = field(default_factory=list)
    issue_count: int = 0
    file_error: str = ""
    imported: bool = False
    audit_entries: int = 0
    # Rows of claimed records whose name, email or dates the file would change (see PROTECTED_FIELDS).
    conflicts: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.counts["invalid"]

    @property
    def errors(self) -> list[dict]:
        if self.file_error:
            return [{"row": None, "column": "", "message": self.file_error}]
        return [issue.as_dict() for issue in self.issues]


class _Rollback(Exception):
    pass


def run_import(source, *, user=None, dry_run: bool = True, job: ImportJob | None = None,
               progress: Callable[[int, int], None] | None = None) -> Outcome:
    """Check (dry_run) or import one file. `user` None is the system, with access to every study program.

    The import is all or nothing: one transaction, rolled back if any row is invalid or any write fails.
    `progress(processed, total)` is called after reading and then once per batch of rows.
    """
    try:
        table = read_table(source)
    except ImportFileError as exc:
        return Outcome(file_error=exc.message)
    total = len(table.dataset)
    if progress:
        progress(0, total)
    resource = AlumniResource(
        user=user, job=job, cell_issues=table.cell_issues,
        progress=(lambda n: progress(n, total)) if progress else None,
    )
    outcome = Outcome(total_rows=total)
    try:
        with contextlib.nullcontext() if dry_run else transaction.atomic():
            result = resource.import_data(table.dataset, dry_run=dry_run, use_transactions=True, raise_errors=False)
            if result.base_errors or result.error_rows:
                for error in result.base_errors:
                    logger.error("alumni import failed: %s", error.error)
                    resource._issue(None, "", _("The records could not be saved (%(error)s).") % {
                        "error": str(error.error)[:200],
                    })
                    resource.invalid_rows += 1
            if not dry_run:
                if resource.invalid_rows:
                    raise _Rollback
                if job is not None and not ImportJob.objects.filter(
                    pk=job.pk, status=ImportJob.Status.IMPORTING
                ).update(heartbeat_at=timezone.now()):
                    # The sweep failed this job (no heartbeat for too long) and told its owner nothing was
                    # written: keep it so. The row lock taken here holds the sweep off until the commit.
                    outcome.file_error = _("The import was stopped because its worker did not answer in time. "
                                           "Nothing was imported.")
                    raise _Rollback
                _record_conflicts(resource, job=job)
                _audit_summary(resource, job=job)
                # Records written by COPY and bulk updates send no post_save: no directory page from before.
                forget_directory_pages()
                outcome.imported = True
    except _Rollback:
        outcome.imported = False
    totals = result.totals
    outcome.counts = {
        "new": totals[RowResult.IMPORT_TYPE_NEW],
        "updated": totals[RowResult.IMPORT_TYPE_UPDATE],
        "unchanged": totals[RowResult.IMPORT_TYPE_SKIP],
        "invalid": resource.invalid_rows,
    }
    outcome.issues = resource.issues
    outcome.issue_count = resource.issue_count
    outcome.audit_entries = resource.audit_count
    outcome.conflicts = resource.conflicts
    return outcome


def _record_conflicts(resource: AlumniResource, *, job: ImportJob | None) -> None:
    """One ImportConflict per row whose protected fields were left as they are (an import from the command line
    has no job to hang them on: it reports them and leaves the records as they are)."""
    if job is None or not resource.conflicts:
        return
    ImportConflict.objects.bulk_create(
        [ImportConflict(job=job, profile_id=c["profile_id"], row_number=c["row"], differences=c["differences"])
         for c in resource.conflicts],
        batch_size=BATCH_SIZE,
    )


def _audit_summary(resource: AlumniResource, *, job: ImportJob | None) -> None:
    """One entry per study program for the import as a whole (updated records have their own entries)."""
    entries = []
    for program_id, counts in resource.per_program.items():
        if not (counts["new"] or counts["updated"]):
            continue
        entries.append(AuditLog(
            actor=resource.user, action="alumni.import.done",
            target_type=(job._meta.label_lower if job else "alumni.studyprogram"),
            target_id=str(job.pk if job else program_id),
            target_repr=(job.original_name if job else resource.context.program_codes.get(program_id, ""))[:200],
            study_program_id=program_id, data={**counts, "study_program": resource.context.program_codes[program_id]},
        ))
    AuditLog.objects.bulk_create(entries)


# --- Import jobs (the web UI and its Celery tasks) ---------------------------------------------


def progress_key(job_id) -> str:
    return f"alumni-import:{job_id}:progress"


# A batch takes a fraction of a second: one heartbeat UPDATE per batch, at most this often.
HEARTBEAT_EVERY_SECONDS = 10


def heartbeat_timeout() -> datetime.timedelta:
    return datetime.timedelta(minutes=int(getattr(settings, "IMPORT_HEARTBEAT_TIMEOUT_MINUTES", 10)))


def _heartbeat(job_id) -> None:
    """job.heartbeat_at = now, seen by other connections at once: one UPDATE in autocommit, on a connection of its
    own while the import's transaction is open (PostgreSQL). SQLite allows one writer at a time: inside the
    transaction the heartbeat is the cache's progress entry only (its "at"), which the sweep reads too."""
    now = timezone.now()
    if not connection.in_atomic_block:
        ImportJob.objects.filter(pk=job_id).update(heartbeat_at=now)
        return
    if connection.vendor != "postgresql":
        return
    side = connections.create_connection(connection.alias)
    try:
        with side.cursor() as cursor:
            # Never wait on a lock (a caller's own transaction may hold the job's row): a missed beat is harmless.
            cursor.execute("SET lock_timeout = '2s'")
            cursor.execute(
                f"UPDATE {ImportJob._meta.db_table} SET heartbeat_at = %s WHERE id = %s",  # noqa: S608 (our table)
                [now, job_id],
            )
    except Exception:
        logger.warning("alumni import %s: heartbeat not written", job_id, exc_info=True)
    finally:
        side.close()


def _progress_writer(job_id):
    """Progress goes to the cache (Redis when a worker runs): the import's own transaction hides row updates
    from other connections until it commits. Each call is also the job's heartbeat."""

    last = 0.0

    def write(processed: int, total: int) -> None:
        nonlocal last
        cache.set(progress_key(job_id), {"processed": processed, "total": total, "at": timezone.now().timestamp()},
                  timeout=24 * 3600)
        if time.monotonic() - last >= HEARTBEAT_EVERY_SECONDS:
            last = time.monotonic()
            _heartbeat(job_id)

    return write


def jobs_fail_stalled() -> int:
    """Fail the checks and imports whose heartbeat stopped (their worker died): nothing was written, the import
    being one transaction. Returns how many jobs it failed."""
    limit_at = timezone.now() - heartbeat_timeout()
    failed = 0
    running = (ImportJob.Status.PREVIEWING, ImportJob.Status.IMPORTING)
    stale = ImportJob.objects.filter(status__in=running).filter(
        Q(heartbeat_at__lt=limit_at) | Q(heartbeat_at__isnull=True, started_at__lt=limit_at)
    ).select_related("created_by")
    for job in stale:
        live = cache.get(progress_key(job.pk)) or {}
        if live.get("at") and live["at"] >= limit_at.timestamp():
            continue  # SQLite: the import's transaction holds the only write lock; its cache entry is alive
        phase = "import" if job.status == ImportJob.Status.IMPORTING else "preview"
        with translation.override(_language(job)):
            message = (
                _("The import stopped: the worker running it did not answer for %(minutes)s minutes. Nothing was "
                  "imported. Run it again.")
                if phase == "import" else
                _("The check stopped: the worker running it did not answer for %(minutes)s minutes. Run it again.")
            ) % {"minutes": int(heartbeat_timeout().total_seconds() // 60)}
        # The status and the old heartbeat in the WHERE: a job that came back to life in between is left alone.
        failed += ImportJob.objects.filter(pk=job.pk, status=job.status, heartbeat_at=job.heartbeat_at).update(
            status=ImportJob.Status.FAILED, message=message, finished_at=timezone.now(),
            summary={**job.summary, "stalled": phase},
        )
        cache.delete(progress_key(job.pk))
        logger.warning("alumni import %s: no heartbeat since %s, failed (%s)", job.pk, job.heartbeat_at, phase)
    return failed


def job_run_again(*, job: ImportJob) -> str | None:
    """Queue again the step a worker left unfinished: "import" for an import (it was checked and confirmed),
    "preview" otherwise. None when the job has not failed, or its file was deleted."""
    if job.status != ImportJob.Status.FAILED or not job.file:
        return None
    if job.summary.get("stalled") == "import":
        moved = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.FAILED).update(
            status=ImportJob.Status.IMPORTING, processed_rows=0, message="", finished_at=None,
            heartbeat_at=timezone.now(),
        )
        step = "import"
    else:
        moved = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.FAILED).update(
            status=ImportJob.Status.UPLOADED, processed_rows=0, total_rows=0, summary={}, errors=[], message="",
            started_at=None, finished_at=None, heartbeat_at=None,
        )
        step = "preview"
    return step if moved else None


def job_progress(job: ImportJob) -> tuple[int, int]:
    """(processed, total) for the status endpoint: the cache while a task runs, the row otherwise."""
    if job.status in (ImportJob.Status.PREVIEWING, ImportJob.Status.IMPORTING):
        live = cache.get(progress_key(job.pk))
        if live:
            return live["processed"], live["total"]
        return 0, job.total_rows
    return job.processed_rows, job.total_rows


def job_create(*, user: User, upload) -> ImportJob:
    name = getattr(upload, "name", "") or "upload"
    suffix = ".xlsx" if name.lower().endswith(".xlsx") else ".csv"
    job = ImportJob(created_by=user, original_name=name[:255])
    job.file.save(f"{job.pk}{suffix}", upload, save=False)
    job.save()
    return job


def _language(job: ImportJob) -> str:
    return (job.created_by.language if job.created_by else "") or settings.LANGUAGE_CODE


def _finish(job: ImportJob, outcome: Outcome, *, status: str, message: str = "") -> None:
    job.status = status
    job.total_rows = outcome.total_rows
    job.processed_rows = outcome.total_rows if not outcome.file_error else 0
    job.summary = {**job.summary, **outcome.counts, "errors": outcome.issue_count,
                   "conflicts": len(outcome.conflicts)}
    # The preview lists the conflicting rows (the record's values beside the file's); once imported, the job's
    # ImportConflict rows hold them instead.
    job.summary.pop("conflict_rows", None)
    if outcome.conflicts and not outcome.imported:
        job.summary["conflict_rows"] = [
            {key: c[key] for key in ("row", "nim", "name", "differences")}
            for c in outcome.conflicts[:MAX_STORED_ISSUES]
        ]
    job.errors = outcome.errors
    job.message = outcome.file_error or message
    job.save(update_fields=["status", "total_rows", "processed_rows", "summary", "errors", "message",
                            "finished_at", "started_at"])
    cache.delete(progress_key(job.pk))


def job_preview(*, job_id) -> ImportJob | None:
    """Check the uploaded file (nothing is written) and store the counts and the invalid rows."""
    if not ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.UPLOADED).update(
        status=ImportJob.Status.PREVIEWING, started_at=timezone.now(), heartbeat_at=timezone.now()
    ):
        return None  # already checked, or checking elsewhere
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    with translation.override(_language(job)):
        if job.created_by is None:
            _finish(job, Outcome(file_error=_("The person who uploaded this file no longer exists.")),
                    status=ImportJob.Status.FAILED)
            return job
        try:
            with job.file.open("rb") as handle:
                outcome = run_import(handle, user=job.created_by, dry_run=True, progress=_progress_writer(job.pk))
        except Exception:
            logger.exception("alumni import %s: preview failed", job_id)
            outcome = Outcome(file_error=_("The file could not be checked because of an unexpected error."))
        if outcome.ok:
            status, message = ImportJob.Status.PREVIEWED, ""
        else:
            status = ImportJob.Status.FAILED
            message = "" if outcome.file_error else ngettext(
                "%(n)s row is invalid. Correct the file and upload it again: nothing was imported.",
                "%(n)s rows are invalid. Correct the file and upload it again: nothing was imported.",
                outcome.counts["invalid"],
            ) % {"n": outcome.counts["invalid"]}
        if status == ImportJob.Status.FAILED:
            job.finished_at = timezone.now()
        _finish(job, outcome, status=status, message=message)
    return job


def job_confirm(*, job: ImportJob) -> bool:
    """Move a checked job on to importing; False when it is not waiting for confirmation (or was confirmed)."""
    return bool(
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED, summary__invalid=0).update(
            status=ImportJob.Status.IMPORTING, processed_rows=0, heartbeat_at=timezone.now()
        )
    )


def job_import(*, job_id) -> ImportJob | None:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportJob.Status.IMPORTING:
        return None
    with translation.override(_language(job)):
        try:
            with job.file.open("rb") as handle:
                outcome = run_import(handle, user=job.created_by, dry_run=False, job=job,
                                     progress=_progress_writer(job.pk))
        except Exception:
            logger.exception("alumni import %s failed", job_id)
            outcome = Outcome(file_error=_("The import failed because of an unexpected error. Nothing was imported."))
        if not ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.IMPORTING).exists():
            job.refresh_from_db()
            return job  # failed by the sweep meanwhile (rolled back): its message and "Run again" stay
        job.finished_at = timezone.now()
        if outcome.imported:
            _finish(job, outcome, status=ImportJob.Status.DONE)
        else:
            message = "" if outcome.file_error else _(
                "The data changed since the check: some rows are now invalid. Nothing was imported."
            )
            _finish(job, outcome, status=ImportJob.Status.FAILED, message=message)
    return job
