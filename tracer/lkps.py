"""The LKPS tables about graduates (IAPS 4.0: 8.d.1, 8.d.2, 8.e.1, 8.e.2, Ref 8.e.2) and IKU-1, for one study
program and one reporting year TS, exactly as docs (shared spec lkps.md) define them.

Every number is a database aggregate. The latest submitted response of each graduate to a survey that asks f8 is
picked by a correlated subquery; its answers are joined once per code (FilteredRelation) and counted with
conditional Counts grouped by graduation year. The number of queries is fixed whatever the number of alumni;
Python only walks at most four grouped rows per query.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, FilteredRelation, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, ExtractYear

from alumni.exporting import csv_document, spreadsheet_cell
from alumni.models import AlumniProfile, StudyProgram
from programs.evidence import EVIDENCE_COLUMNS

from .models import Answer, FollowUpPlan, MinimumWage, Question, Response
from .questionnaires import EMPLOYER_ASPECTS

EMPLOYER_SLUG = "dikti-employer"
# The audit action of every LKPS download (web or command line).
EXPORTED = "tracer.lkps.exported"
WORKING = (1, 3)
FURTHER_STUDY = 4
# IKU-1: f505 ≥ 1.2 × minimum wage, compared in integers as 5 × f505 ≥ 6 × wage.
IKU_WAGE_FACTOR = (6, 5)
IKU_RULE_DATE = "2026-11-29"
IKU_RULE = (
    "IKU-1 (aturan portal sejak " + IKU_RULE_DATE + "): lulusan TS-1 yang terlacak dinyatakan berhasil bila "
    "bekerja/wiraswasta (f8 = 1 atau 3) dengan masa tunggu f502 < 6 bulan dan pendapatan f505 ≥ 1,2 × upah minimum "
    "provinsi tempat kerja (f5a1) pada tahun lulus, atau melanjutkan pendidikan (f8 = 4). Bila upah minimum provinsi "
    "itu belum dimasukkan, lulusan dicatat 'tidak dapat dinilai', bukan gagal. Sumber berbeda tentang UMP/UMK, "
    "1,2×/1,5×, dan syarat izin usaha."
)
F14_NOTE = (
    "Konvensi portal: Rendah = f14 4 atau 5 (kurang/tidak sesuai), Sedang = f14 3 (cukup sesuai), "
    "Tinggi = f14 1 atau 2 (sangat sesuai/sesuai)."
)
# Employer scale values → the form's grades, in the form's column order.
GRADES = (("sangat_baik", 4), ("baik", 3), ("cukup", 2), ("kurang", 1))
TWO_PLACES = Decimal("0.01")


def is_d3(study_program: StudyProgram) -> bool:
    return study_program.level == StudyProgram.Level.D3


def layout_of(study_program: StudyProgram) -> str:
    """ "d3" (the Diploma layout of 8.d.1) or "sarjana" (S1, D4, S2, S3)."""
    return "d3" if is_d3(study_program) else "sarjana"


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def latest_tracer_responses(*, study_program: StudyProgram, years):
    """Each graduate's latest submitted response to a survey that asks f8 (one row per traced graduate)."""
    asks_f8 = Question.objects.filter(code="f8").values("version_id")
    return Response.objects.filter(
        profile__study_program=study_program,
        profile__graduation_date__year__in=list(years),
        status=Response.Status.SUBMITTED,
        version__in=asks_f8,
        pk=Subquery(Response.objects.latest_submitted_pk(asks_f8)),
    )


def _with_answers(responses):
    codes = ("f8", "f502", "f14", "f5d", "f505", "f5a1")
    relations = {f"a_{code}": FilteredRelation("answers", condition=Q(answers__code=code)) for code in codes}
    values = {code: F(f"a_{code}__value_int") for code in codes}
    return responses.annotate(**relations).annotate(year=ExtractYear("profile__graduation_date"), **values)


def _wage():
    return (
        MinimumWage.objects.annotate(code=Cast("province__code", IntegerField()))
        .filter(code=OuterRef("f5a1"), year=OuterRef("year"))
        .values("amount")[:1]
    )


