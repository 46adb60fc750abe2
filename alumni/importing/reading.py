"""Reading an untrusted upload: bytes in, a header and rows of text out (`read_table`), or one clear error.

It looks at the content, never the file name: UTF-8 CSV (with or without BOM, comma or semicolon) or XLSX, nothing
else. The size is capped before the file is read in full. An XLSX is a zip: its declared sizes are checked before it
is opened (zip bombs), and openpyxl parses its XML with defusedxml (entity tricks). A formula cell is read as its
formula text ("=..."), so that the resource can refuse it. Anything wrong with the file as a whole is an
`ImportFileError` with one message.

Rows are numbered as a spreadsheet shows them: the header is row 1 (the hidden column ROW holds each row's number).
The tracer's own imports (tracer/national.py, tracer/wages.py) use these readers and errors too.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("nim", "full_name", "email", "study_program", "entry_year", "graduation_date")
OPTIONAL_COLUMNS = ("phone", "province", "city")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# The hidden column holding each data row's number as the spreadsheet shows it.
ROW = "__row__"

MAX_ZIP_MEMBERS = 1000
# Below this uncompressed size the compression ratio is not checked: a tiny file cannot be a bomb.
ZIP_RATIO_FLOOR = 1024 * 1024

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


# A day as people type it in Indonesia: 2019-08-25, or day first, 25/08/2019 and 25-08-2019 (3/4/2020 is 3 April).
ISO_DAY_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DAY_FIRST_RE = re.compile(r"^(\d{1,2})([/-])(\d{1,2})\2(\d{4})$")


def parse_day(text: str) -> datetime.date:
    """YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY → a date (a cell that is ambiguous, like 03/04/2020, is read day first,
    as dates are written in Indonesia); ValueError for anything else, a day that does not exist included."""
    text = text.strip()
    match = ISO_DAY_RE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = DAY_FIRST_RE.match(text)
        if not match:
            raise ValueError(text)
        day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    return datetime.date(year, month, day)


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


class Rows:
    """The file's data rows, each the header's cells plus its row number (ROW), read again on every pass.

    What a tablib Dataset of the file held (`headers`, `len`, iteration, a column by name), without holding
    100,000 lists of strings: the rows are kept as compact CSV bytes, about the size of the file, and parsed again
    by each pass (the resource makes three: duplicates, look-ups ahead, the rows themselves).
    """

    def __init__(self, headers: list[str], buffer: bytes, count: int):
        self.headers = headers
        self._buffer = buffer
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[list]:
        for record in csv.reader(io.TextIOWrapper(io.BytesIO(self._buffer), encoding="utf-8", newline="")):
            record[-1] = int(record[-1])
            yield record

    def __getitem__(self, column: str) -> list:
        """One column's values in row order, like tablib's dataset["column"]."""
        index = self.headers.index(column)
        return [record[index] for record in self]


@dataclass
class Table:
    dataset: Rows  # the known columns plus ROW
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
    del text  # checked: the rows are decoded again as they are read, not held twice
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    # csv's own limit on one cell (128 KB) bounds a runaway quoted cell; the widgets check real lengths.
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=""), delimiter=delimiter)
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
    # The rows as CSV (UTF-8) in memory: Rows parses them again on each pass.
    buffer = io.BytesIO()
    text = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    writer = csv.writer(text)
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
        writer.writerow([*cells, number])
    if header is None:
        raise ImportFileError(_("The file is empty."))
    if count == 0:
        raise ImportFileError(_("The file has a header row but no data rows."))
    text.flush()
    dataset = Rows([*header, ROW], buffer.getvalue(), count)
    return Table(dataset=dataset, columns=header, kind=kind, cell_issues=cell_issues)
