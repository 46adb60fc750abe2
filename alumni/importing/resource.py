"""The django-import-export resource of graduate records (`AlumniResource`) and its widgets.

Every row is checked with the widgets below (no `full_clean`); a cell holding a formula is refused. Existing records
are matched on (study program, NIM), looked up a window of file rows at a time (ProfileLoader: the keys and the
compared columns only, so memory does not grow with the database; on PostgreSQL by their exact keys), and written per
batch: new records with one COPY on PostgreSQL (copy_insert; bulk_create elsewhere), changed ones with an upsert. Study
programs and provinces are looked up in dicts: no query runs per row. Updated records get an audit entry naming the
fields the file changed, written in bulk. A claimed record's protected fields are not overwritten: the differences
are kept as conflicts for alumni.importing.jobs to record.
"""

from __future__ import annotations

import datetime
import io
import itertools
import logging
import re
import uuid
from collections import defaultdict
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, connections, router, transaction
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import resources, widgets
from import_export.fields import Field
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import Result, RowResult

from core.models import AuditLog

from ..forms import year_bounds
from ..models import AlumniProfile, ImportJob, Province, StudyProgram
from ..records import IMPORT_PROTECTED_FIELDS, owner_hides_email, to_json
from .reading import COLUMNS, ROW, Issue, Rows, parse_day
from .template import EXAMPLE_NIM

logger = logging.getLogger(__name__)

# An empty cell in these columns leaves the stored value as it is (a new record gets it empty).
KEEP_WHEN_EMPTY = frozenset({"email", "graduation_date", "phone", "province_id", "city"})
# A claimed record's contact details are its owner's: the import never overwrites them.
OWNER_FIELDS = frozenset({"phone", "province_id", "city"})
# Nor, when the account that claimed the record has another email than the file's row, its name, email and dates:
# the file may be right (someone claimed a graduate's record) or wrong (a typo). The row's other changes are
# written; these wait as an ImportConflict for staff to decide (alumni.records.import_conflict_resolve).
PROTECTED_FIELDS = frozenset(IMPORT_PROTECTED_FIELDS)

BATCH_SIZE = 1000
# Errors kept for the screen and the job; all of them are counted.
MAX_STORED_ISSUES = 500

PHONE_RE = re.compile(r"^\+?[0-9(][0-9 ().\-]{3,28}[0-9]$")
YEAR_RE = re.compile(r"^\d{4}$")
# Addresses of this plain shape are ones Django's validate_email accepts (each part a subset of its rules: dot-atom
# local part, labels of letters, digits and inner hyphens, a TLD of letters): checked without it. Any other address
# is left to validate_email, whose answer stands.
PLAIN_EMAIL_RE = re.compile(
    r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
    r"\.[A-Za-z]{2,63}",
    re.ASCII,
)


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
        if value and not PLAIN_EMAIL_RE.fullmatch(value):
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
    """`bounds` (low, high) fixed for a run (AlumniResource: read once, not per cell); None reads them per cell."""

    def __init__(self, bounds: tuple[int, int] | None = None):
        super().__init__()
        self.bounds = bounds

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if not value:
            raise ValueError(_("This cell may not be empty."))
        if not YEAR_RE.match(value):
            raise ValueError(_("Write the year with four digits, e.g. 2019 (this cell has “%(value)s”).") % {
                "value": value,
            })
        year = int(value)
        low, high = self.bounds or year_bounds()
        if not low <= year <= high:
            raise ValueError(_("Enter a year between %(low)s and %(high)s.") % {"low": low, "high": high})
        return year

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class DayWidget(widgets.Widget):
    """YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY (reading.parse_day): a cell like 03/04/2019 is read day first, as
    Indonesian spreadsheets write it (3 April). An XLSX date cell arrives as YYYY-MM-DD. `today` fixed for a run
    (AlumniResource), or None: the local date of each cell's check."""

    def __init__(self, today: datetime.date | None = None):
        super().__init__()
        self.today = today

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if not value:
            return None
        try:
            date = parse_day(value)
        except ValueError:
            raise ValueError(
                _("Write the date as YYYY-MM-DD or DD/MM/YYYY, e.g. 2019-08-25 or 25/08/2019 (this cell has "
                  "“%(value)s”).") % {"value": value}
            ) from None
        if date > (self.today or timezone.localdate()):
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


