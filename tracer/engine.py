"""Answering a questionnaire: branching (show_if), validation per question type, saving page by page, submitting.

Answers travel as a dict {upload column code: value} (`f8: 1`, `f401: 0`, `f415: 1`, `f1761: 4`, `f18d: date`).
Posted data is read with the question code as field name (one field per grid row, named by the row's code; a
multiple-choice question posts its chosen option values under its code).

The server is the authority on what is shown: a hidden question is never required, and its stored answers are
removed when a page is saved, so a change of branch (f8 from 1 to 4) clears the stale employment answers.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from alumni.scope import scope_for
from core.audit import audit_log
from core.dispatch import enqueue
from core.models import Notification
from core.notifications import ClaimItem, notification_deliver, notifications_claim_many

from .models import Answer, Invitation, Question, Response, Survey, SurveyVersion
from .nomination import supervisor_email_refusal
from .objections import stop_url

logger = logging.getLogger(__name__)

T = Question.Type
TEXT_MAX = 2000
EMPLOYER_SURVEY = "dikti-employer"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^-?\d+$")


class AnswerRefused(ValidationError):
    """The response may not change: its wave is closed (or not launched) or it was submitted."""


class SubmitRefused(ValidationError):
    """Some visible question is unanswered or invalid; `page` is the first page with a problem."""

    def __init__(self, message, *, page: int, errors: dict[str, str]):
        super().__init__(message, code="incomplete")
        self.page = page
        self.errors = errors


# --- questions and branching ---------------------------------------------------------------------------------


def questions_of(version: SurveyVersion | Iterable[Question]) -> list[Question]:
    """The questions of a version in order, with their options (two queries); a list passes through."""
    if isinstance(version, SurveyVersion):
        cached = getattr(version, "_engine_questions", None)
        if cached is None:
            cached = list(version.questions.prefetch_related("options").order_by("position"))
            version._engine_questions = cached
        return cached
    return list(version)


def pages_of(version) -> list[int]:
    return sorted({q.page for q in questions_of(version)}) or [1]


def option_values(question: Question) -> list[int]:
    return [option.value for option in question.options.all()]


def columns_of(question: Question) -> list[str]:
    if question.type == T.GRID:
        return [row["code"] for row in question.rows]
    if question.type == T.MULTIPLE:
        return [question.option_column(value) for value in option_values(question)]
    return [question.code]


def _holds(condition: Mapping, by_code: dict[str, Question], answers: Mapping, visible: set[str]) -> bool:
    code = condition.get("code")
    wanted = set(condition.get("in") or [])
    source = by_code.get(code)
    if source is not None and code not in visible:
        return False  # the question it depends on is itself hidden (or comes later): its answer does not count
    if source is not None and source.type == T.MULTIPLE:
        return any(answers.get(source.option_column(value)) == 1 for value in wanted)
    return answers.get(code) in wanted


def visible_questions(version, answers: Mapping[str, Any]) -> list[Question]:
    """The questions shown for these answers, in order: every show_if condition must hold. A condition on a
    multiple-choice question ({"code": "f4", "in": [15]}) holds when one of those options is chosen (f415 == 1)."""
    questions = questions_of(version)
    by_code = {q.code: q for q in questions}
    visible: set[str] = set()
    shown = []
    for question in questions:
        if all(_holds(c, by_code, answers, visible) for c in question.show_if or []):
            visible.add(question.code)
            shown.append(question)
    return shown


def visible_codes(version, answers: Mapping[str, Any]) -> set[str]:
    return {q.code for q in visible_questions(version, answers)}


# --- reading posted data -------------------------------------------------------------------------------------


def _many(data: Mapping, name: str) -> list[str]:
    if hasattr(data, "getlist"):
        values = data.getlist(name)
    else:
        value = data.get(name)
        values = [] if value is None else list(value) if isinstance(value, list | tuple | set) else [value]
    return [str(v).strip() for v in values if str(v).strip()]


def _one(data: Mapping, name: str) -> str:
    values = _many(data, name)
    return values[-1] if values else ""


def _range_error(question: Question, number: int) -> str | None:
    low, high = question.min_value, question.max_value
    if (low is None or number >= low) and (high is None or number <= high):
        return None
    fmt = (lambda n: number_format(n, force_grouping=True)) if question.type == T.MONEY else str
    if low is not None and high is not None:
        return _("Enter a number between %(min)s and %(max)s.") % {"min": fmt(low), "max": fmt(high)}
    if low is not None:
        return _("Enter a number of at least %(min)s.") % {"min": fmt(low)}
    return _("Enter a number of at most %(max)s.") % {"max": fmt(high)}


def _choice(question: Question, raw: str) -> int | None:
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if value in option_values(question) else None


def _parse(question: Question, data: Mapping) -> tuple[dict[str, Any], str | None]:
    """The columns this question's posted answer fills (nothing when unanswered), or a format error."""
    kind = question.type
    if kind in (T.SINGLE, T.SCALE):
        raw = _one(data, question.code)
        if not raw:
            return {}, None
        value = _choice(question, raw)
        if value is None:
            return {}, _("Choose one of the options.")
        return {question.code: value}, None
    if kind == T.MULTIPLE:
        raws = _many(data, question.code)
        if not raws:
            return {}, None
        chosen = {_choice(question, raw) for raw in raws}
        if None in chosen:
            return {}, _("Choose only from the options.")
        return {question.option_column(v): int(v in chosen) for v in option_values(question)}, None
    if kind in (T.INTEGER, T.MONEY):
        raw = _one(data, question.code).replace(" ", "")
        if not raw:
            return {}, None
        if kind == T.MONEY:
            # Indonesian writing: "Rp 4.500.000" or "4.500.000,00".
            raw = re.sub(r"^rp\.?", "", raw, flags=re.IGNORECASE).replace(".", "")
            raw = re.sub(r",0+$", "", raw)
        if not _INTEGER.match(raw):
            if kind == T.MONEY:
                return {}, _("Enter an amount in rupiah using digits only, e.g. 4500000.")
            return {}, _("Enter a whole number.")
        number = int(raw)
        error = _range_error(question, number)
        return ({}, error) if error else ({question.code: number}, None)
    if kind == T.DATE:
        raw = _one(data, question.code)
        if not raw:
            return {}, None
        try:
            if not _DATE.match(raw):
                raise ValueError(raw)
            return {question.code: datetime.date.fromisoformat(raw)}, None
        except ValueError:
            return {}, _("Enter a date as YYYY-MM-DD, e.g. 2024-08-31.")
    if kind == T.GRID:
        values = {}
        for row in question.rows:
            raw = _one(data, row["code"])
            if not raw:
                continue
            value = _choice(question, raw)
            if value is None:
                return {}, _("Choose one of the options in every row.")
            values[row["code"]] = value
        return values, None
    # TEXT
    raw = _one(data, question.code)
    if len(raw) > TEXT_MAX:
        return {}, _("Keep the answer under %(max)s characters.") % {"max": TEXT_MAX}
    return ({question.code: raw} if raw else {}), None


