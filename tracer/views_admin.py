"""Tracer pages for institution admins (survey builder, creating and launching waves) and study-program staff
(reading the waves of their study programs). Writes go through `tracer.services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alumni.models import Consent
from alumni.scope import require_admin, require_staff, scope_for
from core.confirm import is_confirmed
from core.forms import add_service_errors

from . import selectors, services
from .forms_admin import QuestionAddForm, QuestionForm, WaveForm
from .models import Invitation, Question, Survey, SurveyVersion, Wave

PAGE_SIZE = 50


def _copied_message(request, edit) -> None:
    if edit.copied:
        messages.warning(request, _(
            "That version is used by a wave, so it was not changed: your edit was saved in a new version, %(v)s."
        ) % {"v": edit.version})


# --- Survey builder ------------------------------------------------------------------------------------------


@login_required
def surveys(request: HttpRequest) -> HttpResponse:
    require_admin(request.user)
    versions = SurveyVersion.objects.annotate(n_questions=Count("questions")).order_by("number")
    rows = Survey.objects.prefetch_related(Prefetch("versions", queryset=versions))
    return render(request, "tracer/admin_surveys.html", {"surveys": rows})


@login_required
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    require_admin(request.user)
    version = get_object_or_404(SurveyVersion.objects.select_related("survey"), pk=pk)
    questions = version.questions.prefetch_related("options").order_by("position")
    return render(request, "tracer/admin_survey.html", {
        "version": version, "questions": questions, "waves": version.waves.order_by("-opens_at"),
    })


@login_required
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_admin(request.user)
    question = get_object_or_404(Question.objects.select_related("version__survey"), pk=pk)
    form = QuestionForm(request.POST or None, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            edit = services.question_update(
                question=question, by=request.user, data=form.service_data(),
                options=form.cleaned_data["options"] if form.has_options() else None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _copied_message(request, edit)
            messages.success(request, _("Question %(code)s saved.") % {"code": edit.question.code})
            return redirect("tracer:survey", edit.version.pk)
    return render(request, "tracer/admin_question_form.html", {
        "form": form, "question": question, "version": question.version,
    })


@login_required
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_admin(request.user)
    version = get_object_or_404(SurveyVersion.objects.select_related("survey"), pk=pk)
    form = QuestionAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            edit = services.question_add(
                version=version, by=request.user, code=d["code"], type=d["type"], page=d["page"],
                data=form.service_data(), options=d["options"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _copied_message(request, edit)
            messages.success(request, _("Question %(code)s added.") % {"code": edit.question.code})
            return redirect("tracer:survey", edit.version.pk)
    return render(request, "tracer/admin_question_form.html", {"form": form, "question": None, "version": version})


@login_required
@require_http_methods(["GET", "POST"])
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET (or a POST without the confirmation flag): what removing the question does (in this version, or in a new
    one when a wave uses it; the questions shown depending on it block it) and a confirm button; a confirmed POST
    removes it."""
    require_admin(request.user)
    question = get_object_or_404(Question.objects.select_related("version__survey"), pk=pk)
    if not is_confirmed(request):
        version = question.version
        dependents = [other.code for other in version.questions.exclude(pk=question.pk).order_by("position")
                      if any(c.get("code") == question.code for c in other.show_if or [])]
        return render(request, "tracer/admin_question_delete.html", {
            "question": question, "version": version, "dependents": dependents,
            "options": question.options.count(), "waves": version.waves.count(),
        })
    try:
        edit = services.question_remove(question=question, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("tracer:survey", question.version_id)
    _copied_message(request, edit)
    messages.success(request, _("Question %(code)s removed.") % {"code": question.code})
    return redirect("tracer:survey", edit.version.pk)


# --- Waves ---------------------------------------------------------------------------------------------------


@login_required
def waves(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    rows = list(
        Wave.objects.visible_to(request.user).select_related("version__survey").prefetch_related("study_programs")
    )
    # The same counts as each wave's own page (selectors.wave_counts): graduates and employers apart.
    counts = selectors.wave_counts(wave_ids=[w.pk for w in rows])
    return render(request, "tracer/wave_list.html", {
        "waves": [(w, counts[w.pk]) for w in rows], "can_manage": scope_for(request.user).is_admin,
        "now": timezone.now(),
    })


@login_required
def wave_create(request: HttpRequest) -> HttpResponse:
    require_admin(request.user)
    form = WaveForm(request.POST or None, study_programs=services.admin_study_programs(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            wave = services.wave_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Wave created. Check it, then launch it to send the invitations."))
            return redirect(wave)
    return render(request, "tracer/wave_form.html", {"form": form})


def wave_stats(wave: Wave) -> dict:
    """The wave's counts (selectors.wave_counts, which the wave list shows too: graduates and employers apart),
    the response rate of graduates, and how many graduates objected (get no more tracer emails: their account
    withdrew tracer consent or, without an account, their address objected: the stop link of an email, or an
    account under that address; services.withdrawn_emails). Three queries, plus one per 5,000 addresses of
    invitees without an account."""
    counts = selectors.wave_counts(wave_ids=[wave.pk])[wave.pk]
    account_latest = (
        Consent.objects.filter(user_id=OuterRef("profile__user_id"), purpose=Consent.Purpose.TRACER)
        .order_by("-at", "-pk").values("granted")[:1]
    )
    invitations = Invitation.objects.filter(wave=wave, respondent=Invitation.Respondent.GRADUATE)
    objected = invitations.annotate(account_granted=Subquery(account_latest)).aggregate(
        objected=Count("pk", filter=Q(profile__user__isnull=False, account_granted=False)),
    )["objected"]
    addresses = [e.lower() for e in invitations.filter(profile__user__isnull=True).exclude(profile__email="")
                 .values_list("profile__email", flat=True)]
    withdrawn = services.withdrawn_emails(set(addresses))
    objected += sum(1 for e in addresses if e in withdrawn)
    return {
        "invited": counts.graduates_invited, "started": counts.graduates_started,
        "submitted": counts.graduates_submitted, "objected": objected, "rate": counts.response_rate,
        "employers_invited": counts.employers_invited, "employers_submitted": counts.employers_submitted,
    }


@login_required
def wave(request: HttpRequest, pk) -> HttpResponse:
    require_staff(request.user)
    wave = get_object_or_404(
        Wave.objects.visible_to(request.user).select_related("version__survey", "created_by"), pk=pk
    )
    scope = scope_for(request.user)
    invitations = (
        Invitation.objects.filter(wave=wave, respondent=Invitation.Respondent.GRADUATE)
        .filter(Q(profile__study_program_id__in=scope.staff_program_ids) if not scope.is_superuser else Q())
        .select_related("profile__study_program", "response").order_by("profile__full_name", "pk")
    )
    page = Paginator(invitations, PAGE_SIZE).get_page(request.GET.get("page"))
    schedule = [
        {"number": n, "days": days, "counts": n <= wave.max_reminders}
        for n, days in enumerate(wave.reminder_days or [], start=1)
    ]
    return render(request, "tracer/wave_detail.html", {
        "wave": wave, "stats": wave_stats(wave), "page": page, "schedule": schedule,
        "study_programs": wave.study_programs.all(), "can_manage": scope.is_admin and wave.launched_at is None,
        "eligible": services.eligible_profiles(wave).count() if wave.launched_at is None else None,
        "can_close": scope.is_admin and wave.launched_at is not None and wave.closes_at > timezone.now(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def wave_launch(request: HttpRequest, pk) -> HttpResponse:
    """GET (or a POST without the confirmation flag): who would be invited and emailed, and a confirm button; a
    confirmed POST launches (emails go out at once: it cannot be taken back)."""
    require_admin(request.user)
    wave = get_object_or_404(Wave.objects.managed_by(request.user).select_related("version__survey"), pk=pk)
    if wave.launched_at is not None:
        messages.error(request, _("This wave was launched already."))
        return redirect(wave)
    if is_confirmed(request):
        try:
            invited = services.wave_launch(wave=wave, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Wave launched: %(n)d graduates invited.") % {"n": invited})
        return redirect(wave)
    return render(request, "tracer/wave_launch_confirm.html", {
        "wave": wave, "summary": services.wave_launch_summary(wave), "study_programs": wave.study_programs.all(),
        "closed": wave.closes_at <= timezone.now(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def wave_close(request: HttpRequest, pk) -> HttpResponse:
    """GET (or a POST without the confirmation flag): who can no longer answer, and a confirm button; a confirmed
    POST closes the wave (a wave is not reopened)."""
    require_admin(request.user)
    wave = get_object_or_404(Wave.objects.managed_by(request.user), pk=pk)
    if not is_confirmed(request):
        if wave.closes_at <= timezone.now():
            messages.error(request, _("This wave is already closed."))
            return redirect(wave)
        return render(request, "tracer/wave_close_confirm.html", {"wave": wave, "stats": wave_stats(wave)})
    try:
        services.wave_close(wave=wave, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Wave closed: no more answers or reminders."))
    return redirect(wave)
