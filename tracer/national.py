"""The national upload layout: export submitted responses in it, and import files in it (or employer ratings).

Layout (tracer-core.md): nine identity columns (Kode PT … NPWP) then one column per answer code, in a fixed order.
Answers are stored one row per upload column with the official value, so the export is a projection and the import
a validation of each cell against its question's official values or integer range.

Reading a file reuses the alumni import's guards (size cap, UTF-8/BOM/semicolon CSV, XLSX with zip-bomb and XML
entity checks, formulas refused as text). Imports are all or nothing: every row is checked first; any issue and
nothing is written. Queries do not grow per row: profiles, questions and options are loaded into dicts once, the
responses and answers are written with bulk_create.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import tablib
from django.conf import settings
from django.db import transaction
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.formats import base_formats

from alumni.exporting import csv_document, neutralise
from alumni.importing import reading
from alumni.importing.reading import ISO_DAY_RE, ImportFileError, Issue, parse_day
from alumni.models import AlumniProfile, Province

from .models import Answer, Question, Response, Survey, SurveyVersion

IDENTITY = ["Kode PT", "Kode Prodi", "NIM", "Nama", "HP", "Email", "Tahun Lulus", "NIK", "NPWP"]
CODES = [
    "f8", "f502", "f505", "f5a1", "f5a2", "f1101", "f1102", "f5b", "f5c", "f5d", "f18a", "f18b", "f18c", "f18d",
    "f1201", "f1202", "f14", "f15",
    *[f"f{n}" for n in range(1761, 1775)],
    *[f"f{n}" for n in range(21, 28)],
    "f301", "f302", "f303",
    *[f"f{n}" for n in range(401, 417)],
    "f6", "f7", "f7a", "f1001", "f1002",
    *[f"f{n}" for n in range(1601, 1615)],
]
PROVINCE_CODE = "f5a1"
MAX_TEXT = 2000
ANSWER_BATCH = 2000


def header_for(code: str) -> str:
    return "F" + code[1:]


HEADERS = IDENTITY + [header_for(code) for code in CODES]

EMPLOYER_SURVEY = "dikti-employer"
EMPLOYER_ASPECTS = ["etika", "keahlian", "bahasa_asing", "teknologi_informasi", "komunikasi", "kerjasama",
                    "pengembangan_diri"]
EMPLOYER_COLUMNS = ["nim", "study_program", "employer", "respondent_name", "respondent_position", "date",
                    *EMPLOYER_ASPECTS, "saran"]


# --- Export ---------------------------------------------------------------------------------------------------


def institution_code(profile: AlumniProfile) -> str:
    """Kode PT: the TRACER_INSTITUTION_CODE setting, else the institution's short name."""
    return getattr(settings, "TRACER_INSTITUTION_CODE", "") or profile.study_program.faculty.institution.short_name


def cell(code: str, value_int, value_text: str, value_date) -> str:
    if value_int is not None:
        return f"{value_int:06d}" if code == PROVINCE_CODE else str(value_int)
    if value_date is not None:
        return value_date.isoformat()
    return neutralise(value_text or "")


def _identity(profile: AlumniProfile) -> list[str]:
    # Contact details their owner keeps to themself ("only me") never leave in a file.
    phone = profile.phone if profile.vis_phone != "private" else ""
    email = profile.email if profile.vis_email != "private" else ""
    year = str(profile.graduation_date.year) if profile.graduation_date else ""
    return [neutralise(v) for v in (
        institution_code(profile), profile.study_program.code, profile.nim, profile.full_name, phone, email, year,
        "", "",
    )]


def export_rows(responses: QuerySet[Response], *, chunk: int = 1000) -> Iterator[list[str]]:
    """One list of cells per submitted response, in HEADERS order. Two queries per `chunk` responses."""
    responses = (
        responses.filter(status=Response.Status.SUBMITTED)
        .select_related("profile__study_program__faculty__institution")
        .order_by("profile__study_program__code", "profile__nim", "submitted_at", "pk")
    )
    position = {code: n for n, code in enumerate(CODES)}
    batch: list[Response] = []

    def flush(batch):
        # Keyed by the id as hex text: building a million uuid.UUID objects was most of the export's time.
        cells = {r.pk.hex: [""] * len(CODES) for r in batch}
        answers = Answer.objects.filter(response_id__in=[r.pk for r in batch], code__in=CODES).values_list(
            Cast("response_id", output_field=CharField()), "code", "value_int", "value_text", "value_date"
        )
        for response_id, code, value_int, value_text, value_date in answers:
            cells[response_id.replace("-", "")][position[code]] = cell(code, value_int, value_text, value_date)
        for r in batch:
            yield _identity(r.profile) + cells[r.pk.hex]

    for response in responses.iterator(chunk_size=chunk):
        batch.append(response)
        if len(batch) >= chunk:
            yield from flush(batch)
            batch = []
    if batch:
        yield from flush(batch)


