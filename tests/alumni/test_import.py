"""Alumni import (issue 4): the engine, the command, the staff pages, invitations and query counts.

Hostile files have their own module (test_bad_imports.py).
"""

import datetime
import io
import math
import time

import openpyxl
import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from alumni.importing.jobs import progress_key, run_import
from alumni.models import AlumniProfile, ImportJob, SignupInvitation
from alumni.scope import scope_for
from alumni.services import profile_claim_by_email
from core.models import AuditLog, Notification

from ..alumni_portal.test_celery_worker import real_worker  # noqa: F401 (a fixture)
from ..conftest import client_for
from ..factories import AlumniProfileFactory, UserFactory

HEADER = "nim,full_name,email,study_program,entry_year,graduation_date,phone,province,city"

CONFIRM = {"confirm": "1"}  # the confirmation flag of core.confirm


def line(nim, name="Siti Aminah", email="", program="71201", entry="2016", graduation="2020-08-25", phone="",
         province="", city=""):
    return ",".join([nim, name, email, program, entry, graduation, phone, province, city])


def csv_file(*rows, header=HEADER, sep=",", bom=False) -> bytes:
    text = "\n".join([header, *rows]).replace(",", sep) + "\n"
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def counts(outcome) -> tuple:
    c = outcome.counts
    return c["new"], c["updated"], c["unchanged"], c["invalid"]


def db_state() -> tuple[int, int]:
    return AlumniProfile.objects.count(), AuditLog.objects.count()


@pytest.fixture
def existing(prodi_x):
    """Two imported records of prodi X: 20710001 (as in the file below) and 20710002 (city to change)."""
    AlumniProfileFactory(user=None, study_program=prodi_x, nim="20710001", full_name="Siti Aminah",
                         email="siti@example.org", entry_year=2016, graduation_date=datetime.date(2020, 8, 25),
                         city="Sleman")
    AlumniProfileFactory(user=None, study_program=prodi_x, nim="20710002", full_name="Budi Santoso",
                         email="budi@example.org", entry_year=2016, graduation_date=datetime.date(2020, 8, 25),
                         city="Bantul")


THREE_ROWS = csv_file(
    line("20710001", email="siti@example.org", city="Sleman"),                         # unchanged
    line("20710002", name="Budi Santoso", email="budi@example.org", city="Kulon Progo",  # city changes
         province="040000"),
    line("20710003", name="Rina Wati", email="rina@example.org", city="Depok"),          # new
)


def test_preview_counts_new_updated_unchanged_and_writes_nothing(existing, staff_x):
    before = db_state()
    outcome = run_import(THREE_ROWS, user=staff_x, dry_run=True)
    assert outcome.ok and not outcome.issues
    assert counts(outcome) == (1, 1, 1, 0)
    assert outcome.total_rows == 3
    assert db_state() == before
    assert AlumniProfile.objects.get(nim="20710002").city == "Bantul"


def test_import_then_reimport_of_the_same_file_changes_nothing(existing, staff_x):
    outcome = run_import(THREE_ROWS, user=staff_x, dry_run=False)
    assert outcome.imported and counts(outcome) == (1, 1, 1, 0)
    after_first = db_state()
    stamps = dict(AlumniProfile.objects.values_list("nim", "updated_at"))

    again = run_import(THREE_ROWS, user=staff_x, dry_run=False)
    assert again.imported and counts(again) == (0, 0, 3, 0)
    assert db_state() == after_first
    assert dict(AlumniProfile.objects.values_list("nim", "updated_at")) == stamps


def test_a_changed_field_updates_the_record_and_writes_an_audit_entry_naming_it(existing, staff_x, prodi_x):
    outcome = run_import(THREE_ROWS, user=staff_x, dry_run=False)
    assert outcome.imported
    budi = AlumniProfile.objects.select_related("province").get(nim="20710002")
    assert (budi.city, budi.province.name) == ("Kulon Progo", "DI Yogyakarta")
    entry = AuditLog.objects.get(action="alumni.profile.updated", target_id=str(budi.pk))
    assert entry.actor == staff_x and entry.study_program == prodi_x
    assert entry.data["fields"] == ["province", "city"]  # which fields, never their values
    assert "Bantul" not in str(entry.data) and "Kulon Progo" not in str(entry.data)
    assert entry.data["source"] == "import"
    # The unchanged and the new record get no per-record entry; the import as a whole gets one per program.
    assert AuditLog.objects.filter(action="alumni.profile.updated").count() == 1
    summary = AuditLog.objects.get(action="alumni.import.done")
    assert (summary.data["new"], summary.data["updated"], summary.study_program) == (1, 1, prodi_x)


