import csv
import datetime
import io

import openpyxl
import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from alumni import exporting
from alumni.models import AlumniProfile, Employment, Province, Role, Visibility
from core.models import AuditLog

from ..conftest import client_for
from ..factories import AlumniProfileFactory, EmploymentFactory, UserFactory, grant

CSV_URL = reverse("alumni:export_csv")
XLSX_URL = reverse("alumni:export_xlsx")
HEADER = [
    "nim", "full_name", "study_program", "entry_year", "graduation_date", "email", "phone", "province", "city",
    "employer", "position", "employer_kind", "has_account",
]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_rows(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # so that Excel reads UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def csv_dicts(response) -> dict[str, dict[str, str]]:
    header, *rows = csv_rows(response)
    assert header == HEADER
    return {row[1]: dict(zip(header, row, strict=True)) for row in rows}


def xlsx_sheet(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


@pytest.fixture
def citra(prodi_x):
    """Shares a lot with staff, keeps her phone and career to herself, and has a current and a past job."""
    user = UserFactory(email="citra@example.org", full_name="Citra Kirana")
    profile = AlumniProfileFactory(
        user=user, study_program=prodi_x, nim="16710003", entry_year=2016, phone="+62 812 3456 7890",
        vis_phone=Visibility.PRIVATE, vis_career=Visibility.PRIVATE, vis_email=Visibility.STAFF,
        vis_location=Visibility.ALUMNI, province=Province.objects.get(name="Bali"), city="Denpasar",
    )
    EmploymentFactory(profile=profile, employer="Rahasia Corp", position="Analis")
    return profile


@pytest.fixture
def dodi(prodi_x):
    """An imported record (no account) with a current job visible to staff."""
    profile = AlumniProfileFactory(
        user=None, study_program=prodi_x, nim="17710004", entry_year=2017, full_name="Dodi Imported",
        email="dodi@example.org", phone="0812000111", graduation_date=None,
    )
    EmploymentFactory(profile=profile, employer="Lama Jaya", position="Staf", start_date=datetime.date(2018, 1, 1),
                      end_date=datetime.date(2019, 1, 1))
    EmploymentFactory(profile=profile, employer="Baru Makmur", position="Kepala Arsip",
                      employer_kind=Employment.EmployerKind.PRIVATE, start_date=datetime.date(2021, 3, 1))
    return profile


def test_staff_export_csv_has_their_program_only_with_shared_parts(staff_x, alumnus_a, alumnus_b, citra, dodi,
                                                                    prodi_y):
    AlumniProfileFactory(study_program=prodi_y, full_name="Gita Arab")
    response = client_for(staff_x).get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="alumni-71201-{today}.csv"'
    assert "no-store" in response["Cache-Control"]
    rows = csv_dicts(response)
    assert sorted(rows) == ["Ani Lestari", "Bagus Pratama", "Citra Kirana", "Dodi Imported"]
    citra_row = rows["Citra Kirana"]
    assert citra_row["nim"] == "16710003"
    assert citra_row["study_program"] == "71201"
    assert citra_row["entry_year"] == "2016"
    assert citra_row["email"] == "citra@example.org"  # shared with staff
    assert citra_row["province"] == "Bali" and citra_row["city"] == "Denpasar"  # shared with alumni
    # "Only me": blank for staff.
    assert citra_row["phone"] == ""
    assert citra_row["employer"] == citra_row["position"] == citra_row["employer_kind"] == ""
    assert citra_row["has_account"] == "Ya"  # in the exporter's language (Bahasa Indonesia by default)
    dodi_row = rows["Dodi Imported"]
    # The current job (no end date), not the past one.
    assert (dodi_row["employer"], dodi_row["position"], dodi_row["employer_kind"]) == (
        "Baru Makmur", "Kepala Arsip", "Perusahaan swasta"
    )
    assert dodi_row["graduation_date"] == ""  # still a student
    assert dodi_row["phone"] == "0812000111"
    assert dodi_row["has_account"] == "Tidak"
    assert rows["Ani Lestari"]["graduation_date"] == "2019-08-25"


def test_export_honours_the_directory_filters(staff_x, alumnus_a, citra, dodi):
    client = client_for(staff_x)
    assert sorted(csv_dicts(client.get(CSV_URL, {"cohort": 2017}))) == ["Dodi Imported"]
    assert sorted(csv_dicts(client.get(CSV_URL, {"q": "citra"}))) == ["Citra Kirana"]
    assert sorted(csv_dicts(client.get(CSV_URL, {"employer": "Baru"}))) == ["Dodi Imported"]
    # Citra's career is private: her employer cannot find her, not even for staff.
    assert sorted(csv_dicts(client.get(CSV_URL, {"employer": "Rahasia"}))) == []
    bali = Province.objects.get(name="Bali")
    assert sorted(csv_dicts(client.get(CSV_URL, {"province": bali.pk, "page": 3}))) == ["Citra Kirana"]


def test_export_with_invalid_filters_goes_back_to_the_directory(staff_x, alumnus_a):
    response = client_for(staff_x).get(CSV_URL, {"cohort": "abc", "page": 2})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('alumni:directory')}?cohort=abc"
    assert not AuditLog.objects.filter(action="alumni.directory.exported").exists()


def test_export_of_a_program_one_does_not_run_is_refused(staff_y, alumnus_a, prodi_x):
    response = client_for(staff_y).get(XLSX_URL, {"study_program": prodi_x.pk})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("alumni:directory"))


