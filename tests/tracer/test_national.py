"""National upload layout: export column order and cells, import checks (all or nothing), round trip, employer import,
commands and the import page with its check and confirmation."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tracer import national
from tracer.models import Answer, Response, Survey

from ..conftest import client_for
from ..factories import AlumniProfileFactory
from .test_results import answer, make_wave

SPEC_ORDER = (
    "Kode PT, Kode Prodi, NIM, Nama, HP, Email, Tahun Lulus, NIK, NPWP, F8, F502, F505, F5a1, F5a2, F1101, F1102, F5b, "
    "F5c, F5d, F18a, F18b, F18c, F18d, F1201, F1202, F14, F15"
)


def test_headers_follow_the_national_layout():
    h = national.HEADERS
    assert h[:27] == SPEC_ORDER.split(", ")
    assert h[27:41] == [f"F{n}" for n in range(1761, 1775)]
    assert h[41:48] == [f"F{n}" for n in range(21, 28)]
    assert h[48:51] == ["F301", "F302", "F303"]
    assert h[51:67] == [f"F{n}" for n in range(401, 417)]
    assert h[67:72] == ["F6", "F7", "F7a", "F1001", "F1002"]
    assert h[72:] == [f"F{n}" for n in range(1601, 1615)]


@pytest.fixture
def core(db):
    return Survey.objects.get(slug="dikti-core")


@pytest.fixture
def grads(prodi_x):
    return [
        AlumniProfileFactory(user=None, study_program=prodi_x, nim=f"1971000{i}", full_name=f"Lulusan {i}",
                             email=f"l{i}@example.org", phone=f"0812345678{i}",
                             graduation_date=datetime.date(2021, 9, 1))
        for i in range(3)
    ]


def layout_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(national.HEADERS)
    for row in rows:
        writer.writerow([row.get(h, "") for h in national.HEADERS])
    return ("\ufeff" + out.getvalue()).encode()


def identity(profile, **cells):
    return {"Kode PT": "UUC", "Kode Prodi": profile.study_program.code, "NIM": profile.nim, "Nama": profile.full_name,
            "HP": profile.phone, "Email": profile.email, "Tahun Lulus": "2021", **cells}


@pytest.fixture
def kode_pt(settings):
    settings.TRACER_INSTITUTION_CODE = "UUC"


def test_round_trip_csv_and_xlsx(core, grads, kode_pt):
    working = {"F8": "1", "F502": "4", "F505": "5500000", "F5a1": "040000", "F5a2": "Kota Yogyakarta", "F1101": "5",
               "F1102": "Koperasi", "F5b": "Koperasi Sejahtera", "F5d": "2", "F1201": "7", "F1202": "Beasiswa daerah",
               "F14": "2", "F15": "2", "F1761": "3", "F1762": "5", "F21": "1", "F27": "5", "F301": "1", "F302": "3",
               **{f"F{n}": "0" for n in range(401, 416)}, "F404": "1", "F415": "1", "F416": "Grup WhatsApp",
               "F6": "12", "F7": "5", "F7a": "2", "F1001": "1", **{f"F{n}": "0" for n in range(1601, 1614)},
               "F1601": "1"}
    study = {"F8": "4", "F18a": "2", "F18b": "Universitas Gadjah Mada", "F18c": "Magister Ilmu Perpustakaan",
             "F18d": "2022-09-01", "F1201": "3", "F1761": "4", "F1001": "5", "F1002": "=HYPERLINK(\"x\")"}
    self_employed = {"F8": "3", "F502": "0", "F5a1": "010000", "F1101": "4", "F5b": "Toko Buku Ar-Rasyid", "F5c": "1",
                     "F5d": "1", "F1201": "1", "F14": "1", "F15": "2"}
    rows = [identity(grads[0], **working), identity(grads[1], **study), identity(grads[2], **self_employed)]
    source = layout_csv(rows)
    outcome = national.import_responses(source, survey=core)
    assert outcome.ok, outcome.issues
    assert (outcome.created, Response.objects.filter(source="import", status="submitted").count()) == (3, 3)
    assert Answer.objects.get(response__profile=grads[2], code="f5a1").value_int == 10000

    responses = Response.objects.filter(version__survey=core)
    exported = national.export_csv(responses)
    expected = [national.HEADERS, *([row.get(h, "") for h in national.HEADERS] for row in rows)]
    expected[2][national.HEADERS.index("F1002")] = "'=HYPERLINK(\"x\")"  # neutralised formula
    assert list(csv.reader(io.StringIO(exported.lstrip("\ufeff")))) == expected

    sheet = openpyxl.load_workbook(io.BytesIO(national.export_xlsx(responses))).active
    cells = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    assert cells == expected

    # The XLSX export reads back in: the same answers again (replacing the imported ones).
    before = sorted(Answer.objects.values_list("response__profile__nim", "code", "value_int", "value_text",
                                               "value_date"))
    again = national.import_responses(national.export_xlsx(responses), survey=core)
    assert (again.ok, again.created, again.replaced) == (True, 3, 3)
    after = sorted(Answer.objects.values_list("response__profile__nim", "code", "value_int", "value_text",
                                              "value_date"))
    assert len(after) == len(before)
    assert [a for a in after if a[1] != "f1002"] == [b for b in before if b[1] != "f1002"]


def test_reimport_replaces_earlier_imported_response(core, grads):
    source = layout_csv([identity(grads[0], F8="5")])
    national.import_responses(source, survey=core)
    outcome = national.import_responses(layout_csv([identity(grads[0], F8="2")]), survey=core)
    assert (outcome.created, outcome.replaced) == (1, 1)
    assert list(Answer.objects.filter(response__profile=grads[0]).values_list("code", "value_int")) == [("f8", 2)]


def test_headers_are_case_insensitive_and_subset_is_enough(core, grads):
    source = f"nim;KODE PRODI;f8;F5A1\n{grads[0].nim};71201;1;kalimantan utara\n".encode()
    outcome = national.import_responses(source, survey=core)
    assert outcome.ok, outcome.issues
    assert Answer.objects.get(code="f5a1").value_int == 340000


def test_errors_by_row_and_column_and_nothing_saved(core, grads):
    rows = [
        identity(grads[0], F8="6", F502="-1", F1761="9"),
        identity(grads[1], F8="1", F401="2", F18d="01/09/2022"),
        {"Kode Prodi": "71201", "NIM": "99999999", "F8": "1"},
        identity(grads[1], F8="1"),
        identity(grads[2], F8="1", F5a1="999999", F505="banyak"),
    ]
    outcome = national.import_responses(layout_csv(rows), survey=core)
    got = [(i.row, i.column) for i in outcome.issues]
    assert got == [(2, "F8"), (2, "F502"), (2, "F1761"), (3, "F18d"), (3, "F401"), (4, "NIM"), (5, "NIM"),
                   (6, "F505"), (6, "F5a1")]
    assert "6 bukan salah satu kode 1, 2, 3, 4, 5" in outcome.issues[0].message  # Indonesian, the default
    assert "99999999" in outcome.issues[5].message
    assert "baris 3" in outcome.issues[6].message
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_unknown_and_missing_columns_are_a_file_error(core):
    outcome = national.import_responses(b"NIM,F8,F999\n1,1,1\n", survey=core)
    assert "Kode Prodi" in outcome.file_error and "f999" in outcome.file_error


def test_bad_files_use_the_alumni_guards(core):
    assert national.import_responses(b"\x89PNG\r\n\x1a\n....", survey=core).file_error
    assert "empty" in national.import_responses(b"  ", survey=core).file_error.lower() or \
        national.import_responses(b"  ", survey=core).file_error


def test_staff_import_cannot_touch_other_programs(core, grads, prodi_y):
    outcome = national.import_responses(layout_csv([identity(grads[0], F8="1")]), survey=core,
                                        programs=frozenset({prodi_y.pk}))
    assert [(i.row, i.column) for i in outcome.issues] == [(2, "NIM")]


def test_export_of_a_wave_only_submitted_and_private_contacts_blank(prodi_x, grads, kode_pt):
    wave = make_wave([prodi_x])
    grads[0].vis_phone = "private"
    grads[0].save()
    answer(wave, grads[0], {"f8": 1, "f5a1": 110000, "f5b": "+62 Corp"})
    answer(wave, grads[1], {"f8": 1}, status="partial")
    rows = list(national.export_rows(Response.objects.filter(invitation__wave=wave)))
    assert len(rows) == 1
    row = dict(zip(national.HEADERS, rows[0], strict=True))
    assert (row["Kode PT"], row["HP"], row["Email"], row["F5a1"], row["F5b"], row["F502"]) == (
        "UUC", "", grads[0].email, "110000", "'+62 Corp", "")


def test_kode_pt_defaults_to_institution_short_name(prodi_x, grads):
    institution = prodi_x.faculty.institution
    institution.short_name = "UIN-X"
    institution.save()
    wave = make_wave([prodi_x])
    answer(wave, grads[0], {"f8": 2})
    assert next(national.export_rows(Response.objects.all()))[0] == "UIN-X"


EMPLOYER_HEADER = ("nim,study_program,employer,respondent_name,respondent_position,date,etika,keahlian,bahasa_asing,"
                   "teknologi_informasi,komunikasi,kerjasama,pengembangan_diri,saran\n")


def test_employer_import(grads):
    source = (EMPLOYER_HEADER
              + f"{grads[0].nim},71201,Perpustakaan Nasional RI,Dra. Sri,Kepala Bidang,2024-05-02,4,3,2,4,3,4,4,"
                "Perbanyak magang\n"
              + f"{grads[1].nim},71201,PT Buku,Andi,Manajer,,3,3,3,3,3,3,3,\n").encode()
    outcome = national.import_employer_responses(source)
    assert outcome.ok, outcome.issues
    response = Response.objects.get(profile=grads[0])
    assert (response.version.survey.slug, response.organisation, response.respondent_name,
            response.respondent_position, response.response_date, response.source) == (
        "dikti-employer", "Perpustakaan Nasional RI", "Dra. Sri", "Kepala Bidang", datetime.date(2024, 5, 2), "import")
    assert dict(response.answers.values_list("code", "value_int"))["bahasa_asing"] == 2
    assert response.answers.get(code="saran").value_text == "Perbanyak magang"
    assert Response.objects.get(profile=grads[1]).answers.count() == 7


def test_employer_import_errors(grads):
    # The empty bahasa_asing is an aspect not rated, no error (tests/tracer/test_employer_blank_aspects.py).
    source = (EMPLOYER_HEADER + f"{grads[0].nim},71201,X,Y,Z,2024-13-01,5,3,,4,3,4,4,\n"
              + "000,71201,X,Y,Z,,4,4,4,4,4,4,4,\n").encode()
    outcome = national.import_employer_responses(source)
    assert [(i.row, i.column) for i in outcome.issues] == [(2, "etika"), (2, "date"), (3, "nim")]
    assert not Response.objects.exists()


def test_commands(core, grads, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(layout_csv([identity(grads[0], F8="1", F502="2")]))
    call_command("import_tracer_responses", "--survey", "dikti-core", str(good))
    assert Response.objects.filter(source="import").count() == 1
    bad = tmp_path / "bad.csv"
    bad.write_bytes(layout_csv([identity(grads[1], F8="7")]))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_tracer_responses", "--survey", "dikti-core", str(bad))
    assert "row 2, F8" in capsys.readouterr().out
    with pytest.raises(CommandError, match="No survey"):
        call_command("import_tracer_responses", "--survey", "nope", str(good))
    employer = tmp_path / "employer.csv"
    employer.write_bytes((EMPLOYER_HEADER + f"{grads[0].nim},71201,A,B,C,2024-01-01,4,4,4,4,4,4,4,\n").encode())
    call_command("import_employer_responses", str(employer))
    assert Response.objects.filter(version__survey__slug="dikti-employer").count() == 1


def test_import_page_check_then_confirm(core, grads, staff_x, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    client = client_for(staff_x)
    url = reverse("tracer:import_responses")
    upload = io.BytesIO(layout_csv([identity(grads[0], F8="1", F14="2")]))
    upload.name = "tracer.csv"
    checked = client.post(url, {"target": "dikti-core", "file": upload, "action": "check"})
    assert checked.status_code == 200 and checked.context["token"]
    assert not Response.objects.exists()
    done = client.post(url, {"action": "confirm", "token": checked.context["token"]})
    assert done.status_code == 302 and done["Location"] == reverse("tracer:results")
    assert Answer.objects.get(code="f14").value_int == 2
    assert not list((tmp_path / "tracer-imports").iterdir())
    # The token was used up.
    again = client.post(url, {"action": "confirm", "token": checked.context["token"]})
    assert again.status_code == 302 and Response.objects.count() == 1


def test_import_page_shows_issues(core, grads, staff_x):
    upload = io.BytesIO(layout_csv([identity(grads[0], F8="9")]))
    upload.name = "tracer.csv"
    response = client_for(staff_x).post(reverse("tracer:import_responses"),
                                        {"target": "dikti-core", "file": upload, "action": "check"})
    assert "token" not in response.context
    assert 'id="import-issues"' in response.content.decode()


def test_wave_export_view(prodi_x, grads, staff_x, kode_pt):
    wave = make_wave([prodi_x])
    answer(wave, grads[0], {"f8": 1})
    client = client_for(staff_x)
    csv_response = client.get(reverse("tracer:wave_export", args=[wave.pk]))
    assert csv_response["Content-Type"].startswith("text/csv")
    assert csv_response.content.decode("utf-8-sig").splitlines()[0].startswith('"Kode PT","Kode Prodi","NIM"')
    xlsx = client.get(reverse("tracer:wave_export", args=[wave.pk]), {"format": "xlsx"})
    assert openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.max_row == 2
    assert client.get(reverse("tracer:wave_export", args=[wave.pk]), {"format": "pdf"}).status_code == 404
