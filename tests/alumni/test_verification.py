"""Verified membership (issue 11 §1): a self-registered record is pending until its email matches an imported record,
staff of its study program approve it, or two verified classmates vouch for it; a pending person sees nothing of
other members."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from alumni import verification
from alumni.importing.jobs import run_import
from alumni.models import AlumniProfile, Employment, Vouch
from alumni.scope import scope_for
from alumni.services import profile_claim_by_email
from core.models import AuditLog, Notification

from ..conftest import client_for
from ..factories import AlumniProfileFactory, EmploymentFactory, ProgramFactory, UserFactory

V = AlumniProfile.Verification
QUEUE = reverse("alumni:verification_queue")


def register(user, program, nim, name="Nia Baru", entry_year="2015"):
    return client_for(user).post(reverse("alumni:profile_create"), {
        "study_program": program.pk, "nim": nim, "full_name": name, "entry_year": entry_year,
        "graduation_date": "2019-08-25",
    })


def pending_of(user) -> AlumniProfile:
    return AlumniProfile.objects.get(user=user)


def decide(client, profile, **data):
    return client.post(reverse("alumni:verification_decide", args=[profile.pk]),
                       {f"{profile.pk}-{key}": value for key, value in data.items()})


# --- /alumni/me/new/ no longer says whether a NIM exists ----------------------------------------------------------


def test_the_registration_form_answers_the_same_whether_or_not_the_nim_exists(alumnus_a, prodi_x):
    taken = register(UserFactory(email="impostor@example.org"), prodi_x, "15710001", name="Not Ani")
    free = register(UserFactory(email="someone@example.org"), prodi_x, "15719999", name="Someone New")
    assert taken.status_code == free.status_code == 302
    assert taken["Location"] == free["Location"] == reverse("alumni:my_profile")
    assert set(AlumniProfile.objects.filter(user__email__in=["impostor@example.org", "someone@example.org"])
               .values_list("verification", flat=True)) == {V.PENDING}
    # The imported record is untouched and still the only verified one with that NIM.
    assert AlumniProfile.objects.get(study_program=prodi_x, nim="15710001", verification=V.VERIFIED).user == alumnus_a


def test_a_nim_is_unique_among_verified_records_only(alumnus_a, prodi_x):
    AlumniProfileFactory(user=UserFactory(), study_program=prodi_x, nim="15710001", verification=V.PENDING)
    AlumniProfileFactory(user=UserFactory(), study_program=prodi_x, nim="15710001", verification=V.REFUSED)
    with pytest.raises(IntegrityError), transaction.atomic():
        AlumniProfileFactory(user=None, study_program=prodi_x, nim="15710001")


def test_an_import_updates_the_verified_record_not_a_pending_one_with_its_nim(prodi_x, staff_x):
    record = AlumniProfileFactory(user=None, study_program=prodi_x, nim="15710050", full_name="Rina Wati")
    impostor = UserFactory(email="impostor@example.org")
    request = AlumniProfileFactory(user=impostor, study_program=prodi_x, nim="15710050", full_name="Not Rina",
                                   city="Bantul", verification=V.PENDING)
    source = (b"nim,full_name,email,study_program,entry_year,graduation_date,phone,province,city\n"
              b"15710050,Rina Wati,rina@example.org,71201,2015,2019-08-25,,,Sleman\n"
              b"15710777,Rudi Baru,rudi@example.org,71201,2015,2019-08-25,,,Depok\n")
    outcome = run_import(source, user=staff_x, dry_run=False)
    assert outcome.ok and (outcome.counts["new"], outcome.counts["updated"]) == (1, 1)
    record.refresh_from_db()
    assert (record.city, record.email) == ("Sleman", "rina@example.org")
    request.refresh_from_db()
    assert (request.full_name, request.city, request.verification) == ("Not Rina", "Bantul", V.PENDING)


def test_duplicates_and_tracer_imports_ignore_pending_records(alumnus_a, prodi_x, staff_x):
    from alumni.duplicates import duplicate_groups
    from tracer.national import _profiles

    user = UserFactory()
    AlumniProfileFactory(user=user, study_program=prodi_x, nim="15710001", full_name="Ani Lestari",
                         verification=V.PENDING)
    assert duplicate_groups(viewer=staff_x) == []
    found = _profiles([(prodi_x.code.lower(), "15710001")], None)
    assert found[(prodi_x.code.lower(), "15710001")].user == alumnus_a


# --- (a) the claim: a verified email that an imported record carries -----------------------------------------


def test_a_claim_verifies_through_the_matching_email(prodi_x):
    record = AlumniProfileFactory(user=None, study_program=prodi_x, nim="15710050", email="rina@example.org")
    user = UserFactory(email="rina@example.org")
    assert profile_claim_by_email(user=user, email="rina@example.org") == record
    record.refresh_from_db()
    assert (record.user, record.verification, record.verified_via) == (user, V.VERIFIED, "claim")
    assert scope_for(user).is_member


def test_a_claim_moves_a_pending_person_to_the_imported_record_and_removes_their_request(pending_person, prodi_x):
    request = pending_of(pending_person)
    job = EmploymentFactory(profile=request)
    request.vis_career = "alumni"
    request.save()
    record = AlumniProfileFactory(user=None, study_program=prodi_x, nim="15710051", email="putri.lama@example.org",
                                  full_name="Putri Menunggu")
    profile = profile_claim_by_email(user=pending_person, email="putri.lama@example.org")
    assert profile == record
    assert not AlumniProfile.objects.filter(pk=request.pk).exists()
    record.refresh_from_db()
    assert (record.user, record.verified_via, record.nim, record.vis_career) == (
        pending_person, "claim", "15710051", "alumni")
    assert Employment.objects.get(pk=job.pk).profile == record
    entry = AuditLog.objects.get(action="alumni.profile.verified")
    assert entry.data["linked_request"]["id"] == str(request.pk)
    assert AuditLog.objects.filter(action="alumni.profile.claimed", target_id=str(record.pk)).exists()


# --- (b) staff of the study program ----------------------------------------------------------------------------


def test_staff_see_each_request_beside_the_records_it_may_be(pending_person, alumnus_a, prodi_x, staff_x):
    request = pending_of(pending_person)
    request.nim, request.full_name = "15710001", "putri menunggu"
    request.save()
    namesake = AlumniProfileFactory(user=None, study_program=prodi_x, nim="15710060", full_name="Putri Menunggu S.IP",
                                    entry_year=2012)
    initial = AlumniProfileFactory(user=None, study_program=prodi_x, nim="15710061", full_name="Pratiwi Sari",
                                   entry_year=2015)
    AlumniProfileFactory(user=None, study_program=prodi_x, nim="15710062", full_name="Zulfa", entry_year=2015)
    response = client_for(staff_x).get(QUEUE)
    assert response.status_code == 200
    [row] = response.context["rows"]
    assert row["request"] == request
    reasons = {m.record.pk: m.reasons for m in row["matches"]}
    assert reasons[AlumniProfile.objects.get(user=alumnus_a).pk] == ["nim"]
    assert reasons[namesake.pk] == ["name"]
    assert reasons[initial.pk] == ["cohort_initial"]
    assert len(reasons) == 3
    assert pending_person.email in response.content.decode()


def test_staff_of_another_program_neither_see_nor_decide_a_request(pending_person, staff_y):
    request = pending_of(pending_person)
    client = client_for(staff_y)
    assert client.get(QUEUE).context["rows"] == []
    assert decide(client, request, decision="verify").status_code == 404
    assert pending_of(pending_person).verification == V.PENDING


@pytest.mark.parametrize("size", [3, 12])
def test_the_queue_takes_a_fixed_number_of_queries(size, prodi_x, staff_x, django_assert_max_num_queries):
    for i in range(size):
        AlumniProfileFactory(user=None, study_program=prodi_x, nim=f"1571{i:04d}", full_name=f"Record {i}")
        AlumniProfileFactory(user=UserFactory(), study_program=prodi_x, nim=f"1571{i:04d}", full_name=f"Request {i}",
                             verification=V.PENDING)
    client = client_for(staff_x)
    with django_assert_max_num_queries(10):  # 9 today, at both sizes
        response = client.get(QUEUE)
    assert len(response.context["rows"]) == size
    assert all(row["matches"] for row in response.context["rows"])


def test_staff_approve_a_request_and_the_person_is_told(pending_person, staff_x, mailoutbox):
    request = pending_of(pending_person)
    response = decide(client_for(staff_x), request, decision="verify")
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.verification, request.verified_via, request.verified_by) == (V.VERIFIED, "staff", staff_x)
    assert AuditLog.objects.filter(action="alumni.profile.verified", actor=staff_x, target_id=str(request.pk)).exists()
    assert Notification.objects.filter(recipient=pending_person, kind="verification_verified").exists()
    assert client_for(pending_person).get(reverse("alumni:directory")).status_code == 200


def test_staff_say_the_request_is_an_imported_record(pending_person, prodi_x, staff_x):
    request = pending_of(pending_person)
    record = AlumniProfileFactory(user=None, study_program=prodi_x, nim="15710070", full_name="Putri M.")
    response = decide(client_for(staff_x), request, decision="verify", imported=str(record.pk))
    assert response.status_code == 302
    assert not AlumniProfile.objects.filter(pk=request.pk).exists()
    record.refresh_from_db()
    assert (record.user, record.verified_via, record.verified_by) == (pending_person, "staff", staff_x)


def test_a_request_is_never_linked_to_a_claimed_record_or_one_of_another_program(
    pending_person, alumnus_a, prodi_y, staff_x, admin_user
):
    request = pending_of(pending_person)
    elsewhere = AlumniProfileFactory(user=None, study_program=prodi_y, nim="15792050")
    claimed = AlumniProfile.objects.get(user=alumnus_a)
    for record in (elsewhere, claimed):
        for person in (staff_x, admin_user):
            decide(client_for(person), request, decision="verify", imported=str(record.pk))
    assert pending_of(pending_person) == request and request.verification == V.PENDING
    assert AlumniProfile.objects.get(pk=elsewhere.pk).user is None
    assert AlumniProfile.objects.get(pk=claimed.pk).user == alumnus_a
    with pytest.raises(ValidationError):
        verification.profile_verify(profile=request, by=admin_user, imported=elsewhere)


def test_a_request_with_a_verified_records_nim_is_not_approved_as_entered(pending_person, alumnus_a, staff_x):
    request = pending_of(pending_person)
    request.nim = "15710001"
    request.save()
    with pytest.raises(ValidationError):
        verification.profile_verify(profile=request, by=staff_x)
    assert pending_of(pending_person).verification == V.PENDING


def test_staff_refuse_with_a_reason_the_person_reads_and_they_ask_again(pending_person, alumnus_a, staff_x):
    request = pending_of(pending_person)
    client = client_for(staff_x)
    decide(client, request, decision="refuse")  # no reason: nothing happens
    assert pending_of(pending_person).verification == V.PENDING
    reason = "NIM 15710099 is not in our graduation list."
    decide(client, request, decision="refuse", reason=reason)
    request.refresh_from_db()
    assert (request.verification, request.verification_note) == (V.REFUSED, reason)
    assert AuditLog.objects.filter(action="alumni.profile.refused", target_id=str(request.pk)).exists()
    assert Notification.objects.filter(recipient=pending_person, kind="verification_refused").exists()
    person = client_for(pending_person)
    # Refused is no member either, and reads why on their own profile.
    assert person.get(reverse("alumni:directory")).status_code == 302
    page = person.get(reverse("alumni:profile", args=[request.pk]))
    assert "NIM 15710099 is not in our graduation list." in page.content.decode()
    assert person.get(reverse("alumni:profile", args=[AlumniProfile.objects.get(user=alumnus_a).pk])).status_code == 404
    # They correct what they entered and ask again: pending once more.
    response = person.post(reverse("alumni:profile_resubmit"), {
        "study_program": request.study_program_id, "nim": "15710098", "full_name": "Putri Menunggu",
        "entry_year": "2015", "graduation_date": "2019-08-25",
    })
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.verification, request.nim, request.verification_note) == (V.PENDING, "15710098", "")
    assert AuditLog.objects.filter(action="alumni.profile.resubmitted").exists()


# --- (c) two verified classmates vouch ---------------------------------------------------------------------------


def vouch(user, profile, decision="vouch"):
    return client_for(user).post(reverse("alumni:vouch", args=[profile.pk]), {"decision": decision})


def test_classmates_see_the_request_with_name_cohort_and_nim_only(pending_person, alumnus_a):
    request = pending_of(pending_person)
    response = client_for(alumnus_a).get(reverse("dashboard"))
    assert list(response.context["vouch_requests"]) == [request]
    html = response.content.decode()
    assert request.full_name in html and request.nim in html
    assert pending_person.email not in html


def test_two_vouches_verify_the_record_exactly_once(pending_person, alumnus_a, alumnus_b, prodi_x):
    request = pending_of(pending_person)
    assert vouch(alumnus_a, request).status_code == 302
    assert pending_of(pending_person).verification == V.PENDING
    # The person sees how many vouched, not who.
    with translation.override("en"):
        page = client_for(pending_person).get(reverse("alumni:profile", args=[request.pk]))
    assert page.context["verification"]["vouches"] == 1
    assert "Ani" not in page.content.decode()
    assert vouch(alumnus_b, request).status_code == 302
    request.refresh_from_db()
    assert (request.verification, request.verified_via) == (V.VERIFIED, "vouch")
    # A third classmate arriving a moment later records nothing and verifies nothing again.
    carla = UserFactory(email="carla@example.org")
    AlumniProfileFactory(user=carla, study_program=prodi_x, nim="15710003", entry_year=2015)
    assert vouch(carla, request).status_code == 404
    with pytest.raises(ValidationError):
        verification.profile_vouch(profile=request, by=carla, decision="vouch")
    assert Vouch.objects.filter(profile=request).count() == 2
    assert AuditLog.objects.filter(action="alumni.profile.verified", target_id=str(request.pk)).count() == 1
    assert Notification.objects.filter(recipient=pending_person, kind="verification_verified").count() == 1


def test_the_vouch_count_is_taken_under_a_lock_of_the_request(pending_person, alumnus_a, monkeypatch):
    """Two classmates vouching at once are serialised on the request's row (SELECT … FOR UPDATE)."""
    from django.db.models import QuerySet

    locked = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        if self.model is AlumniProfile:
            locked.append(True)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    verification.profile_vouch(profile=pending_of(pending_person), by=alumnus_a, decision="vouch")
    assert locked