def test_a_row_of_another_study_program_is_an_error_and_nothing_is_written(existing, staff_x, prodi_y):
    before = db_state()
    data = csv_file(line("20710003", name="Rina Wati"), line("20720001", name="Dewi", program="79202"))
    with translation.override("en"):
        outcome = run_import(data, user=staff_x, dry_run=False)
    assert not outcome.imported
    assert counts(outcome) == (1, 0, 0, 1)
    assert [i.as_dict() for i in outcome.issues] == [{
        "row": 3, "column": "study_program",
        "message": "You may not import into Bahasa dan Sastra Arab (code 79202): it is not one of your study "
                   "programs.",
    }]
    assert db_state() == before


def test_the_system_imports_into_every_study_program(prodi_x, prodi_y):
    data = csv_file(line("20710003"), line("20720001", program="79202"))
    outcome = run_import(data, user=None, dry_run=False)
    assert outcome.imported and counts(outcome) == (2, 0, 0, 0)
    assert set(AlumniProfile.objects.values_list("study_program__code", flat=True)) == {"71201", "79202"}


def test_csv_with_bom_and_semicolons(prodi_x, staff_x):
    data = csv_file(line("20710003", name="Rina Wati", province="di yogyakarta"), sep=";", bom=True)
    outcome = run_import(data, user=staff_x, dry_run=False)
    assert outcome.imported and counts(outcome) == (1, 0, 0, 0)
    rina = AlumniProfile.objects.select_related("province").get(nim="20710003")
    assert (rina.full_name, rina.province.code) == ("Rina Wati", "040000")