def test_staff_of_another_program_exports_none_of_its_records(staff_y, alumnus_a, alumnus_b):
    header, *rows = csv_rows(client_for(staff_y).get(CSV_URL))
    assert header == HEADER
    assert rows == []


def test_staff_who_is_also_a_member_exports_only_their_own_programs(staff_y, alumnus_a, prodi_x, prodi_y):
    # Staff Y graduated from X: in the directory she sees X's listed members, in an export only Y's records.
    AlumniProfileFactory(user=staff_y, study_program=prodi_x, full_name="Staf Y As Alumna")
    AlumniProfileFactory(study_program=prodi_y, full_name="Gita Arab")
    assert sorted(csv_dicts(client_for(staff_y).get(CSV_URL))) == ["Gita Arab"]


def test_institution_admin_exports_every_program_as_all(admin_user, alumnus_a, prodi_y):
    AlumniProfileFactory(study_program=prodi_y, full_name="Gita Arab")
    response = client_for(admin_user).get(CSV_URL)
    assert f"alumni-all-{timezone.localdate().isoformat()}.csv" in response["Content-Disposition"]
    assert sorted(csv_dicts(response)) == ["Ani Lestari", "Gita Arab"]
    one = client_for(admin_user).get(CSV_URL, {"study_program": prodi_y.pk})
    assert "alumni-79202-" in one["Content-Disposition"]
    assert sorted(csv_dicts(one)) == ["Gita Arab"]


def test_superuser_export_still_leaves_out_only_me_parts(citra):
    root = UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    row = csv_dicts(client_for(root).get(CSV_URL))["Citra Kirana"]
    assert row["phone"] == "" and row["employer"] == ""
    assert row["email"] == "citra@example.org"


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_alumni_may_not_export(url, alumnus_a):
    assert client_for(alumnus_a).get(url).status_code == 403


def test_export_is_audited(staff_x, alumnus_a):
    client_for(staff_x).get(XLSX_URL, {"cohort": 2015})
    entry = AuditLog.objects.get(action="alumni.directory.exported")
    assert entry.actor == staff_x
    assert entry.study_program.code == "71201"
    assert entry.data == {"format": "xlsx", "filters": {"cohort": 2015}}


