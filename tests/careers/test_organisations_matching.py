"""Organisations found again whatever way people type them: aliases, jobs on profiles linked by the post_save
receiver (never creating an organisation), re-linking when names change, merging duplicates, and the
link_employments backfill."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from alumni.models import Employment
from careers.models import (
    EmployerContact,
    EmploymentOrganisation,
    Introduction,
    JobPost,
    JobPostTarget,
    Organisation,
    OrganisationAlias,
)
from careers.organisations import (
    organisation_alias_add,
    organisation_alias_remove,
    organisation_find,
    organisation_merge,
    organisation_resolve,
    organisation_update,
)
from core.models import AuditLog

from ..factories import EmploymentFactory

pytestmark = pytest.mark.django_db

BRI_FULL = "PT Bank Rakyat Indonesia (Persero) Tbk"


@pytest.fixture
def bri():
    return organisation_resolve(name=BRI_FULL)


def link_of(job: Employment):
    return EmploymentOrganisation.objects.filter(employment=job).values_list("organisation_id", flat=True).first()


def test_bank_bri_means_the_full_legal_name_once_staff_add_the_alias(bri, staff_x):
    assert organisation_find("Bank BRI") is None

    organisation_alias_add(organisation=bri, name="Bank BRI", by=staff_x)

    assert organisation_find("Bank BRI") == bri
    assert organisation_find("bank  bri") == bri
    assert organisation_find("PT. Bank Rakyat Indonesia, Tbk.") == bri
    assert organisation_resolve(name="BANK BRI") == bri
    assert Organisation.objects.count() == 1


def test_a_saved_job_is_linked_to_the_organisation_its_employer_name_means(alumnus_a, bri):
    job = EmploymentFactory(profile=alumnus_a.alumni_profile, employer="Bank Rakyat Indonesia")

    assert link_of(job) == bri.pk


def test_a_typed_employer_that_means_no_organisation_creates_none(alumnus_a, bri):
    job = EmploymentFactory(profile=alumnus_a.alumni_profile, employer="Warung Kopi Pak Slamet")

    assert link_of(job) is None
    assert Organisation.objects.count() == 1


def test_changing_the_employer_name_moves_or_drops_the_link(alumnus_a, bri):
    mandiri = organisation_resolve(name="PT Bank Mandiri (Persero) Tbk")
    job = EmploymentFactory(profile=alumnus_a.alumni_profile, employer="Bank Rakyat Indonesia")

    job.employer = "Bank Mandiri"
    job.save()
    assert link_of(job) == mandiri.pk

    job.employer = "Toko Sendiri"
    job.save()
    assert link_of(job) is None


def test_adding_an_alias_links_the_jobs_already_typed_with_it_and_removing_it_unlinks_them(alumnus_a, alumnus_b,
                                                                                          bri, staff_x):
    job_a = EmploymentFactory(profile=alumnus_a.alumni_profile, employer="Bank BRI")
    job_b = EmploymentFactory(profile=alumnus_b.alumni_profile, employer="bank bri cabang")  # another name
    assert link_of(job_a) is None

    alias = organisation_alias_add(organisation=bri, name="Bank BRI", by=staff_x)

    assert link_of(job_a) == bri.pk
    assert link_of(job_b) is None

    organisation_alias_remove(alias=alias, by=staff_x)

    assert link_of(job_a) is None
    actions = AuditLog.objects.filter(action__startswith="careers.organisation.alias").order_by("pk")
    assert list(actions.values_list("action", flat=True)) == [
        "careers.organisation.alias_added", "careers.organisation.alias_removed"]


def test_an_alias_that_already_means_another_organisation_is_refused(bri, staff_x):
    organisation_resolve(name="Bank BRI Syariah")

    with pytest.raises(ValidationError) as error:
        organisation_alias_add(organisation=bri, name="PT Bank BRI Syariah", by=staff_x)

    assert "Bank BRI Syariah" in str(error.value)
    assert OrganisationAlias.objects.count() == 0


def test_members_may_not_change_organisations(bri, alumnus_a):
    with pytest.raises(PermissionDenied):
        organisation_alias_add(organisation=bri, name="Bank BRI", by=alumnus_a)
    with pytest.raises(PermissionDenied):
        organisation_update(organisation=bri, by=alumnus_a, name="BRI")


def test_renaming_keeps_the_old_name_as_an_alias(bri, staff_y, alumnus_a):
    job = EmploymentFactory(profile=alumnus_a.alumni_profile, employer=BRI_FULL)

    organisation_update(organisation=bri, by=staff_y, name="Bank BRI", kind="state_owned", city="Jakarta Pusat")

    bri.refresh_from_db()
    assert (bri.name, bri.normalised, bri.kind, bri.city) == ("Bank BRI", "bank bri", "state_owned", "Jakarta Pusat")
    assert organisation_find(BRI_FULL) == bri
    assert link_of(job) == bri.pk
    assert AuditLog.objects.filter(action="careers.organisation.updated", target_id=str(bri.pk)).count() == 1


def test_renaming_to_another_organisations_name_is_refused(bri, staff_x):
    organisation_resolve(name="Bank Mandiri")

    with pytest.raises(ValidationError):
        organisation_update(organisation=bri, by=staff_x, name="PT Bank Mandiri")

    bri.refresh_from_db()
    assert bri.name == BRI_FULL


def _post(organisation, user, program):
    post = JobPost.objects.create(
        title="Teller", organisation=organisation, kind=JobPost.Kind.FULL_TIME, field="business",
        closing_date=datetime.date.today() + datetime.timedelta(days=20), posted_by=user,
        poster_kind=JobPost.PosterKind.MEMBER,
    )
    JobPostTarget.objects.create(post=post, study_program=program, state=JobPostTarget.State.APPROVED)
    return post


def test_merging_moves_everything_to_the_kept_organisation_and_deletes_the_duplicate(
    bri, staff_x, alumnus_a, alumnus_b, prodi_x, employer_contact
):
    duplicate = organisation_resolve(name="BRI Kanca Yogyakarta")
    duplicate.website = "https://bri.co.id"
    duplicate.save()
    organisation_alias_add(organisation=duplicate, name="BRI Jogja", by=staff_x)
    post = _post(duplicate, alumnus_a, prodi_x)
    contact = EmployerContact.objects.get(user=employer_contact)
    EmployerContact.objects.filter(pk=contact.pk).update(organisation=duplicate)
    intro = Introduction.objects.create(
        requester=alumnus_a, recipient=alumnus_b, organisation=duplicate, note="Halo",
        expires_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC),
    )
    job = EmploymentFactory(profile=alumnus_b.alumni_profile, employer="BRI Jogja")
    assert link_of(job) == duplicate.pk

    summary = organisation_merge(keep=bri, duplicate=duplicate, by=staff_x)

    assert (summary.posts, summary.contacts, summary.introductions, summary.employments) == (1, 1, 1, 1)
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    post.refresh_from_db()
    intro.refresh_from_db()
    assert post.organisation_id == bri.pk
    assert intro.organisation_id == bri.pk
    assert EmployerContact.objects.get(pk=contact.pk).organisation_id == bri.pk
    assert link_of(job) == bri.pk
    assert sorted(OrganisationAlias.objects.filter(organisation=bri).values_list("name", flat=True)) == [
        "BRI Jogja", "BRI Kanca Yogyakarta"]
    assert organisation_find("BRI Kanca Yogyakarta") == bri
    bri.refresh_from_db()
    assert bri.website == "https://bri.co.id"  # a blank detail filled from the duplicate
    entry = AuditLog.objects.get(action="careers.organisation.merged")
    assert entry.target_id == str(bri.pk)
    assert entry.data["duplicate"]["name"] == "BRI Kanca Yogyakarta"
    assert entry.data["posts"] == 1


def test_an_organisation_cannot_be_merged_into_itself(bri, staff_x):
    with pytest.raises(ValidationError):
        organisation_merge(keep=bri, duplicate=bri, by=staff_x)
    assert Organisation.objects.filter(pk=bri.pk).exists()


def test_a_merge_that_fails_half_way_changes_nothing(bri, staff_x, alumnus_a, prodi_x, monkeypatch):
    duplicate = organisation_resolve(name="BRI Unit Sleman")
    post = _post(duplicate, alumnus_a, prodi_x)

    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr("careers.organisations.audit_log", broken)
    with pytest.raises(RuntimeError):
        organisation_merge(keep=bri, duplicate=duplicate, by=staff_x)

    post.refresh_from_db()
    assert post.organisation_id == duplicate.pk
    assert Organisation.objects.filter(pk=duplicate.pk).exists()
    assert not OrganisationAlias.objects.filter(organisation=bri).exists()


def test_link_employments_backfills_in_batches_and_creates_no_organisation(alumnus_a, alumnus_b, bri, capsys):
    jobs = [
        EmploymentFactory(profile=alumnus_a.alumni_profile, employer=name)
        for name in ("Bank Rakyat Indonesia", "PT BANK RAKYAT INDONESIA", "Dinas Perpustakaan DIY")
    ] + [EmploymentFactory(profile=alumnus_b.alumni_profile, employer="Bank Rakyat Indonesia Tbk")]
    EmploymentOrganisation.objects.all().delete()  # as before careers existed
    organisations_before = Organisation.objects.count()

    call_command("link_employments", "--batch-size", "2")

    assert [link_of(job) for job in jobs] == [bri.pk, bri.pk, None, bri.pk]
    assert Organisation.objects.count() == organisations_before
    assert "4 jobs read: 3 linked" in capsys.readouterr().out


def test_deleting_a_job_deletes_its_link(alumnus_a, bri):
    job = EmploymentFactory(profile=alumnus_a.alumni_profile, employer=BRI_FULL)
    job.delete()

    assert EmploymentOrganisation.objects.count() == 0


def test_a_job_ended_keeps_its_link_but_is_no_longer_current(alumnus_a, bri):
    job = EmploymentFactory(profile=alumnus_a.alumni_profile, employer=BRI_FULL)
    job.end_date = datetime.date(2024, 1, 31)
    job.save()

    assert link_of(job) == bri.pk
