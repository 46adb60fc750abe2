"""Alumni import: a CSV or XLSX file of graduate records, checked in full, then written all or nothing.

1. `read_table` turns the uploaded bytes into a header and rows of text. It looks at the content, never the file
   name: UTF-8 CSV (with or without BOM, comma or semicolon) or XLSX, nothing else. An XLSX is a zip: its
   declared sizes are checked before it is opened (zip bombs), and openpyxl parses its XML with defusedxml
   (entity tricks). Anything wrong with the file as a whole is an `ImportFileError` with one message.
2. `AlumniResource` (django-import-export) checks every row with its own widgets (no `full_clean`), matches
   existing records on (study program, NIM) from one pre-loaded dict, and writes with bulk_create/bulk_update
   per batch. Study programs and provinces are looked up in dicts: no query runs per row.
3. `run_import` does a preview (nothing is written) or the real import (one transaction; any invalid row and
   nothing is written). Updated records get an audit entry with what changed, written in bulk.

Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import logging
import re
import smtplib
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import tablib
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connections, models, router, transaction
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export import resources, widgets
from import_export.fields import Field
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import Result, RowResult

from alumni_portal.models import AuditLog
from alumni_portal.services import batched, render_text, send_mail

from .forms import year_bounds
from .models import AlumniProfile, ImportConflict, ImportJob, Province, SignupInvitation, StudyProgram, User
from .records import IMPORT_PROTECTED_FIELDS, owner_hides_email, to_json

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("nim", "full_name", "email", "study_program", "entry_year", "graduation_date")
OPTIONAL_COLUMNS = ("phone", "province", "city")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# An empty cell in these columns leaves the stored value as it is (a new record gets it empty).
KEEP_WHEN_EMPTY = frozenset({"email", "graduation_date", "phone", "province_id", "city"})
# A claimed record's contact details are its owner's: the import never overwrites them.
OWNER_FIELDS = frozenset({"phone", "province_id", "city"})
# Nor, when the account that claimed the record has another email than the file's row, its name, email and dates:
# the file may be right (someone claimed a graduate's record) or wrong (a typo). The row's other changes are
# written; these wait as an ImportConflict for staff to decide (alumni.records.import_conflict_resolve).
PROTECTED_FIELDS = frozenset(IMPORT_PROTECTED_FIELDS)
# The hidden column holding each data row's number as the spreadsheet shows it.
ROW = "__row__"

BATCH_SIZE = 1000
# Errors kept for the screen and the job; all of them are counted.
MAX_STORED_ISSUES = 500
MAX_ZIP_MEMBERS = 1000
# Below this uncompressed size the compression ratio is not checked: a tiny file cannot be a bomb.
ZIP_RATIO_FLOOR = 1024 * 1024

PHONE_RE = re.compile(r"^\+?[0-9(][0-9 ().\-]{3,28}[0-9]$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
YEAR_RE = re.compile(r"^\d{4}$")

# Magic bytes of files people upload by mistake (anything with NUL bytes is refused too).
BINARY_SIGNATURES = (
    b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf", b"BM", b"II*\x00",
    b"MM\x00*", b"\x7fELF", b"MZ",
)
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc


def limit(name: str) -> int:
    defaults = {
        "IMPORT_MAX_BYTES": 20 * 1024 * 1024,
        "IMPORT_MAX_ROWS": 200_000,
        "IMPORT_MAX_UNZIPPED_BYTES": 200 * 1024 * 1024,
        "IMPORT_MAX_ZIP_RATIO": 100,
    }
    return int(getattr(settings, name, defaults[name]))


def size_text(size: int) -> str:
    """20971520 → "20 MB"; small limits (tests) stay readable: "300 bytes"."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.0f} {unit}"
    return f"{size} bytes"


