"""Exports of the alumni directory for study-program staff (CSV and XLSX, through django-import-export).

What goes into a file:

- rows: the directory as the viewer sees it (`directory_search`, with the same filters), restricted to the study
  programs the viewer runs (`StudyProgram.objects.managed_by`): a staff member who is also an alumnus never exports
  other programs' members;
- cells: name, NIM, study program and cohort always; every other part only where its owner lets study-program staff
  see it (`AlumniProfile.can_see`, no query: the scope is cached on the viewer). A part marked "only me" is blank in
  every file, even for a superuser: a file leaves the portal, and "only me" means only me;
- every text cell is neutralised against formula injection (`neutralise`), for both formats, before the library's
  own `IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT` pass (which only strips a leading "="), except a phone number
  written the way the import accepts it (`phone_cell`): digits, spaces and + - ( ) . cannot name a function, a
  file or a link, so "+62 812 3456 7890" leaves as it is, not as "'+62 812 …" (in XLSX a text cell; a CSV
  opened straight in Excel may still show such a phone as a sum, never run anything);
- choices read as their labels and yes/no as "Ya"/"Tidak", in the language of the staff member who exports
  (`BUMN/BUMD`, not `state_owned`); the headers stay the stable field names;
- every CSV file of the portal (this directory, the LKPS tables and evidence, the ledger, the giving report, the
  tracer exports) is written by `csv_document` / `csv_chunks`: every field quoted (`csv.QUOTE_ALL`) and a formula
  behind a ";" or "," inside a value neutralised too (`csv_cell`), because Excel set to Indonesian splits a CSV at
  ";" and would read `Nama;=1+1;` as three cells, the middle one a live formula.

Queries: the rows come from ONE select, streamed with `QuerySet.iterator()`; the current job is read through three
correlated subqueries on the (profile, end_date) index instead of a prefetch, so the count does not grow with the
number of rows (a prefetch would add one query per chunk). A large export stays synchronous: CSV is streamed in
chunks of EXPORT_CHUNK rows (memory stays flat, the first bytes leave at once); XLSX is built in memory by openpyxl,
which is fine for the few thousand records of a study program and would become a background job (like imports)
past some tens of thousands of rows.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterator
from decimal import Decimal
from itertools import islice

from django.db.models import CharField, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from import_export import resources
from import_export.fields import Field
from import_export.formats import base_formats

from .models import AlumniProfile, Employment, StudyProgram, Visibility
from .scope import scope_for
from .selectors import DirectoryFilters, directory_search

# Rows per CSV chunk sent to the client.
EXPORT_CHUNK = 500

FORMATS = {"csv": base_formats.CSV, "xlsx": base_formats.XLSX}

# A cell starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets (OWASP "CSV
# injection"); tab and carriage return let a formula hide behind whitespace in some importers.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Control characters XLSX (XML 1.0) cannot hold; openpyxl would refuse the whole file.
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


# A phone number as the import accepts it (alumni.importing.resource.PHONE_RE): no letters, so no function call,
# reference or link; the worst a spreadsheet can make of it is a sum.
PHONE_SHAPE = re.compile(r"\+?[0-9(][0-9 ().\-]{3,28}[0-9]")


class PlainText(str):
    """A cell already judged safe as it is (a phone number): `spreadsheet_cell` and `csv_cell` write it unchanged."""


def neutralise(value: str) -> str:
    """Text that no spreadsheet evaluates: a leading apostrophe before anything that could start a formula.

    Also catches a trigger behind leading spaces (" =1+1"). That is the OWASP recommendation for any text; the
    one column whose values are only digits and signs, the phone, goes through `phone_cell` instead.
    """
    if isinstance(value, PlainText):
        return value
    value = ILLEGAL_CHARACTERS.sub("", value)
    if value.startswith(FORMULA_TRIGGERS) or value.lstrip(" ").startswith(FORMULA_TRIGGERS[:4]):
        return "'" + value
    return value


def phone_cell(value: str) -> str:
    """A phone number for a CSV or XLSX cell: as it is when it has the shape of one ("+62 812 3456 7890",
    "(0361) 234-567"), neutralised like any text otherwise (an imported "-2+3+cmd|' /C calc'!A0")."""
    value = ILLEGAL_CHARACTERS.sub("", value).strip()
    return PlainText(value) if PHONE_SHAPE.fullmatch(value) else neutralise(value)


def spreadsheet_cell(value):
    """A value ready for any exported CSV or XLSX cell: numbers, dates and empty cells as they are, anything else
    as neutralised text (titles, names and plans that people typed may start with "=")."""
    if value is None or isinstance(value, bool | int | float | Decimal | datetime.date | PlainText):
        return value
    return neutralise(str(value))


# A formula trigger right behind a list separator (and any blanks), followed by something: what a spreadsheet that
# splits on ";" or "," would read as the start of a new cell. A lone "-" (as in "Rp 25.000,-") is no formula.
SEPARATED_FORMULA = re.compile(r"([;,][ \t\r\n]*)(?=[=+\-@][^ ;,])")


def csv_cell(value):
    """A cell for a CSV file: `spreadsheet_cell`, then an apostrophe before a formula that follows a ";" or ","
    inside the text (`Nama;=1+1;` becomes `Nama;'=1+1;`), so it stays text wherever the file is split. None is
    an empty cell."""
    value = spreadsheet_cell(value)
    if value is None:
        return ""
    if isinstance(value, str) and not isinstance(value, PlainText):
        return SEPARATED_FORMULA.sub(r"\1'", value)
    return value


def csv_rows_text(rows) -> str:
    """Rows as CSV text: every field quoted (QUOTE_ALL, so a ";" or "," inside a value never splits it), every
    cell through `csv_cell`."""
    stream = io.StringIO()
    writer = csv.writer(stream, quoting=csv.QUOTE_ALL)
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return stream.getvalue()


def csv_document(rows) -> str:
    """Rows as a CSV file for spreadsheets: a UTF-8 byte-order mark (so Excel reads names right), every field
    quoted, every text cell neutralised (also behind a ";" or ","), empty cells for None."""
    return "\ufeff" + csv_rows_text(rows)


def _current_job(column: str) -> Subquery:
    """One column of the latest current job (no end date), the one the directory card shows."""
    jobs = Employment.objects.filter(profile=OuterRef("pk"), end_date__isnull=True).order_by("-start_date", "pk")
    return Subquery(jobs.values(column)[:1], output_field=CharField())


def export_queryset(*, viewer, filters: DirectoryFilters) -> QuerySet[AlumniProfile]:
    """The profiles of the viewer's own study programs that the directory shows with these filters (one query)."""
    return (
        directory_search(viewer=viewer, filters=filters)
        .filter(study_program__in=StudyProgram.objects.managed_by(viewer).values("pk"))
        .prefetch_related(None)
        .annotate(
            job_employer=_current_job("employer"),
            job_position=_current_job("position"),
            job_kind=_current_job("employer_kind"),
        )
    )