def test_a_decline_hides_the_request_for_that_member_only(pending_person, alumnus_a, alumnus_b):
    request = pending_of(pending_person)
    assert vouch(alumnus_a, request, "decline").status_code == 302
    assert list(client_for(alumnus_a).get(reverse("dashboard")).context["vouch_requests"]) == []
    assert list(client_for(alumnus_b).get(reverse("dashboard")).context["vouch_requests"]) == [request]
    assert pending_of(pending_person).verification == V.PENDING
    assert vouch(alumnus_a, request).status_code == 404  # answered already


def test_nobody_vouches_for_themselves_nor_without_a_verified_record_of_the_cohort(
    pending_person, alumnus_a, staff_x, prodi_x, prodi_y
):
    request = pending_of(pending_person)
    with pytest.raises(PermissionDenied):
        verification.profile_vouch(profile=request, by=pending_person, decision="vouch")
    with pytest.raises(PermissionDenied):
        verification.profile_vouch(profile=request, by=staff_x, decision="vouch")
    assert vouch(pending_person, request).status_code == 404
    assert vouch(staff_x, request).status_code == 404
    other_cohort = UserFactory(email="older@example.org")
    AlumniProfileFactory(user=other_cohort, study_program=prodi_x, nim="12710001", entry_year=2012)
    other_program = UserFactory(email="arab@example.org")
    AlumniProfileFactory(user=other_program, study_program=prodi_y, nim="15792001", entry_year=2015)
    second_pending = UserFactory(email="pending2@example.org")
    AlumniProfileFactory(user=second_pending, study_program=prodi_x, nim="15710098", entry_year=2015,
                         verification=V.PENDING)
    for outsider in (other_cohort, other_program, second_pending):
        assert vouch(outsider, request).status_code == 404
        assert client_for(outsider).get(reverse("dashboard")).context["vouch_requests"] == []
    assert not Vouch.objects.exists()


