"""The import's PostgreSQL paths (issue 13): new records written with COPY, existing ones looked up by their exact
keys. What they write and report must be what bulk_create and the ORM lookup give (SQLite keeps those)."""

import datetime

import pytest
from django.db import connection
from django.forms.models import model_to_dict

from alumni.importing import resource
from alumni.importing.jobs import run_import
from alumni.models import AlumniProfile

from ..conftest import need
from ..factories import AlumniProfileFactory, UserFactory

HEADER = "nim,full_name,email,study_program,entry_year,graduation_date,phone,province,city"
# A tab, a backslash and a line break inside quoted cells: COPY's text format escapes each of them.
TRICKY = (
    f"{HEADER}\n"
    '"30710001","Siti\tAminah \\ Putri",siti@example.org,71201,2016,2020-08-25,0812 3456,040000,"Kota\nBaru"\n'
    "30710002,Émilie Rahayu,,71201,2017,,,,\n"
).encode()


@pytest.fixture
def postgres():
    need(connection.vendor == "postgresql", "COPY and the key lookup by unnest need PostgreSQL")


def stored(nims) -> list[dict]:
    rows = AlumniProfile.objects.filter(nim__in=nims).order_by("nim")
    return [{**{k: v for k, v in model_to_dict(p).items() if k != "photo"}, "photo": p.photo.name,
             "stamped": p.created_at is not None and p.updated_at is not None} for p in rows]


@pytest.mark.django_db(transaction=True)
def test_copy_writes_what_bulk_create_writes(postgres, prodi_x, provinces, monkeypatch):
    outcome = run_import(TRICKY, user=None, dry_run=False)
    assert outcome.imported and outcome.counts["new"] == 2
    copied = stored(["30710001", "30710002"])
    assert copied[0]["full_name"] == "Siti\tAminah \\ Putri"
    assert copied[0]["city"] == "Kota\nBaru"
    assert copied[1]["graduation_date"] is None and copied[1]["province"] is None
    AlumniProfile.objects.filter(nim__in=["30710001", "30710002"]).delete()

    monkeypatch.setattr(resource, "copy_supported", lambda connection: False)
    outcome = run_import(TRICKY, user=None, dry_run=False)
    assert outcome.imported and outcome.counts["new"] == 2
    assert stored(["30710001", "30710002"]) == copied
    assert copied[0]["verification"] == AlumniProfile.Verification.VERIFIED
    assert copied[0]["graduation_date"] == datetime.date(2020, 8, 25)
    assert all(row["stamped"] for row in copied)


@pytest.mark.django_db(transaction=True)
def test_a_failed_copy_is_reported_as_bulk_create_failure_and_nothing_is_written(postgres, prodi_x, provinces,
                                                                                  monkeypatch):
    """A record the lookup did not see (written by someone else meanwhile): COPY fails on the unique key, the
    error reads as bulk_create's (without COPY's CONTEXT line quoting the row), and the whole import rolls back."""
    AlumniProfileFactory(user=None, study_program=prodi_x, nim="30710002", full_name="Émilie Rahayu")
    before = AlumniProfile.objects.count()
    monkeypatch.setattr(resource.ProfileLoader, "get_instance", lambda self, row: None)
    copied = run_import(TRICKY, user=None, dry_run=False)
    monkeypatch.setattr(resource, "copy_supported", lambda connection: False)
    inserted = run_import(TRICKY, user=None, dry_run=False)
    for outcome in (copied, inserted):
        assert not outcome.imported
        assert outcome.counts["invalid"] == 1
    assert copied.errors == inserted.errors
    assert len(copied.errors) == 1 and "profile_unique_nim" in copied.errors[0]["message"]
    assert "CONTEXT" not in copied.errors[0]["message"]
    assert AlumniProfile.objects.count() == before


@pytest.mark.django_db
def test_lookup_by_exact_keys_finds_verified_records_only(postgres, prodi_x):
    """Existing records of the file's (study program, NIM) keys, the claiming account's email with them; a pending
    self-declared record of the same NIM is not the program's record."""
    owner = UserFactory(email="Owner@Example.org")
    AlumniProfileFactory(user=owner, study_program=prodi_x, nim="30710001", full_name="Siti Aminah",
                         email="siti@example.org", entry_year=2016, graduation_date=datetime.date(2020, 8, 25))
    AlumniProfileFactory(user=None, study_program=prodi_x, nim="30710002", full_name="Émilie Rahayu",
                         verification=AlumniProfile.Verification.PENDING)
    outcome = run_import(TRICKY, user=None, dry_run=True)
    c = outcome.counts
    # 30710001 found (its name would change, but the file's email is not the owner's: a conflict, the record
    # unchanged); 30710002 new beside the pending record.
    assert (c["new"], c["updated"], c["unchanged"], c["invalid"]) == (1, 0, 1, 0)
    assert [(x["nim"], sorted(x["differences"])) for x in outcome.conflicts] == [("30710001", ["full_name"])]
    # The owner's email (any case) in the file: the same person, the name is the file's.
    owned = TRICKY.replace(b"siti@example.org", b"owner@example.org")
    outcome = run_import(owned, user=None, dry_run=True)
    c = outcome.counts
    assert (c["new"], c["updated"], c["unchanged"], c["invalid"]) == (1, 1, 0, 0)
    assert outcome.conflicts == []
