"""Accreditation report pages for staff: the LKPS tables about graduates and IKU-1 for one study program and TS,
one tab per table with its footnotes and a chart, drill-down from every count to the graduates behind it, the
follow-up plans (Rencana Tindak Lanjut), the evidence of alumni involvement, and downloads (XLSX, CSV per table,
PDF). Staff reach only their own study programs (others get 404); every download is written to the audit log."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from alumni.models import AlumniProfile, StudyProgram
from alumni.scope import require_staff, scope_for
from core.audit import audit_log, audit_reads
from core.forms import BootstrapFormMixin, add_service_errors
from core.models import AuditLog
from programs.evidence import EVIDENCE_COLUMNS, ROLES, involved_alumni, involved_elsewhere

from . import iku, lkps
from .drilldown import with_answers
from .evidence_sources import evidence_with_sources
from .forms_iku import IkuTargetForm
from .lkps_pdf import lkps_pdf
from .models import FollowUpPlan
from .questionnaires import EMPLOYER_ASPECTS

# URL slug → table name of the export contract. "evidence" is the evidence of alumni involvement.
TABLES = {"8d1": "8.d.1", "8d2": "8.d.2", "8e1": "8.e.1", "8e2": "8.e.2", "ref8e2": "Ref 8.e.2", "iku1": "IKU-1"}
EVIDENCE = "evidence"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
FIRST_TS = 2000
# Chart colours from the portal's palette, dark to light, then the warning tones for the lower grades.
COLOURS = ["#0b6e4f", "#3a9b78", "#9fd3bd", "#f2a541", "#c8553d"]
ROLE_KEYS = [str(role) for role in ROLES]


def _latest_ts() -> int:
    return timezone.localdate().year + 1


def _program(request: HttpRequest, code: str, ts: int) -> StudyProgram:
    require_staff(request.user)
    if not FIRST_TS <= ts <= _latest_ts():
        raise Http404
    return get_object_or_404(StudyProgram.objects.managed_by(request.user).select_related("faculty"), code=code)


class ReportForm(BootstrapFormMixin, forms.Form):
    program = forms.ModelChoiceField(
        queryset=StudyProgram.objects.none(), label=gettext_lazy("Study program"), to_field_name="code",
        empty_label=None,
    )
    ts = forms.TypedChoiceField(label=gettext_lazy("Reporting year (TS)"), coerce=int)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = StudyProgram.objects.managed_by(user)
        self.fields["ts"].choices = [(y, y) for y in range(_latest_ts(), FIRST_TS - 1, -1)]
        self.fields["ts"].initial = timezone.localdate().year


@login_required
def lkps_index(request: HttpRequest) -> HttpResponse:
    """Choose a study program and TS; the report opens on its own page."""
    require_staff(request.user)
    form = ReportForm(request.GET or None, user=request.user)
    if request.GET and form.is_valid():
        return redirect("tracer:lkps", form.cleaned_data["program"].code, form.cleaned_data["ts"])
    return render(request, "tracer/lkps_index.html", {"form": form})


def _cell(value, *, key: str, year, heading: str) -> dict:
    # The heading goes with the cell: on a phone each row is a card of "heading: value" lines.
    return {"value": value, "column": key, "year": year if isinstance(year, int) else "", "heading": heading}


def _count_table(tables: dict, name: str) -> dict:
    table = tables[name]
    headings = lkps.column_headings(tables["layout"])[name]
    keys = table["keys"]
    rows = [
        {"year": row["year"], "cells": [_cell(row[key], key=key, year=row["year"], heading=heading)
                                        for key, heading in zip(keys, headings[1:], strict=True)]}
        for row in [*table["rows"], table["total"]]
    ]
    chart = None
    if name in lkps.CHARTED:
        chart = {
            "type": "stacked",
            "labels": [str(y) for y in tables["years"]],
            "datasets": [
                {"label": label, "data": [row[key] for row in table["rows"]], "color": COLOURS[i % len(COLOURS)]}
                for i, (key, label) in enumerate(lkps.bucket_columns(tables, name))
            ],
        }
    elif name == "Ref 8.e.2":
        chart = {
            "type": "grouped",
            "labels": [str(y) for y in tables["years"]],
            "datasets": [
                {"label": headings[1], "data": [row["graduates"] for row in table["rows"]], "color": COLOURS[2]},
                {"label": headings[2], "data": [row["employer_responses"] for row in table["rows"]],
                 "color": COLOURS[0]},
            ],
        }
    return {"headings": headings, "rows": rows, "chart": chart}


def _employer_table(tables: dict) -> dict:
    table = tables["8.e.2"]
    grades = [grade for grade, _value in lkps.GRADES]
    values = dict(lkps.GRADES)
    chart = {
        "type": "stacked100",
        "labels": [row["label"] for row in table["rows"]],
        "datasets": [
            {"label": label, "data": [None if row[g] is None else float(row[g]) for row in table["rows"]],
             "color": COLOURS[i]}
            for i, (g, label) in enumerate(zip(grades, lkps.GRADE_HEADINGS, strict=True))
        ],
    }
    headings = dict(zip(grades, lkps.EMPLOYER_HEADINGS[2:6], strict=True))  # "Sangat Baik (%)" ...
    rows = [
        {**row, "cells": [{"value": row[g], "column": f"{row['code']}:{values[g]}", "heading": headings[g]}
                          for g in grades]}
        for row in table["rows"]
    ]
    return {"rows": rows, "chart": chart,
            "total": [{"value": table["total"][g], "heading": headings[g]} for g in grades],
            "mean": [{"value": table["mean"][g], "heading": headings[g]} for g in grades]}


def _evidence_view(evidence: dict) -> dict:
    labels = dict(EVIDENCE_COLUMNS)

    def with_roles(row: dict) -> dict:
        # Each count with its heading: on a phone each row is a card of "heading: value" lines.
        return {**row, "roles": [{"value": row[role], "heading": labels[role]} for role in ROLE_KEYS]}

    return {
        **evidence,
        "summary": [with_roles(row) for row in [*evidence["per_year"], evidence["total"]]],
        "activities": [with_roles(row) for row in evidence["rows"]],
        "role_headings": [labels[role] for role in ROLE_KEYS],
        "chart": {
            "type": "stacked",
            "labels": [str(row["year"]) for row in evidence["per_year"]],
            "datasets": [
                {"label": labels[role], "data": [row[role] for row in evidence["per_year"]],
                 "color": COLOURS[i % len(COLOURS)]}
                for i, role in enumerate(ROLE_KEYS)
            ],
        },
    }


def _iku_view(iku: dict) -> dict:
    failed = iku["traced"] - iku["success"] - iku["unjudged"]
    parts = (
        (_("Succeeded"), iku["success"], COLOURS[0]),
        (_("Cannot be judged"), iku["unjudged"], COLOURS[3]),
        (_("Did not meet the rule"), failed, COLOURS[4]),
        (_("Not traced"), iku["graduates"] - iku["traced"], "#d0d5da"),
    )
    return {**iku, "chart": {
        "type": "stacked",
        "labels": [str(iku["year"])],
        "datasets": [{"label": label, "data": [value], "color": colour} for label, value, colour in parts],
    }}


@login_required
def lkps_report(request: HttpRequest, code: str, ts: int, *, iku_form: IkuTargetForm | None = None) -> HttpResponse:
    """One tab of the report. `iku_form`: the IKU-1 target form as posted, with its errors (lkps_iku_target)."""
    program = _program(request, code, ts)
    tab = request.GET.get("tab", "8d1")
    if tab not in TABLES and tab != EVIDENCE:
        tab = "8d1"
    name = TABLES.get(tab)
    context = {
        "program": program,
        "ts": ts,
        "years": [ts - 4, ts - 3, ts - 2],
        "iku_year": ts - 1,
        "tab": tab,
        "tabs": [*TABLES.items(), (EVIDENCE, _("Alumni involvement"))],
        "heading": lkps.HEADINGS[name] if name else _("Evidence of alumni involvement"),
        "form": ReportForm(initial={"program": program.code, "ts": ts}, user=request.user),
        "exports": AuditLog.objects.filter(action=lkps.EXPORTED, study_program=program, data__ts=ts)
        .select_related("actor").order_by("-created_at")[:5],
    }
    if name:  # one of the LKPS tables: all of them come from one computation (6 queries)
        tables = lkps.lkps_tables(study_program=program, ts=ts)
        context["notes"] = lkps.footnotes(tables)[name]
        if name == "8.e.2":
            context["employer"] = view = _employer_table(tables)
        elif name == "IKU-1":
            context["iku"] = view = _iku_view(tables["IKU-1"])
            context["iku_target"] = iku.report_view(study_program=program, figure=view["iku"])
            context["iku_form"] = iku_form or IkuTargetForm(initial={"percent": context["iku_target"]["target"]})
        else:
            context["table"] = view = _count_table(tables, name)
    else:  # the evidence of alumni involvement needs none of the graduate tables
        context["evidence"] = view = _evidence_view(evidence_with_sources(study_program=program, ts=ts))
    context["chart"] = view["chart"]
    return render(request, "tracer/lkps_report.html", context)


def _uuid(value: str | None) -> uuid.UUID | None:
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404 from None


def _year(value: str) -> int | None:
    if value in ("", None):
        return None
    try:
        return int(value)
    except ValueError:
        raise Http404 from None


@login_required
def lkps_cell(request: HttpRequest, code: str, ts: int) -> HttpResponse:
    """The graduates behind one count of the report (or, for the evidence table, the alumni behind a row)."""
    program = _program(request, code, ts)
    column = request.GET.get("column", "")
    year = _year(request.GET.get("year"))
    others = 0
    if column.startswith("evidence"):
        role = request.GET.get("role") or None
        if role is not None and role not in ROLE_KEYS:
            raise Http404
        narrow = {"study_program": program, "ts": ts, "session_id": _uuid(request.GET.get("session")),
                  "program_id": _uuid(request.GET.get("program")), "role": role, "year": year,
                  "program_level": request.GET.get("program_level") == "1"}
        # Alumni of study programs the reader does not run are a number here, never a NIM and a name.
        scope = scope_for(request.user)
        named = None if scope.is_superuser else {program.pk, *scope.staff_program_ids}
        rows = involved_alumni(named_programs=named, **narrow)
        others = involved_elsewhere(named_programs=named, **narrow) if named is not None else 0
        title = _("Alumni involved") + (f" · {dict(EVIDENCE_COLUMNS)[role]}" if role else "")
        back = "evidence"
    else:
        try:
            rows = lkps.cell_graduates(study_program=program, ts=ts, column=column, year=year)
            label = _column_label(program, ts, column, year)
        except (KeyError, ValueError):
            raise Http404 from None
        title, back = label["label"], label["tab"]
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    if back != "evidence":  # the graduates' answers in words, their codes beside them
        page.object_list = with_answers(page.object_list)
    _audit_drill_down(request, program, ts, column, page)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "tracer/lkps_cell.html", {
        "program": program, "ts": ts, "page": page, "title": title, "year": year, "back": back,
        "page_query": query.urlencode(), "evidence": back == "evidence", "others": others,
    })


def _audit_drill_down(request: HttpRequest, program: StudyProgram, ts: int, column: str, page) -> None:
    """The graduates named on this page were read by the staff member (one query to find their accounts, one
    bulk INSERT; core.audit.audit_reads)."""
    rows = list(page)
    if not rows:
        return
    profile_ids = [row["profile_ref"] for row in rows if row.get("profile_ref")]
    if profile_ids:
        people = AlumniProfile.objects.filter(pk__in=profile_ids, user__isnull=False).values_list("user_id", flat=True)
    else:  # the evidence table names alumni by NIM and study program
        pairs = {(row.get("nim"), row.get("study_program")) for row in rows if row.get("nim")}
        found = AlumniProfile.objects.filter(
            nim__in={nim for nim, _name in pairs}, user__isnull=False
        ).values_list("nim", "study_program__name", "user_id")
        people = [user_id for nim, name, user_id in found if (nim, name) in pairs]
    audit_reads(actor=request.user, action="tracer.lkps.drilled_down", target=program, subject_ids=people,
                study_program=program, data={"ts": ts, "column": column, "page": page.number})


def _column_label(program: StudyProgram, ts: int, column: str, year: int | None) -> dict:
    """The heading of a drill-down: which table and which column the count came from."""
    aspect, _sep, value = column.partition(":")
    aspects = {code: label for code, label, _en in EMPLOYER_ASPECTS}
    if aspect in aspects:
        grade = dict(zip((str(v) for _g, v in lkps.GRADES), lkps.GRADE_HEADINGS, strict=True))[value]
        return {"tab": "8e2", "label": f"{lkps.HEADINGS['8.e.2']} · {aspects[aspect]} · {grade}"}
    if column.startswith("iku_"):
        label = _("Succeeded") if column == "iku_success" else _("Cannot be judged")
        return {"tab": "iku1", "label": f"{lkps.HEADINGS['IKU-1']} · {label}"}
    if year == ts - 1:  # the IKU-1 cohort's graduates and traced graduates
        heading = _("Graduates") if column == "graduates" else _("Traced")
        return {"tab": "iku1", "label": f"{lkps.HEADINGS['IKU-1']} · {heading}"}
    layout = lkps.layout_of(program)
    for slug, name in TABLES.items():
        if name in (*lkps.CHARTED, "Ref 8.e.2"):
            keys = ["graduates", *lkps.table_keys(layout, name)]
            if column in keys:
                heading = lkps.column_headings(layout)[name][1 + keys.index(column)]
                return {"tab": slug, "label": f"{lkps.HEADINGS[name]} · {heading}"}
    raise KeyError(column)


class PlanForm(BootstrapFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label, _en in EMPLOYER_ASPECTS:
            self.fields[code] = forms.CharField(
                label=label, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
            )


@login_required
@require_http_methods(["GET", "POST"])
def lkps_plans(request: HttpRequest, code: str, ts: int) -> HttpResponse:
    """Rencana Tindak Lanjut: staff write the follow-up plan for each aspect of table 8.e.2 and this TS."""
    program = _program(request, code, ts)
    plans = {plan.aspect: plan for plan in FollowUpPlan.objects.filter(study_program=program, ts=ts)}
    form = PlanForm(request.POST or None, initial={aspect: plan.text for aspect, plan in plans.items()})
    if request.method == "POST" and form.is_valid():
        changed = []
        with transaction.atomic():
            for aspect, text in form.cleaned_data.items():
                text = text.strip()
                current = plans.get(aspect)
                if (current.text if current else "") == text:
                    continue
                FollowUpPlan.objects.update_or_create(
                    study_program=program, ts=ts, aspect=aspect, defaults={"text": text, "updated_by": request.user},
                )
                changed.append(aspect)
            if changed:
                audit_log(actor=request.user, action="tracer.lkps.plan_updated", target=program,
                          study_program=program, data={"ts": ts, "aspects": changed})
        if changed:
            messages.success(request, _("Follow-up plans saved."))
        else:
            messages.info(request, _("Nothing changed."))
        return redirect(reverse("tracer:lkps", args=[program.code, ts]) + "?tab=8e2")
    return render(request, "tracer/lkps_plans.html", {"program": program, "ts": ts, "form": form})


def _download(request: HttpRequest, program: StudyProgram, ts: int, *, content, fmt: str, what: str):
    audit_log(actor=request.user, action=lkps.EXPORTED, target=program, study_program=program,
              data={"ts": ts, "format": fmt, "table": what})
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    stem = "".join(ch for ch in f"lkps-{program.code}-TS{ts}-{what}" if ch.isalnum() or ch in "-_.")
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


@login_required
def lkps_workbook(request: HttpRequest, code: str, ts: int) -> HttpResponse:
    program = _program(request, code, ts)
    content = lkps.lkps_workbook(lkps.lkps_tables(study_program=program, ts=ts))
    return _download(request, program, ts, content=content, fmt="xlsx", what="all")


@login_required
def lkps_pdf_view(request: HttpRequest, code: str, ts: int) -> HttpResponse:
    program = _program(request, code, ts)
    content = lkps_pdf(
        lkps.lkps_tables(study_program=program, ts=ts),
        evidence=evidence_with_sources(study_program=program, ts=ts),
        generated_at=timezone.localtime(),
        generated_by=request.user.get_full_name() or request.user.email,
    )
    return _download(request, program, ts, content=content, fmt="pdf", what="all")


@login_required
def lkps_csv(request: HttpRequest, code: str, ts: int, table: str) -> HttpResponse:
    program = _program(request, code, ts)
    if table == EVIDENCE:
        content = lkps.evidence_csv(evidence_with_sources(study_program=program, ts=ts))
    elif table in TABLES:
        content = lkps.table_csv(lkps.lkps_tables(study_program=program, ts=ts), TABLES[table])
    else:
        raise Http404
    return _download(request, program, ts, content=content, fmt="csv", what=table)


@login_required
def lkps_evidence_workbook(request: HttpRequest, code: str, ts: int) -> HttpResponse:
    program = _program(request, code, ts)
    content = lkps.evidence_workbook(evidence_with_sources(study_program=program, ts=ts), study_program=program, ts=ts)
    return _download(request, program, ts, content=content, fmt="xlsx", what=EVIDENCE)


@login_required
@require_POST
def lkps_iku_target(request: HttpRequest, code: str, ts: int) -> HttpResponse:
    """Staff of the study program set its IKU-1 target; a wrong value shows the IKU-1 tab again with the error."""
    program = _program(request, code, ts)
    form = IkuTargetForm(request.POST)
    if form.is_valid():
        try:
            iku.target_set(study_program=program, percent=form.cleaned_data["percent"], by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("IKU-1 target saved: %(target)s%%.") % {
                "target": iku.percent_text(form.cleaned_data["percent"])})
            return redirect(reverse("tracer:lkps", args=[program.code, ts]) + "?tab=iku1")
    request.GET = request.GET.copy()
    request.GET["tab"] = "iku1"
    return lkps_report(request, code, ts, iku_form=form)