class AlumniExportResource(resources.Resource):
    """The export columns. Headers are the stable field names (the same in every language, so that a file can
    be read back by scripts and the import); values are plain text in the exporter's language (the language active
    when the resource is made: a CSV is streamed after the view has returned), blanks are empty strings."""

    nim = Field(column_name="nim")
    full_name = Field(column_name="full_name")
    study_program = Field(column_name="study_program")
    entry_year = Field(column_name="entry_year")
    graduation_date = Field(column_name="graduation_date")
    email = Field(column_name="email")
    phone = Field(column_name="phone")
    province = Field(column_name="province")
    city = Field(column_name="city")
    employer = Field(column_name="employer")
    position = Field(column_name="position")
    employer_kind = Field(column_name="employer_kind")
    has_account = Field(column_name="has_account")

    class Meta:
        export_order = (
            "nim", "full_name", "study_program", "entry_year", "graduation_date", "email", "phone", "province",
            "city", "employer", "position", "employer_kind", "has_account",
        )

    def __init__(self, *, viewer, **kwargs):
        super().__init__(**kwargs)
        self.viewer = viewer
        # Read once, in the request's language.
        self.employer_kinds = {value: str(label) for value, label in Employment.EmployerKind.choices}
        self.yes_no = {True: str(_("Yes")), False: str(_("No"))}

    def get_chunk_size(self):
        return EXPORT_CHUNK

    def shows(self, profile: AlumniProfile, part: str) -> bool:
        """Staff see a part unless its owner keeps it to themselves; "only me" never leaves in a file."""
        return getattr(profile, f"vis_{part}") != Visibility.PRIVATE and profile.can_see(part, viewer=self.viewer)

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if field.column_name == "phone":
            return phone_cell(value or "")
        return neutralise("" if value is None else str(value))

    def dehydrate_nim(self, profile):
        return profile.nim

    def dehydrate_full_name(self, profile):
        return profile.full_name

    def dehydrate_study_program(self, profile):
        return profile.study_program.code

    def dehydrate_entry_year(self, profile):
        return str(profile.entry_year)

    def dehydrate_graduation_date(self, profile):
        if self.shows(profile, "graduation") and profile.graduation_date:
            return profile.graduation_date.isoformat()
        return ""

    def dehydrate_email(self, profile):
        return profile.email if self.shows(profile, "email") else ""

    def dehydrate_phone(self, profile):
        return profile.phone if self.shows(profile, "phone") else ""

    def dehydrate_province(self, profile):
        return profile.province.name if profile.province and self.shows(profile, "location") else ""

    def dehydrate_city(self, profile):
        return profile.city if self.shows(profile, "location") else ""

    def dehydrate_employer(self, profile):
        return (profile.job_employer or "") if self.shows(profile, "career") else ""

    def dehydrate_position(self, profile):
        return (profile.job_position or "") if self.shows(profile, "career") else ""

    def dehydrate_employer_kind(self, profile):
        if not (profile.job_kind and self.shows(profile, "career")):
            return ""
        return self.employer_kinds.get(profile.job_kind, profile.job_kind)

    def dehydrate_has_account(self, profile):
        return self.yes_no[profile.user_id is not None]


