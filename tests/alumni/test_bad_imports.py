"""Hostile and broken import files (tests/data/bad_imports/, made by generate.py there): one test per file with
the exact message it gets, and the proof that nothing was written. Then the same files through the upload page,
which answers 200 with the message, never 500.

Messages are asserted in English (translation.override / the staff member's language); the portal's default is
Bahasa Indonesia once the catalogue is translated.
"""

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from defusedxml import DefusedXmlException
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from alumni.forms import MIN_YEAR
from alumni.importing.jobs import run_import
from alumni.models import AlumniProfile, ImportJob
from core.models import AuditLog

from ..conftest import client_for

DATA = Path(__file__).resolve().parent.parent / "data" / "bad_imports"

HEADER_RULE = ("The header row (row 1) must name the columns nim, full_name, email, study_program, entry_year, "
               "graduation_date, and may add phone, province, city.")
NOT_XLSX = ("The workbook cannot be read: it is damaged or not really an XLSX file. Save it again from Excel as "
            ".xlsx, or as CSV UTF-8.")
ENTITIES = ("The workbook contains XML entity declarations, which are not allowed. Save the data in a new workbook "
            "and upload again.")
NEITHER = "This file is neither a CSV nor an XLSX file. Upload a spreadsheet saved as CSV UTF-8 or XLSX."
FORMULA = "Formulas are not allowed: type the value itself (this cell starts with “=”)."

# file → the message about the whole file
FILE_ERRORS = {
    "latin1.csv": "The file is not encoded as UTF-8 (the first wrong character is on row 2). In Excel choose "
                  "“Save as” → “CSV UTF-8 (comma delimited)”.",
    "utf16.csv": "The file is encoded as UTF-16. Save it as “CSV UTF-8 (comma delimited)” and upload again.",
    "missing_column.csv": f"Missing columns: email. {HEADER_RULE}",
    "extra_column.csv": f"Unknown columns: alamat. {HEADER_RULE}",
    "empty.csv": "The file is empty.",
    "header_only.csv": "The file has a header row but no data rows.",
    "zip_bomb.xlsx": "The workbook would expand to 50 MB (961 times its size). Such files are refused: save the "
                     "data in a new workbook and upload again.",
    "billion_laughs.xlsx": ENTITIES,
    "xxe.xlsx": ENTITIES,
    "zip_not_xlsx.xlsx": "This file is a ZIP archive but not an Excel workbook. Upload a spreadsheet saved as CSV "
                         "UTF-8 or XLSX.",
    "old_excel.xls": "This is an old Excel file (.xls). Save it as Excel Workbook (.xlsx) or CSV UTF-8 and upload "
                     "again.",
    "png_renamed.csv": NEITHER,
    "truncated.xlsx": NOT_XLSX,
    "too_many_rows.csv": "The file has more than 3 rows. Split it into smaller files.",
    "too_big.csv": "The file is larger than 300 bytes. Split it into smaller files.",
}

# file → [(row, column, message)] for rows that are wrong (the other rows are fine)
ROW_ERRORS = {
    "duplicate_nim.csv": [(4, "nim", "NIM 20710001 appears twice for study program 71201: rows 2 and 4.")],
    "invalid_email.csv": [(3, "email", "“budi(at)example.org” is not a valid email address.")],
    "invalid_date.csv": [
        (2, "graduation_date", "Write the date as YYYY-MM-DD or DD/MM/YYYY, e.g. 2019-08-25 or 25/08/2019 (this cell "
                               "has “25 Agustus 2020”).")
    ],
    "impossible_date.csv": [
        (2, "graduation_date", "Write the date as YYYY-MM-DD or DD/MM/YYYY, e.g. 2019-08-25 or 25/08/2019 (this cell "
                               "has “2020-02-30”).")
    ],
    "graduation_before_entry.csv": [(2, "graduation_date", "The graduation date is before the entry cohort.")],
    "implausible_year.csv": [
        (2, "entry_year", f"Enter a year between {MIN_YEAR} and {timezone.localdate().year + 1}.")
    ],
    "unknown_province.csv": [
        (2, "province", "Unknown province “Jogja”: write its code (e.g. 040000) or its exact name (e.g. DI "
                        "Yogyakarta).")
    ],
    "unknown_program.csv": [(2, "study_program", "There is no study program with code “99999”.")],
    "other_program.csv": [
        (3, "study_program", "You may not import into Bahasa dan Sastra Arab (code 79202): it is not one of your "
                             "study programs.")
    ],
    "missing_name.csv": [(2, "full_name", "This cell may not be empty.")],
    "extra_cells.csv": [(2, "", "This row has more cells than the header has columns.")],
    "formula.csv": [(2, "full_name", FORMULA)],
    "formula.xlsx": [(2, "full_name", FORMULA)],
}

