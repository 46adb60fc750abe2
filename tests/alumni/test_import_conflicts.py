"""An import never changes the name, email or dates of a record claimed by an account with another email: the
preview shows such rows as conflicts, the import leaves those fields and records an ImportConflict, staff keep the
record or apply the file, and the graduate the file names can still claim the record."""

import json

import pytest
from django.urls import reverse

from alumni import privacy
from alumni.models import AlumniProfile, ImportConflict, ImportJob
from alumni.scope import scope_for
from alumni.services import profile_claim_by_email
from core.models import AuditLog

from ..conftest import client_for
from ..factories import AlumniProfileFactory, EmploymentFactory, UserFactory
from .test_import import csv_file, line, upload

HEADER = "nim,full_name,email,study_program,entry_year,graduation_date,phone,province,city"

CONFIRM = {"confirm": "1"}  # the confirmation flag of core.confirm


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def record_a(alumnus_a):
    """A's claimed record, as the study program imported it."""
    profile = AlumniProfile.objects.get(user=alumnus_a)
    profile.full_name, profile.email = "Ani Lestari", "ani@example.org"
    profile.save()
    return profile


RENAME = csv_file(line("15710001", name="Anisa Rahmawati", email="anisa@example.org", entry="2015",
                       graduation="2019-08-25"))


def import_file(client, data: bytes) -> ImportJob:
    upload(client, data)
    job = ImportJob.objects.latest("created_at")
    assert job.status == ImportJob.Status.PREVIEWED, job.message
    return job


def confirm(client, job: ImportJob) -> ImportJob:
    assert client.post(reverse("alumni:import_confirm", args=[job.pk]), CONFIRM).status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.message
    return job


def test_preview_shows_the_claimed_record_renamed_by_the_file_as_a_conflict(record_a, staff_x, media):
    client = client_for(staff_x)
    job = import_file(client, RENAME)
    assert job.summary["conflicts"] == 1
    [row] = job.summary["conflict_rows"]
    assert row["row"] == 2 and row["nim"] == "15710001"
    assert row["differences"] == {
        "full_name": ["Ani Lestari", "Anisa Rahmawati"], "email": ["ani@example.org", "anisa@example.org"],
    }
    page = client.get(reverse("alumni:import_job", args=[job.pk]))
    assert b"Anisa Rahmawati" in page.content and b"Ani Lestari" in page.content
    record_a.refresh_from_db()
    assert record_a.full_name == "Ani Lestari"  # a preview writes nothing
    assert not ImportConflict.objects.exists()


def test_an_email_its_owner_keeps_to_themselves_is_not_shown_beside_the_files(record_a, staff_x, media):
    record_a.vis_email = "private"
    record_a.save()
    client = client_for(staff_x)
    job = import_file(client, RENAME)
    [row] = job.summary["conflict_rows"]
    assert row["differences"]["email"] == [None, "anisa@example.org"]
    page = client.get(reverse("alumni:import_job", args=[job.pk]))
    assert b"ani@example.org" not in page.content and b"anisa@example.org" in page.content
    confirm(client, job)
    conflict = ImportConflict.objects.get()
    assert conflict.differences["email"] == [None, "anisa@example.org"]
    assert b"ani@example.org" not in client.get(reverse("alumni:import_conflicts")).content


def test_confirm_leaves_the_protected_fields_and_records_one_open_conflict(record_a, alumnus_a, staff_x, media):
    client = client_for(staff_x)
    job = confirm(client, import_file(client, RENAME))
    record_a.refresh_from_db()
    assert (record_a.full_name, record_a.email, record_a.user) == ("Ani Lestari", "ani@example.org", alumnus_a)
    conflict = ImportConflict.objects.get()
    assert (conflict.job, conflict.profile, conflict.row_number, conflict.status) == (job, record_a, 2, "open")
    assert conflict.differences["full_name"] == ["Ani Lestari", "Anisa Rahmawati"]
    assert "conflict_rows" not in job.summary  # the ImportConflict rows hold them now
    page = client.get(reverse("alumni:import_job", args=[job.pk]))
    assert reverse("alumni:import_conflict_resolve", args=[job.pk, conflict.pk]).encode() in page.content
    assert client_for(staff_x).get(reverse("dashboard")).context["import_conflicts_open"] == 1


