"""Staff figures of the careers network, per calendar year (local time), for the study programs a staff member
runs (an admin: every study program of their institution), and what is behind each count.

What counts for a unit (a set of study programs)
    posts         job posts with a target (any state) in the unit, by the year they were posted;
    applications  "I applied" reported by alumni/students of the unit, by the year reported;
    hires         outcomes answered "hired" by alumni/students of the unit, by the year answered;
    asked         introductions whose requester or recipient belongs to the unit, by the year asked;
    accepted      those of them that were accepted (by the year asked, so accepted <= asked in every year).

Numbers come from database aggregates: `careers_figures` runs five queries whatever the data size. Drill-downs
(`cell_from_query`) list posts the reader may see (JobPost.objects.visible_to) and people of the units the reader
runs; people of other study programs (the other side of an introduction) are never named, and nobody's note is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alumni.models import StudyProgram
from alumni.scope import scope_for
from programs.evidence import ROLES

from .models import Application, Introduction, JobPost, JobPostTarget, Outcome

YEARS = 5
CELL_ROWS = 500
METRICS = {
    "posts": _("Job posts"),
    "applications": _("Applications reported"),
    "hires": _("Hires reported"),
    "asked": _("Introductions asked"),
    "accepted": _("Introductions accepted"),
}


class CellNotAllowed(Exception):
    """The reader does not run the unit this cell is about."""


@dataclass
class Figures:
    years: list[int]
    programs: list[StudyProgram]
    program: StudyProgram | None
    rows: list[dict] = field(default_factory=list)  # one per year: {"year", metric: n, …}
    total: dict = field(default_factory=dict)


def _unit_ids(viewer, program_id) -> list[int]:
    scope = scope_for(viewer)
    ids = sorted(scope.staff_program_ids) if not scope.is_superuser else list(
        StudyProgram.objects.values_list("pk", flat=True))
    if program_id not in (None, ""):
        try:
            wanted = int(program_id)
        except (TypeError, ValueError) as exc:
            raise ValueError("program") from exc
        if wanted not in ids:
            raise CellNotAllowed
        return [wanted]
    return ids


def _in_unit(prefix: str, unit: list[int]) -> Q:
    return Q(**{f"{prefix}alumni_profile__study_program_id__in": unit})


def _querysets(unit: list[int], years: list[int]) -> dict:
    target = JobPostTarget.objects.filter(post=OuterRef("pk"), study_program_id__in=unit)
    intros = Introduction.objects.filter(_in_unit("requester__", unit) | _in_unit("recipient__", unit))
    return {
        "posts": JobPost.objects.filter(Exists(target)).annotate(year=ExtractYear("created_at")),
        "applications": Application.objects.filter(_in_unit("user__", unit)).annotate(year=ExtractYear("created_at")),
        "hires": Outcome.objects.filter(_in_unit("user__", unit), hired=True, answered_at__isnull=False)
        .annotate(year=ExtractYear("answered_at")),
        "asked": intros.annotate(year=ExtractYear("created_at")),
        "accepted": intros.filter(status=Introduction.Status.ACCEPTED).annotate(year=ExtractYear("created_at")),
    }


def _years(ts: int | None = None) -> list[int]:
    ts = ts or timezone.localdate().year
    return list(range(ts - YEARS + 1, ts + 1))


def careers_figures(*, viewer, program_id=None, ts: int | None = None) -> Figures:
    """The per-year counts of the reader's units (or one of them: `program_id`). Five queries (and one for the
    names of the study programs)."""
    try:
        unit = _unit_ids(viewer, program_id)
    except (CellNotAllowed, ValueError):
        unit = _unit_ids(viewer, None)
        program_id = None
    years = _years(ts)
    programs = list(StudyProgram.objects.filter(pk__in=_unit_ids(viewer, None)).order_by("name"))
    program = next((p for p in programs if program_id not in (None, "") and p.pk == int(program_id)), None)
    counts: dict[str, dict[int, int]] = {}
    for metric, qs in _querysets(unit, years).items():
        grouped = qs.filter(year__in=years).values("year").annotate(n=Count("pk", distinct=True)).order_by()
        counts[metric] = {g["year"]: g["n"] for g in grouped}
    rows = [{"year": year, **{m: counts[m].get(year, 0) for m in METRICS}} for year in years]
    total = {m: sum(r[m] for r in rows) for m in METRICS}
    return Figures(years=years, programs=programs, program=program, rows=rows, total=total)


def chart_data(figures: Figures) -> dict:
    return {
        "labels": [str(y) for y in figures.years],
        "datasets": [{"label": str(label), "data": [r[m] for r in figures.rows]} for m, label in METRICS.items()],
    }


@dataclass
class Cell:
    metric: str
    metric_label: str
    year: int
    program: StudyProgram | None
    posts: list = field(default_factory=list)
    people: list[dict] = field(default_factory=list)
    count: int = 0


def cell_from_query(*, viewer, query) -> Cell:
    """The list behind one count: `metric` (METRICS), `year`, optional `program` (one the reader runs; else
    CellNotAllowed). ValueError for anything malformed. Three queries at most."""
    metric = query.get("metric", "")
    if metric not in METRICS and metric not in EVIDENCE_METRICS:
        raise ValueError("metric")
    try:
        year = int(query.get("year", ""))
    except ValueError as exc:
        raise ValueError("year") from exc
    unit = _unit_ids(viewer, query.get("program"))
    program = StudyProgram.objects.filter(pk=unit[0]).first() if query.get("program") else None
    if metric in EVIDENCE_METRICS:
        return _evidence_cell(metric=metric, unit=unit, year=year, program=program)
    qs = _querysets(unit, [year])[metric].filter(year=year)
    cell = Cell(metric=metric, metric_label=str(METRICS[metric]), year=year, program=program)
    if metric == "posts":
        cell.posts = list(
            JobPost.objects.visible_to(viewer).filter(pk__in=qs.values("pk"))
            .select_related("organisation").order_by("-created_at")[:CELL_ROWS]
        )
        cell.count = len(cell.posts)
        return cell
    if metric == "applications":
        for app in qs.select_related("post__organisation", "user__alumni_profile__study_program")[:CELL_ROWS]:
            cell.people.append(_person(app.user, unit, what=f"{app.post.title} — {app.post.organisation}",
                                       when=app.created_at))
    elif metric == "hires":
        for out in qs.select_related("application__post__organisation", "introduction__organisation",
                                     "user__alumni_profile__study_program")[:CELL_ROWS]:
            what = (f"{out.application.post.title} — {out.application.post.organisation}" if out.application_id
                    else str(out.introduction.organisation or ""))
            cell.people.append(_person(out.user, unit, what=what, when=out.answered_at))
    else:
        for intro in qs.select_related("organisation", "requester__alumni_profile__study_program",
                                       "recipient__alumni_profile__study_program")[:CELL_ROWS]:
            for user, role in ((intro.requester, _("asked")), (intro.recipient, _("was asked"))):
                person = _person(user, unit, what=f"{intro.organisation or ''} ({role})", when=intro.created_at,
                                 status=intro.get_status_display())
                if person["named"]:
                    cell.people.append(person)
    cell.count = qs.count()
    return cell


def _evidence_cell(*, metric: str, unit: list[int], year: int, program) -> Cell:
    """The alumni behind an evidence row: people of the reader's own units only (the query asks for them)."""
    cell = Cell(metric=metric, metric_label=str(EVIDENCE_METRICS[metric]), year=year, program=program)
    qs = _evidence_querysets(unit)[metric].filter(year=year)
    if metric == "evidence_posted":
        for post in qs.select_related("organisation", "posted_by__alumni_profile__study_program")[:CELL_ROWS]:
            cell.people.append(_person(post.posted_by, unit, what=f"{post.title} — {post.organisation}",
                                       when=post.created_at))
    else:
        for intro in qs.select_related("organisation", "recipient__alumni_profile__study_program")[:CELL_ROWS]:
            cell.people.append(_person(intro.recipient, unit, what=str(intro.organisation or ""),
                                       when=intro.answered_at))
    cell.count = qs.count()
    return cell