class ImportFileError(Exception):
    """The file as a whole cannot be imported; `message` says why, in the active language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Issue:
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


# --- Reading the file -------------------------------------------------------------------------


@dataclass
class Table:
    dataset: tablib.Dataset  # the known columns plus ROW
    columns: list[str]
    kind: str  # "csv" or "xlsx"
    # Problems found while reading, by row number: [(column, message)]
    cell_issues: dict[int, list[tuple[str, str]]] = field(default_factory=dict)


def _read_bytes(source) -> bytes:
    """At most IMPORT_MAX_BYTES + 1 bytes, so an oversized file is never read in full."""
    cap = limit("IMPORT_MAX_BYTES")
    if isinstance(source, bytes):
        data = source
    else:
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(cap + 1)
    if len(data) > cap:
        raise ImportFileError(
            _("The file is larger than %(limit)s. Split it into smaller files.") % {"limit": size_text(cap)}
        )
    return data


def read_table(source) -> Table:
    """Bytes or a file object → Table. Raises ImportFileError for anything wrong with the file as a whole."""
    data = _read_bytes(source)
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        return _build(_xlsx_rows(data), "xlsx")
    if data.startswith(OLE2_SIGNATURE):
        raise ImportFileError(
            _("This is an old Excel file (.xls). Save it as Excel Workbook (.xlsx) or CSV UTF-8 and upload again.")
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(
            _("The file is encoded as UTF-16. Save it as “CSV UTF-8 (comma delimited)” and upload again.")
        )
    if data.startswith(BINARY_SIGNATURES) or b"\x00" in data[:8192]:
        raise ImportFileError(
            _("This file is neither a CSV nor an XLSX file. Upload a spreadsheet saved as CSV UTF-8 or XLSX.")
        )
    return _build(_csv_rows(data), "csv")


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            _("The file is not encoded as UTF-8 (the first wrong character is on row %(row)s). In Excel choose "
              "“Save as” → “CSV UTF-8 (comma delimited)”.") % {"row": line}
        ) from None
    if "\x00" in text:
        raise ImportFileError(
            _("This file is neither a CSV nor an XLSX file. Upload a spreadsheet saved as CSV UTF-8 or XLSX.")
        )
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    # csv's own limit on one cell (128 KB) bounds a runaway quoted cell; the widgets check real lengths.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for number, record in enumerate(reader, start=1):  # noqa: B007 (used after the loop for errors)
            yield number, record
    except csv.Error as exc:
        raise ImportFileError(
            _("Row %(row)s cannot be read as CSV (%(error)s).") % {"row": number + 1, "error": exc}
        ) from None


def _check_zip(archive: zipfile.ZipFile) -> None:
    """Refuse a zip that would expand to too much, before anything is decompressed."""
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        raise ImportFileError(
            _("This file is a ZIP archive but not an Excel workbook. Upload a spreadsheet saved as CSV UTF-8 or "
              "XLSX.")
        )
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    ratio = unpacked / max(packed, 1)
    if (
        len(infos) > MAX_ZIP_MEMBERS
        or unpacked > limit("IMPORT_MAX_UNZIPPED_BYTES")
        or (unpacked > ZIP_RATIO_FLOOR and ratio > limit("IMPORT_MAX_ZIP_RATIO"))
    ):
        raise ImportFileError(
            _("The workbook would expand to %(size)s (%(ratio)s times its size). Such files are refused: save the "
              "data in a new workbook and upload again.") % {"size": size_text(unpacked), "ratio": f"{ratio:.0f}"}
        )


def _cell_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if getattr(cell, "data_type", None) == "f":
        text = value if isinstance(value, str) else str(getattr(value, "text", "") or "")
        return text if text.startswith("=") else f"={text}"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time(0) else value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _caused_by(exc: BaseException, kind: type) -> bool:
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, kind):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    import openpyxl
    from defusedxml import DefusedXmlException

    not_xlsx = _("The workbook cannot be read: it is damaged or not really an XLSX file. Save it again from "
                 "Excel as .xlsx, or as CSV UTF-8.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise ImportFileError(not_xlsx) from None
    with archive:
        _check_zip(archive)
    workbook = None
    try:
        # read_only streams the sheet; data_only=False keeps formulas visible so that they can be refused.
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        if not workbook.worksheets:
            raise ImportFileError(not_xlsx)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # do not trust the declared size
        for number, row in enumerate(sheet.iter_rows(), start=1):
            yield number, [_cell_text(cell) for cell in row]
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds of errors on a broken file, wrapping defusedxml's
        if _caused_by(exc, DefusedXmlException):
            logger.warning("XLSX upload with XML entity declarations refused")
            raise ImportFileError(
                _("The workbook contains XML entity declarations, which are not allowed. Save the data in a new "
                  "workbook and upload again.")
            ) from None
        logger.info("unreadable XLSX upload", exc_info=True)
        raise ImportFileError(not_xlsx) from None
    finally:
        if workbook is not None:
            workbook.close()


def _header_message(missing: list[str], unknown: list[str]) -> str:
    parts = []
    if missing:
        parts.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown:
        parts.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    parts.append(_("The header row (row 1) must name the columns %(required)s, and may add %(optional)s.") % {
        "required": ", ".join(REQUIRED_COLUMNS), "optional": ", ".join(OPTIONAL_COLUMNS),
    })
    return " ".join(parts)


def _build(rows: Iterator[tuple[int, list[str]]], kind: str) -> Table:
    max_rows = limit("IMPORT_MAX_ROWS")
    header: list[str] | None = None
    dataset: tablib.Dataset | None = None
    cell_issues: dict[int, list[tuple[str, str]]] = {}
    count = 0
    for number, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in cells]
            while header and not header[-1]:
                header.pop()
            names = [name or _("(empty)") for name in header]
            missing = [name for name in REQUIRED_COLUMNS if name not in header]
            unknown = [name for name in names if name not in COLUMNS]
            if missing or unknown:
                raise ImportFileError(_header_message(missing, unknown))
            twice = sorted({name for name in header if header.count(name) > 1})
            if twice:
                raise ImportFileError(
                    _("The header names these columns more than once: %(columns)s.") % {"columns": ", ".join(twice)}
                )
            dataset = tablib.Dataset(headers=[*header, ROW])
            continue
        count += 1
        if count > max_rows:
            raise ImportFileError(
                _("The file has more than %(limit)s rows. Split it into smaller files.") % {"limit": f"{max_rows:,}"}
            )
        width = len(header)
        if len(cells) > width:
            if any(cell.strip() for cell in cells[width:]):
                cell_issues.setdefault(number, []).append(
                    ("", _("This row has more cells than the header has columns."))
                )
            cells = cells[:width]
        elif len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        dataset.append([*cells, number])
    if header is None:
        raise ImportFileError(_("The file is empty."))
    if count == 0:
        raise ImportFileError(_("The file has a header row but no data rows."))
    return Table(dataset=dataset, columns=header, kind=kind, cell_issues=cell_issues)


# --- Widgets: one cell → one value, or ValueError with the reason ------------------------------


class TextWidget(widgets.Widget):
    def __init__(self, max_length: int, required: bool = False):
        super().__init__()
        self.max_length = max_length
        self.required = required

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if not value and self.required:
            raise ValueError(_("This cell may not be empty."))
        if len(value) > self.max_length:
            raise ValueError(
                _("At most %(limit)s characters (this cell has %(length)s).") % {
                    "limit": self.max_length, "length": len(value),
                }
            )
        return value

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class EmailWidget(TextWidget):
    def __init__(self):
        super().__init__(max_length=254)

    def clean(self, value, row=None, **kwargs):
        value = super().clean(value, row, **kwargs)
        if value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValueError(_("“%(value)s” is not a valid email address.") % {"value": value}) from None
        return value


class PhoneWidget(TextWidget):
    def __init__(self):
        super().__init__(max_length=30)

    def clean(self, value, row=None, **kwargs):
        value = super().clean(value, row, **kwargs)
        if value and not PHONE_RE.match(value):
            raise ValueError(_("Write the phone number with digits, spaces and + - ( ) only, e.g. +62 812 3456 7890."))
        return value


class YearWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if not value:
            raise ValueError(_("This cell may not be empty."))
        if not YEAR_RE.match(value):
            raise ValueError(_("Write the year with four digits, e.g. 2019 (this cell has “%(value)s”).") % {
                "value": value,
            })
        year = int(value)
        low, high = year_bounds()
        if not low <= year <= high:
            raise ValueError(_("Enter a year between %(low)s and %(high)s.") % {"low": low, "high": high})
        return year

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class IsoDateWidget(widgets.Widget):
    """YYYY-MM-DD only: 03/04/2019 means different days in different countries."""

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if not value:
            return None
        try:
            if not DATE_RE.match(value):
                raise ValueError
            date = datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError(
                _("Write the date as YYYY-MM-DD, e.g. 2019-08-25 (this cell has “%(value)s”).") % {"value": value}
            ) from None
        if date > timezone.localdate():
            raise ValueError(_("The graduation date cannot be in the future."))
        return date

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class StudyProgramWidget(widgets.Widget):
    """A study program code → its id, from the run's dict; only programs the importer manages."""

    def __init__(self, context: ImportContext):
        super().__init__()
        self.context = context

    def clean(self, value, row=None, **kwargs):
        code = (value or "").strip()
        if not code:
            raise ValueError(_("This cell may not be empty."))
        program = self.context.programs.get(code)
        if program is None:
            raise ValueError(_("There is no study program with code “%(code)s”.") % {"code": code})
        if not self.context.may_import_into(program.pk):
            raise ValueError(
                _("You may not import into %(program)s (code %(code)s): it is not one of your study programs.") % {
                    "program": program.name, "code": code,
                }
            )
        return program.pk

    def render(self, value, obj=None, **kwargs):
        return self.context.program_codes.get(value, "")


