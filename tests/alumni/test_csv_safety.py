"""Every CSV export quotes every field and keeps a formula behind a ";" or "," as text (issue 11 §4): Excel set to
Indonesian splits a CSV at ";", so `Nama;=1+1;` would otherwise put a live formula in its own cell."""

import csv
import io

import pytest
from django.urls import reverse

from alumni import exporting

from ..conftest import client_for
from ..factories import AlumniProfileFactory


def split_like_excel(line: str, separator: str) -> list[str]:
    """How a spreadsheet reads one CSV line with `separator` as its list separator (quotes respected)."""
    return next(csv.reader(io.StringIO(line), delimiter=separator))


@pytest.mark.parametrize(("value", "expected"), [
    ("Nama;=1+1;", "Nama;'=1+1;"),
    ("a, +cmd|' /C calc'!A0", "a, '+cmd|' /C calc'!A0"),
    ("x;@SUM(A1)", "x;'@SUM(A1)"),
    ("x;\t=1", "x;\t'=1"),
    ("x; -2+3", "x; '-2+3"),
    ("Rp 25.000,-", "Rp 25.000,-"),
    ("Jakarta, Indonesia", "Jakarta, Indonesia"),
    ("=1+1", "'=1+1"),
])
def test_csv_cell_neutralises_a_formula_after_a_separator(value, expected):
    assert exporting.csv_cell(value) == expected


def test_csv_document_quotes_every_field_and_keeps_numbers():
    text = exporting.csv_document([["name", "amount", "empty"], ["Nama;=1+1;", 25000, None]])
    assert text.startswith("\ufeff")
    lines = text[1:].splitlines()
    assert lines == ['"name","amount","empty"', '"Nama;\'=1+1;","25000",""']
    # Read with ";" as the separator (Indonesian Excel): the quoted value stays one cell, nothing starts with "=".
    assert split_like_excel(lines[1], ",")[0] == "Nama;'=1+1;"
    for separator in (";", ","):
        cells = split_like_excel(lines[1], separator)
        assert not any(cell.lstrip().startswith(("=", "+", "-", "@")) for cell in cells)


def test_directory_export_quotes_every_field_and_neutralises_after_a_separator(staff_x, prodi_x):
    AlumniProfileFactory(study_program=prodi_x, user=None, full_name="Nama;=1+1;", city="Kota,=HYPERLINK(1)")
    response = client_for(staff_x).get(reverse("alumni:export_csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    assert all(line.startswith('"') and line.endswith('"') for line in lines)
    row = next(line for line in lines if "Nama;" in line)
    assert '"Nama;\'=1+1;"' in row
    for separator in (";", ","):
        for cell in split_like_excel(row, separator):
            assert not cell.lstrip(" \t\r").startswith(("=", "+", "@")), cell