def _judged(responses):
    """Latest responses with their answers, the minimum wage of the work province and year, and 5 × f505."""
    _factor, divisor = IKU_WAGE_FACTOR
    return _with_answers(responses).annotate(wage=Subquery(_wage()), earned=F("f505") * divisor)


def column_filters(study_program: StudyProgram) -> dict[str, Q]:
    """Each count column of the graduate tables, as a condition on one graduate's latest response (see `_judged`).
    The counts and the drill-down into a cell both use these, so a cell lists exactly the graduates it counts."""
    d3 = is_d3(study_program)
    low, high = (3, 6) if d3 else (6, 18)
    working = Q(f8__in=WORKING)
    factor, _divisor = IKU_WAGE_FACTOR
    quick = working & Q(f502__lt=6) & Q(f505__isnull=False)
    return {
        "traced": Q(),
        **({"ordered_before": working & Q(f502=0)} if d3 else {}),
        "wt_low": working & Q(f502__lt=low),
        "wt_mid": working & Q(f502__gte=low, f502__lte=high),
        "wt_high": working & Q(f502__gt=high),
        "fit_low": working & Q(f14__in=(4, 5)),
        "fit_mid": working & Q(f14=3),
        "fit_high": working & Q(f14__in=(1, 2)),
        "place_local": working & Q(f5d=1),
        "place_national": working & Q(f5d=2),
        "place_international": working & Q(f5d=3),
        "iku_success": Q(f8=FURTHER_STUDY) | (quick & Q(wage__isnull=False) & Q(earned__gte=F("wage") * factor)),
        "iku_unjudged": quick & Q(wage__isnull=True),
    }


def _tracer_counts(*, study_program: StudyProgram, years: list[int], iku_year: int) -> dict[int, dict[str, int]]:
    counts = {key: Count("pk", filter=condition) for key, condition in column_filters(study_program).items()}
    rows = (
        _judged(latest_tracer_responses(study_program=study_program, years=[*years, iku_year]))
        .values("year")
        .order_by("year")
        .annotate(**counts)
    )
    return {row["year"]: row for row in rows}


def _unjudged(*, study_program: StudyProgram, year: int) -> list[dict]:
    """The TS-1 graduates whose IKU-1 cannot be judged because their province's minimum wage is missing: the
    drill-down of that count."""
    rows = cell_graduates(study_program=study_program, ts=year + 1, column="iku_unjudged", year=None)
    return [{"nim": r["nim"], "full_name": r["full_name"], "province": r["f5a1"]} for r in rows]


# Graduate-year tables charted as stacked buckets, and the columns that are not buckets: the totals, and "ordered
# before graduating" (WT = 0), which is already inside the first waiting-time bucket.
CHARTED = ("8.d.1", "8.d.2", "8.e.1")
NOT_BUCKETS = ("graduates", "traced", "ordered_before")


def table_keys(layout: str, name: str) -> list[str]:
    """The count columns of a graduate-year table after Jumlah Lulusan, for a layout ("d3" or "sarjana")."""
    return {
        "8.d.1": ["traced", *(["ordered_before"] if layout == "d3" else []), "wt_low", "wt_mid", "wt_high"],
        "8.d.2": ["traced", "fit_low", "fit_mid", "fit_high"],
        "8.e.1": ["traced", "place_local", "place_national", "place_international"],
        "Ref 8.e.2": ["employer_responses"],
    }[name]


def _table(years, graduates, counts, keys) -> dict:
    rows = []
    for year in years:
        found = counts.get(year, {})
        rows.append({"year": year, "graduates": graduates.get(year, 0), **{k: found.get(k, 0) for k in keys}})
    total = {"year": "Jumlah", **{k: sum(row[k] for row in rows) for k in ("graduates", *keys)}}
    return {"keys": ["graduates", *keys], "rows": rows, "total": total}