def _person(user, unit: list[int], *, what: str, when, status: str = "") -> dict:
    profile = getattr(user, "alumni_profile", None)
    named = profile is not None and profile.study_program_id in unit
    return {
        "named": named,
        "full_name": profile.full_name if named else "",
        "nim": profile.nim if named else "",
        "study_program": profile.study_program.name if named else "",
        "what": what,
        "when": when,
        "status": status,
    }


# --- Evidence of alumni involvement (LKPS), registered with tracer.evidence_sources in hooks_introductions ---------

EVIDENCE_KIND = "Jejaring karier"
EVIDENCE_NOTE = (
    "Jejaring karier: alumni prodi ini yang membagikan lowongan kerja di portal (pada tahun lowongan diunggah) dan "
    "yang menerima permintaan perkenalan dari sesama alumni (pada tahun diterima); baris ini tidak dijumlahkan "
    "dalam ringkasan per tahun."
)
EVIDENCE_METRICS = {
    "evidence_posted": _("Alumni who posted vacancies"),
    "evidence_accepted": _("Alumni who accepted introductions"),
}


def _evidence_querysets(program_ids: list[int]) -> dict:
    return {
        "evidence_posted": JobPost.objects.filter(
            poster_kind=JobPost.PosterKind.MEMBER, posted_by__alumni_profile__study_program_id__in=program_ids
        ).annotate(year=ExtractYear("created_at"), person=F("posted_by_id"), when=F("created_at")),
        "evidence_accepted": Introduction.objects.filter(
            status=Introduction.Status.ACCEPTED, answered_at__isnull=False,
            recipient__alumni_profile__study_program_id__in=program_ids,
        ).annotate(year=ExtractYear("answered_at"), person=F("recipient_id"), when=F("answered_at")),
    }


def careers_evidence(*, study_program: StudyProgram, years: list[int]) -> list[dict]:
    """Rows of the evidence-of-alumni-involvement table: per year, the alumni of `study_program` who posted
    vacancies and those who accepted introductions (two queries)."""
    rows = []
    titles = {"evidence_posted": ("Lowongan kerja dibagikan alumni", "lowongan"),
              "evidence_accepted": ("Perkenalan karier diterima alumni", "perkenalan")}
    base = reverse("careers:report_cell")
    for metric, qs in _evidence_querysets([study_program.pk]).items():
        grouped = (qs.filter(year__in=years).values("year")
                   .annotate(alumni=Count("person", distinct=True), n=Count("pk"), last=Max("when")).order_by())
        title, unit = titles[metric]
        for g in grouped:
            rows.append({
                "year": g["year"], "date": timezone.localtime(g["last"]).date(), "program": title,
                "program_id": None, "session": f"{g['n']} {unit}", "session_id": None, "kind": EVIDENCE_KIND,
                **{role.value: 0 for role in ROLES}, "alumni": g["alumni"],
                "link": f"{base}?metric={metric}&year={g['year']}&program={study_program.pk}", "note": EVIDENCE_NOTE,
            })
    return rows
