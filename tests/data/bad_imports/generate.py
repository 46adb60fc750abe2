"""Regenerate the hostile import files next to this script:  .venv/bin/python tests/data/bad_imports/generate.py

Every file is small; tests/alumni/test_bad_imports.py names the exact message each must get. Rows use study
program 71201 (prodi X of tests/conftest.py) unless the case is about another program.
"""

import io
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
HEADER = "nim,full_name,email,study_program,entry_year,graduation_date,phone,province,city"
GOOD = "20710001,Siti Aminah,siti@example.org,71201,2016,2020-08-25,0812345678,040000,Sleman"
GOOD2 = "20710002,Budi Santoso,budi@example.org,71201,2016,2020-08-25,,DI Yogyakarta,Bantul"


def text(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def workbook(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def replace_members(xlsx: bytes, replacements: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replacements.get(info.filename, source.read(info.filename)))
    return out.getvalue()


HEADER_CELLS = HEADER.split(",")
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>\n"
    f'<worksheet xmlns="{SHEET_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    "</sheetData></worksheet>"
).encode()

XXE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    f'<workbook xmlns="{SHEET_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="&xxe;" sheetId="1" r:id="rId1"/></sheets></workbook>'
).encode()


def zip_bomb() -> bytes:
    """A real workbook whose sheet XML is padded with 50 MB of spaces: about 50 KB on disk, ratio ~1000."""
    padding = b" " * (50 * 1024 * 1024)
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SHEET_NS}"><sheetData>'.encode()
        + padding
        + b"</sheetData></worksheet>"
    )
    out = io.BytesIO()
    base = zipfile.ZipFile(io.BytesIO(workbook([HEADER_CELLS])))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in base.infolist():
            data = sheet if info.filename == "xl/worksheets/sheet1.xml" else base.read(info.filename)
            target.writestr(info.filename, data)
    return out.getvalue()


def zip_not_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("alumni.csv", HEADER + "\n" + GOOD + "\n")
    return out.getvalue()


TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000100"
    "05fe02fea35b1c0000000049454e44ae426082"
)

FILES: dict[str, bytes] = {
    "latin1.csv": (HEADER + "\n" + "20710003,José Pérez,jose@example.org,71201,2016,2020-08-25,,,\n").encode("latin-1"),
    "utf16.csv": (HEADER + "\n" + GOOD + "\n").encode("utf-16"),
    "missing_column.csv": text("nim,full_name,study_program,entry_year,graduation_date",
                               "20710001,Siti Aminah,71201,2016,2020-08-25"),
    "extra_column.csv": text(HEADER + ",alamat", GOOD + ",Jl. Malioboro 1"),
    "duplicate_nim.csv": text(HEADER, GOOD, GOOD2, "20710001,Siti A.,siti2@example.org,71201,2016,2020-08-25,,,"),
    "invalid_email.csv": text(HEADER, GOOD, "20710002,Budi Santoso,budi(at)example.org,71201,2016,2020-08-25,,,"),
    "invalid_date.csv": text(HEADER, "20710002,Budi Santoso,budi@example.org,71201,2016,25 Agustus 2020,,,"),
    "impossible_date.csv": text(HEADER, "20710002,Budi Santoso,budi@example.org,71201,2016,2020-02-30,,,"),
    "graduation_before_entry.csv": text(HEADER, "20710002,Budi Santoso,budi@example.org,71201,2016,2015-08-25,,,"),
    "implausible_year.csv": text(HEADER, "20710002,Budi Santoso,budi@example.org,71201,1850,2020-08-25,,,"),
    "unknown_province.csv": text(HEADER, "20710002,Budi Santoso,budi@example.org,71201,2016,2020-08-25,,Jogja,"),
    "unknown_program.csv": text(HEADER, "20710002,Budi Santoso,budi@example.org,99999,2016,2020-08-25,,,"),
    "other_program.csv": text(HEADER, GOOD, "20720001,Rina Wati,rina@example.org,79202,2016,2020-08-25,,,"),
    "missing_name.csv": text(HEADER, "20710002,,budi@example.org,71201,2016,2020-08-25,,,"),
    "extra_cells.csv": text(HEADER, GOOD + ",surplus"),
    "empty.csv": b"",
    "header_only.csv": text(HEADER),
    "formula.csv": text(HEADER, '20710002,"=HYPERLINK(""http://evil.example"",""klik"")",budi@example.org,71201,2016,'
                                "2020-08-25,,,"),
    "formula.xlsx": workbook([HEADER_CELLS, ["20710002", '=HYPERLINK("http://evil.example","klik")',
                                             "budi@example.org", "71201", 2016, "2020-08-25"]]),
    "zip_bomb.xlsx": zip_bomb(),
    "billion_laughs.xlsx": replace_members(workbook([HEADER_CELLS, GOOD.split(",")]),
                                           {"xl/worksheets/sheet1.xml": BILLION_LAUGHS}),
    "xxe.xlsx": replace_members(workbook([HEADER_CELLS, GOOD.split(",")]), {"xl/workbook.xml": XXE}),
    "zip_not_xlsx.xlsx": zip_not_xlsx(),
    "old_excel.xls": bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504,
    "png_renamed.csv": TINY_PNG,
    "truncated.xlsx": workbook([HEADER_CELLS, GOOD.split(",")])[:600],
    # With IMPORT_MAX_ROWS = 3 (the test overrides the setting).
    "too_many_rows.csv": text(HEADER, *[f"2071001{i},Alumnus {i},a{i}@example.org,71201,2016,2020-08-25,,,"
                                        for i in range(4)]),
    # With IMPORT_MAX_BYTES = 200 (the test overrides the setting).
    "too_big.csv": text(HEADER, *[f"2071002{i},Alumnus {i},a{i}@example.org,71201,2016,2020-08-25,,,"
                                  for i in range(5)]),
}


def main() -> None:
    for name, data in FILES.items():
        (HERE / name).write_bytes(data)
        print(f"{name:28} {len(data):>8} bytes")


if __name__ == "__main__":
    main()