class ProvinceWidget(widgets.Widget):
    """A province by code (010000; 10000 as Excel shows it) or by exact name, case-insensitive."""

    def __init__(self, context: ImportContext):
        super().__init__()
        self.context = context

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if not value:
            return None
        key = value.zfill(6) if value.isdigit() else value.casefold()
        province_id = self.context.provinces.get(key)
        if province_id is None:
            raise ValueError(
                _("Unknown province “%(value)s”: write its code (e.g. 040000) or its exact name (e.g. DI "
                  "Yogyakarta).") % {"value": value}
            )
        return province_id

    def render(self, value, obj=None, **kwargs):
        return self.context.province_names.get(value, "")


# --- The resource ---------------------------------------------------------------------------


class ImportContext:
    """What one run looks up, loaded once: study programs of the file, provinces, the importer's programs."""

    def __init__(self, user):
        self.user = user
        self.programs: dict[str, StudyProgram] = {}
        self.program_codes: dict[int, str] = {}
        self.allowed: set[int] | None = set()
        self.provinces: dict[str, int] = {}
        self.province_names: dict[int, str] = {}
        # row number → row number of the first row with the same (study program, NIM)
        self.duplicates: dict[int, int] = {}
        # account id → its email (lower case), for the records of these study programs that someone claimed
        self.owner_emails: dict[int, str] = {}

    def load(self, dataset: tablib.Dataset) -> None:
        codes = {str(code).strip() for code in dataset["study_program"]} - {""}
        programs = StudyProgram.objects.filter(code__in=codes).only("id", "code", "name")
        self.programs = {p.code: p for p in programs}
        self.program_codes = {p.pk: p.code for p in self.programs.values()}
        if self.user is None:
            self.allowed = None  # the system (command line without --as): every study program
        else:
            self.allowed = set(
                StudyProgram.objects.managed_by(self.user).filter(code__in=codes).values_list("pk", flat=True)
            )
        for pk, code, name in Province.objects.values_list("pk", "code", "name"):
            self.provinces[code] = pk
            self.provinces[name.casefold()] = pk
            self.province_names[pk] = name
        self.owner_emails = {
            pk: email.lower() for pk, email in User.objects.filter(
                alumni_profile__study_program_id__in=self.importable_ids()
            ).values_list("pk", "email")
        }
        first: dict[tuple[str, str], int] = {}
        for code, nim, number in zip(dataset["study_program"], dataset["nim"], dataset[ROW], strict=True):
            key = (str(code).strip(), str(nim).strip())
            if not key[1]:
                continue
            if key in first:
                self.duplicates[number] = first[key]
            else:
                first[key] = number

    def may_import_into(self, program_id: int) -> bool:
        return self.allowed is None or program_id in self.allowed

    def importable_ids(self) -> list[int]:
        return [pk for pk in self.program_codes if self.may_import_into(pk)]


