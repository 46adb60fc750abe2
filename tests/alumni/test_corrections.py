"""Alumni cannot change the name the academic record holds, their cohort or their graduation date themselves: they
ask for a correction, which staff of their study program accept (the record changes) or refuse (it does not)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from alumni import records, selectors, services
from alumni.models import AlumniProfile, RecordCorrection
from core.models import AuditLog, Notification

from ..conftest import client_for
from ..factories import UserFactory

URL = reverse("alumni:correction")


@pytest.fixture
def record_a(alumnus_a):
    profile = AlumniProfile.objects.get(user=alumnus_a)
    profile.full_name = "Ani Lestari"
    profile.save()
    return profile


def ask(user, **values):
    data = {"full_name": "Ani Lestari", "entry_year": "2015", "graduation_date": "2019-08-25",
            "reason": "Angkatan saya 2016, lihat KTM."}
    data.update(values)
    return client_for(user).post(URL, data)


def test_the_profile_form_no_longer_changes_name_cohort_or_graduation(record_a, alumnus_a):
    response = client_for(alumnus_a).post(reverse("alumni:profile_edit"), {
        "full_name": "Someone Else", "entry_year": "2001", "graduation_date": "2005-01-01",
        "email": "ani@example.org", "vis_email": "alumni", "vis_phone": "alumni", "vis_location": "alumni",
        "vis_graduation": "alumni", "vis_bio": "alumni", "vis_photo": "alumni", "vis_career": "alumni",
    })
    assert response.status_code == 302
    record_a.refresh_from_db()
    assert (record_a.full_name, record_a.entry_year, record_a.graduation_date) == (
        "Ani Lestari", 2015, datetime.date(2019, 8, 25))
    page = client_for(alumnus_a).get(reverse("alumni:profile_edit"))
    assert 'name="full_name"' not in page.content.decode()
    assert URL in page.content.decode()


def test_the_service_refuses_these_fields_from_the_owner_but_not_from_staff(record_a, alumnus_a, staff_x):
    for field, value in (("full_name", "X"), ("entry_year", 2001), ("graduation_date", datetime.date(2005, 1, 1))):
        with pytest.raises(PermissionDenied):
            services.profile_update(profile=record_a, by=alumnus_a, data={field: value})
    record_a.refresh_from_db()
    assert record_a.entry_year == 2015
    services.profile_update(profile=record_a, by=staff_x, data={"entry_year": 2016})
    record_a.refresh_from_db()
    assert record_a.entry_year == 2016


def test_a_graduate_asks_for_a_correction_and_sees_it_waiting(record_a, alumnus_a):
    response = ask(alumnus_a, entry_year="2016")
    assert response.status_code == 302
    correction = RecordCorrection.objects.get()
    assert (correction.status, correction.requested_by) == ("pending", alumnus_a)
    assert correction.requested == {"entry_year": 2016}  # only what changes
    assert correction.current == {"entry_year": 2015}
    record_a.refresh_from_db()
    assert record_a.entry_year == 2015  # nothing changes until staff decide
    page = client_for(alumnus_a).get(URL)
    assert page.context["pending"] == correction
    assert reverse("alumni:correction_withdraw").encode() in page.content
    # One request at a time.
    ask(alumnus_a, full_name="Ani L.")
    assert RecordCorrection.objects.count() == 1


def test_a_request_that_changes_nothing_is_refused_by_the_form(record_a, alumnus_a):
    response = ask(alumnus_a)
    assert response.status_code == 200 and response.context["form"].errors
    assert not RecordCorrection.objects.exists()


def test_a_graduate_may_withdraw_their_request(record_a, alumnus_a, staff_x):
    ask(alumnus_a, entry_year="2016")
    response = client_for(alumnus_a).post(reverse("alumni:correction_withdraw"))
    assert response.status_code == 302
    assert RecordCorrection.objects.get().status == "withdrawn"
    assert client_for(staff_x).get(reverse("alumni:corrections")).context["page"].paginator.count == 0
    # And may ask again.
    ask(alumnus_a, entry_year="2016")
    assert RecordCorrection.objects.filter(status="pending").count() == 1


def test_staff_see_the_queue_of_their_programs_only_and_the_dashboard_counts_it(record_a, alumnus_a, staff_x,
                                                                               staff_y):
    ask(alumnus_a, full_name="Anisa Lestari")
    queue = client_for(staff_x).get(reverse("alumni:corrections"))
    assert queue.status_code == 200
    content = queue.content.decode()
    assert "Anisa Lestari" in content and "Ani Lestari" in content and "lihat KTM" in content
    assert client_for(staff_x).get(reverse("dashboard")).context["corrections_pending"] == 1
    other = client_for(staff_y).get(reverse("alumni:corrections"))
    assert "Anisa Lestari" not in other.content.decode()
    correction = RecordCorrection.objects.get()
    assert client_for(staff_y).get(reverse("alumni:correction_decide", args=[correction.pk])).status_code == 404
    assert client_for(staff_y).post(reverse("alumni:correction_decide", args=[correction.pk]),
                                    {"decision": "accept"}).status_code == 404
    assert RecordCorrection.objects.get().status == "pending"


def iku_graduates(program) -> int:
    """The LKPS IKU-1 graduates of 2020 (reporting year 2021): a bucket by graduation year."""
    from tracer.lkps import lkps_tables

    return lkps_tables(study_program=program, ts=2021)["IKU-1"]["graduates"]


def cohorts(viewer, program):
    return {row["entry_year"]: row["total"] for row in selectors.cohort_counts(viewer=viewer,
                                                                               study_program_ids=[program.pk])}


def test_an_accepted_correction_changes_the_record_and_the_cohort_buckets(
        django_capture_on_commit_callbacks, record_a, alumnus_a, alumnus_b, staff_x):
    ask(alumnus_a, entry_year="2016", graduation_date="2020-09-01")
    correction = RecordCorrection.objects.get()
    assert cohorts(staff_x, record_a.study_program) == {2015: 2}
    assert iku_graduates(record_a.study_program) == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff_x).post(reverse("alumni:correction_decide", args=[correction.pk]),
                                            {"decision": "accept", "note": ""})
    assert response.status_code == 302
    record_a.refresh_from_db()
    assert (record_a.entry_year, record_a.graduation_date) == (2016, datetime.date(2020, 9, 1))
    assert cohorts(staff_x, record_a.study_program) == {2015: 1, 2016: 1}
    assert iku_graduates(record_a.study_program) == 1  # graduated in 2020 now
    correction.refresh_from_db()
    assert (correction.status, correction.decided_by) == ("accepted", staff_x)
    assert Notification.objects.filter(recipient=alumnus_a, kind="record_correction").count() == 1
    entry = AuditLog.objects.get(action="alumni.profile.record_updated")
    assert entry.data == {"fields": ["entry_year", "graduation_date"], "source": "correction"}


def test_a_refused_correction_needs_a_note_and_leaves_the_record(
        django_capture_on_commit_callbacks, record_a, alumnus_a, staff_x):
    ask(alumnus_a, entry_year="2016", graduation_date="2020-09-01")
    correction = RecordCorrection.objects.get()
    url = reverse("alumni:correction_decide", args=[correction.pk])
    response = client_for(staff_x).post(url, {"decision": "refuse", "note": ""})
    assert response.status_code == 200 and response.context["form"].errors["note"]
    assert RecordCorrection.objects.get().status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff_x).post(url, {"decision": "refuse", "note": "KTM menunjukkan 2015."})
    correction.refresh_from_db()
    assert (correction.status, correction.decision_note) == ("refused", "KTM menunjukkan 2015.")
    record_a.refresh_from_db()
    assert (record_a.entry_year, record_a.graduation_date) == (2015, datetime.date(2019, 8, 25))
    assert cohorts(staff_x, record_a.study_program) == {2015: 1}
    assert iku_graduates(record_a.study_program) == 0
    assert Notification.objects.filter(recipient=alumnus_a, kind="record_correction").count() == 1
    assert not AuditLog.objects.filter(action="alumni.profile.record_updated").exists()
    # The person sees the answer and may ask again.
    page = client_for(alumnus_a).get(URL)
    assert "KTM menunjukkan 2015." in page.content.decode() and page.context["form"] is not None


def test_an_accepted_correction_that_no_longer_fits_the_record_is_an_error_not_a_500(record_a, alumnus_a, staff_x):
    ask(alumnus_a, graduation_date="2016-01-01")
    correction = RecordCorrection.objects.get()
    # Meanwhile staff moved the cohort: a graduation in 2016 would now be before the entry cohort.
    services.profile_update(profile=record_a, by=staff_x, data={"entry_year": 2017})
    response = client_for(staff_x).post(reverse("alumni:correction_decide", args=[correction.pk]),
                                        {"decision": "accept"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert RecordCorrection.objects.get().status == "pending"


def test_who_claims_a_detached_record_does_not_read_the_requests_of_the_account_that_held_it(
        record_a, alumnus_a, staff_x):
    ask(alumnus_a, entry_year="2016", reason="Angkatan saya 2016, lihat KTM.")
    correction = RecordCorrection.objects.get()
    client_for(staff_x).post(reverse("alumni:correction_decide", args=[correction.pk]),
                             {"decision": "refuse", "note": "KTM menunjukkan 2015."})
    records.profile_detach(profile=record_a, by=staff_x, reason="impostor")
    AlumniProfile.objects.filter(pk=record_a.pk).update(email="anisa@example.org")
    real = UserFactory(email="anisa@example.org", full_name="Anisa Rahmawati")
    assert services.profile_claim_by_email(user=real, email="anisa@example.org") == record_a
    page = client_for(real).get(URL)
    assert page.status_code == 200 and page.context["history"] == []
    content = page.content.decode()
    assert "lihat KTM" not in content and "KTM menunjukkan 2015." not in content
    assert page.context["form"] is not None  # and may ask for a correction of their own