def row_label(row: Mapping) -> str:
    english = (translation.get_language() or "id").startswith("en")
    return (row.get("label_en") if english else "") or row.get("label", row["code"])


def _missing(question: Question, values: Mapping[str, Any]) -> str | None:
    """The 'required' message when this question's answer is incomplete."""
    if question.type == T.MULTIPLE:
        return None if any(v == 1 for v in values.values()) else _("Choose at least one option.")
    if question.type == T.GRID:
        missing = [row_label(row) for row in question.rows if row["code"] not in values]
        if not missing:
            return None
        return _("Answer every row (still missing: %(rows)s).") % {"rows": ", ".join(missing)}
    return None if values else _("This question is required.")


def validate_page(
    version, page: int, data: Mapping, *, existing: Mapping[str, Any] | None = None, partial: bool = False
) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean the answers of one page: ({column code: value} of the visible questions, {question code: error}).

    `existing` holds the answers of the other pages (their conditions decide what this page shows). With
    `partial` (save and finish later) unanswered required questions are no error; invalid values still are.
    """
    questions = questions_of(version)
    on_page = [q for q in questions if q.page == page]
    page_columns = {c for q in on_page for c in columns_of(q)}
    parsed: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    for question in on_page:
        parsed[question.code], error = _parse(question, data)
        if error:
            errors[question.code] = error
    merged = {k: v for k, v in (existing or {}).items() if k not in page_columns}
    for values in parsed.values():
        merged.update(values)
    visible = visible_codes(questions, merged)
    clean: dict[str, Any] = {}
    for question in on_page:
        if question.code not in visible:
            errors.pop(question.code, None)
            continue
        if question.code in errors:
            continue
        if question.required and not partial:
            message = _missing(question, parsed[question.code])
            if message:
                errors[question.code] = message
                continue
        clean.update(parsed[question.code])
    return clean, errors


def as_data(version, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Stored answers in the shape of posted data (to show them in the form, or to validate them again)."""
    data: dict[str, Any] = {}
    for question in questions_of(version):
        if question.type == T.MULTIPLE:
            chosen = [str(v) for v in option_values(question) if answers.get(question.option_column(v)) == 1]
            if chosen:
                data[question.code] = chosen
        elif question.type == T.GRID:
            for row in question.rows:
                if row["code"] in answers:
                    data[row["code"]] = str(answers[row["code"]])
        elif question.code in answers:
            value = answers[question.code]
            data[question.code] = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return data