# --- A pending person sees public pages, their own profile and their request; nothing of other members ----------


def test_a_pending_person_is_sent_from_the_directory_to_their_own_profile(pending_person):
    response = client_for(pending_person).get(reverse("alumni:directory"))
    assert response.status_code == 302
    assert response["Location"] == reverse("alumni:my_profile")


def test_a_pending_person_sees_no_other_member(pending_person, alumnus_a, alumnus_b, prodi_x):
    profile_a = AlumniProfile.objects.get(user=alumnus_a)
    profile_a.vis_photo = "alumni"
    profile_a.save()
    client = client_for(pending_person)
    assert client.get(reverse("alumni:profile", args=[profile_a.pk])).status_code == 404
    assert client.get(reverse("alumni:photo", args=[profile_a.pk])).status_code == 404
    dashboard = client.get(reverse("dashboard"))
    assert dashboard.status_code == 200
    html = dashboard.content.decode()
    assert "Ani Lestari" not in html and "Bagus Pratama" not in html
    assert dashboard.context["verification"]["state"] == V.PENDING
    assert AlumniProfile.objects.visible_to(pending_person).get() == pending_of(pending_person)


def test_a_pending_person_neither_sees_nor_joins_programs_for_members(pending_person, alumnus_a, prodi_x):
    from programs.services import audience_admits

    from ..factories import SessionFactory

    program = ProgramFactory(study_program=prodi_x, title="Mentoring Skripsi", audience="alumni")
    session = SessionFactory(program=program)
    client = client_for(pending_person)
    assert client.get(reverse("programs:detail", args=[program.pk])).status_code == 404
    assert client.get(reverse("programs:session", args=[session.pk])).status_code == 404
    assert "Mentoring Skripsi" not in client.get(reverse("programs:list")).content.decode()
    assert client.post(reverse("programs:session_register", args=[session.pk])).status_code == 404
    assert not audience_admits(program=program, user=pending_person)
    assert audience_admits(program=program, user=alumnus_a)