def test_the_other_changes_of_a_conflicting_row_are_written(record_a, staff_x, media):
    """The entry cohort is protected too, but the file's other columns of the row still count: here the cohort
    stays while the (unclaimed) classmate in the next row is renamed as usual."""
    AlumniProfileFactory(user=None, study_program=record_a.study_program, nim="15710050", full_name="Budi",
                         email="budi@example.org")
    client = client_for(staff_x)
    data = csv_file(
        line("15710001", name="Ani Lestari", email="other@example.org", entry="2014", graduation="2019-08-25"),
        line("15710050", name="Budi Santoso", email="budi@example.org", entry="2015", graduation="2019-08-25"),
    )
    confirm(client, import_file(client, data))
    record_a.refresh_from_db()
    assert record_a.entry_year == 2015
    assert AlumniProfile.objects.get(nim="15710050").full_name == "Budi Santoso"
    conflict = ImportConflict.objects.get()
    assert set(conflict.differences) == {"entry_year", "email"}


def test_a_file_with_the_owners_own_email_updates_the_record_without_conflict(record_a, staff_x, media):
    client = client_for(staff_x)
    data = csv_file(line("15710001", name="Ani Lestari Putri", email="ani@example.org", entry="2015",
                         graduation="2019-08-25"))
    job = confirm(client, import_file(client, data))
    record_a.refresh_from_db()
    assert record_a.full_name == "Ani Lestari Putri"
    assert job.summary["conflicts"] == 0 and not ImportConflict.objects.exists()


def test_keep_the_record_resolves_the_conflict_and_changes_nothing(record_a, alumnus_a, staff_x, media):
    client = client_for(staff_x)
    job = confirm(client, import_file(client, RENAME))
    conflict = ImportConflict.objects.get()
    response = client.post(reverse("alumni:import_conflict_resolve", args=[job.pk, conflict.pk]), {"decision": "keep"})
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert (conflict.status, conflict.resolved_by) == ("kept", staff_x) and conflict.resolved_at
    record_a.refresh_from_db()
    assert (record_a.full_name, record_a.user) == ("Ani Lestari", alumnus_a)
    entry = AuditLog.objects.get(action="alumni.import.conflict_kept")
    assert entry.data["fields"] == ["email", "full_name"]
    assert "Anisa" not in str(entry.data)
    # Resolved once: a second decision changes nothing.
    client.post(reverse("alumni:import_conflict_resolve", args=[job.pk, conflict.pk]), {"decision": "apply"})
    conflict.refresh_from_db()
    record_a.refresh_from_db()
    assert conflict.status == "kept" and record_a.full_name == "Ani Lestari"


def test_apply_the_file_detaches_the_record_and_the_real_graduate_claims_it(record_a, alumnus_a, staff_x, media):
    record_a.phone, record_a.city, record_a.bio = "0811111111", "Sleman", "Pustakawan"
    record_a.save()
    EmploymentFactory(profile=record_a)
    client = client_for(staff_x)
    job = confirm(client, import_file(client, RENAME))
    conflict = ImportConflict.objects.get()
    client.post(reverse("alumni:import_conflict_resolve", args=[job.pk, conflict.pk]), {"decision": "apply"})
    conflict.refresh_from_db()
    record_a.refresh_from_db()
    assert conflict.status == "applied"
    assert (record_a.full_name, record_a.email, record_a.user) == ("Anisa Rahmawati", "anisa@example.org", None)
    # The account that claimed it keeps its login but no longer holds the record, nor membership through it.
    alumnus_a.refresh_from_db()
    assert alumnus_a.is_active
    assert not AlumniProfile.objects.filter(user=alumnus_a).exists()
    assert not scope_for(alumnus_a).is_member
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"alumni.profile.detached", "alumni.profile.record_updated", "alumni.import.conflict_applied"} <= actions
    written = ["alumni.profile.record_updated", "alumni.import.conflict_applied"]
    for entry in AuditLog.objects.filter(action__in=written):
        assert "anisa" not in str(entry.data).lower()  # field names, never values

    # What the detached person wrote about themselves does not pass to the graduate who claims the record.
    assert (record_a.phone, record_a.city, record_a.bio, record_a.listed_in_directory) == ("", "", "", False)
    assert not record_a.employments.exists()

    real = UserFactory(email="anisa@example.org", full_name="Anisa Rahmawati")
    claimed = profile_claim_by_email(user=real, email="anisa@example.org")
    assert claimed == record_a
    assert AlumniProfile.objects.get(pk=record_a.pk).user == real