def _employer(*, study_program: StudyProgram, years: list[int], ts: int) -> tuple[dict, dict[int, int]]:
    responses = Response.objects.filter(
        version__survey__slug=EMPLOYER_SLUG,
        status=Response.Status.SUBMITTED,
        profile__study_program=study_program,
        profile__graduation_date__year__in=years,
    )
    per_year = {
        row["year"]: row["n"]
        for row in responses.annotate(year=ExtractYear("profile__graduation_date"))
        .values("year")
        .order_by("year")
        .annotate(n=Count("pk"))
    }
    codes = [code for code, _label, _en in EMPLOYER_ASPECTS]
    ratings: dict[tuple[str, int], int] = {
        (row["code"], row["value_int"]): row["n"]
        for row in Answer.objects.filter(response__in=responses, code__in=codes, value_int__isnull=False)
        .values("code", "value_int")
        .order_by()
        .annotate(n=Count("pk"))
    }
    plans = dict(FollowUpPlan.objects.filter(study_program=study_program, ts=ts).values_list("aspect", "text"))
    rows = []
    for number, (code, label, _en) in enumerate(EMPLOYER_ASPECTS, start=1):
        rated = sum(ratings.get((code, value), 0) for _grade, value in GRADES)
        row = {"number": number, "code": code, "label": label, "rated": rated, "plan": plans.get(code, "")}
        row.update({grade: percent(ratings.get((code, value), 0), rated) for grade, value in GRADES})
        rows.append(row)
    total: dict = {"number": "Jumlah"}
    mean: dict = {"number": "Rata-rata"}
    for grade, _value in GRADES:
        filled = [row[grade] for row in rows if row[grade] is not None]
        total[grade] = sum(filled) if filled else None
        mean[grade] = (sum(filled) / len(filled)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP) if filled else None
    return {"rows": rows, "total": total, "mean": mean}, per_year


def lkps_tables(*, study_program: StudyProgram, ts: int) -> dict:
    """The four LKPS tables, Ref 8.e.2 and IKU-1 for `study_program` and reporting year `ts`."""
    years = [ts - 4, ts - 3, ts - 2]
    iku_year = ts - 1
    graduates = {
        row["year"]: row["n"]
        # Verified records only: a self-declared record waiting for verification is nobody's graduate yet.
        for row in AlumniProfile.objects.filter(
            study_program=study_program, graduation_date__year__in=[*years, iku_year],
            verification=AlumniProfile.Verification.VERIFIED,
        )
        .annotate(year=ExtractYear("graduation_date"))
        .values("year")
        .order_by("year")
        .annotate(n=Count("pk"))
    }
    counts = _tracer_counts(study_program=study_program, years=years, iku_year=iku_year)
    layout = layout_of(study_program)
    employer, employer_years = _employer(study_program=study_program, years=years, ts=ts)
    ref = _table(years, graduates, {y: {"employer_responses": n} for y, n in employer_years.items()},
                 table_keys(layout, "Ref 8.e.2"))
    iku = counts.get(iku_year, {})
    traced = iku.get("traced", 0)
    success = iku.get("iku_success", 0)
    return {
        "study_program": study_program,
        "ts": ts,
        "years": years,
        "layout": layout,
        "8.d.1": _table(years, graduates, counts, table_keys(layout, "8.d.1")),
        "8.d.2": _table(years, graduates, counts, table_keys(layout, "8.d.2")),
        "8.e.1": _table(years, graduates, counts, table_keys(layout, "8.e.1")),
        "8.e.2": employer,
        "Ref 8.e.2": ref,
        "IKU-1": {
            "year": iku_year,
            "graduates": graduates.get(iku_year, 0),
            "traced": traced,
            "success": success,
            "unjudged": iku.get("iku_unjudged", 0),
            "unjudged_graduates": _unjudged(study_program=study_program, year=iku_year),
            "iku": percent(success, traced),
            "response_rate": percent(traced, graduates.get(iku_year, 0)),
            "rule": IKU_RULE,
        },
    }


