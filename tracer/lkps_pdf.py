"""The LKPS tables about graduates (tracer/lkps.py) as a PDF: a title page, one section per table with its footnotes
and a chart, and optionally the evidence of alumni involvement (programs/evidence.py).

Built with reportlab platypus on landscape A4. Text is set in DejaVu Sans, vendored under alumni_portal/fonts/ so
that the PDF never depends on the fonts of the machine (headings contain "≤" and Indonesian text).

Number style (Indonesian): a comma is the decimal separator and a dot groups thousands, so percentages read
"33,33" (2 decimals, the "%" is in the column heading) and counts "1.250". A missing value is an empty cell.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from functools import cache
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from alumni.models import Province
from core.pdf import FONT, FONT_BOLD, fmt_date, fmt_datetime, fmt_int, register_fonts
from programs.evidence import EVIDENCE_COLUMNS, ROLES

from .lkps import CHARTED, EVIDENCE_SUMMARY, GRADES, HEADINGS, TABLE_NAMES, bucket_columns, column_headings, footnotes

TITLE = "Laporan Kinerja Program Studi — Tabel Lulusan"
LEVELS = {
    "D3": "Diploma Tiga (D3)",
    "D4": "Sarjana Terapan (D4)",
    "S1": "Sarjana (S1)",
    "S2": "Magister (S2)",
    "S3": "Doktor (S3)",
}
GRADE_LABELS = {"sangat_baik": "Sangat Baik", "baik": "Baik", "cukup": "Cukup", "kurang": "Kurang"}
PAGE = landscape(A4)
MARGIN = 15 * mm
WIDTH = PAGE[0] - 2 * MARGIN - 12  # the frame's own padding is 6 pt on each side
HEADER_BG = colors.HexColor("#E3EAF2")
TOTAL_BG = colors.HexColor("#F3F5F8")
GRID = colors.HexColor("#8A96A3")
INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#52606D")
SERIES = [colors.HexColor(c) for c in ("#2B6CB0", "#48BB78", "#ECC94B", "#ED8936", "#9F7AEA", "#E53E3E")]


# --- Fonts and styles -----------------------------------------------------------------------------------------------


@cache
def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, textColor=INK)
    return {
        "body": body,
        "title": ParagraphStyle("title", body, fontName=FONT_BOLD, fontSize=22, leading=28, spaceAfter=6),
        "subtitle": ParagraphStyle("subtitle", body, fontSize=12, leading=16, textColor=MUTED, spaceAfter=18),
        "h1": ParagraphStyle("h1", body, fontName=FONT_BOLD, fontSize=14, leading=18, spaceAfter=2),
        "h2": ParagraphStyle("h2", body, fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=10, spaceAfter=4),
        "context": ParagraphStyle("context", body, fontSize=9, textColor=MUTED, spaceAfter=8),
        "head": ParagraphStyle("head", body, fontName=FONT_BOLD, fontSize=8.5, leading=10.5, alignment=TA_CENTER),
        "cell": ParagraphStyle("cell", body, fontSize=8.5, leading=10.5),
        "small_head": ParagraphStyle("small_head", body, fontName=FONT_BOLD, fontSize=7.5, leading=9,
                                     alignment=TA_CENTER),
        "small": ParagraphStyle("small", body, fontSize=7.5, leading=9),
        "note": ParagraphStyle("note", body, fontSize=7.5, leading=9.5, textColor=MUTED, spaceBefore=2),
    }


# --- Formatting -----------------------------------------------------------------------------------------------------


def fmt_percent(value: Decimal | float | None) -> str:
    """Decimal("33.333") → "33,33"; None → "" (an empty cell, not zero)."""
    if value is None:
        return ""
    text = f"{Decimal(value):,.2f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _p(text, style: str = "cell") -> Paragraph:
    return Paragraph(escape(str(text)), _styles()[style])


def _program_line(tables: dict) -> str:
    program = tables["study_program"]
    return f"{program.code} {program.name} ({program.level})"


# --- Tables ---------------------------------------------------------------------------------------------------------


def _grid(data, widths, *, header_rows: int = 1, total_rows: int = 0, numeric_from: int = 1, extra=()) -> Table:
    table = Table(data, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
    commands = [
        ("FONT", (0, 0), (-1, -1), FONT, 8.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BOX", (0, 0), (-1, -1), 0.9, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_BG),
        ("FONT", (0, 0), (-1, header_rows - 1), FONT_BOLD, 8.5),
        ("ALIGN", (numeric_from, header_rows), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if total_rows:
        commands += [
            ("BACKGROUND", (0, -total_rows), (-1, -1), TOTAL_BG),
            ("FONT", (0, -total_rows), (-1, -1), FONT_BOLD, 8.5),
        ]
    table.setStyle(TableStyle([*commands, *extra]))
    return table


def _count_table(tables: dict, name: str) -> Table:
    table = tables[name]
    headings = column_headings(tables["layout"])[name]
    data = [[_p(h, "head") for h in headings]]
    for row in [*table["rows"], table["total"]]:
        data.append([str(row["year"]), *(fmt_int(row[key]) for key in table["keys"])])
    first = 80
    rest = min((WIDTH - first) / (len(headings) - 1), 200)
    return _grid(data, [first, *([rest] * (len(headings) - 1))], total_rows=1,
                 extra=[("ALIGN", (0, 1), (0, -1), "CENTER")])


def _employer_table(table: dict) -> Table:
    grades = [grade for grade, _value in GRADES]
    data = [
        [_p("No", "head"), _p("Jenis Kemampuan", "head"), _p("Tingkat Kepuasan Pengguna (%)", "head"), "", "", "",
         _p("Rencana Tindak Lanjut oleh UPPS/PS", "head")],
        ["", "", *(_p(GRADE_LABELS[g], "head") for g in grades), ""],
    ]
    for row in table["rows"]:
        data.append([str(row["number"]), _p(row["label"]), *(fmt_percent(row[g]) for g in grades),
                     _p(row["plan"] or "")])
    for summary in (table["total"], table["mean"]):
        data.append([summary["number"], "", *(fmt_percent(summary[g]) for g in grades), ""])
    widths = [32, 200, 68, 68, 68, 68, WIDTH - 32 - 200 - 4 * 68]
    return _grid(data, widths, header_rows=2, total_rows=2, numeric_from=2, extra=[
        ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)), ("SPAN", (2, 0), (5, 0)), ("SPAN", (6, 0), (6, 1)),
        ("SPAN", (0, -2), (1, -2)), ("SPAN", (0, -1), (1, -1)),
        ("ALIGN", (0, 2), (0, -3), "CENTER"), ("ALIGN", (6, 2), (6, -1), "LEFT"),
        ("VALIGN", (0, 2), (-1, -1), "TOP"), ("VALIGN", (2, 2), (5, -1), "MIDDLE"),
    ])


def _province_names(codes) -> dict:
    wanted = {f"{int(code):06d}": code for code in codes if code is not None}
    return {wanted[p.code]: p.name for p in Province.objects.filter(code__in=wanted)}


def _iku_flowables(iku: dict) -> list:
    s = _styles()
    headings = ["Tahun Lulus", "Jumlah Lulusan", "Terlacak", "Berhasil", "Tidak dapat dinilai", "IKU-1 (%)"]
    data = [
        [_p(h, "head") for h in headings],
        [str(iku["year"]), fmt_int(iku["graduates"]), fmt_int(iku["traced"]), fmt_int(iku["success"]),
         fmt_int(iku["unjudged"]), fmt_percent(iku["iku"])],
    ]
    rate = fmt_percent(iku["response_rate"])
    out = [
        _grid(data, [80, *([(WIDTH - 80) / 5] * 5)], extra=[("ALIGN", (0, 1), (0, 1), "CENTER")]),
        Spacer(1, 8),
        Paragraph(f"<b>Tingkat respons</b> (Terlacak / Jumlah Lulusan): {rate + ' %' if rate else '–'}", s["body"]),
        Spacer(1, 4),
        Paragraph(f"<b>Aturan.</b> {escape(iku['rule'])}", s["body"]),
    ]
    unjudged = iku["unjudged_graduates"]
    if unjudged:
        names = _province_names([g["province"] for g in unjudged])
        rows = [[_p(h, "head") for h in ("No", "NIM", "Nama", "Provinsi tempat kerja (f5a1)")]]
        for number, graduate in enumerate(unjudged, start=1):
            code = graduate["province"]
            province = f"{int(code):06d} {names.get(code, '')}".strip() if code is not None else ""
            rows.append([str(number), graduate["nim"], _p(graduate["full_name"]), _p(province)])
        out += [
            Paragraph("Lulusan yang tidak dapat dinilai (upah minimum provinsi belum dimasukkan)", s["h2"]),
            _grid(rows, [32, 110, 300, WIDTH - 442], numeric_from=99),
        ]
    return out


# --- Charts ---------------------------------------------------------------------------------------------------------


def _step(top: float) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if top / step <= 8:
            return step
    return int(top // 8) or 1


def _legend(x: float, y: float, pairs) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.alignment = "right"
    legend.fontName, legend.fontSize = FONT, 8
    legend.dx = legend.dy = 8
    legend.deltay = 12
    legend.columnMaximum = 8
    legend.boxAnchor = "nw"
    legend.colorNamePairs = pairs
    legend.strokeColor = None
    return legend


def _count_chart(tables: dict, name: str) -> Drawing:
    """A stacked bar per graduation year of the bucket columns (not the totals, not "ordered before graduating",
    which the first waiting-time bucket already holds)."""
    table = tables[name]
    buckets = bucket_columns(tables, name)
    data = [[row[key] for row in table["rows"]] for key, _h in buckets]
    height = 190
    drawing = Drawing(WIDTH, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 45, 28, 360, height - 50
    chart.data = data
    chart.categoryAxis.categoryNames = [str(row["year"]) for row in table["rows"]]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    top = max([sum(column) for column in zip(*data, strict=True)] or [0]) or 1
    step = _step(top)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = -(-top // step) * step
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#DDE3EA")
    chart.barWidth = 30
    chart.groupSpacing = 30
    for index in range(len(data)):
        chart.bars[index].fillColor = SERIES[index % len(SERIES)]
        chart.bars[index].strokeColor = colors.white
        chart.bars[index].strokeWidth = 0.5
    drawing.add(chart)
    drawing.add(String(45, height - 12, "Jumlah lulusan terlacak yang bekerja/wiraswasta, per tahun lulus",
                       fontName=FONT_BOLD, fontSize=8.5, fillColor=INK))
    drawing.add(_legend(430, height - 30, [(SERIES[i % len(SERIES)], h) for i, (_k, h) in enumerate(buckets)]))
    return drawing


def _employer_chart(table: dict) -> Drawing:
    """One horizontal bar per aspect, stacked to 100 % by grade; an aspect with no response has no bar."""
    rows = table["rows"]
    grades = [grade for grade, _value in GRADES]
    height = 40 + 24 * len(rows)
    drawing = Drawing(WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 290, 22, 330, height - 40
    # The first category is drawn at the bottom: reverse so aspect 1 is on top.
    ordered = list(reversed(rows))
    chart.data = [[float(row[g] or 0) for row in ordered] for g in grades]
    chart.categoryAxis.categoryNames = [
        f"{row['number']}. {row['label']}" + ("" if row["rated"] else " (tanpa tanggapan)") for row in ordered
    ]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.labelTextFormat = "%d %%"
    chart.barWidth = 14
    for index in range(len(grades)):
        chart.bars[index].fillColor = SERIES[index]
        chart.bars[index].strokeColor = colors.white
        chart.bars[index].strokeWidth = 0.5
    drawing.add(chart)
    drawing.add(String(290, height - 12, "Tingkat kepuasan pengguna per aspek (%)", fontName=FONT_BOLD,
                       fontSize=8.5, fillColor=INK))
    drawing.add(_legend(640, height - 30, [(SERIES[i], GRADE_LABELS[g]) for i, g in enumerate(grades)]))
    return drawing


# --- Sections -------------------------------------------------------------------------------------------------------


def _title_page(tables: dict, *, evidence, generated_at, generated_by) -> list:
    s = _styles()
    program = tables["study_program"]
    ts = tables["ts"]
    years = tables["years"]
    iku_year = tables["IKU-1"]["year"]
    faculty = getattr(program, "faculty", None)
    institution = getattr(faculty, "institution", None)
    facts = [
        ("Program studi", f"{program.code} — {program.name}"),
        ("Jenjang", LEVELS.get(program.level, program.level)),
        *([("Fakultas", faculty.name)] if faculty else []),
        *([("Institusi", institution.name)] if institution else []),
        ("Tahun pelaporan (TS)", str(ts)),
        ("Tahun lulus pada tabel", ", ".join(f"TS-{ts - y} = {y}" for y in years)),
        ("Kohort IKU-1", f"TS-1 = {iku_year}"),
        ("Dibuat pada", fmt_datetime(generated_at)),
        ("Dibuat oleh", generated_by),
    ]
    info = Table([[_p(k, "cell"), _p(v, "cell")] for k, v in facts], colWidths=[170, WIDTH - 170], hAlign="LEFT")
    info.setStyle(TableStyle([
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#CBD2D9")),
        ("BACKGROUND", (0, 0), (0, -1), TOTAL_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    contents = [HEADINGS[name] for name in TABLE_NAMES]
    if evidence is not None:
        contents.append("Bukti Keterlibatan Alumni")
    return [
        Spacer(1, 30),
        Paragraph(escape(TITLE), s["title"]),
        Paragraph("Lampiran Laporan Kinerja Program Studi (LKPS, IAPS 4.0 BAN-PT) — data tracer study dan "
                  "survei pengguna lulusan", s["subtitle"]),
        info,
        Spacer(1, 18),
        Paragraph("Isi", s["h2"]),
        *(Paragraph(f"{number}. {escape(text)}", s["body"]) for number, text in enumerate(contents, start=1)),
        Spacer(1, 14),
        Paragraph("Angka memakai gaya Indonesia: koma sebagai pemisah desimal (persentase dengan 2 desimal), titik "
                  "sebagai pemisah ribuan. Sel kosong berarti tidak ada data.", s["note"]),
    ]


def _section_head(tables: dict, name: str) -> list:
    s = _styles()
    ts = tables["ts"]
    if name == "IKU-1":
        span = f"kohort TS-1 = {tables['IKU-1']['year']}"
    else:
        years = tables["years"]
        span = f"tahun lulus TS-4..TS-2 = {years[0]}–{years[-1]}"
    return [
        Paragraph(escape(HEADINGS[name]), s["h1"]),
        Paragraph(escape(f"{_program_line(tables)} · TS = {ts} · {span}"), s["context"]),
    ]


def _footnotes(notes: list[str]) -> list:
    s = _styles()
    return [Paragraph(f"{index}) {escape(note)}", s["note"]) for index, note in enumerate(notes, start=1)]


def _evidence_section(evidence: dict) -> list:
    s = _styles()
    years = evidence.get("years") or []
    labels = dict(EVIDENCE_COLUMNS)
    counts = (*ROLES, "alumni")
    count_heads = tuple(labels[key] for key in counts)
    span = f"{years[0]}–{years[-1]}" if years else ""
    out: list = [
        PageBreak(),
        Paragraph("Bukti Keterlibatan Alumni", s["h1"]),
        Paragraph(escape(f"Keterlibatan alumni dalam kegiatan program studi, tahun {span}".strip(", ")), s["context"]),
        Paragraph("Ringkasan per tahun", s["h2"]),
    ]
    heads = [label for _key, label in EVIDENCE_SUMMARY] + list(count_heads)
    data = [[_p(h, "head") for h in heads]]
    for row in [*evidence.get("per_year", []), *([evidence["total"]] if evidence.get("total") else [])]:
        data.append([str(row["year"]), *(fmt_int(row.get(k, 0)) for k in ("programs", "sessions", *counts))])
    out.append(_grid(data, [80, *([(WIDTH - 80) / 8] * 8)], total_rows=1 if evidence.get("total") else 0,
                     extra=[("ALIGN", (0, 1), (0, -1), "CENTER")]))
    if evidence.get("note"):
        out.append(Paragraph(escape(evidence["note"]), s["note"]))
    out.append(Paragraph("Rincian per kegiatan dan sesi", s["h2"]))
    heads = [labels[key] for key in ("year", "date", "program", "session", "kind")] + list(count_heads)
    data = [[_p(h, "small_head") for h in heads]]
    for row in evidence.get("rows", []):
        day = row.get("date")
        data.append([
            str(row["year"]), fmt_date(day) if day else "", _p(row.get("program", ""), "small"),
            _p(row.get("session") or "—", "small"), _p(row.get("kind", ""), "small"),
            *(fmt_int(row.get(k, 0)) for k in counts),
        ])
    if len(data) == 1:
        out.append(Paragraph("Belum ada kegiatan yang tercatat.", s["body"]))
        return out
    fixed = 40 + 78 + 80 + 6 * 54
    free = WIDTH - fixed
    table = Table(data, colWidths=[40, 78, free * 0.55, free * 0.45, 80, *([54] * 6)], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 7.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BOX", (0, 0), (-1, -1), 0.9, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("ALIGN", (5, 1), (-1, -1), "RIGHT"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F8FAFC")]),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    out.append(table)
    return out


def _story(tables: dict, *, evidence, generated_at, generated_by) -> list:
    notes = footnotes(tables)
    story = _title_page(tables, evidence=evidence, generated_at=generated_at, generated_by=generated_by)
    for name in TABLE_NAMES:
        story += [PageBreak(), *_section_head(tables, name)]
        if name == "8.e.2":
            story += [_employer_table(tables[name]), *_footnotes(notes[name]), Spacer(1, 10)]
            chart = _employer_chart(tables[name])
            story += [CondPageBreak(chart.height + 10), chart]
        elif name == "IKU-1":
            story += [*_iku_flowables(tables[name]), Spacer(1, 4), *_footnotes(notes[name][1:])]
        else:
            story += [_count_table(tables, name), *_footnotes(notes[name])]
            if name in CHARTED:
                story += [Spacer(1, 12), KeepTogether([_count_chart(tables, name)])]
    if evidence is not None:
        story += _evidence_section(evidence)
    return story


def lkps_pdf(tables: dict, *, evidence: dict | None, generated_at: datetime.datetime, generated_by: str) -> bytes:
    """The LKPS graduate tables of `lkps_tables(...)` as a landscape A4 PDF; with `evidence`
    (programs/evidence.py), a final section on alumni involvement."""
    register_fonts()
    footer_left = f"{_program_line(tables)} — TS {tables['ts']}"

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.setStrokeColor(colors.HexColor("#CBD2D9"))
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, MARGIN - 4, PAGE[0] - MARGIN, MARGIN - 4)
        canvas.drawString(MARGIN, MARGIN - 14, footer_left)
        canvas.drawCentredString(PAGE[0] / 2, MARGIN - 14, "LKPS — Tabel Lulusan")
        canvas.drawRightString(PAGE[0] - MARGIN, MARGIN - 14, f"Halaman {doc.page}")
        canvas.restoreState()

    stream = io.BytesIO()
    doc = SimpleDocTemplate(
        stream,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 6,
        title=TITLE,
        subject=footer_left,
        author=generated_by,
        creator="Alumni portal",
        lang="id-ID",
        initialFontName=FONT,
    )
    doc.build(
        _story(tables, evidence=evidence, generated_at=generated_at, generated_by=generated_by),
        onFirstPage=footer,
        onLaterPages=footer,
    )
    return stream.getvalue()
