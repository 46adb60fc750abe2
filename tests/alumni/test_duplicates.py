import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from alumni import duplicates as dup
from alumni.models import AlumniProfile, Employment, Province, Visibility
from core.models import AuditLog
from programs.models import Participation

from ..conftest import client_for
from ..factories import AlumniProfileFactory, EmploymentFactory, ProgramFactory, SessionFactory, UserFactory

DUPLICATES = reverse("alumni:duplicates")


def merge_url(keep, other=None):
    url = reverse("alumni:duplicate_merge", args=[keep.pk])
    return f"{url}?other={other.pk}" if other is not None else url


def group_names(viewer) -> list[list[str]]:
    return [sorted(p.full_name for p in group.profiles) for group in dup.duplicate_groups(viewer=viewer)]


def imported(program, **kwargs):
    """A record from the study program's import: no account."""
    return AlumniProfileFactory(user=None, study_program=program, **kwargs)


# --- detection ------------------------------------------------------------------------------------------------


def test_same_email_is_a_likely_duplicate_whatever_the_case(staff_x, prodi_x):
    imported(prodi_x, full_name="Rina Wulandari", email="Rina.W@Example.org", entry_year=2014)
    imported(prodi_x, full_name="Rina W.", email="rina.w@example.org", entry_year=2015)
    groups = dup.duplicate_groups(viewer=staff_x)
    assert [sorted(p.full_name for p in g.profiles) for g in groups] == [["Rina W.", "Rina Wulandari"]]
    assert groups[0].reasons == [dup.REASON_EMAIL]


def test_same_normalised_name_and_cohort_is_a_likely_duplicate(staff_x, prodi_x):
    imported(prodi_x, full_name="Muh. Rizki  Ramadhan", entry_year=2016)
    imported(prodi_x, full_name="muh rizki ramadhan", entry_year=2016)
    groups = dup.duplicate_groups(viewer=staff_x)
    assert len(groups) == 1
    assert groups[0].reasons == [dup.REASON_NAME]


def test_same_name_in_another_cohort_is_not_a_pair(staff_x, prodi_x):
    imported(prodi_x, full_name="Siti Rahmawati", entry_year=2016)
    imported(prodi_x, full_name="Siti Rahmawati", entry_year=2017)
    assert group_names(staff_x) == []


def test_empty_emails_never_match(staff_x, prodi_x):
    imported(prodi_x, full_name="Satu", email="", entry_year=2014)
    imported(prodi_x, full_name="Dua", email="", entry_year=2015)
    assert group_names(staff_x) == []


def test_records_of_different_programs_are_never_paired(admin_user, prodi_x, prodi_y):
    # The same person, S1 in X and then in Y: one record per program by design.
    imported(prodi_x, full_name="Fajar Nugroho", email="fajar@example.org")
    imported(prodi_y, full_name="Fajar Nugroho", email="fajar@example.org")
    assert group_names(admin_user) == []


def test_both_reasons_show_one_group(staff_x, prodi_x):
    imported(prodi_x, full_name="Hana Pertiwi", email="hana@example.org", entry_year=2015)
    imported(prodi_x, full_name="HANA PERTIWI", email="hana@example.org", entry_year=2015)
    groups = dup.duplicate_groups(viewer=staff_x)
    assert len(groups) == 1
    assert sorted(groups[0].reasons) == [dup.REASON_EMAIL, dup.REASON_NAME]


def test_a_group_can_have_three_records(staff_x, prodi_x):
    for name in ("Indra Lesmana", "Indra  Lesmana", "indra lesmana"):
        imported(prodi_x, full_name=name, entry_year=2013)
    assert [len(g.profiles) for g in dup.duplicate_groups(viewer=staff_x)] == [3]


def test_staff_see_duplicates_of_their_own_programs_only(staff_y, prodi_x):
    imported(prodi_x, full_name="Joko", email="joko@example.org")
    imported(prodi_x, full_name="Joko S", email="joko@example.org")
    assert group_names(staff_y) == []
    assert b"Joko" not in client_for(staff_y).get(DUPLICATES).content