def cell_graduates(*, study_program: StudyProgram, ts: int, column: str, year: int | None):
    """The graduates behind one count (a drill-down for staff): a values() queryset ordered by NIM, with `nim`,
    `full_name`, `profile_id`, `year` and `detail`. `year` None means the table's Jumlah row. `column` is a key of
    `column_filters`, "graduates", "employer_responses" (Ref 8.e.2) or "<aspect>:<value>" (8.e.2, all years).
    Raises KeyError for an unknown column or a year outside the report."""
    years = [ts - 4, ts - 3, ts - 2]
    iku_year = ts - 1
    if column.startswith("iku_") or (column in ("graduates", "traced") and year == iku_year):
        years = [iku_year]
    if year is not None:
        if year not in years:
            raise KeyError(year)
        years = [year]
    fields = {"nim": F("profile__nim"), "full_name": F("profile__full_name"), "profile_ref": F("profile_id")}
    if column == "graduates":
        return (
            AlumniProfile.objects.filter(
                study_program=study_program, graduation_date__year__in=years,
                verification=AlumniProfile.Verification.VERIFIED,
            )
            .annotate(year=ExtractYear("graduation_date"), profile_ref=F("pk"), detail=Value(""))
            .order_by("nim", "pk")
            .values("nim", "full_name", "profile_ref", "year", "detail")
        )
    employer = Response.objects.filter(
        version__survey__slug=EMPLOYER_SLUG,
        status=Response.Status.SUBMITTED,
        profile__study_program=study_program,
        profile__graduation_date__year__in=years,
    ).annotate(year=ExtractYear("profile__graduation_date"), detail=F("organisation"), **fields)
    aspect, _sep, value = column.partition(":")
    if aspect in {code for code, _label, _en in EMPLOYER_ASPECTS}:
        if value not in {str(v) for _grade, v in GRADES}:
            raise KeyError(column)
        employer = employer.filter(answers__code=aspect, answers__value_int=int(value))
    elif column != "employer_responses":
        employer = None
    if employer is not None:
        return employer.order_by("nim", "pk").values("nim", "full_name", "profile_ref", "year", "detail")
    condition = column_filters(study_program)[column]
    return (
        _judged(latest_tracer_responses(study_program=study_program, years=years))
        .filter(condition)
        .annotate(**fields, detail=Value(""))
        .order_by("nim", "pk")
        .values("nim", "full_name", "profile_ref", "year", "detail", "f8", "f502", "f14", "f5d", "f505", "f5a1")
    )


# --- The workbook ---------------------------------------------------------------------------------------------------

PERCENT_FORMAT = '0.00"%"'
TRACED = "Jumlah Lulusan yang Terlacak"
HEADINGS = {
    "8.d.1": "Tabel 8.d.1 Waktu Tunggu Lulusan",
    "8.d.2": "Tabel 8.d.2 Kesesuaian Bidang Kerja Lulusan",
    "8.e.1": "Tabel 8.e.1 Tempat Kerja Lulusan",
    "8.e.2": "Tabel 8.e.2 Kepuasan Pengguna Lulusan",
    "Ref 8.e.2": "Referensi Tabel 8.e.2 Tanggapan Pengguna Lulusan",
    "IKU-1": "IKU-1 Lulusan Mendapat Pekerjaan yang Layak",
}


def column_headings(layout: str) -> dict[str, list[str]]:
    """The headings of the graduate-year tables for a layout ("d3" or "sarjana")."""
    wait = (
        ["Jumlah lulusan yang dipesan sebelum lulus", "WT < 3 bulan", "3 ≤ WT ≤ 6 bulan", "WT > 6 bulan"]
        if layout == "d3"
        else ["WT < 6 bulan", "6 ≤ WT ≤ 18 bulan", "WT > 18 bulan"]
    )
    return {
        "8.d.1": ["Tahun Lulus", "Jumlah Lulusan", TRACED, *wait],
        "8.d.2": ["Tahun Lulus", "Jumlah Lulusan", TRACED, "Rendah", "Sedang", "Tinggi"],
        "8.e.1": [
            "Tahun Lulus", "Jumlah Lulusan", TRACED, "Lokal/ Wilayah/ Berwirausaha tidak Berizin",
            "Nasional/ Berwirausaha Berizin", "Multinasional/ Internasional",
        ],
        "Ref 8.e.2": ["Tahun Lulus", "Jumlah Lulusan", "Jumlah Tanggapan Kepuasan Pengguna yang Terlacak"],
    }


def bucket_columns(tables: dict, name: str) -> list[tuple[str, str]]:
    """(key, heading) of the columns a chart of this table stacks per graduation year."""
    keys = tables[name]["keys"]
    headings = column_headings(tables["layout"])[name][1:]
    return [(key, heading) for key, heading in zip(keys, headings, strict=True) if key not in NOT_BUCKETS]