def xlsx_file(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_with_numbers_and_date_cells(prodi_x, staff_x):
    data = xlsx_file([
        HEADER.split(","),
        # Excel keeps NIMs and years as numbers, dates as dates, and drops the province code's leading zero.
        [20710003, "Rina Wati", "rina@example.org", 71201, 2016, datetime.datetime(2020, 8, 25), "0812 345 678",
         40000, "Depok"],
        [],  # an empty row is skipped, and the next row keeps its spreadsheet number
        ["20710004", "Joko", "not-an-email", "71201", "2016", "2020-08-25"],
    ])
    with translation.override("en"):
        outcome = run_import(data, user=staff_x, dry_run=True)
    assert counts(outcome) == (1, 0, 0, 1)
    assert [(i.row, i.column) for i in outcome.issues] == [(4, "email")]
    assert outcome.issues[0].message == "“not-an-email” is not a valid email address."

    good = xlsx_file([HEADER.split(","), [20710003, "Rina Wati", "rina@example.org", 71201, 2016,
                                          datetime.datetime(2020, 8, 25), "0812 345 678", 40000, "Depok"]])
    assert run_import(good, user=staff_x, dry_run=False).imported
    rina = AlumniProfile.objects.select_related("province").get(nim="20710003")
    assert (rina.entry_year, rina.graduation_date, rina.province.name) == (
        2016, datetime.date(2020, 8, 25), "DI Yogyakarta",
    )


def test_optional_columns_may_be_left_out(prodi_x, staff_x):
    data = csv_file("20710003,Rina Wati,,71201,2016,", header="nim,full_name,email,study_program,entry_year,"
                                                            "graduation_date")
    outcome = run_import(data, user=staff_x, dry_run=False)
    assert outcome.imported
    rina = AlumniProfile.objects.get(nim="20710003")
    assert (rina.email, rina.graduation_date, rina.is_student) == ("", None, True)


def test_empty_cells_keep_stored_values_and_a_claimed_record_keeps_its_owners_details(prodi_x, staff_x, alumnus_a):
    profile = AlumniProfile.objects.get(user=alumnus_a)
    profile.phone, profile.city = "0811111111", "Yogyakarta"
    profile.save()
    data = csv_file(line(profile.nim, name="Ani Lestari S.Hum.", email="", graduation="", entry="2015",
                         phone="0899999999", city="Jakarta"))
    outcome = run_import(data, user=staff_x, dry_run=False)
    assert outcome.imported and counts(outcome) == (0, 1, 0, 0)
    profile.refresh_from_db()
    assert profile.full_name == "Ani Lestari S.Hum."
    assert (profile.email, profile.graduation_date) == ("ani@example.org", datetime.date(2019, 8, 25))
    assert (profile.phone, profile.city) == ("0811111111", "Yogyakarta")


def test_command_dry_run_import_and_exit_code(existing, prodi_y, staff_y, tmp_path, capsys):
    path = tmp_path / "alumni.csv"
    path.write_bytes(THREE_ROWS)
    before = db_state()
    call_command("import_alumni", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "rows: 3  new: 1  updated: 1  unchanged: 1  invalid: 0" in out
    assert db_state() == before

    # Staff of Y may not import X's rows: exit status 1 (CommandError), the errors listed, nothing written.
    with translation.override("en"), pytest.raises(CommandError, match="3 invalid rows"):
        call_command("import_alumni", str(path), "--as", "staff.y@example.org")
    out = capsys.readouterr().out
    assert "row 2, study_program: You may not import into Ilmu Perpustakaan (code 71201)" in out
    assert db_state() == before

    call_command("import_alumni", str(path))
    assert "Imported: 1 new, 1 updated" in capsys.readouterr().out
    assert AlumniProfile.objects.filter(nim="20710003").exists()


def test_command_refuses_a_bad_file_with_its_message(prodi_x, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with translation.override("en"), pytest.raises(CommandError, match="The file is empty."):
        call_command("import_alumni", str(path))


def test_command_as_a_non_staff_account_is_refused(alumnus_a, tmp_path):
    path = tmp_path / "alumni.csv"
    path.write_bytes(THREE_ROWS)
    with pytest.raises(CommandError, match="not staff"):
        call_command("import_alumni", str(path), "--as", "ani@example.org")


# --- Web ------------------------------------------------------------------------------------------


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def upload(client, data: bytes, name="alumni.csv", **extra):
    return client.post(reverse("alumni:import"), {"file": SimpleUploadedFile(name, data)}, **extra)


def test_upload_previews_without_writing_then_confirm_imports(existing, staff_x, media):
    client = client_for(staff_x)
    before = db_state()
    response = upload(client, THREE_ROWS)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("alumni:import_job", args=[job.pk])
    assert job.status == ImportJob.Status.PREVIEWED and job.created_by == staff_x
    assert {k: job.summary[k] for k in ("new", "updated", "unchanged", "invalid")} == {
        "new": 1, "updated": 1, "unchanged": 1, "invalid": 0,
    }
    assert db_state() == before

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert reverse("alumni:import_confirm", args=[job.pk]).encode() in page.content

    response = client.post(reverse("alumni:import_confirm", args=[job.pk]), CONFIRM)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.finished_at
    assert (job.processed_rows, job.total_rows, job.progress_percent) == (3, 3, 100)
    assert AlumniProfile.objects.filter(nim="20710003").exists()
    assert AlumniProfile.objects.get(nim="20710002").city == "Kulon Progo"

    # Confirming twice imports nothing more.
    audit = AuditLog.objects.count()
    client.post(reverse("alumni:import_confirm", args=[job.pk]), CONFIRM)
    assert AuditLog.objects.count() == audit


def test_confirm_shows_what_the_import_writes_and_needs_its_flag(existing, staff_x, media):
    client = client_for(staff_x)
    response = upload(client, THREE_ROWS)
    job = ImportJob.objects.get()
    page = client.get(response["Location"]).content.decode()
    effects = page[page.index('id="import-confirm-effects"'):]
    effects = effects[:effects.index("</ul>")]
    # One row new, one updated, one unchanged: each count in its own line of the confirmation.
    assert effects.count("<li>1 ") == 3
    before = db_state()
    response = client.post(reverse("alumni:import_confirm", args=[job.pk]), follow=True)  # no flag
    assert response.redirect_chain[-1][0] == reverse("alumni:import_job", args=[job.pk])
    assert [m.level_tag for m in response.context["messages"]] == ["info"]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED and db_state() == before
    client.post(reverse("alumni:import_confirm", args=[job.pk]), CONFIRM)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE


def test_invitations_ask_first_with_the_number_of_emails(prodi_x, staff_x, staff_y, media,
                                                         django_capture_on_commit_callbacks):
    client = client_for(staff_x)
    upload(client, csv_file(
        line("20710003", name="Rina Wati", email="rina@example.org"),
        line("20710004", name="Joko Susilo", email="joko@example.org"),
        line("20710005", name="Tanpa Email", email=""),
    ))
    job = ImportJob.objects.get()
    client.post(reverse("alumni:import_confirm", args=[job.pk]), CONFIRM)
    url = reverse("alumni:import_invite", args=[job.pk])
    assert url.encode() in client.get(reverse("alumni:import_job", args=[job.pk])).content
    for response in (client.get(url), client.post(url)):  # the page, or a POST without the flag: nothing is sent
        assert response.status_code == 200
        assert response.context["preview"] == {"new": 2, "before": 0, "unsent": 0}
    assert not SignupInvitation.objects.exists() and mail.outbox == []
    assert client_for(staff_y).get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, CONFIRM)
    assert sorted(m.to[0] for m in mail.outbox) == ["joko@example.org", "rina@example.org"]
    assert client.get(url).context["preview"] == {"new": 0, "before": 2, "unsent": 0}


def test_upload_with_invalid_rows_shows_them_and_offers_no_confirm(prodi_x, staff_x, media):
    client = client_for(staff_x)
    data = csv_file(line("20710003"), line("20710004", email="nope"), line("20710005", graduation="2020/08/25"))
    response = upload(client, data, follow=True)
    assert response.status_code == 200
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and job.summary["invalid"] == 2
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "email"), (4, "graduation_date")]
    assert b"nope" in response.content
    assert reverse("alumni:import_confirm", args=[job.pk]).encode() not in response.content
    assert client.post(reverse("alumni:import_confirm", args=[job.pk]), CONFIRM).status_code == 302
    assert not AlumniProfile.objects.filter(nim="20710003").exists()