def test_duplicates_page_lists_groups_with_compare_links(staff_x, alumnus_a, prodi_x):
    claimed = AlumniProfile.objects.get(user=alumnus_a)
    copy = imported(prodi_x, full_name="ani lestari", entry_year=claimed.entry_year)
    response = client_for(staff_x).get(DUPLICATES)
    assert response.status_code == 200
    (group, _members), = response.context["rows"]
    # The record with an account is the one suggested to keep; the link compares the other one with it.
    assert group.suggested_keep == claimed
    assert f'href="{merge_url(claimed, copy)}"' in response.content.decode()


def test_private_email_is_masked_on_the_page(staff_x, prodi_x):
    user = UserFactory(email="kiki@example.org", full_name="Kiki Amalia")
    AlumniProfileFactory(user=user, study_program=prodi_x, vis_email=Visibility.PRIVATE, entry_year=2012)
    imported(prodi_x, full_name="Kiki Amalia", email="kiki.lama@example.org", entry_year=2012)
    html = client_for(staff_x).get(DUPLICATES).content.decode()
    assert "kiki.lama@example.org" in html
    assert "kiki@example.org" not in html


@pytest.mark.parametrize("groups", [2, 40])
def test_duplicates_page_runs_a_fixed_number_of_queries(groups, staff_x, prodi_x, django_assert_max_num_queries):
    for i in range(groups):
        first = imported(prodi_x, full_name=f"Kembar {i}", email=f"kembar{i}@example.org", entry_year=2010)
        imported(prodi_x, full_name=f"kembar {i}", email=f"KEMBAR{i}@example.org", entry_year=2010)
        EmploymentFactory(profile=first, province=None)
    client = client_for(staff_x)
    # session, user, savepoint, roles, member check, the one select of duplicates, release
    with django_assert_max_num_queries(7):
        response = client.get(DUPLICATES)
    assert response.context["total"] == groups


# --- merge service --------------------------------------------------------------------------------------------


@pytest.fixture
def pair(prodi_x):
    """Lina signed up herself (account, jobs, program history) while the import also holds her record."""
    user = UserFactory(email="lina@example.org", full_name="Lina Marlina")
    own = AlumniProfileFactory(
        user=user, study_program=prodi_x, nim="15719999", entry_year=2015, email="lina@example.org",
        phone="081234567890", vis_career=Visibility.ALUMNI, vis_phone=Visibility.PRIVATE,
    )
    EmploymentFactory(profile=own, employer="Arsip Nasional", start_date=datetime.date(2020, 1, 1))
    EmploymentFactory(profile=own, employer="Perpustakaan Kota", start_date=datetime.date(2018, 1, 1),
                      end_date=datetime.date(2019, 12, 31))
    program = ProgramFactory(study_program=prodi_x, title="Mentoring Skripsi")
    Participation.objects.create(program=program, user=user, role="mentor")
    Participation.objects.create(program=program, session=SessionFactory(program=program), user=user)
    record = imported(
        prodi_x, nim="15710042", full_name="Lina Marlina", email="", entry_year=2015,
        graduation_date=datetime.date(2019, 9, 1), city="Yogyakarta",
        province=Province.objects.get(name="Bali"),
    )
    return record, own


def test_merge_keeps_history_and_moves_the_account(staff_x, pair):
    record, own = pair
    user = own.user
    kept = dup.profile_merge(keep=record, remove=own, by=staff_x)
    assert not AlumniProfile.objects.filter(pk=own.pk).exists()
    kept.refresh_from_db()
    # The account moves to the kept record, and with it the person's program history.
    assert kept.user == user
    assert Participation.objects.filter(user=user).count() == 2
    assert sorted(Employment.objects.filter(profile=kept).values_list("employer", flat=True)) == [
        "Arsip Nasional", "Perpustakaan Kota",
    ]
    # The kept record's values stay, its blanks are filled from the other.
    assert kept.nim == "15710042"
    assert kept.city == "Yogyakarta"
    assert kept.email == "lina@example.org"
    assert kept.phone == "081234567890"
    # The privacy choices follow the account (the imported record's were defaults).
    assert kept.vis_career == Visibility.ALUMNI
    assert kept.vis_phone == Visibility.PRIVATE
    # Her profile page shows her involvement again.
    page = client_for(staff_x).get(kept.get_absolute_url())
    assert "Mentoring Skripsi" in page.content.decode()