def footnotes(tables: dict) -> dict[str, list[str]]:
    layout = (
        "WT = f502, bulan sejak lulus (0 = sebelum lulus); lulusan terlacak yang bekerja/wiraswasta (f8 = 1 atau 3)."
    )
    traced = (
        "Lulusan terlacak: memiliki jawaban terkirim (yang terbaru) pada kuesioner yang menanyakan f8. "
        "Jawaban kosong tidak masuk kolom mana pun."
    )
    return {
        "8.d.1": [layout, traced],
        "8.d.2": [F14_NOTE, traced],
        "8.e.1": [
            "f5d: 1 = lokal/wilayah/tidak berizin, 2 = nasional/berizin, 3 = multinasional/internasional.",
            traced,
        ],
        "8.e.2": [
            "Persentase tanggapan pengguna yang menilai aspek itu (4 Sangat Baik, 3 Baik, 2 Cukup, 1 Kurang); "
            "kosong bila tidak ada tanggapan. Baris Jumlah = jumlah ketujuh baris, seperti formulir.",
        ],
        "Ref 8.e.2": ["Tanggapan pengguna terkirim tentang lulusan program studi pada tahun lulus itu."],
        "IKU-1": [IKU_RULE],
    }


def _title(sheet, tables: dict, name: str) -> None:
    from openpyxl.styles import Font

    program = tables["study_program"]
    sheet.append([HEADINGS[name]])
    sheet.append([f"{program.code} {program} — TS = {tables['ts']}"])
    sheet["A1"].font = Font(bold=True, size=13)


def _heading_row(sheet, labels: list[str]) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.append(labels)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _append(sheet, row: list) -> None:
    """A data row; text that people typed (plans, program titles, names) is neutralised against formulas."""
    sheet.append([spreadsheet_cell(cell) for cell in row])


def _footnotes(sheet, notes: list[str]) -> None:
    sheet.append([])
    for note in notes:
        sheet.append([note])