def export_dataset(responses: QuerySet[Response]) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=HEADERS)
    for row in export_rows(responses):
        dataset.append(row)
    return dataset


def export_csv(responses: QuerySet[Response]) -> str:
    """The national layout as CSV, written like every CSV of the portal (`csv_document`: every field quoted)."""
    return csv_document([HEADERS, *export_rows(responses)])


def export_xlsx(responses: QuerySet[Response]) -> bytes:
    return base_formats.XLSX().export_data(export_dataset(responses))


# --- Reading a file (the alumni import's guards) -----------------------------------------------------------------


def read_rows(source) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(lower-cased header, [(row number, cells)]) of a CSV or XLSX upload; ImportFileError for a bad file."""
    data = reading._read_bytes(source)
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        rows = reading._xlsx_rows(data)
    elif data.startswith(reading.OLE2_SIGNATURE):
        raise ImportFileError(
            _("This is an old Excel file (.xls). Save it as Excel Workbook (.xlsx) or CSV UTF-8 and upload again.")
        )
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(
            _("The file is encoded as UTF-16. Save it as “CSV UTF-8 (comma delimited)” and upload again.")
        )
    elif data.startswith(reading.BINARY_SIGNATURES) or b"\x00" in data[:8192]:
        raise ImportFileError(
            _("This file is neither a CSV nor an XLSX file. Upload a spreadsheet saved as CSV UTF-8 or XLSX.")
        )
    else:
        rows = reading._csv_rows(data)
    max_rows = reading.limit("IMPORT_MAX_ROWS")
    header: list[str] | None = None
    body: list[tuple[int, list[str]]] = []
    for number, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = [c.strip().lower() for c in cells]
            while header and not header[-1]:
                header.pop()
            continue
        if len(body) >= max_rows:
            raise ImportFileError(
                _("The file has more than %(limit)s rows. Split it into smaller files.") % {"limit": f"{max_rows:,}"}
            )
        width = len(header)
        cells = [c.strip() for c in cells[:width]] + [""] * max(0, width - len(cells))
        body.append((number, cells))
    if header is None:
        raise ImportFileError(_("The file is empty."))
    if not body:
        raise ImportFileError(_("The file has a header row but no data rows."))
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:
        raise ImportFileError(
            _("The header names these columns more than once: %(columns)s.") % {"columns": ", ".join(twice)}
        )
    return header, body


# --- Checking cells ----------------------------------------------------------------------------------------------


@dataclass
class Column:
    """How one answer column is checked: allowed integer values, an integer range, 0/1, text or date."""

    code: str
    kind: str  # "choice", "range", "flag", "text", "date"
    values: frozenset[int] = frozenset()
    low: int | None = None
    high: int | None = None
    page: int = 1


def answer_columns(version: SurveyVersion) -> dict[str, Column]:
    """Every upload column of a survey version (two queries)."""
    columns: dict[str, Column] = {}
    T = Question.Type
    for q in version.questions.prefetch_related("options"):
        values = frozenset(o.value for o in q.options.all())
        if q.type in (T.SINGLE, T.SCALE):
            columns[q.code] = Column(q.code, "choice", values, page=q.page)
        elif q.type == T.GRID:
            for row in q.rows:
                columns[row["code"]] = Column(row["code"], "choice", values, page=q.page)
        elif q.type == T.MULTIPLE:
            for value in sorted(values):
                columns[q.option_column(value)] = Column(q.option_column(value), "flag", page=q.page)
        elif q.type in (T.INTEGER, T.MONEY):
            columns[q.code] = Column(q.code, "range", low=q.min_value, high=q.max_value, page=q.page)
        elif q.type == T.DATE:
            columns[q.code] = Column(q.code, "date", page=q.page)
        else:
            columns[q.code] = Column(q.code, "text", page=q.page)
    return columns


def _int(text: str) -> int:
    text = text.replace(" ", "")
    if text.endswith(".0"):
        text = text[:-2]
    if not text.lstrip("-").isdigit():
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": text[:40]})
    return int(text)


def parse_cell(column: Column, text: str, provinces: dict[str, int]) -> Answer:
    """An unsaved Answer for a non-empty cell, or ValueError with the reason."""
    if column.kind == "text":
        if len(text) > MAX_TEXT:
            raise ValueError(_("At most %(max)s characters.") % {"max": MAX_TEXT})
        return Answer(code=column.code, value_text=text)
    if column.kind == "date":
        try:
            return Answer(code=column.code, value_date=datetime.date.fromisoformat(text[:10]))
        except ValueError:
            raise ValueError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text[:40]}) from None
    if column.code == PROVINCE_CODE and text.lower() in provinces:
        value = provinces[text.lower()]
    else:
        value = _int(text)
    if column.kind == "flag":
        if value not in (0, 1):
            raise ValueError(_("Must be 0 or 1, not %(value)s.") % {"value": value})
    elif column.kind == "choice":
        if value not in column.values:
            raise ValueError(_("%(value)s is not one of the codes %(codes)s.") % {
                "value": value, "codes": ", ".join(str(v) for v in sorted(column.values))})
    elif (column.low is not None and value < column.low) or (column.high is not None and value > column.high):
        raise ValueError(_("%(value)s is outside %(low)s–%(high)s.") % {
            "value": value, "low": column.low, "high": column.high})
    return Answer(code=column.code, value_int=value)


# --- Importing ---------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    rows: int = 0
    created: int = 0
    replaced: int = 0
    answers: int = 0
    issues: list[Issue] = field(default_factory=list)
    file_error: str = ""
    # For the preview: (row, NIM, name, study program, number of answers) of the first rows.
    sample: list[tuple] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.issues


def _profiles(keys: Iterable[tuple[str, str]], programs: frozenset[int] | None) -> dict[tuple[str, str], AlumniProfile]:
    """(Kode Prodi, NIM) → profile, one query (restricted to `programs` unless None)."""
    nims = {nim for _code, nim in keys}
    # Verified records only: a pending self-declared record may carry the same NIM, and is nobody's answer sheet.
    queryset = AlumniProfile.objects.filter(
        nim__in=nims, verification=AlumniProfile.Verification.VERIFIED
    ).select_related("study_program")
    if programs is not None:
        queryset = queryset.filter(study_program_id__in=programs)
    return {(p.study_program.code.lower(), p.nim): p for p in queryset}


def _province_names() -> dict[str, int]:
    return {name.lower(): int(code) for code, name in Province.objects.values_list("code", "name")}


@dataclass
class _Row:
    number: int
    profile: AlumniProfile
    answers: list[Answer]
    extra: dict = field(default_factory=dict)


def _write(rows: list[_Row], *, version: SurveyVersion, outcome: Outcome, replace_employer: bool = False) -> None:
    """Replace the profiles' earlier imported responses to this version, then create the new ones in bulk."""
    now = timezone.now()
    last_page = max((c.page for c in answer_columns(version).values()), default=1)
    with transaction.atomic():
        if not replace_employer:
            stale = Response.objects.filter(
                version=version, source=Response.Source.IMPORT, profile_id__in=[r.profile.pk for r in rows]
            )
            outcome.replaced = stale.count()
            stale.delete()
        responses, answers = [], []
        for row in rows:
            response = Response(
                id=uuid.uuid4(), version=version, profile=row.profile, status=Response.Status.SUBMITTED,
                source=Response.Source.IMPORT, page=last_page, started_at=now, submitted_at=now, **row.extra,
            )
            responses.append(response)
            for answer in row.answers:
                answer.response_id = response.id
                answers.append(answer)
        Response.objects.bulk_create(responses, batch_size=ANSWER_BATCH)
        Answer.objects.bulk_create(answers, batch_size=ANSWER_BATCH)
    outcome.created = len(responses)
    outcome.answers = len(answers)