# (resource field attribute, audit label)
COMPARED = (
    ("full_name", "full_name"), ("email", "email"), ("entry_year", "entry_year"),
    ("graduation_date", "graduation_date"), ("phone", "phone"), ("province_id", "province"), ("city", "city"),
)


class ProfileLoader(BaseInstanceLoader):
    """Every existing record of the study programs in the file (that the importer may import into), in one
    query, keyed by (study program id, NIM)."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.context = resource.context
        # Whole rows: the batch upsert (AlumniResource.bulk_update) writes every column of the instance.
        # Verified records only: a self-declared record waiting for verification is not the study program's
        # record of that NIM (the file's row becomes a record of its own, which staff see beside the request).
        qs = AlumniProfile.objects.filter(
            study_program_id__in=self.context.importable_ids(), verification=AlumniProfile.Verification.VERIFIED
        )
        self.instances = {(p.study_program_id, p.nim): p for p in qs.order_by().iterator(chunk_size=2000)}

    def get_instance(self, row):
        program = self.context.programs.get(str(row["study_program"]).strip())
        if program is None or not self.context.may_import_into(program.pk):
            return None
        return self.instances.get((program.pk, str(row["nim"]).strip()))


class LeanResult(Result):
    """Counts only: the resource keeps its own list of problems, so 100,000 rows keep no per-row objects."""

    def append_row_result(self, row_result):
        pass

    def append_invalid_row(self, number, row, validation_error):
        pass


class AlumniResource(resources.ModelResource):
    nim = Field(attribute="nim", column_name="nim", widget=TextWidget(30, required=True))
    full_name = Field(attribute="full_name", column_name="full_name", widget=TextWidget(200, required=True))
    email = Field(attribute="email", column_name="email", widget=EmailWidget())
    study_program = Field(attribute="study_program_id", column_name="study_program")
    entry_year = Field(attribute="entry_year", column_name="entry_year", widget=YearWidget())
    graduation_date = Field(attribute="graduation_date", column_name="graduation_date", widget=IsoDateWidget())
    phone = Field(attribute="phone", column_name="phone", widget=PhoneWidget())
    province = Field(attribute="province_id", column_name="province")
    city = Field(attribute="city", column_name="city", widget=TextWidget(100))

    class Meta:
        model = AlumniProfile
        fields = COLUMNS
        import_id_fields = ("study_program", "nim")
        instance_loader_class = ProfileLoader
        use_bulk = True
        batch_size = BATCH_SIZE
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = False
        # No deepcopy and no HTML diff per row: skip_row and the audit compare a snapshot of the loaded values.
        skip_diff = True
        store_instance = True
        use_transactions = True

    def __init__(self, *, user=None, job: ImportJob | None = None, cell_issues=None,
                 progress: Callable[[int], None] | None = None):
        super().__init__()
        self.context = ImportContext(user)
        self.fields["study_program"].widget = StudyProgramWidget(self.context)
        self.fields["province"].widget = ProvinceWidget(self.context)
        self._import_fields = super().get_import_fields()
        self.user = user
        self.job = job
        self.cell_issues = cell_issues or {}
        self.progress = progress
        self.issues: list[Issue] = []
        self.issue_count = 0
        self.invalid_rows = 0
        self.processed = 0
        self.pending_audit: list[AuditLog] = []
        self.audit_count = 0
        # Rows whose protected fields were left as the record has them: {row, profile_id, nim, name, differences}
        self.conflicts: list[dict] = []
        self.per_program: dict[int, dict[str, int]] = defaultdict(lambda: {"new": 0, "updated": 0, "unchanged": 0})
        self._before: tuple | None = None
        self._now = timezone.now()

    @classmethod
    def get_result_class(cls):
        return LeanResult

    def get_import_fields(self):
        return self._import_fields

    def get_bulk_update_fields(self):
        return [*super().get_bulk_update_fields(), "updated_at"]

    def before_import(self, dataset, **kwargs):
        self.context.load(dataset)

    def after_import(self, dataset, result, **kwargs):
        """Nothing to reset: the primary key is a UUID (ModelResource would reset sequences)."""

    def after_init_instance(self, instance, new, row, **kwargs):
        self._before = None if new else tuple(getattr(instance, attr) for attr, _label in COMPARED)

    def import_instance(self, instance, row, **kwargs):
        """Check every cell with its widget, then the row as a whole; set the values only if all are valid."""
        number = row[ROW]
        errors: dict[str, list[str]] = defaultdict(list)
        for column, message in self.cell_issues.get(number, ()):
            errors[column].append(message)
        values = {}
        for fld in self._import_fields:
            column = fld.column_name
            if column not in row:
                continue
            raw = row[column]
            if isinstance(raw, str) and raw.lstrip().startswith("="):
                errors[column].append(_("Formulas are not allowed: type the value itself (this cell starts with “=”)."))
                continue
            try:
                values[fld.attribute] = fld.clean(row)
            except ValueError as exc:
                errors[column].append(str(exc))
        first = self.context.duplicates.get(number)
        if first is not None:
            errors["nim"].append(
                _("NIM %(nim)s appears twice for study program %(code)s: rows %(first)s and %(row)s.") % {
                    "nim": str(row["nim"]).strip(), "code": str(row["study_program"]).strip(),
                    "first": first, "row": number,
                }
            )
        graduation = values.get("graduation_date")
        if graduation is None and "graduation_date" not in errors:
            graduation = instance.graduation_date  # an empty cell keeps the stored date
        entry_year = values.get("entry_year")
        if graduation and entry_year and graduation.year < entry_year:
            errors["graduation_date"].append(_("The graduation date is before the entry cohort."))
        if errors:
            raise ValidationError(dict(errors))
        claimed = instance.user_id is not None
        # The file speaks for the same person only when its email is the claiming account's (an empty cell keeps
        # the record's email, and so says nothing new about who the graduate is).
        file_email = (values.get("email") or instance.email).lower()
        protected = claimed and file_email != self.context.owner_emails.get(instance.user_id)
        differences = {}
        for attr, value in values.items():
            if attr in KEEP_WHEN_EMPTY and value in ("", None):
                continue
            if claimed and attr in OWNER_FIELDS:
                continue
            if protected and attr in PROTECTED_FIELDS:
                if value != getattr(instance, attr):
                    # An email its owner keeps to themselves ("only me") is not shown to staff: None says so.
                    hidden = attr == "email" and owner_hides_email(instance)
                    differences[attr] = [None if hidden else to_json(attr, getattr(instance, attr)),
                                         to_json(attr, value)]
                continue
            setattr(instance, attr, value)
        if differences:
            self.conflicts.append({"row": number, "profile_id": str(instance.pk), "nim": instance.nim,
                                   "name": instance.full_name, "differences": differences})

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not self._meta.skip_unchanged or import_validation_errors or self._before is None:
            return False
        return self._before == tuple(getattr(instance, attr) for attr, _label in COMPARED)

    def before_save_instance(self, instance, row, **kwargs):
        if not instance._state.adding:
            instance.updated_at = self._now  # bulk_update does not apply auto_now

    def import_row(self, row, instance_loader, **kwargs):
        # Not after_import_row: import-export skips that hook for invalid rows.
        row_result = super().import_row(row, instance_loader, **kwargs)
        self._after_row(row, row_result, dry_run=kwargs.get("dry_run", False))
        return row_result

    def _after_row(self, row, row_result, *, dry_run: bool) -> None:
        number = row[ROW]
        kind = row_result.import_type
        instance = row_result.instance
        if kind == RowResult.IMPORT_TYPE_INVALID:
            self.invalid_rows += 1
            for column, messages in row_result.validation_error.message_dict.items():
                for message in messages:
                    self._issue(number, column, message)
        elif kind == RowResult.IMPORT_TYPE_ERROR:
            self.invalid_rows += 1
            for error in row_result.errors:
                logger.error("alumni import: row %s failed: %s", number, error.error)
            self._issue(number, "", _("This row could not be processed (unexpected error)."))
        elif instance is not None:
            label = {RowResult.IMPORT_TYPE_NEW: "new", RowResult.IMPORT_TYPE_UPDATE: "updated"}.get(kind, "unchanged")
            self.per_program[instance.study_program_id][label] += 1
            if kind == RowResult.IMPORT_TYPE_UPDATE and not dry_run:
                self._audit_update(instance)
        # Keep nothing per row.
        row_result.instance = None
        row_result.validation_error = None
        self.processed += 1
        if self.progress and self.processed % BATCH_SIZE == 0:
            self.progress(self.processed)

    def _issue(self, row: int, column: str, message: str) -> None:
        self.issue_count += 1
        if len(self.issues) < MAX_STORED_ISSUES:
            self.issues.append(Issue(row, column, message))

    def _audit_update(self, instance) -> None:
        """Which fields the file changed, never their values: a phone or a city may be one its owner hides from
        the staff who read the trail."""
        after = tuple(getattr(instance, attr) for attr, _label in COMPARED)
        fields = [label for (_attr, label), old, new in zip(COMPARED, self._before, after, strict=True) if old != new]
        data = {"fields": fields, "source": "import"}
        if self.job is not None:
            data["import_job"] = str(self.job.pk)
        self.pending_audit.append(AuditLog(
            actor=self.user, action="alumni.profile.updated", target_type=AlumniProfile._meta.label_lower,
            target_id=str(instance.pk), target_repr=str(instance)[:200], study_program_id=instance.study_program_id,
            data=data,
        ))

    def _flush_audit(self) -> None:
        if self.pending_audit:
            AuditLog.objects.bulk_create(self.pending_audit, batch_size=BATCH_SIZE)
            self.audit_count += len(self.pending_audit)
            self.pending_audit = []

    # A preview writes nothing at all (import-export would write inside a transaction and roll it back).
    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run:
            self.create_instances.clear()
            return
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size=batch_size, result=result)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Changed records as one INSERT … ON CONFLICT (id) DO UPDATE per batch.

        Django's bulk_update builds a CASE WHEN per field and row, about 2 ms of Python per row (a minute and a
        half for 50,000 changed records); the upsert on the primary key (the loaded records' own ids: the
        (study program, NIM) constraint holds among verified records only, a partial index ON CONFLICT cannot name)
        writes the same columns at bulk_create's speed, on SQLite and PostgreSQL alike.
        """
        if dry_run:
            self.update_instances.clear()
            self.pending_audit = []
            return
        if self.update_instances:
            try:
                AlumniProfile.objects.bulk_create(
                    self.update_instances, batch_size=batch_size, update_conflicts=True,
                    unique_fields=["id"], update_fields=self.get_bulk_update_fields(),
                )
            except Exception as exc:  # reported like import-export's own bulk errors; the import rolls back
                self.handle_import_error(result, exc, raise_errors)
            finally:
                self.update_instances.clear()
        self._flush_audit()

    def bulk_delete(self, using_transactions, dry_run, raise_errors, result=None):
        self.delete_instances.clear()  # an import never deletes


