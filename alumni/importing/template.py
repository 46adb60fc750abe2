"""The import template staff download from the import page: the header row and one example row, as CSV UTF-8 or
as an Excel workbook whose second sheet explains each column in the page's language (the import reads the first
sheet only, so the help never reaches it).

The column names stay as the import reads them (`nim`, `full_name`, …) whatever the language. The example row
carries EXAMPLE_NIM, which the import refuses ("delete the example row"), so a template uploaded with its example
still in it creates no made-up graduate.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from .reading import COLUMNS, OPTIONAL_COLUMNS

# The example row's NIM: no study program gives it out, and the import refuses it.
EXAMPLE_NIM = "0000000000"


def example_row(*, study_program_code: str) -> dict[str, str]:
    """One graduate as the import expects them; the study program is one the downloading staff member runs."""
    return {
        "nim": EXAMPLE_NIM,
        "full_name": "Siti Rahmawati",
        "email": "siti.rahmawati@example.org",
        "study_program": study_program_code,
        "entry_year": "2019",
        "graduation_date": "25/08/2023",
        # No leading "+": a spreadsheet would read "+62 …" as a formula.
        "phone": "0812 3456 7890",
        "province": "DI Yogyakarta",
        "city": "Kab. Sleman",
    }


def column_help() -> list[tuple[str, str, str]]:
    """(column, required or optional, what to write) for each column, in the active language."""
    required, optional = _("required"), _("optional")
    texts = {
        "nim": _("The student number (NIM). With the study program it identifies the record: a NIM already "
                 "imported updates that record."),
        "full_name": _("The graduate's full name as on the diploma."),
        "email": _("Their email address; the graduate claims the record by signing up with it. May be empty."),
        "study_program": _("The code of the study program (e.g. 71201), one that you run."),
        "entry_year": _("The entry cohort (angkatan), four digits, e.g. 2019."),
        "graduation_date": _("The graduation date as DD/MM/YYYY, DD-MM-YYYY or YYYY-MM-DD; 03/04/2020 is 3 April "
                             "2020. Empty: not graduated yet."),
        "phone": _("Digits, spaces and + - ( ) only."),
        "province": _("The province's code (e.g. 040000) or its exact name (e.g. DI Yogyakarta)."),
        "city": _("The city or regency, e.g. Kab. Sleman."),
    }
    return [(name, optional if name in OPTIONAL_COLUMNS else required, texts[name]) for name in COLUMNS]


def template_csv(*, study_program_code: str) -> bytes:
    """UTF-8 with a BOM (Excel then opens it as UTF-8), comma separated: the header and the example row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    example = example_row(study_program_code=study_program_code)
    writer.writerow([example[name] for name in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(*, study_program_code: str) -> bytes:
    """Sheet 1: the header and the example row, every cell text (a NIM or a province code keeps its leading zeros);
    sheet 2: what each column holds, in the active language."""
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = _("Alumni")[:31]
    example = example_row(study_program_code=study_program_code)
    sheet.append(list(COLUMNS))
    sheet.append([example[name] for name in COLUMNS])
    for row in sheet.iter_rows(min_row=1, max_row=2):
        for cell in row:
            cell.number_format = "@"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, name in enumerate(COLUMNS):
        column = sheet.column_dimensions[get_column_letter(index + 1)]
        column.width = max(14, len(example[name]) + 4)
        column.number_format = "@"  # the rows typed below the example are text too
    sheet.freeze_panes = "A2"

    help_sheet = book.create_sheet(_("Help")[:31])
    help_sheet.append([_("Column"), _("Required"), _("What to write")])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for row in column_help():
        help_sheet.append(list(row))
    help_sheet.append([])
    for line in template_notes():
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 18
    help_sheet.column_dimensions["B"].width = 12
    help_sheet.column_dimensions["C"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_notes() -> list[str]:
    return [
        _("Only the first sheet is imported. Delete the example row (NIM %(nim)s) and write one graduate per "
          "row.") % {"nim": EXAMPLE_NIM},
        _("Keep the header row (row 1) as it is: the column names are read in this form in every language."),
        _("An empty email, graduation_date, phone, province or city cell leaves the stored value as it is."),
    ]