def import_responses(source, *, survey: Survey, programs: frozenset[int] | None = None,
                     dry_run: bool = False) -> Outcome:
    """Rows in the national layout → submitted responses (source import) of `survey`'s latest version.

    `programs`: the study-program ids the importer runs (None: all). A row of another program is "unknown NIM".
    """
    outcome = Outcome()
    version = survey.latest_version()
    try:
        header, body = read_rows(source)
    except ImportFileError as exc:
        outcome.file_error = exc.message
        return outcome
    columns = answer_columns(version)
    identity = {name.lower() for name in IDENTITY}
    missing = [name for name in ("Kode Prodi", "NIM") if name.lower() not in header]
    unknown = [name or _("(empty)") for name in header if name not in identity and name not in columns]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        if unknown:
            parts.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
        parts.append(_("Use the national upload layout: Kode Prodi, NIM and the question codes (F8, F502, …)."))
        outcome.file_error = " ".join(parts)
        return outcome
    index = {name: n for n, name in enumerate(header)}
    answer_index = [(n, columns[name], header_for(name)) for n, name in enumerate(header) if name in columns]
    keys = [(cells[index["kode prodi"]].lower(), cells[index["nim"]]) for _n, cells in body]
    profiles = _profiles(keys, programs)
    provinces = _province_names()
    outcome.rows = len(body)
    seen: dict[tuple[str, str], int] = {}
    rows: list[_Row] = []
    for (number, cells), key in zip(body, keys, strict=True):
        profile = profiles.get(key)
        if profile is None:
            outcome.issues.append(Issue(number, "NIM", _("No graduate with NIM %(nim)s in study program %(code)s.") % {
                "nim": key[1] or "—", "code": cells[index["kode prodi"]] or "—"}))
        elif key in seen:
            outcome.issues.append(Issue(number, "NIM", _("The same graduate is on row %(row)s.") % {"row": seen[key]}))
        seen.setdefault(key, number)
        answers = []
        for n, column, label in answer_index:
            if not cells[n]:
                continue
            try:
                answers.append(parse_cell(column, cells[n], provinces))
            except ValueError as exc:
                outcome.issues.append(Issue(number, label, str(exc)))
        if profile is not None:
            rows.append(_Row(number, profile, answers))
            if len(outcome.sample) < 20:
                outcome.sample.append((number, profile.nim, profile.full_name, profile.study_program.code,
                                       len(answers)))
    if outcome.issues or dry_run:
        return outcome
    _write(rows, version=version, outcome=outcome)
    return outcome


