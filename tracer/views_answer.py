"""Answering a tracer questionnaire through a personal link, page by page, on a phone.

The token in the URL is the credential: it reaches only its own invitation's response, with or without login, and
no URL names a response by id. Every change goes through tracer.engine, which refuses closed waves and
submitted responses.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import engine
from .forms_answer import NominationForm, RespondentForm
from .models import Invitation, Question, Response

T = Question.Type
# More options than this are a drop-down (the 38 provinces), fewer are large stacked radios.
SELECT_ABOVE = 12


def _invitation(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("wave", "version__survey", "profile__study_program")
        .filter(token=token)
        .first()
    )
    if invitation is None:
        raise Http404(_("This link is not valid."))
    return invitation


def _response(invitation: Invitation) -> Response | None:
    try:
        return invitation.response
    except Response.DoesNotExist:
        return None


def _page_url(token: str, page: int) -> str:
    return f"{reverse('tracer:answer', args=[token])}?page={page}"


def _fields(questions, page: int, data, visible: set[str], errors: dict[str, str], *, multiline=False) -> list[dict]:
    """What the template needs for each question of the page, with the values from `data` (posted or stored)."""
    fields = []
    for q in questions:
        if q.page != page:
            continue
        options = [(str(o.value), o.label) for o in q.options.all()]
        field = {
            "q": q, "code": q.code, "type": q.type, "options": options, "error": errors.get(q.code, ""),
            "hidden": q.code not in visible, "show_if": json.dumps(q.show_if or []),
            "value": engine._one(data, q.code), "values": engine._many(data, q.code),
        }
        if q.type in (T.SINGLE, T.SCALE):
            field["widget"] = "select" if len(options) > SELECT_ABOVE else "radio"
        elif q.type == T.GRID:
            field["widget"] = "grid"
            field["rows"] = [
                {"code": row["code"], "label": engine.row_label(row), "value": engine._one(data, row["code"])}
                for row in q.rows
            ]
        elif q.type == T.MULTIPLE:
            field["widget"] = "checkbox"
        elif q.type in (T.INTEGER, T.MONEY):
            field["widget"] = q.type
        elif q.type == T.DATE:
            field["widget"] = "date"
        else:
            field["widget"] = "textarea" if multiline else "text"
        fields.append(field)
    return fields


def _render_page(request, invitation, response, page, *, data=None, errors=None, extra_form=None, status=200):
    version = invitation.version
    questions = engine.questions_of(version)
    pages = engine.pages_of(questions)
    answers = engine.answers_of(response)
    stored = engine.as_data(questions, answers)
    shown = data if data is not None else stored
    if data is not None:
        # Visibility follows what was just posted on this page, and the stored answers of the other pages.
        page_columns = {c for q in questions if q.page == page for c in engine.columns_of(q)}
        current = {k: v for k, v in answers.items() if k not in page_columns}
        for q in questions:
            if q.page == page:
                current.update(engine._parse(q, data)[0])
    else:
        current = answers
    visible = engine.visible_codes(questions, current)
    # Conditions on questions of other pages are evaluated by the page script from these values.
    other = {k: v for k, v in engine.chosen_values(questions, answers).items()
             if k not in {q.code for q in questions if q.page == page}}
    is_employer = invitation.respondent == Invitation.Respondent.EMPLOYER
    last = page == pages[-1]
    if extra_form is None and last:
        if is_employer:
            extra_form = RespondentForm(initial=RespondentForm.initial_for(invitation, response))
        else:
            extra_form = NominationForm()
    return render(request, "tracer/answer_page.html", {
        "invitation": invitation, "response": response, "survey": version.survey, "token": invitation.token,
        "page": page, "pages": len(pages), "page_index": pages.index(page) + 1, "is_last": last,
        "previous_page": pages[pages.index(page) - 1] if page != pages[0] else None,
        "fields": _fields(questions, page, shown, visible, errors or {}, multiline=is_employer), "errors": errors or {},
        "known": other, "is_employer": is_employer, "extra_form": extra_form,
    }, status=status)


def _requested_page(raw, pages: list[int], reached: int) -> int:
    try:
        page = int(raw)
    except (TypeError, ValueError):
        page = reached
    # No skipping ahead of the page reached; unknown numbers fall back to the nearest page.
    page = min(page, reached)
    return max([p for p in pages if p <= page] or [pages[0]])


@never_cache  # personal answers: no copy in a shared phone's or a proxy's cache
def answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(token)
    response = _response(invitation)
    if response is not None and response.status == Response.Status.SUBMITTED:
        if request.method == "POST":
            messages.info(request, _("This questionnaire was submitted and can no longer be changed."))
        return redirect("tracer:answer_done", token)
    problem = engine.refusal(invitation, response)
    if problem:
        return render(request, "tracer/answer_closed.html", {
            "invitation": invitation, "survey": invitation.version.survey, "message": problem.messages[0],
        }, status=403 if request.method == "POST" else 200)
    pages = engine.pages_of(invitation.version)
    reached = response.page if response is not None else pages[0]
    if request.method != "POST":
        page = _requested_page(request.GET.get("page"), pages, reached)
        return _render_page(request, invitation, response, page)

    page = _requested_page(request.POST.get("page"), pages, reached)
    action = request.POST.get("action", "next")
    is_employer = invitation.respondent == Invitation.Respondent.EMPLOYER
    last = page == pages[-1]
    extra_form = None
    respondent = None
    if last:
        if is_employer:
            extra_form = RespondentForm(request.POST)
        else:
            extra_form = NominationForm(request.POST, profile=invitation.profile)
        if is_employer and action == "later":
            extra_form.is_valid()
            respondent = {k: v for k, v in extra_form.cleaned_data.items() if v}
        elif extra_form.is_valid() and is_employer:
            respondent = extra_form.cleaned_data
    response = response or engine.response_for(invitation)
    errors = engine.response_save_page(
        response=response, page=page, data=request.POST, partial=action == "later", advance=action != "later",
        respondent=respondent,
    )
    if errors:
        messages.error(request, _("Please check the answers marked below."))
        return _render_page(request, invitation, response, page, data=request.POST, errors=errors,
                            extra_form=extra_form)
    if action == "later":
        messages.success(request, _("Your answers are saved. Open the same link again to continue where you left "
                                    "off."))
        return redirect(_page_url(token, page))
    if not last:
        return redirect(_page_url(token, response.page))
    if extra_form is not None and not extra_form.is_valid() and action == "submit":
        return _render_page(request, invitation, response, page, data=request.POST, extra_form=extra_form)
    if action != "submit":
        return redirect(_page_url(token, page))
    nominee = extra_form.nominee() if isinstance(extra_form, NominationForm) else None
    try:
        engine.response_submit(response=response, nominee=nominee)
    except engine.SubmitRefused as exc:
        # Show the first page with a problem, with the problems marked beside their questions.
        messages.error(request, exc.messages[0])
        return _render_page(request, invitation, response, exc.page, errors=exc.errors)
    return redirect("tracer:answer_done", token)


@never_cache
def answer_done(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(token)
    response = _response(invitation)
    if response is None or response.status != Response.Status.SUBMITTED:
        return redirect("tracer:answer", token)
    nominated = response.employer_invitations.filter(respondent=Invitation.Respondent.EMPLOYER).first()
    return render(request, "tracer/answer_done.html", {
        "invitation": invitation, "response": response, "survey": invitation.version.survey, "nominated": nominated,
    })


@login_required
def my_surveys(request: HttpRequest) -> HttpResponse:
    """The logged-in graduate's own tracer invitations (never employer invitations about them)."""
    invitations = list(
        Invitation.objects.filter(profile__user=request.user, respondent=Invitation.Respondent.GRADUATE)
        .select_related("wave", "version__survey", "response")
        .order_by("-created_at")
    )
    rows = []
    for invitation in invitations:
        response = _response(invitation)
        problem = engine.refusal(invitation, None)
        if response is not None and response.status == Response.Status.SUBMITTED:
            status, action = _("Submitted"), _("View")
        elif problem is not None:
            status, action = problem.messages[0], ""
        elif response is not None:
            status, action = _("Started (page %(page)s)") % {"page": response.page}, _("Continue")
        else:
            status, action = _("Not started"), _("Start")
        rows.append({"invitation": invitation, "response": response, "status": status, "action": action})
    return render(request, "tracer/answer_my.html", {"rows": rows})
