"""Staff pages for the alumni import: upload and history, the check (preview), confirm, progress, invitations.

The work runs in Celery tasks (in-process without REDIS_URL). These views do not run in the request's
transaction (non_atomic_requests): a worker must see the job row as soon as the task is queued, and the import
opens its own transaction.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core.confirm import is_confirmed
from core.forms import BootstrapFormMixin

from . import records, services, tasks
from .importing.invitations import invitations_preview
from .importing.jobs import job_confirm, job_create, job_progress, job_run_again
from .importing.reading import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, limit, size_text
from .importing.template import EXAMPLE_NIM, column_help, template_csv, template_xlsx
from .models import ImportConflict, ImportJob, StudyProgram
from .scope import require_staff

HISTORY_SIZE = 50


class ImportUploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        allow_empty_file=True,  # the engine says "The file is empty." like for every other bad file
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv,"
                                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        cap = limit("IMPORT_MAX_BYTES")
        if upload.size > cap:
            raise forms.ValidationError(_("The file is larger than %(limit)s. Split it into smaller files.") % {
                "limit": size_text(cap),
            })
        return upload


STAFF_ONLY = gettext_lazy("Only study-program staff can import alumni records.")


def _own_job(request: HttpRequest, pk) -> ImportJob:
    require_staff(request.user, message=STAFF_ONLY)
    return get_object_or_404(ImportJob.objects.visible_to(request.user).select_related("created_by"), pk=pk)


@login_required
@transaction.non_atomic_requests
def import_upload(request: HttpRequest) -> HttpResponse:
    require_staff(request.user, message=STAFF_ONLY)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = job_create(user=request.user, upload=form.cleaned_data["file"])
        tasks.import_preview.delay(str(job.pk))
        job.refresh_from_db()
        if job.status == ImportJob.Status.FAILED and job.message and not job.summary.get("invalid"):
            # Something is wrong with the file as a whole: say so right here.
            form.add_error("file", job.message)
        else:
            return redirect("alumni:import_job", pk=job.pk)
    jobs = ImportJob.objects.visible_to(request.user).filter(created_by=request.user)[:HISTORY_SIZE]
    return render(request, "alumni/import_upload.html", {
        "form": form,
        "jobs": jobs,
        "max_size": size_text(limit("IMPORT_MAX_BYTES")),
        "max_rows": limit("IMPORT_MAX_ROWS"),
        "required_columns": REQUIRED_COLUMNS,
        "optional_columns": OPTIONAL_COLUMNS,
        "column_help": column_help(),
        "example_nim": EXAMPLE_NIM,
    })


TEMPLATE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The import template (header row and one example row) as CSV or XLSX; the workbook's help sheet is in the
    page's language. The example's study program is one this staff member runs."""
    require_staff(request.user, message=STAFF_ONLY)
    if kind not in TEMPLATE_TYPES:
        raise Http404
    code = StudyProgram.objects.managed_by(request.user).order_by("code").values_list("code", flat=True).first()
    build = template_csv if kind == "csv" else template_xlsx
    response = HttpResponse(build(study_program_code=code or "71201"), content_type=TEMPLATE_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="alumni-import-template.{kind}"'
    return response


@login_required
def import_job(request: HttpRequest, pk) -> HttpResponse:
    job = _own_job(request, pk)
    processed, total = job_progress(job)
    return render(request, "alumni/import_job.html", {
        "job": job,
        "running": job.status in (ImportJob.Status.UPLOADED, ImportJob.Status.PREVIEWING, ImportJob.Status.IMPORTING),
        "processed": processed,
        "total": total,
        "percent": min(100, round(100 * processed / total)) if total else 0,
        "more_errors": max(0, job.summary.get("errors", 0) - len(job.errors)),
        "can_confirm": job.status == ImportJob.Status.PREVIEWED and not job.summary.get("invalid"),
        # The file is deleted after IMPORT_FILE_RETENTION_DAYS (alumni.privacy.import_files_expire).
        "can_invite": job.status == ImportJob.Status.DONE and bool(job.file),
        "can_run_again": job.status == ImportJob.Status.FAILED and bool(job.file),
        "conflict_rows": job.summary.get("conflict_rows", []),
        "conflicts": list(
            ImportConflict.objects.managed_by(request.user).filter(job=job)
            .select_related("profile", "resolved_by").order_by("row_number")
        ),
    })


@login_required
def import_status(request: HttpRequest, pk) -> JsonResponse:
    job = _own_job(request, pk)
    processed, total = job_progress(job)
    return JsonResponse({
        "id": str(job.pk),
        "status": job.status,
        "status_display": str(job.get_status_display()),
        "processed_rows": processed,
        "total_rows": total,
        "percent": min(100, round(100 * processed / total)) if total else (100 if job.status == "done" else 0),
        "finished": job.status in (ImportJob.Status.PREVIEWED, ImportJob.Status.DONE, ImportJob.Status.FAILED),
        "summary": job.summary,
        "message": job.message,
    })


@login_required
@require_POST
@transaction.non_atomic_requests
def import_confirm(request: HttpRequest, pk) -> HttpResponse:
    """The job page is the summary (rows new, updated, unchanged; conflicts) with the confirm form; a POST without
    its confirmation flag goes back to it and changes nothing."""
    job = _own_job(request, pk)
    if not is_confirmed(request):
        if job.status == ImportJob.Status.PREVIEWED:
            messages.info(request, _("Check what the import will write, then confirm."))
        else:
            messages.error(request, _("This import is not waiting for confirmation."))
        return redirect("alumni:import_job", pk=job.pk)
    if job_confirm(job=job):
        tasks.import_run.delay(str(job.pk))
    else:
        messages.error(request, _("This import is not waiting for confirmation."))
    return redirect("alumni:import_job", pk=job.pk)


@login_required
@require_http_methods(["GET", "POST"])
@transaction.non_atomic_requests
def import_invite(request: HttpRequest, pk) -> HttpResponse:
    """GET (or a POST without the confirmation flag): how many graduates would get an invitation email now, and a
    confirm button; a confirmed POST sends them."""
    job = _own_job(request, pk)
    if job.status != ImportJob.Status.DONE:
        messages.error(request, _("Invitations can be sent once the import is done."))
        return redirect("alumni:import_job", pk=job.pk)
    if not job.file:
        messages.error(request, _("This import's file was deleted after the retention period: upload it again "
                                  "to send invitations."))
        return redirect("alumni:import_job", pk=job.pk)
    if not is_confirmed(request):
        return render(request, "alumni/import_invite_confirm.html", {
            "job": job, "preview": invitations_preview(job=job, by=request.user),
        })
    before = job.summary.get("invited", 0)
    tasks.import_invite.delay(str(job.pk), request.user.pk)
    job.refresh_from_db()
    if settings.CELERY_TASK_ALWAYS_EAGER:
        sent = job.summary.get("invited", 0) - before
        if sent:
            messages.success(request, ngettext("%(n)s invitation was sent.", "%(n)s invitations were sent.", sent) % {
                "n": sent,
            })
        else:
            messages.info(request, _("Nobody left to invite: every record with an email already has an account "
                                     "or an invitation."))
    else:
        messages.success(request, _("The invitations are on their way."))
    return redirect("alumni:import_job", pk=job.pk)


@login_required
@require_POST
@transaction.non_atomic_requests
def import_run_again(request: HttpRequest, pk) -> HttpResponse:
    """A failed job whose file is kept: its check, or its import when a worker stopped in the middle of it, again."""
    job = _own_job(request, pk)
    step = job_run_again(job=job)
    if step == "import":
        tasks.import_run.delay(str(job.pk))
    elif step == "preview":
        tasks.import_preview.delay(str(job.pk))
    elif job.status == ImportJob.Status.FAILED:
        messages.error(request, _("This import's file was deleted after the retention period: upload it again."))
    else:
        messages.error(request, _("Only a failed import can be run again."))
    return redirect("alumni:import_job", pk=job.pk)


CONFLICTS_PAGE_SIZE = 50


@login_required
def import_conflicts(request: HttpRequest) -> HttpResponse:
    """Every open conflict of this person's study programs, whoever uploaded the file: any staff member of the
    study program may decide."""
    require_staff(request.user, message=STAFF_ONLY)
    open_conflicts = (
        ImportConflict.objects.managed_by(request.user).filter(status=ImportConflict.Status.OPEN)
        .select_related("profile", "job").order_by("job__created_at", "row_number")
    )
    page = Paginator(open_conflicts, CONFLICTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "alumni/import_conflicts.html", {"page": page})


@login_required
@require_POST
def import_conflict_resolve(request: HttpRequest, pk, conflict) -> HttpResponse:
    """Keep the record, or apply the file's values (one conflict at a time), as staff of the record's program."""
    require_staff(request.user, message=STAFF_ONLY)
    item = get_object_or_404(ImportConflict.objects.managed_by(request.user).select_related("job"), pk=conflict,
                             job_id=pk)
    back = redirect("alumni:import_conflicts")
    if request.POST.get("back") != "list" and ImportJob.objects.visible_to(request.user).filter(pk=pk).exists():
        back = redirect("alumni:import_job", pk=pk)
    decision = request.POST.get("decision")
    if decision not in ("keep", "apply"):
        messages.error(request, _("Choose whether to keep the record or apply the file."))
        return back
    try:
        item = records.import_conflict_resolve(conflict=item, by=request.user, apply=decision == "apply")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if decision == "apply":
            profile = item.profile
            profile.refresh_from_db()
            # The graduate the file names may have an account with that (verified) email already: they claim now.
            owner = None if profile.user_id else records.verified_account_for(email=profile.email)
            if owner is not None:
                services.profile_claim_by_email(user=owner, email=profile.email)
            messages.success(request, _("Row %(row)s: the file's values were written to the record.") % {
                "row": item.row_number,
            })
        else:
            messages.success(request, _("Row %(row)s: the record was kept as it is.") % {"row": item.row_number})
    return back