def test_status_endpoint_reports_progress_as_json(prodi_x, staff_x, staff_y, media):
    client = client_for(staff_x)
    upload(client, csv_file(line("20710003"), line("20710004")))
    job = ImportJob.objects.get()
    url = reverse("alumni:import_status", args=[job.pk])
    data = client.get(url).json()
    assert data["status"] == "previewed" and data["finished"] is True
    assert (data["processed_rows"], data["total_rows"], data["percent"]) == (2, 2, 100)
    assert data["summary"]["new"] == 2

    # While a worker imports, the page and the endpoint read the progress it publishes every batch.
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING, processed_rows=0)
    cache.set(progress_key(job.pk), {"processed": 1000, "total": 4000})
    data = client.get(url).json()
    assert (data["status"], data["processed_rows"], data["total_rows"], data["percent"], data["finished"]) == (
        "importing", 1000, 4000, 25, False,
    )
    page = client.get(reverse("alumni:import_job", args=[job.pk]))
    assert b'data-status-url="' + url.encode() + b'"' in page.content
    assert b"js/import_progress.js" in page.content

    # A job is its creator's only.
    assert client_for(staff_y).get(url).status_code == 404


def test_history_lists_only_my_jobs(prodi_x, prodi_y, staff_x, staff_y, media):
    upload(client_for(staff_x), csv_file(line("20710003")), name="mine.csv")
    upload(client_for(staff_y), csv_file(line("20720003", program="79202")), name="theirs.csv")
    page = client_for(staff_x).get(reverse("alumni:import"))
    assert b"mine.csv" in page.content and b"theirs.csv" not in page.content


def test_alumni_may_not_import(alumnus_a, media):
    assert upload(client_for(alumnus_a), THREE_ROWS).status_code == 403
    assert not ImportJob.objects.exists()


def test_invitations_go_once_to_imported_graduates_with_an_email_and_no_account(
    prodi_x, staff_x, alumnus_b, media, django_capture_on_commit_callbacks,
):
    client = client_for(staff_x)
    data = csv_file(
        line("20710003", name="Rina Wati", email="rina@example.org"),
        line("20710004", name="Joko Susilo", email="joko@example.org"),
        line("20710005", name="Tanpa Email", email=""),
        # Bagus already has an account with this address: no sign-up invitation for him.
        line("20710006", name="Bagus Pratama", email="bagus@example.org"),
    )
    upload(client, data)
    job = ImportJob.objects.get()
    client.post(reverse("alumni:import_confirm", args=[job.pk]), CONFIRM)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("alumni:import_invite", args=[job.pk]), CONFIRM)
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["joko@example.org", "rina@example.org"]
    rina = AlumniProfile.objects.get(nim="20710003")
    invitation = SignupInvitation.objects.get(profile=rina)
    assert invitation.key == f"invitation:{rina.pk}" and invitation.sent_at is not None
    message = next(m for m in mail.outbox if m.to == ["rina@example.org"])
    assert "/accounts/signup/" in message.body and "Rina Wati" in message.body and "20710003" in message.body
    job.refresh_from_db()
    assert job.summary["invited"] == 2

    # A second click, or another import of the same people, invites nobody again.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("alumni:import_invite", args=[job.pk]), CONFIRM)
    assert mail.outbox == [] and SignupInvitation.objects.count() == 2

    # An invitation whose send failed (its outbox row unsent) goes out with the next click, still once.
    SignupInvitation.objects.filter(pk=invitation.pk).update(sent_at=None)
    Notification.objects.filter(key=f"alumni.invitation:{rina.pk}").update(
        sent_at=None, attempts=1, last_error="SMTP down"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("alumni:import_invite", args=[job.pk]), CONFIRM)
    assert [m.to for m in mail.outbox] == [["rina@example.org"]]
    assert SignupInvitation.objects.get(pk=invitation.pk).sent_at is not None

    # Signing up with the invited address claims the record (alumni/adapters.py on verification).
    user = UserFactory(email="rina@example.org")
    assert profile_claim_by_email(user=user, email="rina@example.org") == rina