def test_the_staff_dashboard_counts_the_requests_waiting(pending_person, staff_x, staff_y):
    response = client_for(staff_x).get(reverse("dashboard"))
    assert response.context["verification_waiting"] == 1
    assert reverse("alumni:verification_queue") in response.content.decode()
    # A request is not one of the study program's records (nor an account of it) until verified.
    [program] = response.context["programs"]
    assert (program.alumni_total, program.alumni_claimed) == (0, 0)
    assert client_for(staff_y).get(reverse("dashboard")).context["verification_waiting"] == 0


def test_a_verified_persons_profile_shows_no_request_panel(alumnus_a):
    profile = AlumniProfile.objects.get(user=alumnus_a)
    response = client_for(alumnus_a).get(reverse("alumni:profile", args=[profile.pk]))
    assert response.context["verification"] == {}
    assert client_for(alumnus_a).get(reverse("alumni:profile_resubmit")).status_code == 302



def test_a_pending_record_is_nobodys_graduate_in_the_accreditation_counts(alumnus_a, pending_person, prodi_x):
    """A self-declared record cannot inflate the LKPS tables nor the tracer results' number of graduates."""
    from tracer.lkps import cell_graduates, lkps_tables

    # A and the pending person both graduated on 2019-08-25.
    assert lkps_tables(study_program=prodi_x, ts=2020)["IKU-1"]["graduates"] == 1
    rows = cell_graduates(study_program=prodi_x, ts=2022, column="graduates", year=2019)
    assert [row["full_name"] for row in rows] == ["Ani Lestari"]