# --- Running it ------------------------------------------------------------------------------


@dataclass
class Outcome:
    total_rows: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {"new": 0, "updated": 0, "unchanged": 0, "invalid": 0})
    issues: list[Issue] = field(default_factory=list)
    issue_count: int = 0
    file_error: str = ""
    imported: bool = False
    audit_entries: int = 0
    # Rows of claimed records whose name, email or dates the file would change (see PROTECTED_FIELDS).
    conflicts: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.counts["invalid"]

    @property
    def errors(self) -> list[dict]:
        if self.file_error:
            return [{"row": None, "column": "", "message": self.file_error}]
        return [issue.as_dict() for issue in self.issues]


class _Rollback(Exception):
    pass


def run_import(source, *, user=None, dry_run: bool = True, job: ImportJob | None = None,
               progress: Callable[[int, int], None] | None = None) -> Outcome:
    """Check (dry_run) or import one file. `user` None is the system, with access to every study program.

    The import is all or nothing: one transaction, rolled back if any row is invalid or any write fails.
    `progress(processed, total)` is called after reading and then once per batch of rows.
    """
    try:
        table = read_table(source)
    except ImportFileError as exc:
        return Outcome(file_error=exc.message)
    total = len(table.dataset)
    if progress:
        progress(0, total)
    resource = AlumniResource(
        user=user, job=job, cell_issues=table.cell_issues,
        progress=(lambda n: progress(n, total)) if progress else None,
    )
    outcome = Outcome(total_rows=total)
    try:
        with contextlib.nullcontext() if dry_run else transaction.atomic():
            result = resource.import_data(table.dataset, dry_run=dry_run, use_transactions=True, raise_errors=False)
            if result.base_errors or result.error_rows:
                for error in result.base_errors:
                    logger.error("alumni import failed: %s", error.error)
                    resource._issue(None, "", _("The records could not be saved (%(error)s).") % {
                        "error": str(error.error)[:200],
                    })
                    resource.invalid_rows += 1
            if not dry_run:
                if resource.invalid_rows:
                    raise _Rollback
                _record_conflicts(resource, job=job)
                _audit_summary(resource, job=job)
                outcome.imported = True
    except _Rollback:
        outcome.imported = False
    totals = result.totals
    outcome.counts = {
        "new": totals[RowResult.IMPORT_TYPE_NEW],
        "updated": totals[RowResult.IMPORT_TYPE_UPDATE],
        "unchanged": totals[RowResult.IMPORT_TYPE_SKIP],
        "invalid": resource.invalid_rows,
    }
    outcome.issues = resource.issues
    outcome.issue_count = resource.issue_count
    outcome.audit_entries = resource.audit_count
    outcome.conflicts = resource.conflicts
    return outcome