def test_xlsx_export(staff_x, alumnus_a, dodi):
    response = client_for(staff_x).get(XLSX_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"].endswith(f'-{timezone.localdate().isoformat()}.xlsx"')
    sheet = xlsx_sheet(response)
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == HEADER
    by_name = {row[1]: row for row in values[1:]}
    assert set(by_name) == {"Ani Lestari", "Dodi Imported"}
    assert by_name["Dodi Imported"][0] == "17710004"  # the NIM stays text (leading zeros survive)
    assert by_name["Dodi Imported"][9] == "Baru Makmur"


FORMULAE = {
    "full_name": '=HYPERLINK("http://x","klik")',
    "city": "+1",
    "phone": "-2+3+cmd|' /C calc'!A0",
    "nim": "@SUM(A1:A9)",
}


@pytest.fixture
def attacker(prodi_x):
    profile = AlumniProfileFactory(
        user=None, study_program=prodi_x, email="x@example.org", vis_location=Visibility.STAFF,
        vis_phone=Visibility.STAFF, vis_career=Visibility.STAFF, **FORMULAE,
    )
    EmploymentFactory(profile=profile, employer="\t=1+1", position="\r=2+2")
    return profile


def test_xlsx_has_no_formula_cells(staff_x, attacker):
    sheet = xlsx_sheet(client_for(staff_x).get(XLSX_URL))
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert cells
    for cell in cells:
        assert cell.data_type != "f", cell.coordinate
        assert not str(cell.value or "").startswith(("=", "+", "-", "@", "\t", "\r")), cell.value
    values = {cell.value for cell in cells}
    assert "'" + FORMULAE["full_name"] in values
    assert "'+1" in values


def test_csv_cells_that_could_be_formulae_are_neutralised(staff_x, attacker):
    header, row = csv_rows(client_for(staff_x).get(CSV_URL))
    cells = dict(zip(header, row, strict=True))
    for name, value in FORMULAE.items():
        assert cells[name] == "'" + value
    assert cells["employer"] == "'\t=1+1"
    assert cells["position"] == "'\r=2+2"
    for value in row:
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_library_formula_escaping_is_on(settings):
    # Belt and braces for every django-import-export export in the project (it strips a leading "=" only).
    assert settings.IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is True


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+62 812", "'+62 812"), ("-5", "'-5"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("  =1+1", "'  =1+1"), ("Ani", "Ani"), ("", ""), ("a=b", "a=b"), ("bell\x07", "bell"),
])
def test_neutralise(value, expected):
    assert exporting.neutralise(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("+62 812 3456 7890", "+62 812 3456 7890"), ("0812-3456-7890", "0812-3456-7890"),
    ("(0361) 234.567", "(0361) 234.567"),
    (" +62 812 3456 7890 ", "+62 812 3456 7890"), ("+62812\x0734567", "+6281234567"),
    # Not the shape of a phone: neutralised like any text.
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"), ("=1+1", "'=1+1"), ("+1", "'+1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("+62 812 =HYPERLINK(1)", "'+62 812 =HYPERLINK(1)"), ("", ""),
])
def test_phone_cell(value, expected):
    assert exporting.phone_cell(value) == expected
    # What is safe as it is stays so through every later pass (the CSV writer's, the library's).
    assert exporting.csv_cell(exporting.phone_cell(value)) == expected
    assert exporting.spreadsheet_cell(exporting.phone_cell(value)) == expected


@pytest.fixture
def eka(prodi_x):
    """Shares her phone and career with staff; works for a BUMN; no account."""
    profile = AlumniProfileFactory(
        user=None, study_program=prodi_x, full_name="Eka Telepon", phone="+62 812 3456 7890",
        vis_phone=Visibility.STAFF, vis_career=Visibility.STAFF,
    )
    EmploymentFactory(profile=profile, employer="PT Kereta", position="Pustakawan",
                      employer_kind=Employment.EmployerKind.STATE_OWNED)
    return profile


def test_csv_phones_and_labels_read_as_people_write_them(staff_x, alumnus_a, eka):
    row = csv_dicts(client_for(staff_x).get(CSV_URL))["Eka Telepon"]
    assert row["phone"] == "+62 812 3456 7890"  # no apostrophe
    assert row["employer_kind"] == "BUMN/BUMD"
    assert row["has_account"] == "Tidak"
    assert csv_dicts(client_for(staff_x).get(CSV_URL))["Ani Lestari"]["has_account"] == "Ya"


def test_xlsx_phone_is_a_text_cell_and_labels_are_in_the_exporters_language(staff_x, alumnus_a, eka):
    sheet = xlsx_sheet(client_for(staff_x).get(XLSX_URL))
    header = [cell.value for cell in sheet[1]]
    assert header == HEADER  # stable field names, the same in every language
    rows = {row[1].value: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)}
    phone = rows["Eka Telepon"]["phone"]
    assert (phone.value, phone.data_type) == ("+62 812 3456 7890", "s")
    assert rows["Eka Telepon"]["employer_kind"].value == "BUMN/BUMD"
    assert rows["Eka Telepon"]["has_account"].value == "Tidak"
    assert rows["Ani Lestari"]["has_account"].value == "Ya"


