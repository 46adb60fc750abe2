"""Results of a tracer wave or of a graduation-year cohort, for the staff of the study programs concerned.

Everything is a database aggregate over the Answer rows of the submitted responses in scope: one GROUP BY
(code, value_int) for every choice/scale/grid/0-1 column, one Avg per grid row, one conditional count for the
waiting time. The number of queries is fixed, whatever the number of responses; Python only walks the grouped
rows (at most a few hundred: codes × official values).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Avg, Count, Q, QuerySet, Subquery

from alumni.models import AlumniProfile, StudyProgram
from alumni.scope import scope_for

from .models import Answer, Invitation, Question, Response, Survey, SurveyVersion, Wave

WAIT_CODE = "f502"
WAIT_BUCKETS = (("lt6", None, 5), ("6to18", 6, 18), ("gt18", 19, None))
TEXT_PAGE_SIZE = 25
# A single-choice question with more options than this (the province list) shows only the chosen ones.
LONG_LIST = 15


def staff_programs(user) -> frozenset[int] | None:
    """Study-program ids whose results the user may read; None means every program (superuser)."""
    scope = scope_for(user)
    return None if scope.is_superuser else scope.staff_program_ids


def _in_scope(queryset: QuerySet, programs: frozenset[int] | None, prefix: str = "profile__") -> QuerySet:
    return queryset if programs is None else queryset.filter(**{f"{prefix}study_program_id__in": programs})


@dataclass
class Choice:
    value: int
    label: str
    count: int
    percent: float


@dataclass
class Distribution:
    code: str
    label: str
    total: int
    choices: list[Choice]


@dataclass
class Competence:
    label: str
    code_a: str
    code_b: str | None
    mean_a: float | None
    mean_b: float | None
    n_a: int
    n_b: int

    @property
    def gap(self) -> float | None:
        return None if self.mean_a is None or self.mean_b is None else round(self.mean_b - self.mean_a, 2)


@dataclass
class Results:
    version: SurveyVersion
    submitted: int
    denominator: int  # invited (wave) or graduates (cohort)
    denominator_label: str
    partial: int = 0
    distributions: list[Distribution] = field(default_factory=list)
    waiting: dict = field(default_factory=dict)
    competences: list[Competence] = field(default_factory=list)
    text_questions: list[Question] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return round(100 * self.submitted / self.denominator, 1) if self.denominator else None

    def distribution(self, code: str) -> Distribution | None:
        return next((d for d in self.distributions if d.code == code), None)


def wave_responses(wave: Wave, programs: frozenset[int] | None) -> QuerySet[Response]:
    return _in_scope(Response.objects.filter(invitation__wave=wave, version=wave.version), programs)


def cohort_responses(version_ids, program: StudyProgram, year: int) -> QuerySet[Response]:
    return Response.objects.filter(
        version_id__in=version_ids, profile__study_program=program, profile__graduation_date__year=year
    )


def _questions(version: SurveyVersion) -> list[Question]:
    return list(version.questions.prefetch_related("options"))


def _percent(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def compute(*, version: SurveyVersion, responses: QuerySet[Response], denominator: int, denominator_label: str,
            partial: int) -> Results:
    """Aggregates of the submitted `responses` (a queryset, never evaluated here) of `version`'s questions.

    Queries: questions + options (2), distributions (1), submitted count (1), grid means (1), waiting time (1).
    """
    submitted = responses.filter(status=Response.Status.SUBMITTED)
    answers = Answer.objects.filter(response__in=submitted.values("pk"))
    questions = _questions(version)
    T = Question.Type
    results = Results(version=version, submitted=submitted.count(), denominator=denominator,
                      denominator_label=denominator_label, partial=partial)

    choice_codes, grid_codes = [], []
    for q in questions:
        if q.type in (T.SINGLE, T.SCALE):
            choice_codes.append(q.code)
        elif q.type == T.MULTIPLE:
            choice_codes += q.column_codes()
        elif q.type == T.GRID:
            grid_codes += q.column_codes()
            choice_codes += q.column_codes()
        elif q.type == T.TEXT:
            results.text_questions.append(q)
    counts: dict[str, dict[int, int]] = {}
    for row in (answers.filter(code__in=choice_codes, value_int__isnull=False)
                .values("code", "value_int").annotate(n=Count("pk")).order_by()):
        counts.setdefault(row["code"], {})[row["value_int"]] = row["n"]

    for q in questions:
        if q.type in (T.SINGLE, T.SCALE):
            by_value = counts.get(q.code, {})
            total = sum(by_value.values())
            choices = [
                Choice(o.value, o.label, by_value.get(o.value, 0), _percent(by_value.get(o.value, 0), total))
                for o in q.options.all()
            ]
            if len(choices) > LONG_LIST:  # provinces: only those named, most first
                choices = sorted((c for c in choices if c.count), key=lambda c: -c.count)
            results.distributions.append(Distribution(q.code, q.label, total, choices))
        elif q.type == T.MULTIPLE:
            # Each option is its own 0/1 column: the share of respondents who ticked it.
            answered = max((sum(counts.get(q.option_column(o.value), {}).values()) for o in q.options.all()),
                           default=0)
            results.distributions.append(Distribution(q.code, q.label, answered, [
                Choice(o.value, o.label, counts.get(q.option_column(o.value), {}).get(1, 0),
                       _percent(counts.get(q.option_column(o.value), {}).get(1, 0), answered))
                for o in q.options.all()
            ]))

    if grid_codes:
        means = {row["code"]: row for row in answers.filter(code__in=grid_codes, value_int__isnull=False)
                 .values("code").annotate(mean=Avg("value_int"), n=Count("pk")).order_by()}
        grids = {q.code: q for q in questions if q.type == T.GRID}
        if "f17a" in grids:
            # The national A/B pairs: odd code at graduation, even code needed now.
            b_rows = grids["f17b"].rows if "f17b" in grids else []
            for i, row in enumerate(grids["f17a"].rows):
                code_b = b_rows[i]["code"] if i < len(b_rows) else None
                a, b = means.get(row["code"], {}), means.get(code_b, {})
                label = row.get("label_en") if _english() and row.get("label_en") else row["label"]
                results.competences.append(Competence(
                    label, row["code"], code_b, _round(a.get("mean")), _round(b.get("mean")), a.get("n", 0),
                    b.get("n", 0)))
        for grid in grids.values():
            for row in grid.rows:
                by_value = counts.get(row["code"], {})
                total = sum(by_value.values())
                label = row.get("label_en") if _english() and row.get("label_en") else row["label"]
                results.distributions.append(Distribution(row["code"], f"{grid.label} — {label}", total, [
                    Choice(o.value, o.label, by_value.get(o.value, 0), _percent(by_value.get(o.value, 0), total))
                    for o in grid.options.all()
                ]))

    if any(q.code == WAIT_CODE for q in questions):
        wait = answers.filter(code=WAIT_CODE, value_int__isnull=False)
        aggregates = {"n": Count("pk"), "mean": Avg("value_int")}
        for key, low, high in WAIT_BUCKETS:
            condition = Q()
            if low is not None:
                condition &= Q(value_int__gte=low)
            if high is not None:
                condition &= Q(value_int__lte=high)
            aggregates[key] = Count("pk", filter=condition)
        data = wait.aggregate(**aggregates)
        median = _median(counts_of=answers, code=WAIT_CODE, n=data["n"]) if data["n"] else None
        results.waiting = {
            "n": data["n"], "mean": _round(data["mean"]), "median": median,
            "buckets": [(key, data[key], _percent(data[key], data["n"])) for key, _low, _high in WAIT_BUCKETS],
        }
    return results


def _median(*, counts_of: QuerySet[Answer], code: str, n: int) -> float | None:
    """The median from the GROUP BY value counts (one query; at most max-value rows, never one per response)."""
    rows = counts_of.filter(code=code, value_int__isnull=False).values("value_int").annotate(c=Count("pk")) \
        .order_by("value_int")
    seen, lower = 0, None
    for row in rows:
        seen += row["c"]
        if lower is None and seen >= (n + 1) // 2:
            lower = row["value_int"]
        if seen >= n // 2 + 1:
            return float(lower) if n % 2 else (lower + row["value_int"]) / 2
    return float(lower) if lower is not None else None


def _round(value) -> float | None:
    return None if value is None else round(float(value), 2)


def _english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "id").startswith("en")


def wave_results(wave: Wave, user) -> Results:
    programs = staff_programs(user)
    employer = wave.version.survey.kind == Survey.Kind.EMPLOYER
    respondent = Invitation.Respondent.EMPLOYER if employer else Invitation.Respondent.GRADUATE
    invitations = _in_scope(
        Invitation.objects.filter(wave=wave, version=wave.version, respondent=respondent), programs
    ).aggregate(invited=Count("pk"), partial=Count("pk", filter=Q(response__status=Response.Status.PARTIAL)))
    from django.utils.translation import gettext as _

    return compute(version=wave.version, responses=wave_responses(wave, programs),
                   denominator=invitations["invited"], denominator_label=_("invited"),
                   partial=invitations["partial"])


def cohort_results(survey: Survey, program: StudyProgram, year: int) -> Results | None:
    from django.utils.translation import gettext as _

    version = survey.latest_version()
    if version is None:
        return None
    graduates = AlumniProfile.objects.filter(
        study_program=program, graduation_date__year=year, verification=AlumniProfile.Verification.VERIFIED
    ).count()
    responses = cohort_responses(survey.versions.values("pk"), program, year)
    if survey.kind == Survey.Kind.ALUMNI:
        # A graduate counts once even after answering in several waves: their latest submitted response.
        latest = Response.objects.latest_submitted_pk(survey.versions.values("pk"))
        responses = responses.filter(Q(status=Response.Status.PARTIAL) | Q(pk=Subquery(latest)))
    return compute(version=version, responses=responses, denominator=graduates, denominator_label=_("graduates"),
                   partial=responses.filter(status=Response.Status.PARTIAL).count())


def text_answers(*, responses: QuerySet[Response], codes: list[str], page: int | str | None):
    """Free-text answers of submitted responses, paginated (two queries: count and page). Each row carries the
    respondent's account id (`response__profile__user_id`) so the page's read can be audited, never shown."""
    queryset = (Answer.objects.filter(response__in=responses.filter(status=Response.Status.SUBMITTED).values("pk"),
                                      code__in=codes).exclude(value_text="")
                .order_by("code", "pk").values("code", "value_text", "response__profile__user_id"))
    return Paginator(queryset, TEXT_PAGE_SIZE).get_page(page)