def _record_conflicts(resource: AlumniResource, *, job: ImportJob | None) -> None:
    """One ImportConflict per row whose protected fields were left as they are (an import from the command line
    has no job to hang them on: it reports them and leaves the records as they are)."""
    if job is None or not resource.conflicts:
        return
    ImportConflict.objects.bulk_create(
        [ImportConflict(job=job, profile_id=c["profile_id"], row_number=c["row"], differences=c["differences"])
         for c in resource.conflicts],
        batch_size=BATCH_SIZE,
    )


def _audit_summary(resource: AlumniResource, *, job: ImportJob | None) -> None:
    """One entry per study program for the import as a whole (updated records have their own entries)."""
    entries = []
    for program_id, counts in resource.per_program.items():
        if not (counts["new"] or counts["updated"]):
            continue
        entries.append(AuditLog(
            actor=resource.user, action="alumni.import.done",
            target_type=(job._meta.label_lower if job else "alumni.studyprogram"),
            target_id=str(job.pk if job else program_id),
            target_repr=(job.original_name if job else resource.context.program_codes.get(program_id, ""))[:200],
            study_program_id=program_id, data={**counts, "study_program": resource.context.program_codes[program_id]},
        ))
    AuditLog.objects.bulk_create(entries)


# --- Import jobs (the web UI and its Celery tasks) ---------------------------------------------


