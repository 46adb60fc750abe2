"""Job posts, services: the posting rule (who posts, which study programs list a post at once), bad input with
nothing half-written, per-program visibility and staff decisions (the poster emailed in their language), reports
and the three-reports hide rule, the review of a hidden post, edits, closing early and "I applied"."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from alumni.models import AlumniProfile
from careers import services_posts
from careers.models import (
    Application,
    EmployerContact,
    JobPost,
    JobPostTarget,
    JobReport,
    Organisation,
)
from core.models import AuditLog, Notification

from ..factories import AlumniProfileFactory, StudyProgramFactory, UserFactory
from .matrix_posts import make_post

S = JobPost.Status
T = JobPostTarget.State
TODAY = timezone.localdate


def valid(**over) -> dict:
    data = {
        "title": "Pustakawan Ahli Pertama", "organisation_name": "Perpustakaan Nasional RI",
        "kind": JobPost.Kind.FULL_TIME, "field": "library", "tags": "katalog, SLiMS", "province": None,
        "city": "", "remote": True, "salary_min": None, "salary_max": None,
        "description": "Mengelola koleksi digital.", "requirements": "S1 Ilmu Perpustakaan",
        "apply_how": JobPost.Apply.URL, "apply_url": "https://karir.perpusnas.example/1", "apply_email": "",
        "closing_date": TODAY() + datetime.timedelta(days=30),
    }
    data.update(over)
    return data


@pytest.fixture
def member_y(prodi_y):
    user = UserFactory(email="yusuf@example.org", full_name="Yusuf Hidayat")
    AlumniProfileFactory(user=user, study_program=prodi_y, nim="15790001", entry_year=2015)
    return user


def states(post) -> dict:
    return dict(post.targets.values_list("study_program__code", "state"))


# --- the posting rule --------------------------------------------------------------------------------------------


def test_a_members_post_is_listed_at_once_for_their_program_and_waits_for_the_others(alumnus_b, prodi_x, prodi_y):
    post = services_posts.post_create(by=alumnus_b, data=valid(), program_ids=[prodi_x.pk, prodi_y.pk])
    assert post.poster_kind == JobPost.PosterKind.MEMBER and post.status == S.OPEN
    assert states(post) == {"71201": T.APPROVED, "79202": T.PENDING}
    entry = AuditLog.objects.get(action="careers.post.created")
    assert entry.target_id == str(post.pk) and entry.data["pending"] == [prodi_y.pk]
    assert post.organisation.name == "Perpustakaan Nasional RI"


def test_a_staff_post_is_listed_at_once_for_the_programs_they_run_only(staff_x, prodi_x, prodi_y):
    post = services_posts.post_create(by=staff_x, data=valid(), program_ids=[prodi_x.pk, prodi_y.pk])
    assert post.poster_kind == JobPost.PosterKind.STAFF
    assert states(post) == {"71201": T.APPROVED, "79202": T.PENDING}


def test_an_institution_admin_runs_every_program_so_their_post_is_listed_everywhere(admin_user, prodi_x, prodi_y):
    post = services_posts.post_create(by=admin_user, data=valid(), program_ids=[prodi_x.pk, prodi_y.pk])
    assert states(post) == {"71201": T.APPROVED, "79202": T.APPROVED}


def test_an_employer_contacts_post_waits_for_staff_everywhere(employer_contact, prodi_x, prodi_y):
    post = services_posts.post_create(by=employer_contact, data=valid(), program_ids=[prodi_x.pk, prodi_y.pk])
    assert post.poster_kind == JobPost.PosterKind.EMPLOYER
    assert states(post) == {"71201": T.PENDING, "79202": T.PENDING}
    rights = services_posts.poster_rights(employer_contact)
    assert rights.default_program_ids == (prodi_x.pk,)


def test_the_default_programs_are_the_members_own_and_the_staffs_own(alumnus_a, staff_y, prodi_x, prodi_y):
    assert services_posts.poster_rights(alumnus_a).default_program_ids == (prodi_x.pk,)
    assert services_posts.poster_rights(staff_y).default_program_ids == (prodi_y.pk,)
    assert services_posts.poster_rights(alumnus_a).choosable_program_ids == {prodi_x.pk, prodi_y.pk}


def test_pending_people_strangers_and_unapproved_employers_may_not_post(pending_person, employer_contact, prodi_x):
    stranger = UserFactory(email="orang@example.org")
    EmployerContact.objects.filter(user=employer_contact).update(status=EmployerContact.Status.PENDING)
    for user in (pending_person, stranger, employer_contact):
        assert services_posts.poster_rights(user) is None
        with pytest.raises(PermissionDenied):
            services_posts.post_create(by=user, data=valid(), program_ids=[prodi_x.pk])
    assert JobPost.objects.count() == 0


def test_a_study_program_of_another_institution_cannot_be_named(alumnus_a):
    elsewhere = StudyProgramFactory(code="55201", name="Informatika",
                                    faculty__institution__name="Universitas Lain", faculty__name="Fakultas Teknik")
    with pytest.raises(ValidationError) as caught:
        services_posts.post_create(by=alumnus_a, data=valid(), program_ids=[elsewhere.pk])
    assert "study_programs" in caught.value.message_dict
    assert JobPost.objects.count() == 0


# --- bad input ---------------------------------------------------------------------------------------------------

BAD = [
    ({"closing_date": datetime.date(2020, 1, 1)}, "closing_date", "The closing date is in the past."),
    ({"closing_date": "+91"}, "closing_date", "at most 90 days ahead"),
    ({"closing_date": None}, "closing_date", "Give the closing date."),
    ({"apply_url": "ftp://files.example.org/cv"}, "apply_url", "must start with http:// or https://"),
    ({"apply_url": "javascript:alert(1)"}, "apply_url", "must start with http:// or https://"),
    ({"apply_how": "email", "apply_email": "hrd@perpusnas"}, "apply_email", "not a valid email address"),
    ({"apply_how": "email", "apply_email": "hrd perpusnas.go.id"}, "apply_email", "not a valid email address"),
    ({"apply_how": "url", "apply_url": ""}, "apply_url", "Give the application link"),
    ({"apply_how": "email", "apply_email": ""}, "apply_email", "Give the email address for applications"),
    ({"salary_min": 8_000_000, "salary_max": 5_000_000}, "salary_max", "below the lower end"),
    ({"title": "x" * 151}, "title", "150 characters at most (it has 151)"),
    ({"title": "   "}, "title", "Give the job a title."),
    ({"description": "y" * 5001}, "description", "5000 characters at most (it has 5001)"),
    ({"requirements": "z" * 5001}, "requirements", "5000 characters at most"),
    ({"organisation_name": ""}, "organisation_name", "Name the organisation"),
    ({"organisation_name": "!!!"}, "organisation_name", "letters or digits"),
    ({"remote": False, "province": None}, "province", "or tick remote work"),
    ({"kind": "slavery"}, "kind", "Choose the kind of work."),
]


@pytest.mark.parametrize(("over", "field", "message"), BAD, ids=[f"{f}-{i}" for i, (_o, f, _m) in enumerate(BAD)])
def test_bad_input_gets_a_clear_message_and_writes_nothing(over, field, message, alumnus_a, prodi_x):
    if over.get("closing_date") == "+91":
        over = {**over, "closing_date": TODAY() + datetime.timedelta(days=91)}
    organisations = Organisation.objects.count()
    with pytest.raises(ValidationError) as caught:
        services_posts.post_create(by=alumnus_a, data=valid(**over), program_ids=[prodi_x.pk])
    errors = caught.value.message_dict
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert JobPost.objects.count() == 0 and JobPostTarget.objects.count() == 0
    assert Organisation.objects.count() == organisations
    assert not AuditLog.objects.filter(action__startswith="careers.post").exists()


def test_a_closing_date_exactly_90_days_ahead_and_today_are_accepted(alumnus_a, prodi_x):
    for days in (0, 90):
        services_posts.post_create(by=alumnus_a, data=valid(closing_date=TODAY() + datetime.timedelta(days=days)),
                                   program_ids=[prodi_x.pk])
    assert JobPost.objects.count() == 2


def test_no_study_program_chosen_is_refused(alumnus_a):
    with pytest.raises(ValidationError) as caught:
        services_posts.post_create(by=alumnus_a, data=valid(), program_ids=[])
    assert "Choose at least one study program" in caught.value.message_dict["study_programs"][0]


def test_a_failure_midway_leaves_no_post_no_targets_and_no_new_organisation(alumnus_a, prodi_x, monkeypatch):
    def broken(**_kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services_posts, "audit_log", broken)
    with pytest.raises(RuntimeError):
        services_posts.post_create(by=alumnus_a, data=valid(organisation_name="CV Baru Sekali"),
                                   program_ids=[prodi_x.pk])
    assert JobPost.objects.count() == 0 and JobPostTarget.objects.count() == 0
    assert not Organisation.objects.filter(name="CV Baru Sekali").exists()


def test_html_and_script_are_stored_as_typed(alumnus_a, prodi_x):
    text = '<script>alert("x")</script><b>Gaji</b> & tunjangan'
    post = services_posts.post_create(by=alumnus_a, data=valid(description=text, title="<i>Pustakawan</i>"),
                                      program_ids=[prodi_x.pk])
    post.refresh_from_db()
    assert post.description == text and post.title == "<i>Pustakawan</i>"


def test_apply_details_of_the_ways_not_chosen_are_dropped(alumnus_a, prodi_x):
    post = services_posts.post_create(
        by=alumnus_a, data=valid(apply_how="ask", apply_url="https://x.example", apply_email="hr@x.example"),
        program_ids=[prodi_x.pk])
    assert (post.apply_url, post.apply_email) == ("", "")


# --- per-program visibility and staff decisions ------------------------------------------------------------------


def test_a_classmate_sees_a_post_at_once_and_prodi_y_only_after_its_staff_approve(
        alumnus_a, alumnus_b, member_y, staff_y, prodi_x, prodi_y):
    post = services_posts.post_create(by=alumnus_b, data=valid(), program_ids=[prodi_x.pk, prodi_y.pk])
    assert JobPost.objects.listed_for(alumnus_a).filter(pk=post.pk).exists()
    assert JobPost.objects.visible_to(alumnus_a).filter(pk=post.pk).exists()
    assert not JobPost.objects.listed_for(member_y).filter(pk=post.pk).exists()
    assert not JobPost.objects.visible_to(member_y).filter(pk=post.pk).exists()
    target = post.targets.get(study_program=prodi_y)
    services_posts.target_approve(target=target, by=staff_y)
    assert JobPost.objects.listed_for(member_y).filter(pk=post.pk).exists()
    target.refresh_from_db()
    assert (target.state, target.decided_by) == (T.APPROVED, staff_y)
    assert AuditLog.objects.filter(action="careers.post.approved", study_program=prodi_y).count() == 1


def test_staff_of_prodi_y_never_decide_a_target_of_prodi_x(alumnus_b, staff_y, prodi_x, prodi_y):
    post = make_post(by=alumnus_b, pending=[prodi_x])
    target = post.targets.get()
    with pytest.raises(PermissionDenied):
        services_posts.target_approve(target=target, by=staff_y)
    with pytest.raises(PermissionDenied):
        services_posts.target_refuse(target=target, by=staff_y, reason="Bukan bidang kami")
    target.refresh_from_db()
    assert target.state == T.PENDING


def test_the_poster_is_told_of_the_decision_in_their_own_language(alumnus_b, staff_y, prodi_x, prodi_y):
    alumnus_b.language = "id"
    alumnus_b.save(update_fields=["language"])
    post = make_post(by=alumnus_b, approved=[prodi_x], pending=[prodi_y], title="Arsiparis")
    services_posts.target_approve(target=post.targets.get(study_program=prodi_y), by=staff_y)
    told = Notification.objects.get(recipient=alumnus_b)
    assert told.kind == "careers_post_decided" and told.body.startswith("Halo")
    assert "Arsiparis" in told.subject and "Bahasa dan Sastra Arab" in told.subject
    assert told.link.endswith(f"/careers/jobs/{post.pk}/")


def test_a_refusal_needs_a_reason_which_the_poster_reads(alumnus_b, staff_y, prodi_x, prodi_y):
    alumnus_b.language = "en"
    alumnus_b.save(update_fields=["language"])
    post = make_post(by=alumnus_b, approved=[prodi_x], pending=[prodi_y])
    target = post.targets.get(study_program=prodi_y)
    with pytest.raises(ValidationError):
        services_posts.target_refuse(target=target, by=staff_y, reason="  ")
    assert not Notification.objects.filter(recipient=alumnus_b).exists()
    services_posts.target_refuse(target=target, by=staff_y, reason="Lowongan ini untuk lulusan teknik.")
    target.refresh_from_db()
    assert (target.state, target.reason) == (T.REFUSED, "Lowongan ini untuk lulusan teknik.")
    told = Notification.objects.get(recipient=alumnus_b)
    assert told.body.startswith("Hello") and "Lowongan ini untuk lulusan teknik." in told.body
    assert AuditLog.objects.filter(action="careers.post.refused").count() == 1
    with pytest.raises(ValidationError):  # decided once
        services_posts.target_approve(target=target, by=staff_y)


# --- reports -----------------------------------------------------------------------------------------------------


@pytest.fixture
def classmates(prodi_x):
    people = []
    for n in range(4):
        user = UserFactory(email=f"teman{n}@example.org")
        AlumniProfileFactory(user=user, study_program=prodi_x, nim=f"1571010{n}")
        people.append(user)
    return people


def test_three_reports_hide_a_post_once_and_a_fourth_only_counts(alumnus_b, prodi_x, classmates):
    post = make_post(by=alumnus_b, approved=[prodi_x])
    for n, who in enumerate(classmates[:2], start=1):
        services_posts.post_report(post=post, by=who, reason="scam", note="Minta transfer dulu")
        post.refresh_from_db()
        assert (post.status, post.report_count) == (S.OPEN, n)
    services_posts.post_report(post=post, by=classmates[2], reason="expired")
    post.refresh_from_db()
    assert (post.status, post.report_count) == (S.HIDDEN, 3)
    assert not JobPost.objects.listed_for(classmates[0]).filter(pk=post.pk).exists()
    services_posts.post_report(post=post, by=classmates[3], reason="wrong")
    post.refresh_from_db()
    assert (post.status, post.report_count) == (S.HIDDEN, 4)
    assert AuditLog.objects.filter(action="careers.post.hidden").count() == 1
    assert AuditLog.objects.filter(action="careers.post.reported").count() == 4


def test_a_person_reports_a_post_once_and_never_their_own(alumnus_a, alumnus_b, pending_person, prodi_x):
    post = make_post(by=alumnus_b, approved=[prodi_x])
    services_posts.post_report(post=post, by=alumnus_a, reason="scam")
    with pytest.raises(ValidationError):
        services_posts.post_report(post=post, by=alumnus_a, reason="wrong")
    with pytest.raises(PermissionDenied):
        services_posts.post_report(post=post, by=alumnus_b, reason="wrong")
    with pytest.raises(PermissionDenied):
        services_posts.post_report(post=post, by=pending_person, reason="wrong")
    assert JobReport.objects.count() == 1


def test_a_report_needs_a_reason_and_a_short_note(alumnus_a, alumnus_b, prodi_x):
    post = make_post(by=alumnus_b, approved=[prodi_x])
    with pytest.raises(ValidationError) as caught:
        services_posts.post_report(post=post, by=alumnus_a, reason="boring", note="n" * 501)
    assert set(caught.value.message_dict) == {"reason", "note"}
    assert JobReport.objects.count() == 0


def test_staff_keep_a_hidden_post_and_its_reports_stop_counting(alumnus_b, staff_x, prodi_x, classmates):
    post = make_post(by=alumnus_b, approved=[prodi_x])
    for who in classmates[:3]:
        services_posts.post_report(post=post, by=who, reason="scam")
    post.refresh_from_db()
    services_posts.post_keep(post=post, by=staff_x)
    post.refresh_from_db()
    assert (post.status, post.report_count) == (S.OPEN, 0)
    assert JobReport.objects.filter(resolved_at__isnull=True).count() == 0
    assert AuditLog.objects.filter(action="careers.post.restored").count() == 1
    services_posts.post_report(post=post, by=classmates[3], reason="scam")
    post.refresh_from_db()
    assert (post.status, post.report_count) == (S.OPEN, 1)


def test_staff_of_another_program_cannot_review_a_hidden_post(alumnus_b, staff_y, prodi_x):
    post = make_post(by=alumnus_b, approved=[prodi_x], status=S.HIDDEN, report_count=3)
    with pytest.raises(PermissionDenied):
        services_posts.post_keep(post=post, by=staff_y)
    with pytest.raises(PermissionDenied):
        services_posts.post_remove(post=post, by=staff_y, reason="Penipuan")


def test_staff_remove_a_hidden_post_with_a_reason_and_the_poster_is_told(alumnus_b, staff_x, prodi_x, classmates):
    post = make_post(by=alumnus_b, approved=[prodi_x])
    for who in classmates[:3]:
        services_posts.post_report(post=post, by=who, reason="scam")
    post.refresh_from_db()
    with pytest.raises(ValidationError):
        services_posts.post_remove(post=post, by=staff_x, reason="")
    services_posts.post_remove(post=post, by=staff_x, reason="Meminta biaya pendaftaran.")
    post.refresh_from_db()
    assert post.status == S.REMOVED
    assert JobReport.objects.filter(resolved_at__isnull=True).count() == 0
    told = Notification.objects.get(recipient=alumnus_b, kind="careers_post_removed")
    assert "Meminta biaya pendaftaran." in told.body
    assert JobPost.objects.visible_to(alumnus_b).filter(pk=post.pk).exists()
    assert not JobPost.objects.visible_to(classmates[0]).filter(pk=post.pk).exists()
    assert AuditLog.objects.filter(action="careers.post.removed").count() == 1


# --- edit, close, applied ----------------------------------------------------------------------------------------


def test_the_poster_edits_an_open_post_and_the_edit_is_audited(alumnus_b, prodi_x):
    post = make_post(by=alumnus_b, approved=[prodi_x], remote=True)
    data = valid(title="Pustakawan Senior", organisation_name="Perpustakaan Nasional RI",
                 closing_date=post.closing_date)
    services_posts.post_update(post=post, by=alumnus_b, data=data)
    post.refresh_from_db()
    assert post.title == "Pustakawan Senior"
    entry = AuditLog.objects.get(action="careers.post.edited")
    assert "title" in entry.data["fields"] and entry.data["as"] == "poster"


def test_staff_of_a_target_program_edit_but_other_members_do_not(alumnus_a, alumnus_b, staff_y, prodi_x, prodi_y):
    post = make_post(by=alumnus_b, approved=[prodi_x], pending=[prodi_y], remote=True)
    assert services_posts.can_edit(post, staff_y)
    assert not services_posts.can_edit(post, alumnus_a)
    with pytest.raises(PermissionDenied):
        services_posts.post_update(post=post, by=alumnus_a, data=valid(closing_date=post.closing_date))
    services_posts.post_update(post=post, by=staff_y, data=valid(title="Diperbaiki staf",
                                                                 closing_date=post.closing_date))
    assert AuditLog.objects.get(action="careers.post.edited").data["as"] == "staff"


def test_the_poster_cannot_edit_a_closed_post_but_staff_can_keep_its_old_closing_date(alumnus_b, staff_x, prodi_x):
    post = make_post(by=alumnus_b, approved=[prodi_x], status=S.CLOSED, remote=True)
    JobPost.objects.filter(pk=post.pk).update(closing_date=datetime.date(2026, 1, 5))
    post.refresh_from_db()
    assert not services_posts.can_edit(post, alumnus_b)
    services_posts.post_update(post=post, by=staff_x, data=valid(closing_date=datetime.date(2026, 1, 5)))


def test_the_poster_closes_a_post_early_once(alumnus_a, alumnus_b, staff_x, prodi_x):
    post = make_post(by=alumnus_b, approved=[prodi_x])
    with pytest.raises(PermissionDenied):
        services_posts.post_close(post=post, by=alumnus_a)
    services_posts.post_close(post=post, by=alumnus_b)
    post.refresh_from_db()
    assert post.status == S.CLOSED and post.closed_at is not None
    with pytest.raises(ValidationError):
        services_posts.post_close(post=post, by=alumnus_b)
    assert AuditLog.objects.filter(action="careers.post.closed").count() == 1
    # Closed: readable for the poster and staff, not listed, gone for other members.
    assert JobPost.objects.visible_to(alumnus_b).filter(pk=post.pk).exists()
    assert JobPost.objects.visible_to(staff_x).filter(pk=post.pk).exists()
    assert not JobPost.objects.visible_to(alumnus_a).filter(pk=post.pk).exists()
    assert not JobPost.objects.listed_for(staff_x).filter(pk=post.pk).exists()


def test_a_member_marks_applied_once(alumnus_a, alumnus_b, staff_x, prodi_x):
    post = make_post(by=alumnus_b, approved=[prodi_x])
    first, created = services_posts.application_mark(post=post, user=alumnus_a)
    again, created_again = services_posts.application_mark(post=post, user=alumnus_a)
    assert created and not created_again and first.pk == again.pk
    assert Application.objects.count() == 1
    with pytest.raises(PermissionDenied):
        services_posts.application_mark(post=post, user=staff_x)
    with pytest.raises(ValidationError):
        services_posts.application_mark(post=post, user=alumnus_b)


def test_a_students_record_counts_as_a_member_too(prodi_x, alumnus_b):
    student = UserFactory(email="mahasiswa@example.org")
    AlumniProfileFactory(user=student, study_program=prodi_x, nim="23710001",
                         verification=AlumniProfile.Verification.VERIFIED)
    post = make_post(by=alumnus_b, approved=[prodi_x])
    assert JobPost.objects.listed_for(student).filter(pk=post.pk).exists()


def test_a_closed_post_cannot_be_reported(alumnus_a, alumnus_b, prodi_x):
    post = make_post(by=alumnus_b, approved=[prodi_x], status=S.CLOSED)
    with pytest.raises(ValidationError):
        services_posts.post_report(post=post, by=alumnus_a, reason="expired")
    assert JobReport.objects.count() == 0
