"""Personal-data rights that are whole (UU PDP 27/2022, issue 11 §3): consent asked on one screen, not presumed;
"Download my data" holds everything; deleting an account leaves nothing that names the person; staff reads of
personal data are audited and the person finds them."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from alumni import privacy, records
from alumni.management.commands.seed_demo import record_demo_directory_consent
from alumni.models import AlumniProfile, Consent, ImportConflict, ImportJob, RecordCorrection, SignupInvitation, User
from core.audit import audit_log
from core.models import AuditLog
from donations.models import Donation, Pledge
from donations.services import Gift, donation_submit, donation_verify
from programs.models import CalendarFeed
from tracer.models import Answer, Invitation, Response

from ..conftest import client_for
from ..donations.test_giving import make_campaign, make_pledge, png
from ..factories import PASSWORD, AlumniProfileFactory, ProgramFactory, UserFactory
from ..tracer.test_results import answer, make_wave

TRACER, FUNDRAISING, DIRECTORY = Consent.Purpose.TRACER, Consent.Purpose.FUNDRAISING, Consent.Purpose.DIRECTORY
CAREER = Consent.Purpose.CAREER
COMMUNITY = Consent.Purpose.COMMUNITY
CHOICES = reverse("alumni:privacy_choices")


def version(purpose):
    return privacy.CONSENT_WORDING[purpose][0]


def export_of(user) -> tuple[dict, zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(privacy.personal_data_export(user=user)))
    return json.loads(archive.read("data.json")), archive


# --- 1. Consent is asked, not presumed ---------------------------------------------------------------------------


def test_directory_and_fundraising_are_off_until_the_person_turns_them_on(alumnus_a, staff_x):
    assert privacy.CONSENT_DEFAULTS == {TRACER: True, FUNDRAISING: False, DIRECTORY: False, CAREER: False,
                                        COMMUNITY: False}
    # No profile, no decision: nothing presumed.
    assert privacy.consent_in_force(user=staff_x, purpose=DIRECTORY) is False
    assert privacy.consent_in_force(user=alumnus_a, purpose=FUNDRAISING) is False
    assert privacy.consent_in_force(user=alumnus_a, purpose=CAREER) is False  # job digests: opt-in
    assert AlumniProfile._meta.get_field("listed_in_directory").default is False
    assert privacy.consent_in_force(user=alumnus_a, purpose=TRACER) is True  # legal duty: runs until objection


def unlist(*users):
    AlumniProfile.objects.filter(user__in=users).update(listed_in_directory=False)


def test_the_consent_screen_records_each_purpose_with_its_wording_version(alumnus_a):
    unlist(alumnus_a)
    client = client_for(alumnus_a)
    page = client.get(CHOICES)
    assert page.status_code == 200
    shown = {p["code"]: p for p in page.context["purposes"]}
    assert set(shown) == {TRACER, FUNDRAISING, DIRECTORY, CAREER, COMMUNITY}
    assert {code: p["checked"] for code, p in shown.items()} == {TRACER: True, FUNDRAISING: False, DIRECTORY: False,
                                                              CAREER: False, COMMUNITY: False}
    assert {code: p["version"] for code, p in shown.items()} == {p: version(p) for p in shown}
    assert {code: p["basis"] for code, p in shown.items()} == {
        TRACER: privacy.LegalBasis.PUBLIC_TASK, FUNDRAISING: privacy.LegalBasis.CONSENT,
        DIRECTORY: privacy.LegalBasis.CONSENT, CAREER: privacy.LegalBasis.CONSENT,
        COMMUNITY: privacy.LegalBasis.CONSENT}
    response = client.post(CHOICES, {
        "decide": "now", "purposes": [DIRECTORY], "next": "/programs/",
        **{f"version_{p}": version(p) for p in shown},
    })
    assert response.status_code == 302 and response["Location"] == "/programs/"
    rows = {c.purpose: (c.granted, c.wording_version) for c in Consent.objects.filter(user=alumnus_a)}
    assert rows == {DIRECTORY: (True, version(DIRECTORY)), FUNDRAISING: (False, version(FUNDRAISING)),
                    TRACER: (False, version(TRACER)), CAREER: (False, version(CAREER)),
                    COMMUNITY: (False, version(COMMUNITY))}
    assert AlumniProfile.objects.get(user=alumnus_a).listed_in_directory is True
    assert privacy.consent_in_force(user=alumnus_a, purpose=TRACER) is False  # unticked: an objection


def test_a_stale_consent_screen_records_nothing(alumnus_a):
    unlist(alumnus_a)
    response = client_for(alumnus_a).post(CHOICES, {"decide": "now", "purposes": [DIRECTORY, FUNDRAISING],
                                                    f"version_{DIRECTORY}": "directory-1999",
                                                    f"version_{FUNDRAISING}": version(FUNDRAISING),
                                                    f"version_{TRACER}": version(TRACER)})
    assert response.status_code == 302
    assert not Consent.objects.filter(user=alumnus_a).exists()  # all or nothing
    assert AlumniProfile.objects.get(user=alumnus_a).listed_in_directory is False


def test_decide_later_records_nothing_and_keeps_everything_off(alumnus_a):
    unlist(alumnus_a)
    response = client_for(alumnus_a).post(CHOICES, {"decide": "later", "purposes": [DIRECTORY, FUNDRAISING]})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert not Consent.objects.filter(user=alumnus_a).exists()
    assert AlumniProfile.objects.get(user=alumnus_a).listed_in_directory is False


def test_an_off_site_next_is_ignored(alumnus_a):
    response = client_for(alumnus_a).post(CHOICES, {"decide": "later", "next": "https://evil.example/"})
    assert response["Location"] == reverse("dashboard")


def test_logging_in_sends_an_undecided_person_to_the_consent_screen_once_per_login(alumnus_a, client):
    login = reverse("account_login")
    first = client.post(login, {"login": "ani@example.org", "password": PASSWORD})
    assert first.status_code == 302 and first["Location"].startswith(CHOICES)
    client.get(first["Location"])  # shown: this login will not ask again
    assert privacy.consent_prompt_due(user=alumnus_a, session=client.session) is False
    client.post(CHOICES, {"decide": "later"})
    client.post(reverse("account_logout"))
    # Decided later: the next login asks again.
    again = client.post(login, {"login": "ani@example.org", "password": PASSWORD})
    assert again["Location"].startswith(CHOICES)
    client.post(CHOICES, {"decide": "now", "purposes": [TRACER], **{f"version_{p}": version(p) for p in
                                                                   (TRACER, FUNDRAISING, DIRECTORY, CAREER,
                                                                    COMMUNITY)}})
    client.post(reverse("account_logout"))
    decided = client.post(login, {"login": "ani@example.org", "password": PASSWORD})
    assert decided["Location"] == reverse("dashboard")


def test_the_dashboard_offers_the_screen_while_a_purpose_is_undecided(alumnus_a):
    client = client_for(alumnus_a)
    assert client.get(reverse("dashboard")).context["consent_undecided"] is True
    privacy.consent_record_choices(user=alumnus_a, choices={TRACER: True, FUNDRAISING: False, DIRECTORY: False,
                                                            CAREER: False, COMMUNITY: False},
                                   versions={p: version(p) for p in (TRACER, FUNDRAISING, DIRECTORY, CAREER,
                                                                     COMMUNITY)})
    assert client.get(reverse("dashboard")).context["consent_undecided"] is False


def test_without_a_profile_the_screen_asks_neither_the_directory_nor_communities(staff_x):
    page = client_for(staff_x).get(CHOICES)
    assert [p["code"] for p in page.context["purposes"]] == [TRACER, FUNDRAISING, CAREER]


def test_privacy_page_says_the_legal_basis_of_each_purpose(alumnus_a):
    page = client_for(alumnus_a).get(reverse("alumni:privacy"))
    bases = {p["code"]: (p["basis"], p["objection"]) for p in page.context["purposes"]}
    assert bases == {TRACER: ("public_task", True), FUNDRAISING: ("consent", False), DIRECTORY: ("consent", False),
                     CAREER: ("consent", False), COMMUNITY: ("consent", False)}


def test_objecting_to_the_tracer_study_stops_invitations(alumnus_a, prodi_x):
    from core.notifications import ClaimItem, notifications_claim_many

    privacy.consent_record(user=alumnus_a, purpose=TRACER, granted=False, wording_version=version(TRACER))
    claimed = notifications_claim_many([ClaimItem(
        key="t:1", kind="tracer_invitation", recipient=alumnus_a, template="alumni/email/role_granted",
        context={"role": None})], deliver=False)
    assert claimed == []


def test_demo_members_have_recorded_directory_consent(alumnus_a, alumnus_b, pending_person, prodi_x):
    AlumniProfileFactory(user=None, study_program=prodi_x, nim="99")
    AlumniProfile.objects.update(listed_in_directory=False)
    assert record_demo_directory_consent() == 2  # the pending person is no member; an unclaimed record no account
    assert set(AlumniProfile.objects.filter(listed_in_directory=True).values_list("user__email", flat=True)) == {
        "ani@example.org", "bagus@example.org"}
    assert Consent.objects.filter(purpose=DIRECTORY, granted=True, wording_version=version(DIRECTORY)).count() == 2
    assert record_demo_directory_consent() == 0


# --- 2. Download my data holds everything ------------------------------------------------------------------------


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def make_everything(user, staff, n=1):
    """Tracer invitations, answers and supervisors; proposals; a feed; an invitation and an import conflict;
    transfer slips; reads by staff. `n` of each, to compare query counts at two sizes."""
    profile = AlumniProfile.objects.get(user=user)
    program = profile.study_program
    profile.graduation_date = datetime.date(2019, 8, 25)
    profile.save()
    campaign = make_campaign(program)
    for i in range(n):
        wave = make_wave([program], title=f"Tracer {i}")
        response = answer(wave, profile, {"f8": 1, "f502": 3, "f5b": f"Perpusnas {i}"})
        Invitation.objects.create(version=wave.version, wave=wave, profile=profile, nominated_in=response,
                                  respondent=Invitation.Respondent.EMPLOYER, name=f"Bu Atasan {i}",
                                  email=f"atasan{i}@kantor.example", organisation="Perpusnas", created_by=user)
        ProgramFactory(study_program=program, proposed_by=user, title=f"Usulan {i}")
        donation_submit(campaign=campaign, donor=user, gift=Gift(amount=Decimal(50_000 + i), method="bank_transfer",
                                                                   paid_on=timezone.localdate(), proof=png()))
        job = ImportJob.objects.create(created_by=staff, original_name=f"lulusan-{i}.csv", status="done")
        ImportConflict.objects.create(job=job, profile=profile, row_number=7 + i,
                                      differences={"full_name": ["Ani Lestari", f"Ani L {i}"]})
        audit_log(actor=staff, action="alumni.profile.viewed", target=profile, study_program=program, subject=user)
    CalendarFeed.objects.get_or_create(user=user)
    SignupInvitation.objects.get_or_create(key=f"invitation:{profile.pk}", profile=profile, email=user.email)
    return profile


def test_download_holds_tracer_proposals_feed_imports_slips_and_reads(media, alumnus_a, alumnus_b, staff_x):
    make_everything(alumnus_a, staff_x)
    make_everything(alumnus_b, staff_x)  # nothing of B's may show
    data, archive = export_of(alumnus_a)
    tracer = data["tracer"]
    assert [i["wave"] for i in tracer["invitations"]] == ["Tracer 0"]
    assert tracer["responses"][0]["answers"] == {"f502": 3, "f5b": "Perpusnas 0", "f8": 1}
    assert [(s["name"], s["email"]) for s in tracer["supervisors_named"]] == [("Bu Atasan 0", "atasan0@kantor.example")]
    assert [p["title"] for p in data["program_proposals"]] == ["Usulan 0"]
    assert data["calendar_feed"]["exists"] is True
    assert [i["email"] for i in data["signup_invitations"]] == ["ani@example.org"]
    assert data["import_records"]["conflicts"][0]["import_file"] == "lulusan-0.csv"
    assert [(r["action"], r["by"]) for r in data["reads_of_my_data"]] == [("alumni.profile.viewed", "Staf X")]
    slip = data["donations"]["donations"][0]["transfer_slip"]
    assert slip in data["files"] and slip in archive.namelist()
    assert archive.read(slip) == Donation.objects.get(donor=alumnus_a).proof.open("rb").read()
    text = archive.read("data.json").decode()
    for token in Invitation.objects.values_list("token", flat=True):
        assert token not in text
    assert "bagus@example.org" not in text and "15710002" not in text


def test_download_holds_the_corrections_the_person_asked_for_and_the_answers(alumnus_a, alumnus_b, staff_x):
    for user, reason in ((alumnus_a, "Angkatan saya 2016, lihat KTM."), (alumnus_b, "Nama saya salah ketik.")):
        records.correction_request(profile=AlumniProfile.objects.get(user=user), by=user,
                                   requested={"entry_year": 2016}, reason=reason)
    records.correction_decide(correction=RecordCorrection.objects.get(requested_by=alumnus_a), by=staff_x,
                              accept=False, note="KTM menunjukkan 2015.")
    data = privacy.personal_data_collect(user=alumnus_a)
    [mine] = data["record_corrections"]
    assert mine["status"] == "refused"
    assert (mine["requested"], mine["current"]) == ({"entry_year": 2016}, {"entry_year": 2015})
    assert (mine["reason"], mine["decision_note"]) == ("Angkatan saya 2016, lihat KTM.", "KTM menunjukkan 2015.")


def test_download_holds_the_vouches_the_person_gave_without_the_classmates_name(alumnus_a, pending_person):
    from alumni import verification

    verification.profile_vouch(profile=AlumniProfile.objects.get(user=pending_person), by=alumnus_a, decision="vouch")
    data = privacy.personal_data_collect(user=alumnus_a)
    [given] = data["vouches_given"]
    assert (given["decision"], given["profile__study_program__code"], given["profile__entry_year"]) == (
        "vouch", "71201", 2015)
    assert "Putri" not in str(data["vouches_given"])
    assert privacy.personal_data_collect(user=pending_person)["vouches_given"] == []


def test_download_runs_a_fixed_number_of_queries(media, alumnus_a, staff_x, django_assert_max_num_queries):
    make_everything(alumnus_a, staff_x, n=1)
    # About three queries per registered part of "Download my data" (23 parts): the same at both sizes.
    with django_assert_max_num_queries(80) as small:
        privacy.personal_data_export(user=alumnus_a)
    make_everything(alumnus_a, staff_x, n=4)
    with django_assert_max_num_queries(len(small.captured_queries)):
        privacy.personal_data_export(user=alumnus_a)


# --- 3. Deleting an account leaves nothing that names the person -------------------------------------------------


def test_deleting_redacts_the_audit_entries_of_gifts_and_pledges(media, alumnus_a, staff_x, prodi_x):
    campaign = make_campaign(prodi_x)
    gift = donation_submit(campaign=campaign, donor=alumnus_a, gift=Gift(
        amount=Decimal(750_000), method="bank_transfer", paid_on=timezone.localdate(), proof=png()))
    donation_verify(donation_id=gift.pk, user=staff_x)
    receipt = Donation.objects.get(pk=gift.pk).receipt_number
    pledge = make_pledge(campaign, alumnus_a)
    before = AuditLog.objects.filter(target_id__in=[str(gift.pk), str(pledge.pk)])
    assert before.count() >= 3
    privacy.account_delete(user=alumnus_a, by=alumnus_a)
    for entry in AuditLog.objects.filter(target_id__in=[str(gift.pk), str(pledge.pk)]):
        assert entry.data == {"redacted": True}
        assert "750" not in entry.target_repr and "Ani" not in entry.target_repr
        assert receipt not in json.dumps(entry.data)
    assert not Pledge.objects.filter(pk=pledge.pk).exists()
    # The books still add up: the gift and its receipt number stay, anonymous.
    kept = Donation.objects.get(pk=gift.pk)
    assert (kept.amount, kept.receipt_number, kept.donor_id) == (Decimal(750_000), receipt, None)


def test_deleting_removes_tracer_free_text_and_the_supervisor_and_keeps_the_codes(media, alumnus_a, staff_x,
                                                                                  alumnus_b):
    make_everything(alumnus_a, staff_x)
    make_everything(alumnus_b, staff_x)
    own = Response.objects.get(profile__user=alumnus_a)
    old_tokens = set(Invitation.objects.filter(profile__user=alumnus_a).values_list("token", flat=True))
    privacy.account_delete(user=alumnus_a, by=alumnus_a)
    assert dict(Answer.objects.filter(response=own).values_list("code", "value_int")) == {"f8": 1, "f502": 3}
    assert not Answer.objects.filter(response=own).exclude(value_text="").exists()
    supervisor = Invitation.objects.get(profile=own.profile, respondent=Invitation.Respondent.EMPLOYER)
    assert (supervisor.name, supervisor.email, supervisor.organisation) == ("", "", "")
    assert not old_tokens & set(Invitation.objects.values_list("token", flat=True))  # old links open nothing
    # B keeps everything.
    assert Answer.objects.filter(response__profile__user=alumnus_b, code="f5b").get().value_text == "Perpusnas 0"
    assert Invitation.objects.get(profile__user=alumnus_b, respondent="employer").name == "Bu Atasan 0"


def test_deleting_removes_the_signup_invitation_and_import_conflicts(media, alumnus_a, staff_x):
    profile = make_everything(alumnus_a, staff_x)
    privacy.account_delete(user=alumnus_a, by=alumnus_a)
    assert not SignupInvitation.objects.filter(profile=profile).exists()
    assert not SignupInvitation.objects.filter(email__iexact="ani@example.org").exists()
    assert not ImportConflict.objects.filter(profile=profile).exists()
    assert ImportJob.objects.count() == 1  # the job's summary stays


def test_deleting_removes_the_corrections_asked_for_and_the_reason_a_request_was_refused(alumnus_a, staff_x):
    profile = AlumniProfile.objects.get(user=alumnus_a)
    records.correction_request(profile=profile, by=alumnus_a, requested={"full_name": "Ani Lestari Putri"},
                               reason="Nama lengkap saya Ani Lestari Putri.")
    AlumniProfile.objects.filter(pk=profile.pk).update(verification_note="Ani Lestari Putri is not on our list.")
    privacy.account_delete(user=alumnus_a, by=alumnus_a)
    assert not RecordCorrection.objects.exists()
    profile.refresh_from_db()
    assert profile.verification_note == ""


def test_the_tracer_app_registers_its_anonymiser_and_alumni_never_imports_tracer():
    assert privacy.PROVIDERS["tracer"].anonymise is not None and privacy.PROVIDERS["tracer"].export is not None
    assert privacy.PROVIDERS["donations"].files is not None
    source = (Path(django_settings.BASE_DIR) / "alumni" / "privacy.py").read_text()
    assert "from tracer" not in source and "import tracer" not in source
    assert "from donations" not in source and "import donations" not in source


def _job(staff, name, *, status, created_days_ago, finished_days_ago=None):
    job = ImportJob.objects.create(created_by=staff, original_name=name, status=status,
                                   summary={"new": 3}, file=ContentFile(b"nim,nama\n1,Ani\n", name=name))
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=now - datetime.timedelta(days=created_days_ago),
        finished_at=now - datetime.timedelta(days=finished_days_ago) if finished_days_ago is not None else None)
    return ImportJob.objects.get(pk=job.pk)


def test_import_files_are_deleted_once_their_job_is_done_or_abandoned(media, staff_x, settings,
                                                                     django_capture_on_commit_callbacks):
    settings.IMPORT_FILE_RETENTION_DAYS = 30
    done_old = _job(staff_x, "done-old.csv", status="done", created_days_ago=40, finished_days_ago=31)
    done_new = _job(staff_x, "done-new.csv", status="done", created_days_ago=40, finished_days_ago=2)
    abandoned = _job(staff_x, "abandoned.csv", status="previewed", created_days_ago=31)
    fresh = _job(staff_x, "fresh.csv", status="previewed", created_days_ago=1)
    paths = {job.pk: Path(job.file.path) for job in (done_old, done_new, abandoned, fresh)}
    from alumni.tasks import expire_import_files

    with django_capture_on_commit_callbacks(execute=True):
        assert expire_import_files() == 2
    jobs = {job.pk: job for job in ImportJob.objects.all()}
    assert not jobs[done_old.pk].file and not jobs[abandoned.pk].file
    assert jobs[done_new.pk].file and jobs[fresh.pk].file
    assert not paths[done_old.pk].exists() and not paths[abandoned.pk].exists()
    assert paths[done_new.pk].exists() and paths[fresh.pk].exists()
    assert jobs[done_old.pk].summary == {"new": 3} and jobs[done_old.pk].status == "done"
    assert AuditLog.objects.filter(action="alumni.import.file_deleted").count() == 2
    assert expire_import_files() == 0  # twice is safe
    # A job without its file cannot send invitations any more, and says so instead of failing.
    response = client_for(staff_x).post(reverse("alumni:import_invite", args=[done_old.pk]))
    assert response.status_code == 302


def test_the_retention_task_is_scheduled_and_the_setting_defaults_to_30_days():
    tasks = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert "alumni.tasks.expire_import_files" in tasks
    assert django_settings.IMPORT_FILE_RETENTION_DAYS == 30


# --- 4. Staff reads of personal data are audited -----------------------------------------------------------------


def reads(user):
    return list(AuditLog.objects.filter(subject=user).values_list("action", flat=True))


def test_a_staff_profile_view_is_a_read_the_owner_finds(alumnus_a, alumnus_b, staff_x, staff_y):
    profile = AlumniProfile.objects.get(user=alumnus_a)
    url = reverse("alumni:profile", args=[profile.pk])
    assert client_for(alumnus_a).get(url).status_code == 200  # the owner
    assert client_for(alumnus_b).get(url).status_code in (200, 404)  # a member, not staff
    assert reads(alumnus_a) == []
    assert client_for(staff_x).get(url).status_code == 200
    assert reads(alumnus_a) == ["alumni.profile.viewed"]
    entry = AuditLog.objects.get(subject=alumnus_a)
    assert (entry.actor, entry.study_program_id) == (staff_x, profile.study_program_id)
    page = client_for(alumnus_a).get(reverse("alumni:privacy"))
    assert [(r["action"], r["by"]) for r in page.context["reads"]] == [("alumni.profile.viewed", "Staf X")]
    # Reads are for the person's privacy page, not the staff dashboard's activity list.
    activity = client_for(staff_x).get(reverse("dashboard")).context["recent_activity"]
    assert all(e.subject_id is None for e in activity)


@pytest.fixture
def tracer_wave(prodi_x, alumnus_a, alumnus_b):
    wave = make_wave([prodi_x])
    for user, text in ((alumnus_a, "Perpusnas"), (alumnus_b, "Toko Buku")):
        profile = AlumniProfile.objects.get(user=user)
        profile.graduation_date = datetime.date(2019, 8, 25)
        profile.save()
        answer(wave, profile, {"f8": 1, "f5b": text})
    unclaimed = AlumniProfileFactory(user=None, study_program=prodi_x, graduation_date=datetime.date(2019, 8, 1))
    answer(wave, unclaimed, {"f8": 3})
    return wave


def test_tracer_exports_record_one_read_per_respondent(tracer_wave, staff_x, alumnus_a, alumnus_b, prodi_x):
    client = client_for(staff_x)
    response = client.get(reverse("tracer:wave_export", args=[tracer_wave.pk]))
    assert response.status_code == 200
    assert reads(alumnus_a) == reads(alumnus_b) == ["tracer.results.exported"]
    summary = AuditLog.objects.get(action="tracer.results.exported", subject__isnull=True)
    assert (summary.actor, summary.data["people"], summary.data["format"]) == (staff_x, 2, "csv")
    survey = tracer_wave.version.survey
    cohort = client.get(reverse("tracer:results"), {"survey": survey.pk, "program": prodi_x.pk, "year": 2019,
                                                    "export": "xlsx"})
    assert cohort.status_code == 200
    assert reads(alumnus_a) == ["tracer.results.exported", "tracer.results.exported"]


def test_free_text_answer_pages_record_reads(tracer_wave, staff_x, alumnus_a, alumnus_b):
    page = client_for(staff_x).get(reverse("tracer:wave_results", args=[tracer_wave.pk]))
    assert page.status_code == 200
    assert reads(alumnus_a) == reads(alumnus_b) == ["tracer.text_answers.viewed"]


def test_lkps_drill_downs_record_reads(national_surveys, prodi_x, staff_x, alumnus_a):
    profile = AlumniProfile.objects.get(user=alumnus_a)
    profile.graduation_date = datetime.date(2021, 7, 1)
    profile.save()
    AlumniProfileFactory(user=None, study_program=prodi_x, graduation_date=datetime.date(2021, 7, 1))
    url = reverse("tracer:lkps_cell", args=[prodi_x.code, 2025]) + "?column=graduates&year=2021"
    assert client_for(staff_x).get(url).status_code == 200
    assert reads(alumnus_a) == ["tracer.lkps.drilled_down"]
    summary = AuditLog.objects.get(action="tracer.lkps.drilled_down", subject__isnull=True)
    assert summary.data["people"] == 1 and summary.study_program == prodi_x


def test_staff_opening_a_transfer_slip_or_receipt_is_a_read_the_donor_finds(media, alumnus_a, staff_x, prodi_x):
    campaign = make_campaign(prodi_x)
    gift = donation_submit(campaign=campaign, donor=alumnus_a, gift=Gift(
        amount=Decimal(50_000), method="bank_transfer", paid_on=timezone.localdate(), proof=png()))
    donation_verify(donation_id=gift.pk, user=staff_x)
    proof, receipt = (reverse("donations:donation_proof", args=[gift.pk]),
                      reverse("donations:receipt", args=[gift.pk]))
    donor = client_for(alumnus_a)
    assert donor.get(proof).status_code == 200 and donor.get(receipt).status_code == 200
    assert reads(alumnus_a) == []  # one's own slip is no read by staff
    staff = client_for(staff_x)
    assert staff.get(proof).status_code == 200 and staff.get(receipt).status_code == 200
    assert sorted(reads(alumnus_a)) == ["donations.proof.viewed", "donations.receipt.downloaded"]
    data, _archive = export_of(alumnus_a)
    assert {r["action"] for r in data["reads_of_my_data"]} == {"donations.proof.viewed",
                                                               "donations.receipt.downloaded"}


def test_reads_of_my_data_is_one_query(alumnus_a, staff_x, django_assert_num_queries):
    profile = AlumniProfile.objects.get(user=alumnus_a)
    for _ in range(5):
        audit_log(actor=staff_x, action="alumni.profile.viewed", target=profile, subject=alumnus_a)
    with django_assert_num_queries(1):
        assert len(privacy.reads_of_my_data(user=alumnus_a)) == 5


def test_a_large_export_writes_its_reads_in_bulk(prodi_x, staff_x, django_assert_max_num_queries):
    from core.audit import audit_reads

    users = User.objects.bulk_create([User(email=f"r{i}@example.org", full_name=f"R {i}") for i in range(1500)])
    # One summary INSERT, then multi-row INSERTs (SQLite caps a statement at 999 parameters: ~110 rows each;
    # PostgreSQL takes READ_INSERT_ROWS rows at once).
    with django_assert_max_num_queries(20):
        audit_reads(actor=staff_x, action="tracer.results.exported", target=prodi_x,
                    subject_ids=[u.pk for u in users], study_program=prodi_x)
    assert AuditLog.objects.filter(subject__isnull=False).count() == 1500


def test_anonymous_and_pending_reach_only_their_own_choices(pending_person):
    anonymous = client_for(None).get(CHOICES)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    assert client_for(pending_person).get(CHOICES).status_code == 200
    UserFactory(email="other@example.org")
    assert not Consent.objects.exists()