LIMITS = {"too_many_rows.csv": {"IMPORT_MAX_ROWS": 3}, "too_big.csv": {"IMPORT_MAX_BYTES": 300}}


def test_every_file_in_the_corpus_has_a_test():
    files = {p.name for p in DATA.iterdir() if p.suffix in (".csv", ".xlsx", ".xls")}
    assert files == set(FILE_ERRORS) | set(ROW_ERRORS)


def state() -> tuple[int, int, list]:
    return (AlumniProfile.objects.count(), AuditLog.objects.count(),
            list(AlumniProfile.objects.order_by("pk").values_list("pk", "full_name", "email", "city", "updated_at")))


@pytest.fixture
def records(prodi_x, prodi_y, staff_x, alumnus_a):
    """Prodi X holds a record with NIM 20710001 (as in the files): a bad file must change nothing at all."""
    from ..factories import AlumniProfileFactory

    AlumniProfileFactory(user=None, study_program=prodi_x, nim="20710001", full_name="Siti", email="", city="Sleman")


def apply_limits(name, settings):
    for key, value in LIMITS.get(name, {}).items():
        setattr(settings, key, value)


@pytest.mark.parametrize("name", sorted(FILE_ERRORS))
def test_a_bad_file_is_refused_as_a_whole(name, records, staff_x, settings):
    apply_limits(name, settings)
    before = state()
    with translation.override("en"):
        outcome = run_import((DATA / name).read_bytes(), user=staff_x, dry_run=False)
    assert outcome.file_error == FILE_ERRORS[name]
    assert not outcome.imported and not outcome.ok
    assert state() == before


@pytest.mark.parametrize("name", sorted(ROW_ERRORS))
def test_a_file_with_a_bad_row_names_row_and_column_and_writes_nothing(name, records, staff_x):
    before = state()
    with translation.override("en"):
        outcome = run_import((DATA / name).read_bytes(), user=staff_x, dry_run=False)
    assert not outcome.file_error
    assert [(i.row, i.column, i.message) for i in outcome.issues] == ROW_ERRORS[name]
    assert outcome.counts["invalid"] == len({row for row, _c, _m in ROW_ERRORS[name]})
    assert not outcome.imported
    assert state() == before


def test_openpyxl_itself_refuses_entities_through_defusedxml():
    """The XLSX defence is defusedxml inside openpyxl, not a check of ours: prove it is active."""
    assert openpyxl.DEFUSEDXML is True
    for name in ("billion_laughs.xlsx", "xxe.xlsx"):
        with pytest.raises(Exception) as info:  # openpyxl wraps the parser's error in a ValueError
            book = openpyxl.load_workbook(DATA / name, read_only=True)
            list(book.worksheets[0].iter_rows(values_only=True))
        chain, exc = [], info.value
        while exc is not None:
            chain.append(exc)
            exc = exc.__cause__ or exc.__context__
        assert any(isinstance(e, DefusedXmlException) for e in chain), name


def test_the_zip_bomb_is_refused_before_it_is_decompressed():
    archive = zipfile.ZipFile(DATA / "zip_bomb.xlsx")
    unpacked = sum(i.file_size for i in archive.infolist())
    assert (DATA / "zip_bomb.xlsx").stat().st_size < 100_000 and unpacked > 50_000_000


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    # A request by someone whose language is English leaves English active in this thread: restore it.
    language = translation.get_language()
    yield
    translation.activate(language)


@pytest.mark.parametrize("name", sorted(FILE_ERRORS) + sorted(ROW_ERRORS))
def test_the_upload_page_answers_200_with_the_message(name, records, staff_x, media, settings):
    apply_limits(name, settings)
    staff_x.language = "en"
    staff_x.save(update_fields=["language"])
    before = state()
    client = client_for(staff_x)
    response = client.post(
        reverse("alumni:import"), {"file": SimpleUploadedFile(name, (DATA / name).read_bytes())}, follow=True,
    )
    assert response.status_code == 200
    messages = [FILE_ERRORS[name]] if name in FILE_ERRORS else [m for _r, _c, m in ROW_ERRORS[name]]
    for message in messages:
        assert escape(message) in response.content.decode()
    if name in FILE_ERRORS and name != "too_big.csv":  # too_big is refused by the form before any job exists
        assert ImportJob.objects.get().status == ImportJob.Status.FAILED
    assert state() == before


def test_an_upload_over_the_size_limit_is_refused_by_the_form(records, staff_x, media, settings):
    settings.IMPORT_MAX_BYTES = 300
    staff_x.language = "en"
    staff_x.save(update_fields=["language"])
    response = client_for(staff_x).post(
        reverse("alumni:import"), {"file": SimpleUploadedFile("big.csv", io.BytesIO(b"x" * 301).read())},
    )
    assert response.status_code == 200
    assert b"The file is larger than 300 bytes." in response.content
    assert not ImportJob.objects.exists()