def export_file_name(*, program: StudyProgram | None, extension: str, today) -> str:
    """alumni-<program code or "all">-<date>.<ext>."""
    label = program.code if program is not None else "all"
    label = re.sub(r"[^A-Za-z0-9_-]", "", label) or "all"
    return f"alumni-{label}-{today.isoformat()}.{extension}"


def export_csv_chunks(*, resource: AlumniExportResource, queryset: QuerySet) -> Iterator[str]:
    """The CSV file in pieces: a UTF-8 byte-order mark (so Excel reads the names right), the header, then one piece
    per EXPORT_CHUNK rows, each written like every other CSV of the portal (`csv_rows_text`)."""
    headers = resource.get_export_headers()
    rows = resource.iter_queryset(queryset)
    yield "\ufeff"
    yield csv_rows_text([headers])
    while batch := list(islice(rows, EXPORT_CHUNK)):
        yield csv_rows_text(resource.export_resource(profile) for profile in batch)


def export_xlsx(*, resource: AlumniExportResource, queryset: QuerySet) -> bytes:
    return base_formats.XLSX().export_data(resource.export(queryset))


def single_program(*, viewer, filters: DirectoryFilters) -> StudyProgram | None:
    """The one study program an export covers, for its file name and audit entry; None when it spans several."""
    if filters.study_program:
        return StudyProgram.objects.managed_by(viewer).filter(pk=filters.study_program).first()
    scope = scope_for(viewer)
    if not scope.is_superuser and len(scope.staff_program_ids) == 1:
        return StudyProgram.objects.filter(pk__in=scope.staff_program_ids).first()
    return None