def chosen_values(version, answers: Mapping[str, Any]) -> dict[str, list[int]]:
    """{question code: chosen option values} of the visible choice questions (what the page script needs to
    evaluate conditions on questions of other pages)."""
    out = {}
    for question in visible_questions(version, answers):
        if question.type == T.MULTIPLE:
            out[question.code] = [v for v in option_values(question) if answers.get(question.option_column(v)) == 1]
        elif question.code in answers and isinstance(answers[question.code], int):
            out[question.code] = [answers[question.code]]
    return out


# --- responses -----------------------------------------------------------------------------------------------


def answers_of(response: Response | None) -> dict[str, Any]:
    if response is None or response.pk is None:
        return {}
    rows = Answer.objects.filter(response=response).values_list("code", "value_int", "value_text", "value_date")
    return {
        code: number if number is not None else day if day is not None else text
        for code, number, text, day in rows
    }


def response_for(invitation: Invitation) -> Response:
    """The one response of this invitation (made on first save)."""
    response, _created = Response.objects.get_or_create(
        invitation=invitation, defaults={"version": invitation.version, "profile": invitation.profile}
    )
    response.invitation = invitation
    return response


def refusal(invitation: Invitation, response: Response | None = None) -> AnswerRefused | None:
    """Why this invitation's response may not change now, or None."""
    if response is not None and response.status == Response.Status.SUBMITTED:
        return AnswerRefused(_("This questionnaire was submitted and can no longer be changed."), code="submitted")
    wave = invitation.wave
    if wave is not None and not wave.is_open():
        if wave.launched_at is None or timezone.now() < wave.opens_at:
            return AnswerRefused(_("This survey is not open yet."), code="not_open")
        return AnswerRefused(_("This survey is closed. Answers can no longer be given or changed."), code="closed")
    return None


def _check_editable(response: Response) -> None:
    if response.invitation_id is None:
        raise AnswerRefused(_("This response was imported and cannot be changed here."), code="imported")
    problem = refusal(response.invitation, response)
    if problem:
        raise problem


def _answer_row(response: Response, code: str, value) -> Answer:
    row = Answer(response=response, code=code)
    if isinstance(value, datetime.date):
        row.value_date = value
    elif isinstance(value, int):
        row.value_int = value
    else:
        row.value_text = value
    return row