def progress_key(job_id) -> str:
    return f"alumni-import:{job_id}:progress"


def _progress_writer(job_id):
    """Progress goes to the cache (Redis when a worker runs): the import's own transaction hides row updates
    from other connections until it commits."""

    def write(processed: int, total: int) -> None:
        cache.set(progress_key(job_id), {"processed": processed, "total": total}, timeout=24 * 3600)

    return write


def job_progress(job: ImportJob) -> tuple[int, int]:
    """(processed, total) for the status endpoint: the cache while a task runs, the row otherwise."""
    if job.status in (ImportJob.Status.PREVIEWING, ImportJob.Status.IMPORTING):
        live = cache.get(progress_key(job.pk))
        if live:
            return live["processed"], live["total"]
        return 0, job.total_rows
    return job.processed_rows, job.total_rows


def job_create(*, user: User, upload) -> ImportJob:
    name = getattr(upload, "name", "") or "upload"
    suffix = ".xlsx" if name.lower().endswith(".xlsx") else ".csv"
    job = ImportJob(created_by=user, original_name=name[:255])
    job.file.save(f"{job.pk}{suffix}", upload, save=False)
    job.save()
    return job


def _language(job: ImportJob) -> str:
    return (job.created_by.language if job.created_by else "") or settings.LANGUAGE_CODE


def _finish(job: ImportJob, outcome: Outcome, *, status: str, message: str = "") -> None:
    job.status = status
    job.total_rows = outcome.total_rows
    job.processed_rows = outcome.total_rows if not outcome.file_error else 0
    job.summary = {**job.summary, **outcome.counts, "errors": outcome.issue_count,
                   "conflicts": len(outcome.conflicts)}
    # The preview lists the conflicting rows (the record's values beside the file's); once imported, the job's
    # ImportConflict rows hold them instead.
    job.summary.pop("conflict_rows", None)
    if outcome.conflicts and not outcome.imported:
        job.summary["conflict_rows"] = [
            {key: c[key] for key in ("row", "nim", "name", "differences")}
            for c in outcome.conflicts[:MAX_STORED_ISSUES]
        ]
    job.errors = outcome.errors
    job.message = outcome.file_error or message
    job.save(update_fields=["status", "total_rows", "processed_rows", "summary", "errors", "message",
                            "finished_at", "started_at"])
    cache.delete(progress_key(job.pk))


def job_preview(*, job_id) -> ImportJob | None:
    """Check the uploaded file (nothing is written) and store the counts and the invalid rows."""
    if not ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.UPLOADED).update(
        status=ImportJob.Status.PREVIEWING, started_at=timezone.now()
    ):
        return None  # already checked, or checking elsewhere
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    with translation.override(_language(job)):
        if job.created_by is None:
            _finish(job, Outcome(file_error=_("The person who uploaded this file no longer exists.")),
                    status=ImportJob.Status.FAILED)
            return job
        try:
            with job.file.open("rb") as handle:
                outcome = run_import(handle, user=job.created_by, dry_run=True, progress=_progress_writer(job.pk))
        except Exception:
            logger.exception("alumni import %s: preview failed", job_id)
            outcome = Outcome(file_error=_("The file could not be checked because of an unexpected error."))
        if outcome.ok:
            status, message = ImportJob.Status.PREVIEWED, ""
        else:
            status = ImportJob.Status.FAILED
            message = "" if outcome.file_error else ngettext(
                "%(n)s row is invalid. Correct the file and upload it again: nothing was imported.",
                "%(n)s rows are invalid. Correct the file and upload it again: nothing was imported.",
                outcome.counts["invalid"],
            ) % {"n": outcome.counts["invalid"]}
        if status == ImportJob.Status.FAILED:
            job.finished_at = timezone.now()
        _finish(job, outcome, status=status, message=message)
    return job


def job_confirm(*, job: ImportJob) -> bool:
    """Move a checked job on to importing; False when it is not waiting for confirmation (or was confirmed)."""
    return bool(
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED, summary__invalid=0).update(
            status=ImportJob.Status.IMPORTING, processed_rows=0
        )
    )


def job_import(*, job_id) -> ImportJob | None:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportJob.Status.IMPORTING:
        return None
    with translation.override(_language(job)):
        try:
            with job.file.open("rb") as handle:
                outcome = run_import(handle, user=job.created_by, dry_run=False, job=job,
                                     progress=_progress_writer(job.pk))
        except Exception:
            logger.exception("alumni import %s failed", job_id)
            outcome = Outcome(file_error=_("The import failed because of an unexpected error. Nothing was imported."))
        job.finished_at = timezone.now()
        if outcome.imported:
            _finish(job, outcome, status=ImportJob.Status.DONE)
        else:
            message = "" if outcome.file_error else _(
                "The data changed since the check: some rows are now invalid. Nothing was imported."
            )
            _finish(job, outcome, status=ImportJob.Status.FAILED, message=message)
    return job


# --- Invitations to sign up and claim an imported record -----------------------------------------