def test_export_labels_follow_the_staff_members_language(staff_x, alumnus_a, eka):
    staff_x.language = "en"
    staff_x.save(update_fields=["language"])
    rows = csv_dicts(client_for(staff_x).get(CSV_URL))
    assert rows["Eka Telepon"]["employer_kind"] == "State-owned enterprise (BUMN/BUMD)"
    assert (rows["Eka Telepon"]["has_account"], rows["Ani Lestari"]["has_account"]) == ("No", "Yes")
    sheet = xlsx_sheet(client_for(staff_x).get(XLSX_URL))
    values = {cell.value for row in sheet.iter_rows(min_row=2) for cell in row}
    assert {"State-owned enterprise (BUMN/BUMD)", "Yes", "No"} <= values
    assert not {"state_owned", "yes", "no", "Ya", "Tidak"} & values


def test_csv_is_streamed_in_chunks(staff_x, prodi_x, monkeypatch):
    monkeypatch.setattr(exporting, "EXPORT_CHUNK", 3)
    AlumniProfileFactory.create_batch(10, study_program=prodi_x, user=None)
    response = client_for(staff_x).get(CSV_URL)
    chunks = list(response.streaming_content)
    # BOM, header, then 4 chunks of at most 3 rows.
    assert len(chunks) == 6
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert len(rows) == 11


def _export_queries(client, url, django_assert_max_num_queries, bound):
    with django_assert_max_num_queries(bound) as captured:
        response = client.get(url, {"cohort": 2015})
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    return len(captured.captured_queries), body


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_export_runs_a_fixed_number_of_queries(url, staff_x, prodi_x, django_assert_max_num_queries):
    """Session, user, scope (roles, member check), the program for the file name, the audit entry (and its
    savepoint), then ONE select for all rows, current job included: the same at 10 and at 200 rows."""
    client = client_for(staff_x)
    counts = []
    created = 0
    for size in (10, 200):
        profiles = AlumniProfileFactory.create_batch(size - created, study_program=prodi_x, entry_year=2015,
                                                     vis_career=Visibility.STAFF)
        for profile in profiles:
            EmploymentFactory(profile=profile, employer="Perpustakaan Daerah", province=None)
        created = size
        count, body = _export_queries(client, url, django_assert_max_num_queries, 10)
        if url == CSV_URL:
            assert body.decode("utf-8-sig").count("Perpustakaan Daerah") == size
        else:
            assert xlsx_rows(body) == size
        counts.append(count)
    assert counts[0] == counts[1]


def xlsx_rows(body: bytes) -> int:
    return openpyxl.load_workbook(io.BytesIO(body)).active.max_row - 1


def test_export_buttons_show_for_staff_only(staff_x, alumnus_a):
    staff_page = client_for(staff_x).get(reverse("alumni:directory"), {"cohort": 2015}).content.decode()
    assert f'href="{CSV_URL}?cohort=2015"' in staff_page
    assert f'href="{XLSX_URL}?cohort=2015"' in staff_page
    assert reverse("alumni:duplicates") in staff_page
    assert CSV_URL not in client_for(alumnus_a).get(reverse("alumni:directory")).content.decode()


def test_staff_export_includes_unlisted_and_unclaimed_records(staff_x, alumnus_a, alumnus_b):
    AlumniProfile.objects.filter(user=alumnus_b).update(listed_in_directory=False)
    AlumniProfileFactory(user=None, study_program=alumnus_a.alumni_profile.study_program, full_name="Eko Imported")
    assert sorted(csv_dicts(client_for(staff_x).get(CSV_URL))) == ["Ani Lestari", "Bagus Pratama", "Eko Imported"]


def test_admin_role_on_one_institution_only(prodi_x, alumnus_a):
    from ..factories import FacultyFactory, InstitutionFactory, StudyProgramFactory

    other = StudyProgramFactory(code="55555", faculty=FacultyFactory(institution=InstitutionFactory(name="Lain")))
    AlumniProfileFactory(study_program=other, full_name="Other Campus")
    admin = UserFactory(email="admin2@example.org")
    grant(admin, Role.Kind.ADMIN, institution=prodi_x.faculty.institution)
    assert sorted(csv_dicts(client_for(admin).get(CSV_URL))) == ["Ani Lestari"]