def _widths(sheet, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


GRADE_HEADINGS = ["Sangat Baik", "Baik", "Cukup", "Kurang"]
EMPLOYER_HEADINGS = ["No", "Jenis Kemampuan", *(f"{g} (%)" for g in GRADE_HEADINGS),
                     "Rencana Tindak Lanjut oleh UPPS/PS"]
IKU_HEADINGS = ["Tahun Lulus", "Jumlah Lulusan", "Terlacak", "Berhasil", "Tidak dapat dinilai", "IKU-1 (%)"]
TABLE_NAMES = ("8.d.1", "8.d.2", "8.e.1", "8.e.2", "Ref 8.e.2", "IKU-1")


def table_rows(tables: dict, name: str) -> list[list]:
    """One table as plain rows, headings first (percentages as Decimal, empty cells as None): for CSV and XLSX."""
    if name == "8.e.2":
        table = tables[name]
        grades = [grade for grade, _value in GRADES]
        body = [[row["number"], row["label"], *(row[g] for g in grades), row["plan"]] for row in table["rows"]]
        extra = [[table[k]["number"], "", *(table[k][g] for g in grades), ""] for k in ("total", "mean")]
        return [EMPLOYER_HEADINGS, *body, *extra]
    if name == "IKU-1":
        iku = tables[name]
        return [IKU_HEADINGS, [iku["year"], iku["graduates"], iku["traced"], iku["success"], iku["unjudged"],
                               iku["iku"]]]
    table = tables[name]
    return [column_headings(tables["layout"])[name], *([row["year"], *(row[key] for key in table["keys"])]
                                      for row in [*table["rows"], table["total"]])]


def table_csv(tables: dict, name: str) -> str:
    """One table as CSV (UTF-8 with a byte-order mark, text cells neutralised)."""
    return csv_document(table_rows(tables, name))


def lkps_workbook(tables: dict) -> bytes:
    """The XLSX of the export contract: one sheet per table, headings first, one row per year, then Jumlah."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    columns = column_headings(tables["layout"])
    notes = footnotes(tables)
    for name in TABLE_NAMES:
        sheet = book.create_sheet(name)
        _title(sheet, tables, name)
        if name == "8.e.2":
            _employer_sheet(sheet, table_rows(tables, name)[1:])
        elif name == "IKU-1":
            _iku_sheet(sheet, tables[name])
        else:
            headings, *body = table_rows(tables, name)
            _heading_row(sheet, headings)
            for row in body:
                _append(sheet, row)
            _widths(sheet, [12, 16, 20, *([22] * (len(columns[name]) - 3))])
        _footnotes(sheet, notes[name])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _number(value):
    return None if value is None else float(value)


def _employer_sheet(sheet, body: list[list]) -> None:
    _heading_row(sheet, ["No", "Jenis Kemampuan", "Tingkat Kepuasan Pengguna (%)", "", "", "",
                         EMPLOYER_HEADINGS[-1]])
    _heading_row(sheet, ["", "", *GRADE_HEADINGS, ""])
    first = sheet.max_row + 1
    for row in body:
        _append(sheet, [row[0], row[1], *(_number(cell) for cell in row[2:6]), row[6]])
    for line in sheet.iter_rows(min_row=first, max_row=sheet.max_row, min_col=3, max_col=6):
        for cell in line:
            cell.number_format = PERCENT_FORMAT
    _widths(sheet, [10, 44, 14, 14, 14, 14, 50])


def _iku_sheet(sheet, iku: dict) -> None:
    _heading_row(sheet, IKU_HEADINGS)
    sheet.append([iku["year"], iku["graduates"], iku["traced"], iku["success"], iku["unjudged"], _number(iku["iku"])])
    sheet.cell(row=sheet.max_row, column=6).number_format = PERCENT_FORMAT
    sheet.append([])
    sheet.append(["Tingkat respons (Terlacak / Jumlah Lulusan, %)", _number(iku["response_rate"])])
    sheet.cell(row=sheet.max_row, column=2).number_format = PERCENT_FORMAT
    _widths(sheet, [14, 16, 12, 12, 20, 12])
    if iku["unjudged_graduates"]:
        sheet.append([])
        sheet.append(["Tidak dapat dinilai (upah minimum belum ada):"])
        for graduate in iku["unjudged_graduates"]:
            _append(sheet, [graduate["nim"], graduate["full_name"], graduate["province"]])


# --- Evidence of alumni involvement (programs.evidence.alumni_involvement), exported beside the tables -------------

EVIDENCE_SUMMARY = [("year", "Tahun"), ("programs", "Program"), ("sessions", "Sesi")]


def evidence_rows(evidence: dict) -> list[list]:
    """The activity rows of the evidence table, headings first."""
    return [[label for _key, label in EVIDENCE_COLUMNS],
            *([row[key] for key, _label in EVIDENCE_COLUMNS] for row in evidence["rows"])]


def evidence_summary_rows(evidence: dict) -> list[list]:
    """Per year TS-2..TS and Jumlah: programs, sessions, role counts and distinct alumni, headings first."""
    roles = [(key, label) for key, label in EVIDENCE_COLUMNS if key not in ("year", "date", "program", "session",
                                                                              "kind")]
    columns = [*EVIDENCE_SUMMARY, *roles]
    return [[label for _key, label in columns],
            *([row[key] for key, _label in columns] for row in [*evidence["per_year"], evidence["total"]])]


def evidence_csv(evidence: dict) -> str:
    return csv_document(evidence_rows(evidence))


def evidence_workbook(evidence: dict, *, study_program: StudyProgram, ts: int) -> bytes:
    """Two sheets: the summary per year (TS-2..TS, Jumlah) and every program or session with alumni in it."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, rows, widths in (
        ("Ringkasan", evidence_summary_rows(evidence), [10, 10, 10, 12, 12, 12, 12, 12, 14]),
        ("Kegiatan", evidence_rows(evidence), [8, 12, 40, 40, 18, 12, 10, 10, 10, 10, 14]),
    ):
        sheet = book.create_sheet(title)
        sheet.append(["Bukti Keterlibatan Alumni"])
        sheet.append([f"{study_program.code} {study_program} — TS = {ts} ({ts - 2}–{ts})"])
        sheet["A1"].font = Font(bold=True, size=13)
        headings, *body = rows
        _heading_row(sheet, headings)
        for row in body:
            _append(sheet, row)
        for cell in sheet["B"][3:] if title == "Kegiatan" else ():
            cell.number_format = "yyyy-mm-dd"
        _widths(sheet, widths)
        _footnotes(sheet, [evidence["note"]])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