INVITATION_INSERT_ROWS = 500
MAX_INVITATION_ATTEMPTS = 5
INVITATION_LEASE = datetime.timedelta(minutes=5)


def _insert_invitations(rows: list[SignupInvitation]) -> list[int]:
    """INSERT … ON CONFLICT (key) DO NOTHING RETURNING id: the ids of the rows this call won (a key claimed before,
    by any job or a concurrent click, is not returned)."""
    if not rows:
        return []
    connection = connections[router.db_for_write(SignupInvitation)]
    qn = connection.ops.quote_name
    fields = [f for f in SignupInvitation._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(qn(f.column) for f in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    won: list[int] = []
    with connection.cursor() as cursor:
        for chunk in batched(sorted(rows, key=lambda r: r.key), INVITATION_INSERT_ROWS):
            params = [f.get_db_prep_save(f.pre_save(row, True), connection) for row in chunk for f in fields]
            # Identifiers come from the model's own metadata; every value is a bound parameter.
            sql = (
                f"INSERT INTO {qn(SignupInvitation._meta.db_table)} ({columns}) "  # noqa: S608
                f"VALUES {', '.join([row_sql] * len(chunk))} "
                f"ON CONFLICT ({qn('key')}) DO NOTHING RETURNING {qn('id')}"
            )
            cursor.execute(sql, params)
            won.extend(pk for (pk,) in cursor.fetchall())
    return won


def job_keys(job: ImportJob) -> set[tuple[str, str]]:
    """(study program code, NIM) of every row of the job's file."""
    with job.file.open("rb") as handle:
        dataset = read_table(handle).dataset
    return {
        (str(code).strip(), str(nim).strip())
        for code, nim in zip(dataset["study_program"], dataset["nim"], strict=True)
    }


@transaction.atomic
def invitations_claim(*, job: ImportJob, by: User) -> list[int]:
    """Claim one invitation per imported record of the job that has an email and no account (and whose email
    no account uses). Returns the new invitations' ids; they are sent after commit, with this job's earlier
    invitations whose send failed."""
    keys = job_keys(job)
    programs = dict(
        StudyProgram.objects.managed_by(by).filter(code__in={code for code, _nim in keys}).values_list("pk", "code")
    )
    candidates = [
        profile
        for profile in AlumniProfile.objects.filter(study_program_id__in=programs, user__isnull=True)
        .exclude(email="")
        .only("id", "study_program_id", "nim", "email")
        .iterator(chunk_size=2000)
        if (programs[profile.study_program_id], profile.nim) in keys
    ]
    emails = {profile.email.lower() for profile in candidates}
    taken = set()
    for chunk in batched(sorted(emails), 1000):
        taken |= {email.lower() for email in User.objects.filter(email__in=chunk).values_list("email", flat=True)}
    now = timezone.now()
    rows = [
        SignupInvitation(key=f"invitation:{profile.pk}", profile_id=profile.pk, email=profile.email, job=job,
                         created_at=now)
        for profile in candidates
        if profile.email.lower() not in taken
    ]
    won = _insert_invitations(rows)
    job.summary = {**job.summary, "invited": job.summary.get("invited", 0) + len(won)}
    job.save(update_fields=["summary"])
    # Invitations of this job whose send failed before go out again (each send is leased: never twice).
    retry = list(
        SignupInvitation.objects.filter(job=job, sent_at__isnull=True, attempts__gt=0,
                                        attempts__lt=MAX_INVITATION_ATTEMPTS).values_list("pk", flat=True)
    )
    if won or retry:
        from .tasks import deliver_invitations

        ids = [*won, *retry]
        transaction.on_commit(lambda: deliver_invitations.delay(ids))
    return won


def signup_url() -> str:
    return f"{settings.SITE_URL}{reverse('account_signup')}"


def invitation_deliver(*, invitation_id: int) -> bool:
    """Send one claimed invitation; True when it went out now. Leased like notifications: two workers never
    send the same row, and a failed send is tried again by the next delivery (up to 5 attempts)."""
    now = timezone.now()
    leased = (
        SignupInvitation.objects.filter(
            models.Q(locked_until__isnull=True) | models.Q(locked_until__lt=now),
            pk=invitation_id, sent_at__isnull=True, attempts__lt=MAX_INVITATION_ATTEMPTS,
        ).update(attempts=models.F("attempts") + 1, locked_until=now + INVITATION_LEASE)
    )
    if not leased:
        return False
    invitation = SignupInvitation.objects.select_related("profile__study_program").get(pk=invitation_id)
    profile = invitation.profile
    # The invitee has no account and so no saved language: the portal's default language.
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "profile": profile, "program": profile.study_program, "email": invitation.email,
            "signup_url": signup_url(), "site_name": settings.SITE_NAME,
        }
        subject = " ".join(render_text(get_template("alumni/email/invitation_subject.txt"), context).split())
        body = render_text(get_template("alumni/email/invitation_body.txt"), context).strip()
    try:
        send_mail(subject[:200], body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("invitation %s: delivery failed: %s", invitation_id, exc)
        SignupInvitation.objects.filter(pk=invitation_id).update(last_error=str(exc)[:1000], locked_until=None)
        return False
    SignupInvitation.objects.filter(pk=invitation_id).update(sent_at=timezone.now(), last_error="", locked_until=None)
    return True