# --- Writing new records with COPY (PostgreSQL) ------------------------------------------------

# COPY's text format: NULL is \N, and a backslash, tab, newline or carriage return inside a value is escaped.
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_supported(connection) -> bool:
    """COPY … FROM STDIN through psycopg2's copy_expert (PostgreSQL); other databases use bulk_create."""
    if connection.vendor != "postgresql":
        return False
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return not is_psycopg3


def _copy_cell(field, value, connection) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, str):  # choices (TextChoices members) too: their text is the stored value
        return str.translate(value, COPY_ESCAPES)
    kind = type(value)
    if kind is bool:
        return "t" if value else "f"
    if kind is int or kind is uuid.UUID or kind is datetime.date or kind is datetime.datetime:
        return str(value)
    value = field.get_db_prep_save(value, connection)  # anything else as Django would save it
    return "\\N" if value is None else str(value).translate(COPY_ESCAPES)


def copy_insert(instances: list[AlumniProfile], *, using: str, per_row: frozenset[str] = frozenset()) -> None:
    """New records in one `COPY … FROM STDIN`: the rows bulk_create would insert (every concrete column, auto_now
    and auto_now_add columns set to the batch's time), without compiling an INSERT of every value in Python.

    The columns named in `per_row` (attnames: what the file sets) are converted for every row; the others mostly
    hold the same defaults, so their text is converted once per distinct combination of values (and types).
    A database error is raised as bulk_create's would be, without COPY's CONTEXT line (it quotes the file's row)."""
    connection = connections[using]
    fields = AlumniProfile._meta.concrete_fields
    stamped = [f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    varying = [f for f in fields if f.attname in per_row or f.attname in stamped]
    rest = [f for f in fields if f not in varying]
    rest_names = [f.attname for f in rest]
    rest_text: dict[tuple, str] = {}
    now = timezone.now()
    columns = ", ".join(connection.ops.quote_name(f.column) for f in (*varying, *rest))
    buffer = io.StringIO()
    for instance in instances:
        values = instance.__dict__
        for name in stamped:
            values[name] = now
        others = tuple([values[name] for name in rest_names])
        key = (others, tuple(map(type, others)))
        try:
            tail = rest_text[key]
        except KeyError:
            tail = rest_text[key] = "\t".join(
                [_copy_cell(f, value, connection) for f, value in zip(rest, others, strict=True)])
        except TypeError:  # a value that cannot be a dict key: converted for this row
            tail = "\t".join([_copy_cell(f, value, connection) for f, value in zip(rest, others, strict=True)])
        cells = [value.translate(COPY_ESCAPES) if type(value) is str else _copy_cell(f, value, connection)
                 for f, value in zip(varying, [values[f.attname] for f in varying], strict=True)]
        if rest:
            cells.append(tail)
        buffer.write("\t".join(cells))
        buffer.write("\n")
    buffer.seek(0)
    # Like bulk_create: a failure marks the enclosing atomic block for rollback.
    with transaction.atomic(using=using, savepoint=False), connection.cursor() as cursor:
        try:
            with connection.wrap_database_errors:
                cursor.cursor.copy_expert(f"COPY {connection.ops.quote_name(AlumniProfile._meta.db_table)} "
                                          f"({columns}) FROM STDIN", buffer)
        except DatabaseError as exc:
            text = str(exc)
            end = text.find("\nCONTEXT:")
            raise type(exc)(text if end < 0 else text[: end + 1]) from exc
    for instance in instances:
        instance._state.adding = False
        instance._state.db = using


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
        # account id → its email (lower case), for the claimed records of the rows being checked (ProfileLoader)
        self.owner_emails: dict[int, str] = {}

    def load(self, dataset: Rows) -> None:
        """One pass over the rows: their study program codes and the rows repeating a (program, NIM) key."""
        code_at, nim_at, number_at = (dataset.headers.index(name) for name in ("study_program", "nim", ROW))
        codes = set()
        first: dict[tuple[str, str], int] = {}
        for values in dataset:
            key = (str(values[code_at]).strip(), str(values[nim_at]).strip())
            codes.add(key[0])
            if not key[1]:
                continue
            if key in first:
                self.duplicates[values[number_at]] = first[key]
            else:
                first[key] = values[number_at]
        codes.discard("")
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

    def may_import_into(self, program_id: int) -> bool:
        return self.allowed is None or program_id in self.allowed

    def importable_ids(self) -> list[int]:
        return [pk for pk in self.program_codes if self.may_import_into(pk)]


# (resource field attribute, audit label)
COMPARED = (
    ("full_name", "full_name"), ("email", "email"), ("entry_year", "entry_year"),
    ("graduation_date", "graduation_date"), ("phone", "phone"), ("province_id", "province"), ("city", "city"),
)


# Loaded per row key, no more: what the row check, the compare and the batch upsert read (see ProfileLoader).
LOADED_FIELDS = ("id", "study_program_id", "nim", "full_name", "email", "entry_year", "graduation_date", "phone",
                 "province_id", "city", "user_id", "vis_email")
# File rows whose existing records are looked up in one query.
LOAD_BATCH = 2000


class ProfileLoader(BaseInstanceLoader):
    """The existing records of the file's keys, (study program id, NIM), looked up one window of LOAD_BATCH file
    rows at a time (one query per window, whatever the database size): only the columns in LOADED_FIELDS and the
    claiming account's email, never every record of the study programs.

    Verified records only: a self-declared record waiting for verification is not the study program's record of
    that NIM (the file's row becomes a record of its own, which staff see beside the request).

    The instances are built from those values and marked as stored. The batch upsert
    (AlumniResource.bulk_update) is an INSERT … ON CONFLICT (id) DO UPDATE of the import's columns only: the other
    columns of the proposed row hold the model's defaults and are never written, the id being a stored record's.
    """

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.context = resource.context
        headers = dataset.headers
        self._code = headers.index("study_program")
        self._nim = headers.index("nim")
        self._number = headers.index(ROW)
        self._ahead = iter(dataset)  # a pass of its own over the rows, a window ahead of the import's
        self._done = False  # every row looked up
        self._loaded_until = 0  # row number of the last row looked up
        self.instances: dict[tuple[int, str], AlumniProfile] = {}
        self.queries = 0

    def _load_next(self) -> None:
        programs, nims, keys = set(), set(), set()
        read = 0
        for values in itertools.islice(self._ahead, LOAD_BATCH):
            read += 1
            program = self.context.programs.get(str(values[self._code]).strip())
            nim = str(values[self._nim]).strip()
            if program is not None and nim and self.context.may_import_into(program.pk):
                programs.add(program.pk)
                nims.add(nim)
                keys.add((program.pk, nim))
            self._loaded_until = values[self._number]
        self._done = read < LOAD_BATCH
        self.instances = {}
        self.context.owner_emails = {}
        if not nims:
            return
        using = router.db_for_read(AlumniProfile)
        rows = self._rows(keys, using) if connections[using].vendor == "postgresql" else AlumniProfile.objects.filter(
            study_program_id__in=programs, nim__in=nims, verification=AlumniProfile.Verification.VERIFIED,
        ).order_by().values_list(*LOADED_FIELDS, "user__email")
        self.queries += 1
        for *values, owner_email in rows:
            profile = AlumniProfile(**dict(zip(LOADED_FIELDS, values, strict=True)))
            profile._state.adding = False
            profile._state.db = using
            self.instances[(profile.study_program_id, profile.nim)] = profile
            if owner_email is not None:
                self.context.owner_emails[profile.user_id] = owner_email.lower()

    @staticmethod
    def _rows(keys: set[tuple[int, str]], using: str) -> list[tuple]:
        """PostgreSQL: the window's exact keys joined as two arrays, one probe of the (study program, NIM) index per
        key. The ORM's `study_program_id IN (…) AND nim IN (…)` is planned as a scan of the whole table (50 ms at
        200,000 records, per window)."""
        connection = connections[using]
        quote = connection.ops.quote_name
        meta = AlumniProfile._meta
        user = meta.get_field("user").related_model._meta

        def col(name: str) -> str:
            return "p." + quote(meta.get_field(name).column)

        program_ids, nims = zip(*keys, strict=True)
        selected = ", ".join([*(col(name) for name in LOADED_FIELDS), "u." + quote(user.get_field("email").column)])
        # Only the models' own table and column names are formatted into the statement.
        sql = (
            f"SELECT {selected} "  # noqa: S608
            f"FROM {quote(meta.db_table)} p JOIN unnest(%s::bigint[], %s::text[]) AS k(program_id, nim) "
            f"ON {col('study_program')} = k.program_id AND {col('nim')} = k.nim "
            f"LEFT JOIN {quote(user.db_table)} u ON u.{quote(user.pk.column)} = {col('user')} "
            f"WHERE {col('verification')} = %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(program_ids), list(nims), AlumniProfile.Verification.VERIFIED])
            return cursor.fetchall()

    def get_instance(self, row):
        while row[ROW] > self._loaded_until and not self._done:
            self._load_next()
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
    graduation_date = Field(attribute="graduation_date", column_name="graduation_date", widget=DayWidget())
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
        # The year bounds and today's date are read once per run, not per cell.
        self.fields["entry_year"].widget = YearWidget(year_bounds())
        self.fields["graduation_date"].widget = DayWidget(timezone.localdate())
        self._import_fields = super().get_import_fields()
        # (column, attribute, widget) of each imported field: the widget checks the cell itself (Field.clean only
        # looks the column up and would apply a default, which none of these fields has).
        self._cleaners = [(fld.column_name, fld.attribute, fld.widget) for fld in self._import_fields]
        # What differs from one new record to the next: its id and what the file sets (copy_insert).
        self._per_row = frozenset({"id", *(fld.attribute for fld in self._import_fields)})
        # A new record starts as a copy of these values (AlumniProfile()'s defaults) with an id of its own.
        template = AlumniProfile()
        self._new_values = {key: value for key, value in template.__dict__.items() if key not in ("_state", "id")}
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

    def init_instance(self, row=None):
        """AlumniProfile() without running Model.__init__ per row: its defaults copied, a new uuid4 id."""
        instance = AlumniProfile.__new__(AlumniProfile)
        instance.__dict__.update(self._new_values)
        instance._state = ModelState()
        instance.id = uuid.uuid4()
        return instance

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
        for column, attribute, widget in self._cleaners:
            if column not in row:
                continue
            raw = row[column]
            if isinstance(raw, str) and raw.lstrip().startswith("="):
                errors[column].append(_("Formulas are not allowed: type the value itself (this cell starts with “=”)."))
                continue
            try:
                values[attribute] = widget.clean(raw, row=row)
            except ValueError as exc:
                errors[column].append(str(exc))
        if str(row["nim"]).strip() == EXAMPLE_NIM:
            errors["nim"].append(_("This is the template's example row (NIM %(nim)s): delete it and upload again.")
                                 % {"nim": EXAMPLE_NIM})
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
        using = router.db_for_write(AlumniProfile)
        if not self.create_instances or not copy_supported(connections[using]):
            super().bulk_create(using_transactions, dry_run, raise_errors, batch_size=batch_size, result=result)
            return
        try:
            copy_insert(self.create_instances, using=using, per_row=self._per_row)
        except Exception as exc:  # reported like import-export's own bulk errors; the import rolls back
            self.handle_import_error(result, exc, raise_errors)
        finally:
            self.create_instances.clear()

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