@pytest.mark.django_db(transaction=True)
def test_classmates_vouching_at_the_same_moment_verify_the_record_once():
    """On PostgreSQL: four classmates vouch at once; the row lock lets two vouches in, then the record is verified
    exactly once and the others find it decided."""
    from django.db import connection

    from ..conftest import need
    from ..factories import StudyProgramFactory
    from ..programs.test_concurrency import run_together

    need(connection.vendor == "postgresql", "row locks need PostgreSQL (SQLite serialises every writer anyway)")
    program = StudyProgramFactory(code="71201")
    request = AlumniProfileFactory(user=UserFactory(), study_program=program, nim="15710099", verification=V.PENDING)
    classmates = []
    for i in range(4):
        user = UserFactory()
        AlumniProfileFactory(user=user, study_program=program, nim=f"1571000{i}", entry_year=request.entry_year)
        classmates.append(user)

    errors = run_together([
        lambda c=c: verification.profile_vouch(profile=request, by=c, decision="vouch") for c in classmates
    ])

    assert len(errors) == 2 and all(isinstance(e, ValidationError) for e in errors)
    assert Vouch.objects.filter(profile=request).count() == 2
    assert AuditLog.objects.filter(action="alumni.profile.verified", target_id=str(request.pk)).count() == 1
    assert AlumniProfile.objects.get(pk=request.pk).verification == V.VERIFIED


def test_the_home_page_counts_no_pending_record_as_a_graduate(alumnus_a, alumnus_b, pending_person):
    response = client_for(None).get(reverse("home"))
    assert response.context["stats"]["alumni"] == 2
    assert response.context["stats"]["members"] == 2
