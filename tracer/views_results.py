"""Staff pages: tracer results (per wave, per graduation-year cohort), the national-layout export, and the import of
responses in the national layout (or employer ratings) with a check before anything is saved."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from alumni.importing import reading
from alumni.models import StudyProgram
from alumni.scope import require_staff
from core.audit import audit_reads
from core.forms import BootstrapFormMixin

from . import national
from .models import Response, Survey, Wave
from .results import (
    Results,
    cohort_responses,
    cohort_results,
    staff_programs,
    text_answers,
    wave_responses,
    wave_results,
)

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SESSION_KEY = "tracer_import"
EMPLOYER = "employer"


class CohortForm(BootstrapFormMixin, forms.Form):
    survey = forms.ModelChoiceField(queryset=Survey.objects.all(), label=gettext_lazy("Survey"))
    program = forms.ModelChoiceField(queryset=StudyProgram.objects.none(), label=gettext_lazy("Study program"))
    year = forms.IntegerField(label=gettext_lazy("Graduation year"), min_value=1950, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = StudyProgram.objects.managed_by(user)


def _chart_data(results: Results) -> dict:
    """What static/js/tracer_results.js draws: one bar chart per distribution, the waiting time, competences."""
    return {
        "distributions": [
            {"code": d.code, "labels": [c.label for c in d.choices], "counts": [c.count for c in d.choices]}
            for d in results.distributions if d.total
        ],
        "waiting": {
            "labels": [_("under 6 months"), _("6–18 months"), _("over 18 months")],
            "counts": [count for _key, count, _pct in results.waiting.get("buckets", [])],
        },
        "competences": {
            "labels": [c.label for c in results.competences],
            "a": [c.mean_a for c in results.competences],
            "b": [c.mean_b for c in results.competences],
            "label_a": _("At graduation (A)"),
            "label_b": _("Needed now (B)"),
        },
        "count_label": _("Respondents"),
    }


def _audit_export(request, responses, fmt: str, target, study_program=None) -> None:
    """A staff export of tracer answers is a read of each respondent's data (core.audit.audit_reads):
    one query for the respondents' accounts, one bulk INSERT."""
    people = (responses.filter(status=Response.Status.SUBMITTED, profile__user__isnull=False).order_by()
              .values_list("profile__user_id", flat=True).distinct())
    audit_reads(actor=request.user, action="tracer.results.exported", target=target, subject_ids=people,
                study_program=study_program, data={"format": fmt})


def _audit_text_page(request, context: dict, target, study_program=None) -> None:
    """Free-text answers shown on this page: a read of each respondent's answers."""
    rows = list(context["text_page"])
    if rows:
        audit_reads(actor=request.user, action="tracer.text_answers.viewed", target=target,
                    subject_ids=[row["response__profile__user_id"] for row in rows], study_program=study_program,
                    data={"page": context["text_page"].number, "question": context["text_chosen"]})


def _context(request, results: Results, responses, **extra) -> dict:
    codes = [q.code for q in results.text_questions]
    chosen = request.GET.get("text")
    text_page = text_answers(responses=responses, codes=[chosen] if chosen in codes else codes,
                             page=request.GET.get("page"))
    labels = {q.code: q.label for q in results.text_questions}
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "results": results,
        "chart": _chart_data(results),
        "highlight": [d for d in (results.distribution("f14"), results.distribution("f5d")) if d],
        "text_page": text_page,
        "text_rows": [(labels.get(row["code"], row["code"]), row["value_text"]) for row in text_page],
        "text_questions": results.text_questions,
        "text_chosen": chosen if chosen in codes else "",
        "page_query": query.urlencode(),
        **extra,
    }


@login_required
def results(request: HttpRequest) -> HttpResponse:
    """Pick a wave, or a survey + study program + graduation year; the cohort's results show below the form."""
    require_staff(request.user)
    waves = Wave.objects.visible_to(request.user).select_related("version__survey")
    form = CohortForm(request.GET or None, user=request.user)
    context = {"waves": waves, "form": form}
    if request.GET and form.is_valid():
        survey, program, year = (form.cleaned_data[k] for k in ("survey", "program", "year"))
        export = request.GET.get("export")
        if export in CONTENT_TYPES:
            responses = cohort_responses(survey.versions.values("pk"), program, year)
            _audit_export(request, responses, export, program, study_program=program)
            return _export(responses, export, f"tracer-{survey.slug}-{program.code}-{year}")
        data = cohort_results(survey, program, year)
        if data is not None:
            responses = cohort_responses(survey.versions.values("pk"), program, year)
            context.update(_context(request, data, responses, cohort=(survey, program, year)))
            _audit_text_page(request, context, program, study_program=program)
    return render(request, "tracer/results_index.html", context)