def test_a_colleague_of_the_same_program_decides_from_the_list_of_open_conflicts(record_a, prodi_x, staff_x, media):
    from alumni.models import Role

    from ..factories import grant

    client = client_for(staff_x)
    job = confirm(client, import_file(client, RENAME))
    colleague = UserFactory(email="staff.x2@example.org")
    grant(colleague, Role.Kind.STAFF, prodi_x)
    other = client_for(colleague)
    listing = other.get(reverse("alumni:import_conflicts"))
    assert listing.status_code == 200
    assert "Anisa Rahmawati" in listing.content.decode()
    assert reverse("alumni:import_conflicts").encode() in other.get(reverse("dashboard")).content
    conflict = ImportConflict.objects.get()
    response = other.post(reverse("alumni:import_conflict_resolve", args=[job.pk, conflict.pk]),
                          {"decision": "keep", "back": "list"})
    assert response.status_code == 302 and response["Location"] == reverse("alumni:import_conflicts")
    conflict.refresh_from_db()
    assert (conflict.status, conflict.resolved_by) == ("kept", colleague)
    assert "Anisa Rahmawati" not in other.get(reverse("alumni:import_conflicts")).content.decode()


def test_apply_links_the_record_to_the_real_graduate_who_already_has_an_account(record_a, alumnus_a, staff_x,
                                                                                 media):
    real = UserFactory(email="anisa@example.org", full_name="Anisa Rahmawati")  # with a verified address
    client = client_for(staff_x)
    job = confirm(client, import_file(client, RENAME))
    conflict = ImportConflict.objects.get()
    client.post(reverse("alumni:import_conflict_resolve", args=[job.pk, conflict.pk]), {"decision": "apply"})
    record_a.refresh_from_db()
    assert record_a.user == real
    assert not AlumniProfile.objects.filter(user=alumnus_a).exists()


def test_staff_of_another_program_cannot_resolve(record_a, staff_x, staff_y, media):
    client = client_for(staff_x)
    job = confirm(client, import_file(client, RENAME))
    conflict = ImportConflict.objects.get()
    response = client_for(staff_y).post(
        reverse("alumni:import_conflict_resolve", args=[job.pk, conflict.pk]), {"decision": "apply"}
    )
    assert response.status_code == 404
    conflict.refresh_from_db()
    assert conflict.status == "open"


def test_command_line_import_leaves_claimed_records_and_reports_the_conflict(record_a, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "rename.csv"
    path.write_bytes(RENAME)
    out = StringIO()
    call_command("import_alumni", str(path), stdout=out)
    record_a.refresh_from_db()
    assert record_a.full_name == "Ani Lestari"
    assert "row 2: record 15710001" in out.getvalue()


def test_the_graduate_who_claims_a_detached_record_downloads_none_of_the_detached_persons_data(
    record_a, alumnus_a, staff_x, media
):
    client = client_for(staff_x)
    client.get(reverse("alumni:profile", args=[record_a.pk]))  # a staff read of A's data, audited on the record
    job = confirm(client, import_file(client, RENAME))
    conflict = ImportConflict.objects.get()
    client.post(reverse("alumni:import_conflict_resolve", args=[job.pk, conflict.pk]), {"decision": "apply"})
    real = UserFactory(email="anisa@example.org", full_name="Anisa Rahmawati")
    assert profile_claim_by_email(user=real, email="anisa@example.org") == record_a

    data = privacy.personal_data_collect(user=real)
    text = json.dumps(data, default=str)
    # A's name and email (the record's side of the conflict), A's account and the read of A's data stay A's.
    assert "ani@example.org" not in text and "Ani Lestari" not in text
    assert data["import_records"]["conflicts"] == []
    actions = [entry["action"] for entry in data["audit_log"]]
    assert "alumni.profile.detached" not in actions and "alumni.profile.viewed" not in actions
    assert "alumni.profile.claimed" in actions