def test_merge_is_audited(staff_x, pair):
    record, own = pair
    dup.profile_merge(keep=record, remove=own, by=staff_x, take={"nim"})
    entry = AuditLog.objects.get(action="alumni.profile.merged")
    assert entry.actor == staff_x
    assert entry.target_id == str(record.pk)
    assert entry.study_program == record.study_program
    assert entry.data["removed"]["id"] == str(own.pk)
    assert entry.data["removed"]["nim"] == "15719999"
    assert entry.data["fields_taken"] == ["nim"]
    assert entry.data["moved"] == {"alumni.employment": 2}
    assert entry.data["account_moved"] is True
    # Field names only: a phone its owner keeps private does not land in the staff-readable trail.
    assert "081234567890" not in str(entry.data)


def test_merge_can_take_chosen_fields_from_the_other_record(staff_x, pair):
    record, own = pair
    # Taking the NIM of the removed record works although NIMs are unique per program (it is deleted first).
    kept = dup.profile_merge(keep=record, remove=own, by=staff_x, take={"nim", "graduation_date"})
    assert kept.nim == "15719999"
    assert kept.graduation_date == own.graduation_date
    # An explicit choice is exactly that: blanks not named are not filled.
    assert kept.phone == ""


def test_merge_into_the_record_with_the_account(staff_x, pair):
    record, own = pair
    kept = dup.profile_merge(keep=own, remove=record, by=staff_x)
    assert kept.user.email == "lina@example.org"
    assert kept.city == "Yogyakarta"  # filled
    assert kept.nim == "15719999"  # kept
    assert kept.vis_phone == Visibility.PRIVATE  # her own choices stay


def test_merge_of_two_imported_records_keeps_the_stricter_privacy(staff_x, prodi_x):
    a = imported(prodi_x, full_name="Mira", vis_email=Visibility.ALUMNI, vis_phone=Visibility.STAFF,
                 listed_in_directory=True)
    b = imported(prodi_x, full_name="Mira", vis_email=Visibility.PRIVATE, vis_phone=Visibility.ALUMNI,
                 listed_in_directory=False)
    kept = dup.profile_merge(keep=a, remove=b, by=staff_x)
    assert (kept.vis_email, kept.vis_phone, kept.listed_in_directory) == (
        Visibility.PRIVATE, Visibility.STAFF, False
    )


def test_merge_refuses_a_record_with_itself(staff_x, pair):
    record, _own = pair
    with pytest.raises(ValidationError, match="dirinya sendiri"):
        dup.profile_merge(keep=record, remove=record, by=staff_x)


def test_merge_refuses_two_accounts(staff_x, alumnus_a, alumnus_b):
    a, b = AlumniProfile.objects.get(user=alumnus_a), AlumniProfile.objects.get(user=alumnus_b)
    with pytest.raises(ValidationError, match="akun masing-masing"):
        dup.profile_merge(keep=a, remove=b, by=staff_x)
    assert AlumniProfile.objects.filter(pk__in=[a.pk, b.pk]).count() == 2


def test_merge_refuses_records_of_different_programs(admin_user, prodi_x, prodi_y):
    a = imported(prodi_x, full_name="Nana")
    b = imported(prodi_y, full_name="Nana")
    with pytest.raises(ValidationError, match="program studi yang berbeda"):
        dup.profile_merge(keep=a, remove=b, by=admin_user)


def test_merge_refuses_records_of_programs_one_does_not_run(staff_y, pair):
    record, own = pair
    with pytest.raises(PermissionDenied):
        dup.profile_merge(keep=record, remove=own, by=staff_y)
    assert AlumniProfile.objects.filter(pk=own.pk).exists()


def test_merge_refuses_a_record_merged_meanwhile(staff_x, pair):
    record, own = pair
    dup.profile_merge(keep=record, remove=own, by=staff_x)
    with pytest.raises(ValidationError, match="sudah tidak ada"):
        dup.profile_merge(keep=record, remove=own, by=staff_x)


def test_merge_refuses_a_graduation_before_the_cohort(staff_x, prodi_x):
    a = imported(prodi_x, full_name="Oki", entry_year=2018, graduation_date=None)
    b = imported(prodi_x, full_name="Oki", entry_year=2010, graduation_date=datetime.date(2014, 8, 1))
    with pytest.raises(ValidationError, match="tanggal lulus"):
        dup.profile_merge(keep=a, remove=b, by=staff_x)
    assert AlumniProfile.objects.filter(pk=b.pk).exists()