def _write(response: Response, answers: Mapping[str, Any], remove: Iterable[str]) -> None:
    """Two statements however many answers: one DELETE and one INSERT … ON CONFLICT DO UPDATE."""
    remove = sorted(set(remove) - set(answers))
    if remove:
        Answer.objects.filter(response=response, code__in=remove).delete()
    if answers:
        Answer.objects.bulk_create(
            [_answer_row(response, code, value) for code, value in answers.items()],
            update_conflicts=True, unique_fields=["response", "code"],
            update_fields=["value_int", "value_text", "value_date"],
        )


def response_save_page(
    *, response: Response, page: int, data: Mapping, partial: bool = False, advance: bool = True,
    respondent: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """Validate and store one page; return the errors by question code (nothing is stored when there are any).

    Answers of questions now hidden (on any page) are deleted. `response.page` moves to the next page when
    `advance` (never backwards), and stays on this page for "save and finish later" (`partial`).
    Raises AnswerRefused when the wave is closed or the response was submitted.
    """
    _check_editable(response)
    version = response.version
    questions = questions_of(version)
    pages = pages_of(questions)
    existing = answers_of(response)
    clean, errors = validate_page(questions, page, data, existing=existing, partial=partial)
    if errors:
        return errors
    page_columns = {c for q in questions if q.page == page for c in columns_of(q)}
    merged = {k: v for k, v in existing.items() if k not in page_columns} | clean
    visible = visible_codes(questions, merged)
    hidden_columns = {c for q in questions if q.code not in visible for c in columns_of(q)}
    stale = (page_columns - set(clean)) | (hidden_columns & set(existing))
    with transaction.atomic():
        _write(response, clean, stale & set(existing))
        if advance:
            later = [p for p in pages if p > page]
            response.page = max(response.page, later[0] if later else page)
        else:
            response.page = page
        fields = ["page", "updated_at"]
        for field, value in (respondent or {}).items():
            setattr(response, field, value)
            fields.append(field)
        response.save(update_fields=fields)
    return errors


def problems(version, answers: Mapping[str, Any]) -> dict[int, dict[str, str]]:
    """Every page's errors for these stored answers: {page: {question code: error}}."""
    data = as_data(version, answers)
    out = {}
    for page in pages_of(version):
        _clean, errors = validate_page(version, page, data, existing=answers)
        if errors:
            out[page] = errors
    return out


def response_submit(*, response: Response, nominee: Mapping[str, str] | None = None) -> Response:
    """Check every visible question again and mark the response submitted (once).

    Raises SubmitRefused naming the first page with a problem, or AnswerRefused. A graduate's `nominee`
    (name, position, organisation, email of their supervisor) becomes an employer invitation for the same wave,
    emailed once after commit.
    """
    _check_editable(response)
    version = response.version
    answers = answers_of(response)
    found = problems(version, answers)
    if found:
        page = min(found)
        raise SubmitRefused(
            _("Some questions still need an answer: please check page %(page)s of %(pages)s.")
            % {"page": page, "pages": len(pages_of(version))},
            page=page, errors=found[page],
        )
    now = timezone.now()
    with transaction.atomic():
        # The conditional update is the once-guard: of two concurrent submits only one matches a partial row.
        won = Response.objects.filter(pk=response.pk, status=Response.Status.PARTIAL).update(
            status=Response.Status.SUBMITTED, submitted_at=now, updated_at=now,
            response_date=response.response_date or timezone.localdate(),
        )
        if not won:
            raise AnswerRefused(_("This questionnaire was submitted and can no longer be changed."), code="submitted")
        response.refresh_from_db()
        if nominee and nominee.get("email") and response.invitation.respondent == Invitation.Respondent.GRADUATE:
            employer_nominate(response=response, **nominee)
    return response


# --- employer nomination -------------------------------------------------------------------------------------


def employer_version() -> SurveyVersion | None:
    survey = Survey.objects.filter(slug=EMPLOYER_SURVEY).first()
    return survey.latest_version() if survey else None


def employer_nominate(*, response: Response, name: str, email: str, position: str = "",
                      organisation: str = "") -> Invitation | None:
    """Invite the graduate's supervisor to the employer survey about this graduate; the link's email is claimed in
    the outbox now and sent after commit."""
    version = employer_version()
    if version is None:
        logger.warning("no %s survey installed: nomination from response %s dropped", EMPLOYER_SURVEY, response.pk)
        return None
    if Invitation.objects.filter(nominated_in=response, respondent=Invitation.Respondent.EMPLOYER).exists():
        return None
    if supervisor_email_refusal(profile=response.profile, email=email):
        return None  # the graduate themselves or another graduate: the answer form refuses it with its reason
    if response.profile.verification != response.profile.Verification.VERIFIED:
        return None  # an unverified claimant names no supervisor on the graduate's behalf
    invitation = Invitation.objects.create(
        respondent=Invitation.Respondent.EMPLOYER, version=version, profile=response.profile,
        wave=response.invitation.wave if response.invitation_id else None, nominated_in=response,
        name=name, position=position, organisation=organisation, email=email,
    )
    # The email's outbox row, in the submit's transaction: sent after commit, or by the sweep after a crash.
    claimed = notifications_claim_many([_employer_item(invitation)], deliver=False)
    enqueue("core.tasks.deliver_notifications", [row.pk for row in claimed])
    return invitation


def employer_invite(*, profile, by, name: str, email: str, position: str = "", organisation: str = "") -> Invitation:
    """Staff send an employer-survey link about one graduate of their study program (no nomination needed)."""
    scope = scope_for(by)
    if not scope.is_superuser and profile.study_program_id not in scope.staff_program_ids:
        raise PermissionDenied(_("You can only ask employers about graduates of your own study programs."))
    if profile.verification != profile.Verification.VERIFIED:
        # A self-declared record nobody verified: its employer is not asked about someone we do not know.
        raise ValidationError(_("This record is not verified: verify it before asking an employer about it."))
    refusal = supervisor_email_refusal(profile=profile, email=email)
    if refusal:
        raise ValidationError({"email": refusal})
    version = employer_version()
    if version is None:
        raise ValidationError(_("The employer survey is not installed."))
    with transaction.atomic():
        invitation = Invitation.objects.create(
            respondent=Invitation.Respondent.EMPLOYER, version=version, profile=profile, created_by=by,
            name=name.strip(), position=position.strip(), organisation=organisation.strip(), email=email.strip(),
        )
        audit_log(actor=by, action="tracer.employer.invited", target=invitation,
                  study_program=profile.study_program)  # not where the graduate works: they may hide it
        # The email's outbox row, committed with the invitation: sent after commit, or by the sweep after a crash.
        if invitation.email:
            claimed = notifications_claim_many([_employer_item(invitation)], deliver=False)
            enqueue("core.tasks.deliver_notifications", [row.pk for row in claimed])
    return invitation


EMPLOYER_KIND = "tracer_employer"


def _employer_item(invitation: Invitation) -> ClaimItem:
    """The supervisor's link, in Indonesian, to the address staff gave."""
    return ClaimItem(
        key=f"{EMPLOYER_KIND}:{invitation.pk}", kind=EMPLOYER_KIND, recipient=None, to_email=invitation.email,
        language="id", template="tracer/answer_employer_email",
        context={"invitation": invitation, "profile": invitation.profile, "survey": invitation.version.survey,
                 "link": f"{settings.SITE_URL}{invitation.answer_path()}", "stop_url": stop_url(invitation)},
    )


def employer_invitation_send(*, invitation_id) -> bool:
    """Send the supervisor's email (its outbox row, claimed with the invitation); True when it went out now.
    Leased and sent at most once by the outbox; a failed send stays unsent for the sweep."""
    pk = Notification.objects.unsent().filter(key=f"{EMPLOYER_KIND}:{invitation_id}").values_list("pk", flat=True)
    pk = pk.first()
    if pk is None:
        return False
    try:
        return notification_deliver(notification_id=pk)
    except OSError as exc:  # smtplib.SMTPException is an OSError
        logger.warning("employer invitation %s: email failed: %s", invitation_id, exc)
        return False
