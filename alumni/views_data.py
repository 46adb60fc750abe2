"""Staff data tools: directory exports (CSV, XLSX) and likely duplicates with their merge.

Every view here is for study-program staff (and admins): anyone else gets 403, a record outside one's own study
programs a 404.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log

from . import duplicates as dup
from . import exporting
from .forms import DirectoryFilterForm
from .models import AlumniProfile
from .scope import require_staff, scope_for
from .selectors import DirectoryFilters

DUPLICATE_GROUPS_PER_PAGE = 50
MERGE_SEARCH_LIMIT = 20


def _directory_filters(request: HttpRequest) -> tuple[DirectoryFilterForm, DirectoryFilters | None]:
    """The directory's filters from the query string, read exactly as the directory page reads them; None when the
    form is invalid (the directory then shows everyone; an export must not)."""
    form = DirectoryFilterForm(request.GET or None, viewer=request.user, shown=False)
    if not form.is_bound:
        return form, DirectoryFilters()
    if not form.is_valid():
        return form, None
    return form, form.filters()


def _back_to_directory(request: HttpRequest) -> HttpResponse:
    query = request.GET.copy()
    query.pop("page", None)
    url = reverse("alumni:directory")
    return redirect(f"{url}?{query.urlencode()}" if query else url)


@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The directory, with its filters, as a file: only the viewer's own study programs, only the parts their owners
    share with staff. See alumni/exporting.py for the rules and the query budget."""
    require_staff(request.user)
    if fmt not in exporting.FORMATS:
        raise Http404
    viewer = request.user
    _form, filters = _directory_filters(request)
    if filters is None:
        messages.error(request, _("These filters are not valid. Correct them before exporting."))
        return _back_to_directory(request)
    scope = scope_for(viewer)
    if filters.study_program and not (scope.is_superuser or filters.study_program in scope.staff_program_ids):
        messages.error(request, _("You can export only the alumni of the study programs you run."))
        return _back_to_directory(request)
    program = exporting.single_program(viewer=viewer, filters=filters)
    audit_log(
        actor=viewer, action="alumni.directory.exported", target=program or viewer, study_program=program,
        data={"format": fmt, "filters": {k: v for k, v in vars(filters).items() if v not in ("", None)}},
    )
    resource = exporting.AlumniExportResource(viewer=viewer)
    queryset = exporting.export_queryset(viewer=viewer, filters=filters)
    name = exporting.export_file_name(program=program, extension=fmt, today=timezone.localdate())
    if fmt == "csv":
        chunks = exporting.export_csv_chunks(resource=resource, queryset=queryset)
        response = StreamingHttpResponse(
            (chunk.encode("utf-8") for chunk in chunks), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exporting.export_xlsx(resource=resource, queryset=queryset),
            content_type=exporting.FORMATS[fmt].CONTENT_TYPE,
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # Personal data: no shared cache keeps a copy.
    response["Cache-Control"] = "private, no-store"
    return response


def _with_parts(profiles, viewer) -> list[tuple[AlumniProfile, dict[str, bool]]]:
    return [(profile, profile.visible_parts(viewer=viewer)) for profile in profiles]


@login_required
def duplicates(request: HttpRequest) -> HttpResponse:
    """Likely duplicate records of the viewer's study programs, in groups, each with a link to compare and merge."""
    require_staff(request.user)
    groups = dup.duplicate_groups(viewer=request.user)
    page = Paginator(groups, DUPLICATE_GROUPS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(group, _with_parts(group.profiles, request.user)) for group in page.object_list]
    return render(request, "alumni/duplicates.html", {"page": page, "rows": rows, "total": len(groups)})


def _uuid_or_404(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError):
        raise Http404 from None


@login_required
def duplicate_merge(request: HttpRequest, pk) -> HttpResponse:
    """Merge another record into this one (`pk` is the record kept).

    Without `?other=`: this record's likely duplicates and a search within its study program, to pick the other.
    With it: both records side by side; each field that differs has a choice (kept by default, filled from the
    other when blank); POST merges (`duplicates.profile_merge`).
    """
    require_staff(request.user)
    managed = AlumniProfile.objects.managed_by(request.user).select_related("study_program", "user", "province")
    keep = get_object_or_404(managed, pk=pk)
    other_id = request.GET.get("other") or request.POST.get("other")
    if not other_id:
        return _merge_pick(request, keep)
    remove = get_object_or_404(managed, pk=_uuid_or_404(other_id))
    if remove.pk == keep.pk:
        messages.error(request, _("A record cannot be merged with itself. Choose another record."))
        return _merge_pick(request, keep)
    rows = dup.merge_preview_rows(keep, remove, viewer=request.user)
    errors = []
    if request.method == "POST":
        for row in rows:
            if row["differs"]:
                row["take"] = request.POST.get(f"take_{row['name']}") == "take"
        take = {row["name"] for row in rows if row["differs"] and row["take"]}
        if not request.POST.get("confirm"):
            errors.append(_("Confirm that both records are the same person."))
        else:
            try:
                kept = dup.profile_merge(keep=keep, remove=remove, by=request.user, take=take)
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(
                    request,
                    _("The records were merged into %(name)s (%(nim)s).") % {"name": kept.full_name, "nim": kept.nim},
                )
                return redirect("alumni:duplicates")
    blocked = ""
    if keep.user_id and remove.user_id:
        blocked = _("Both records have their own account. Two accounts are not merged here: ask an admin to check "
                    "whether they are the same person and deactivate the spare account first.")
    elif keep.study_program_id != remove.study_program_id:
        blocked = _("These records belong to different study programs; they are not duplicates.")
    return render(
        request,
        "alumni/duplicates_merge.html",
        {
            "keep": keep,
            "remove": remove,
            "rows": rows,
            "errors": errors,
            "blocked": blocked,
            "keep_jobs": keep.employments.count(),
            "remove_jobs": remove.employments.count(),
            "moves": dup.merge_moves(remove),
        },
        status=400 if errors else 200,
    )


def _merge_pick(request: HttpRequest, keep: AlumniProfile) -> HttpResponse:
    candidates = list(dup.duplicates_of(keep, viewer=request.user)[:MERGE_SEARCH_LIMIT])
    query = (request.GET.get("q") or "").strip()[:100]
    found = []
    if query:
        found = list(
            AlumniProfile.objects.managed_by(request.user)
            .filter(study_program_id=keep.study_program_id)
            .exclude(pk=keep.pk)
            .filter(Q(full_name__icontains=query) | Q(nim__icontains=query))
            .select_related("study_program", "user")
            .order_by("full_name", "created_at")[:MERGE_SEARCH_LIMIT]
        )
    return render(
        request,
        "alumni/duplicates_pick.html",
        {"keep": keep, "candidates": _with_parts(candidates, request.user), "found": _with_parts(found, request.user),
         "query": query, "limit": MERGE_SEARCH_LIMIT},
    )
