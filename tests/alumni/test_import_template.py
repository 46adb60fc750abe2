"""The import page's template (CSV and XLSX: the header row and one example row; the workbook's help in the page's
language) and the dates the import accepts: YYYY-MM-DD, DD/MM/YYYY and DD-MM-YYYY, ambiguous cells day first
(issue 14)."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from alumni.importing.jobs import run_import
from alumni.importing.reading import COLUMNS, parse_day
from alumni.importing.template import EXAMPLE_NIM
from alumni.models import AlumniProfile

from ..conftest import client_for
from .test_import import HEADER, csv_file, line

CSV_URL = reverse("alumni:import_template", args=["csv"])
XLSX_URL = reverse("alumni:import_template", args=["xlsx"])


def test_the_csv_template_has_the_header_and_one_example_row(staff_x, prodi_x):
    response = client_for(staff_x).get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="alumni-import-template.csv"'
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == list(COLUMNS)
    assert len(rows) == 2
    example = dict(zip(rows[0], rows[1], strict=True))
    assert example["nim"] == EXAMPLE_NIM
    assert example["study_program"] == prodi_x.code  # one the staff member runs
    assert example["graduation_date"] == "25/08/2023"


def workbook(response) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_the_xlsx_template_keeps_text_cells_and_explains_each_column(staff_x, prodi_x):
    response = client_for(staff_x).get(XLSX_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = workbook(response)
    data, help_sheet = book.worksheets
    rows = [[cell.value for cell in row] for row in data.iter_rows()]
    assert rows[0] == list(COLUMNS)
    assert len(rows) == 2
    assert rows[1][0] == EXAMPLE_NIM and data["A2"].number_format == "@"  # the NIM keeps its zeros
    assert data.column_dimensions["A"].number_format == "@"  # and so do the rows typed below
    help_rows = [[cell.value for cell in row] for row in help_sheet.iter_rows()]
    # The header and one row per column (nine), then a blank row and three notes.
    assert [row[0] for row in help_rows[1:10]] == list(COLUMNS)
    assert len(help_rows) == 1 + 9 + 1 + 3


def test_the_workbooks_help_is_in_the_page_language(staff_x):
    client = client_for(staff_x)
    indonesian = workbook(client.get(XLSX_URL)).worksheets[1]
    assert [indonesian["A1"].value, indonesian["B2"].value] == ["Kolom", "wajib"]
    staff_x.language = "en"
    staff_x.save(update_fields=["language"])
    english = workbook(client_for(staff_x).get(XLSX_URL, HTTP_ACCEPT_LANGUAGE="en")).worksheets[1]
    assert [english["A1"].value, english["B2"].value] == ["Column", "required"]


def test_the_template_is_for_staff_only(alumnus_a):
    assert client_for(alumnus_a).get(CSV_URL).status_code == 403
    assert client_for(None).get(XLSX_URL).status_code == 302


def test_an_unknown_template_kind_is_404(staff_x):
    assert client_for(staff_x).get(reverse("alumni:import_template", args=["pdf"])).status_code == 404


def test_the_import_page_links_to_both_templates(staff_x):
    page = client_for(staff_x).get(reverse("alumni:import")).content.decode()
    assert f'href="{CSV_URL}"' in page and f'href="{XLSX_URL}"' in page


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_template_uploaded_with_its_example_row_is_refused_and_writes_nothing(kind, staff_x, prodi_x):
    data = client_for(staff_x).get(reverse("alumni:import_template", args=[kind])).content
    before = AlumniProfile.objects.count()
    with translation.override("en"):
        outcome = run_import(data, user=staff_x, dry_run=False)
    assert [(i.row, i.column) for i in outcome.issues] == [(2, "nim")]
    assert outcome.issues[0].message == (
        f"This is the template's example row (NIM {EXAMPLE_NIM}): delete it and upload again.")
    assert AlumniProfile.objects.count() == before


def test_the_template_filled_in_imports(staff_x, prodi_x):
    data = client_for(staff_x).get(CSV_URL).content.decode("utf-8-sig")
    filled = data.replace(EXAMPLE_NIM, "20710077")
    outcome = run_import(filled.encode(), user=staff_x, dry_run=False)
    assert outcome.ok and not outcome.issues
    record = AlumniProfile.objects.get(nim="20710077")
    assert (record.full_name, record.graduation_date, record.city) == (
        "Siti Rahmawati", datetime.date(2023, 8, 25), "Kab. Sleman")
    assert record.province.name == "DI Yogyakarta"


@pytest.mark.parametrize(("text", "day"), [
    ("2020-04-03", datetime.date(2020, 4, 3)),
    ("03/04/2020", datetime.date(2020, 4, 3)),  # day first, as in Indonesia: 3 April
    ("03-04-2020", datetime.date(2020, 4, 3)),
    ("3/4/2020", datetime.date(2020, 4, 3)),
    ("25/08/2019", datetime.date(2019, 8, 25)),
    (" 31-12-2019 ", datetime.date(2019, 12, 31)),
])
def test_parse_day_reads_iso_and_day_first(text, day):
    assert parse_day(text) == day


@pytest.mark.parametrize("text", ["08/25/2019", "2019/08/25", "25.08.2019", "25/08-2019", "25 Agustus 2019",
                                  "31/02/2020", "2020-2-3", "25/08/19", ""])
def test_parse_day_refuses_anything_else(text):
    with pytest.raises(ValueError):
        parse_day(text)


def test_import_reads_day_first_dates_in_csv(staff_x, prodi_x):
    data = csv_file(
        line("20710011", name="Ana Satu", graduation="03/04/2020"),
        line("20710012", name="Ani Dua", graduation="25-08-2020"),
        line("20710013", name="Ari Tiga", graduation="2020-08-26"),
    )
    outcome = run_import(data, user=staff_x, dry_run=False)
    assert outcome.ok, outcome.issues
    dates = dict(AlumniProfile.objects.filter(nim__startswith="207100").values_list("nim", "graduation_date"))
    assert dates == {"20710011": datetime.date(2020, 4, 3), "20710012": datetime.date(2020, 8, 25),
                     "20710013": datetime.date(2020, 8, 26)}


def test_a_day_first_date_that_does_not_exist_is_an_error_with_the_cell(staff_x, prodi_x):
    data = csv_file(line("20710014", graduation="31/04/2020"), header=HEADER)
    with translation.override("en"):
        outcome = run_import(data, user=staff_x, dry_run=False)
    assert [(i.row, i.column, i.message) for i in outcome.issues] == [(
        2, "graduation_date",
        "Write the date as YYYY-MM-DD or DD/MM/YYYY, e.g. 2019-08-25 or 25/08/2019 (this cell has “31/04/2020”).",
    )]
    assert not AlumniProfile.objects.filter(nim="20710014").exists()