# --- merge pages ----------------------------------------------------------------------------------------------


def test_preview_shows_both_records_and_what_differs(staff_x, pair):
    record, own = pair
    response = client_for(staff_x).get(merge_url(record, own))
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.context["rows"]}
    assert rows["nim"]["differs"] and not rows["nim"]["take"]
    assert rows["full_name"]["differs"] is False
    assert rows["email"]["take"] is True  # blank in the kept record: filled by default
    # Her phone is "only me": staff can merge it but do not see it.
    assert rows["phone"]["remove"] is None
    assert "081234567890" not in response.content.decode()


def test_merge_page_without_other_suggests_duplicates(staff_x, pair):
    record, own = pair
    response = client_for(staff_x).get(merge_url(record))
    assert response.status_code == 200
    assert [p.pk for p, _parts in response.context["candidates"]] == [own.pk]
    found = client_for(staff_x).get(merge_url(record), {"q": "15719"})
    assert [p.pk for p, _parts in found.context["found"]] == [own.pk]


def test_posting_the_merge(staff_x, pair):
    record, own = pair
    response = client_for(staff_x).post(
        merge_url(record, own), {"other": own.pk, "take_nim": "take", "take_email": "keep", "confirm": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == DUPLICATES
    record.refresh_from_db()
    assert record.nim == "15719999"
    assert record.email == ""  # explicitly kept blank
    assert record.user == own.user
    assert not AlumniProfile.objects.filter(pk=own.pk).exists()


def test_posting_without_confirmation_changes_nothing(staff_x, pair):
    record, own = pair
    response = client_for(staff_x).post(merge_url(record, own), {"other": own.pk})
    assert response.status_code == 400
    assert AlumniProfile.objects.filter(pk=own.pk).exists()


def test_posting_two_accounts_shows_the_refusal(staff_x, alumnus_a, alumnus_b):
    a, b = AlumniProfile.objects.get(user=alumnus_a), AlumniProfile.objects.get(user=alumnus_b)
    client = client_for(staff_x)
    assert client.get(merge_url(a, b)).context["blocked"]
    response = client.post(merge_url(a, b), {"other": b.pk, "confirm": "1"})
    assert response.status_code == 400
    assert any("akun masing-masing" in error for error in response.context["errors"])
    assert AlumniProfile.objects.filter(pk=b.pk).exists()


def test_merging_with_itself_on_the_page_is_refused(staff_x, pair):
    record, _own = pair
    response = client_for(staff_x).post(merge_url(record, record), {"other": record.pk, "confirm": "1"})
    assert response.status_code == 200
    assert "dirinya sendiri" in response.content.decode()
    assert AlumniProfile.objects.filter(pk=record.pk).exists()


def test_staff_of_another_program_cannot_merge(staff_y, pair, prodi_y):
    record, own = pair
    client = client_for(staff_y)
    assert client.get(merge_url(record, own)).status_code == 404
    assert client.post(merge_url(record, own), {"other": own.pk, "confirm": "1"}).status_code == 404
    # Not even by naming X's record as the "other" of one of Y's own.
    mine = imported(prodi_y, full_name="Lina Marlina")
    assert client.post(merge_url(mine, own), {"other": own.pk, "confirm": "1"}).status_code == 404
    assert AlumniProfile.objects.filter(pk=own.pk).exists()


def test_alumni_cannot_merge(alumnus_a, pair):
    record, own = pair
    response = client_for(alumnus_a).post(merge_url(record, own), {"other": own.pk, "confirm": "1"})
    assert response.status_code == 403


def test_bad_other_is_404(staff_x, pair):
    record, _own = pair
    assert client_for(staff_x).get(reverse("alumni:duplicate_merge", args=[record.pk]), {"other": "x"}).status_code \
        == 404


def test_merge_page_counts_the_rows_that_move(staff_x, pair):
    record, own = pair
    response = client_for(staff_x).get(merge_url(record, own))
    jobs = str(Employment._meta.verbose_name_plural)
    assert response.context["moves"] == [(jobs, 2)]
    assert f"2 × {jobs}" in response.content.decode()
    # The other way round, nothing points at the imported record.
    assert client_for(staff_x).get(merge_url(own, record)).context["moves"] == []