def test_invitations_wait_for_the_import(prodi_x, staff_x, media):
    client = client_for(staff_x)
    upload(client, csv_file(line("20710003", email="rina@example.org")))
    job = ImportJob.objects.get()
    client.post(reverse("alumni:import_invite", args=[job.pk]), CONFIRM)
    assert not SignupInvitation.objects.exists()


# --- Queries ------------------------------------------------------------------------------------------


def rows(n: int, *, start: int = 0, city: str = "Sleman") -> bytes:
    return csv_file(*(line(f"3071{i:04d}", name=f"Alumnus {i}", email=f"a{i}@example.org", province="040000",
                           city=city) for i in range(start, start + n)))


def queries(data: bytes, user, *, dry_run: bool) -> int:
    with CaptureQueriesContext(connection) as ctx:
        outcome = run_import(data, user=user, dry_run=dry_run)
    assert outcome.ok
    return len(ctx.captured_queries)


def statements(n: int, fields: int) -> int:
    """INSERT statements for n rows: the database's own limit on bound parameters splits them (SQLite: 999
    parameters, so 41 profiles per statement; PostgreSQL: all rows of a batch in one)."""
    per_statement = connection.ops.bulk_batch_size([None] * fields, [None] * n)
    return math.ceil(n / max(1, per_statement))


def test_queries_do_not_grow_with_rows(prodi_x, staff_x, django_assert_max_num_queries):
    """The check (preview) runs the same number of queries for 50 and 500 rows. The import adds only the
    INSERT/UPDATE statements of each batch; nothing runs per row."""
    scope_for(staff_x)  # the importer's rights are read once per user object: keep that out of the comparison
    assert queries(rows(50), staff_x, dry_run=True) == queries(rows(500), staff_x, dry_run=True)
    # Four SELECTs (study programs, the importer's programs, provinces, existing records) and savepoints.
    with django_assert_max_num_queries(14):
        run_import(rows(5, start=9000), user=staff_x, dry_run=True)

    fields = len(AlumniProfile._meta.concrete_fields)
    fixed = queries(rows(50), staff_x, dry_run=False) - statements(50, fields)
    assert queries(rows(500, start=1000), staff_x, dry_run=False) - statements(500, fields) == fixed
    # Updating 500 records: one bulk UPDATE and one bulk audit INSERT per batch (split by parameter limits).
    updated = queries(rows(500, start=1000, city="Bantul"), staff_x, dry_run=False)
    assert updated <= fixed + 2 * statements(500, fields) + 10



# --- A real worker ---------------------------------------------------------------------------------


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("real_worker")
def test_a_real_worker_checks_and_imports_while_the_status_endpoint_follows(provinces, prodi_x, staff_x, media):
    """Through Redis: the upload returns at once, the worker publishes its progress every batch (the import's own
    transaction hides the job row's updates until it commits) and the status endpoint reads it."""
    client = client_for(staff_x)

    def follow(job, until):
        seen, deadline = [], time.monotonic() + 120
        while time.monotonic() < deadline:
            data = client.get(reverse("alumni:import_status", args=[job.pk])).json()
            seen.append(data["processed_rows"])
            if data["status"] == until:
                return data, seen
            assert data["status"] != "failed", data
            time.sleep(0.05)
        pytest.fail(f"the worker did not reach {until}: {seen[-5:]}")

    response = upload(client, rows(3000))
    job = ImportJob.objects.get()
    assert response.status_code == 302  # the check runs in the worker, not in the request
    data, seen = follow(job, "previewed")
    assert seen == sorted(seen) and data["processed_rows"] == data["total_rows"] == 3000
    assert data["summary"]["new"] == 3000 and not AlumniProfile.objects.exists()

    client.post(reverse("alumni:import_confirm", args=[job.pk]), CONFIRM)
    data, seen = follow(job, "done")
    assert seen == sorted(seen) and data["percent"] == 100
    assert AlumniProfile.objects.count() == 3000