def import_employer_responses(source, *, programs: frozenset[int] | None = None, dry_run: bool = False) -> Outcome:
    """Employer ratings (one graduate per row) → submitted responses of the employer survey."""
    outcome = Outcome()
    version = Survey.objects.get(slug=EMPLOYER_SURVEY).latest_version()
    try:
        header, body = read_rows(source)
    except ImportFileError as exc:
        outcome.file_error = exc.message
        return outcome
    required = ["nim", "study_program", *EMPLOYER_ASPECTS]
    missing = [name for name in required if name not in header]
    unknown = [name or _("(empty)") for name in header if name not in EMPLOYER_COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        if unknown:
            parts.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
        parts.append(_("The columns are %(columns)s.") % {"columns": ", ".join(EMPLOYER_COLUMNS)})
        outcome.file_error = " ".join(parts)
        return outcome
    columns = answer_columns(version)
    index = {name: n for n, name in enumerate(header)}

    def get(cells, name):
        return cells[index[name]] if name in index else ""

    keys = [(get(cells, "study_program").lower(), get(cells, "nim")) for _n, cells in body]
    profiles = _profiles(keys, programs)
    outcome.rows = len(body)
    rows: list[_Row] = []
    for (number, cells), key in zip(body, keys, strict=True):
        profile = profiles.get(key)
        if profile is None:
            outcome.issues.append(Issue(number, "nim", _("No graduate with NIM %(nim)s in study program %(code)s.") % {
                "nim": key[1] or "—", "code": get(cells, "study_program") or "—"}))
        answers = []
        for code in [*EMPLOYER_ASPECTS, "saran"]:
            # An empty cell is an aspect the employer did not rate: each aspect of Ref 8.e.2 is computed over the
            # responses that rated it (tracer.lkps). A value other than 1–4 is an error.
            text = get(cells, code)
            if not text:
                continue
            try:
                answers.append(parse_cell(columns[code], text, {}))
            except ValueError as exc:
                outcome.issues.append(Issue(number, code, str(exc)))
        if not any(get(cells, code) for code in EMPLOYER_ASPECTS):
            outcome.issues.append(Issue(number, "", _("This row rates no aspect: give at least one rating from 1 to "
                                                      "4, or delete the row.")))
        extra = {}
        for name, attribute in (("employer", "organisation"), ("respondent_name", "respondent_name"),
                                ("respondent_position", "respondent_position")):
            value = get(cells, name)
            if len(value) > 200:
                outcome.issues.append(Issue(number, name, _("At most %(max)s characters.") % {"max": 200}))
            extra[attribute] = value[:200]
        if text := get(cells, "date"):
            try:
                # As in the alumni import: YYYY-MM-DD, or day first (DD/MM/YYYY, DD-MM-YYYY); an XLSX date cell
                # arrives as YYYY-MM-DD, with the time when it has one.
                extra["response_date"] = parse_day(text[:10] if ISO_DAY_RE.match(text[:10]) else text)
            except ValueError:
                outcome.issues.append(Issue(number, "date", _(
                    "“%(value)s” is not a date (YYYY-MM-DD or DD/MM/YYYY).") % {"value": text[:40]}))
        if profile is not None:
            rows.append(_Row(number, profile, answers, extra))
            if len(outcome.sample) < 20:
                outcome.sample.append((number, profile.nim, profile.full_name, profile.study_program.code,
                                       len(answers)))
    if outcome.issues or dry_run:
        return outcome
    # Employers may rate one graduate several times (different supervisors): nothing is replaced.
    _write(rows, version=version, outcome=outcome, replace_employer=True)
    return outcome