def _visible_wave(request: HttpRequest, pk) -> Wave:
    require_staff(request.user)
    return get_object_or_404(Wave.objects.visible_to(request.user).select_related("version__survey"), pk=pk)


@login_required
def wave_results_view(request: HttpRequest, pk) -> HttpResponse:
    wave = _visible_wave(request, pk)
    data = wave_results(wave, request.user)
    responses = wave_responses(wave, staff_programs(request.user))
    context = _context(request, data, responses, wave=wave)
    _audit_text_page(request, context, wave)
    return render(request, "tracer/results_wave.html", context)


def _export(responses, fmt: str, stem: str) -> HttpResponse:
    content = national.export_csv(responses) if fmt == "csv" else national.export_xlsx(responses)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    stem = "".join(ch for ch in stem if ch.isalnum() or ch in "-_")
    response["Content-Disposition"] = f'attachment; filename="{stem}-{timezone.localdate().isoformat()}.{fmt}"'
    return response


@login_required
def wave_export(request: HttpRequest, pk) -> HttpResponse:
    """The wave's submitted responses (of the viewer's study programs) in the national upload layout."""
    wave = _visible_wave(request, pk)
    fmt = request.GET.get("format", "csv")
    if fmt not in CONTENT_TYPES:
        raise Http404
    responses = wave_responses(wave, staff_programs(request.user))
    _audit_export(request, responses, fmt, wave)
    return _export(responses, fmt, f"tracer-{wave.version.survey.slug}-{wave.opens_at:%Y%m%d}")


class ImportForm(BootstrapFormMixin, forms.Form):
    target = forms.ChoiceField(label=gettext_lazy("What the file holds"))
    file = forms.FileField(label=gettext_lazy("File (CSV or XLSX)"), allow_empty_file=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(s.slug, _("Graduates' answers (national upload layout): %(survey)s") % {"survey": s.label})
                   for s in Survey.objects.filter(kind=Survey.Kind.ALUMNI)]
        choices.append((EMPLOYER, _("Employer ratings (nim, study_program, employer, …, saran)")))
        self.fields["target"].choices = choices

    def clean_file(self):
        upload = self.cleaned_data["file"]
        cap = reading.limit("IMPORT_MAX_BYTES")
        if upload.size > cap:
            raise forms.ValidationError(_("The file is larger than %(limit)s. Split it into smaller files.") % {
                "limit": reading.size_text(cap)})
        return upload


def _run(target: str, source, user, *, dry_run: bool) -> national.Outcome:
    programs = staff_programs(user)
    if target == EMPLOYER:
        return national.import_employer_responses(source, programs=programs, dry_run=dry_run)
    survey = Survey.objects.filter(slug=target, kind=Survey.Kind.ALUMNI).first()
    if survey is None:
        raise Http404
    return national.import_responses(source, survey=survey, programs=programs, dry_run=dry_run)


@login_required
@require_http_methods(["GET", "POST"])
def import_responses(request: HttpRequest) -> HttpResponse:
    """Upload → check (nothing saved; the file is kept aside) → confirm (saved all or nothing) or cancel."""
    require_staff(request.user)
    pending = request.session.get(SESSION_KEY)
    if request.method == "POST" and request.POST.get("action") in ("confirm", "cancel"):
        if not pending or request.POST.get("token") != pending["token"]:
            messages.error(request, _("This check has expired. Upload the file again."))
            return redirect("tracer:import_responses")
        del request.session[SESSION_KEY]
        try:
            if request.POST["action"] == "cancel":
                return redirect("tracer:import_responses")
            with default_storage.open(pending["path"], "rb") as handle:
                outcome = _run(pending["target"], handle.read(), request.user, dry_run=False)
        finally:
            default_storage.delete(pending["path"])
        if outcome.ok:
            messages.success(request, _("%(count)s responses imported.") % {"count": outcome.created})
            return redirect("tracer:results")
        return render(request, "tracer/results_import.html",
                      {"form": ImportForm(), "outcome": outcome, "name": pending["name"]})
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        outcome = _run(form.cleaned_data["target"], data, request.user, dry_run=True)
        context.update(outcome=outcome, name=upload.name)
        if outcome.ok:
            if pending:
                default_storage.delete(pending["path"])
            token = uuid.uuid4().hex
            path = default_storage.save(f"tracer-imports/{token}.bin", ContentFile(data))
            request.session[SESSION_KEY] = {"token": token, "path": path, "name": upload.name,
                                            "target": form.cleaned_data["target"]}
            context["token"] = token
    return render(request, "tracer/results_import.html", context)
