"""Groups: cohort groups made and kept in step with verified records, interest communities proposed and decided
(the creator told exactly once), region groups, joining by request, leaving (the last admin names a successor),
and a group's programs. Each refusal changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alumni.models import AlumniProfile
from alumni.verification import profile_verify
from community import services_groups as sg
from community.models import Group, GroupProgram, Membership
from core.models import AuditLog, Notification
from tests.factories import ProgramFactory, SessionFactory

from .support_groups import community, people

pytestmark = pytest.mark.django_db
M = Membership


def _cohort(prodi, year):
    return Group.objects.get(kind=Group.Kind.COHORT, study_program=prodi, entry_year=year)


def _active(group):
    return set(group.memberships.filter(status=M.Status.ACTIVE).values_list("user__email", flat=True))


def test_verification_puts_the_person_in_their_cohort_group(prodi_x, staff_x, alumnus_a, pending_person,
                                                            django_capture_on_commit_callbacks):
    sg.cohort_groups_sync()
    cohort = _cohort(prodi_x, 2015)
    assert cohort.name == "Ilmu Perpustakaan · Angkatan 2015"
    assert "pending@example.org" not in _active(cohort) and "ani@example.org" in _active(cohort)
    with django_capture_on_commit_callbacks(execute=True):
        profile_verify(profile=pending_person.alumni_profile, by=staff_x)
    assert "pending@example.org" in _active(cohort)


def test_a_changed_entry_year_moves_the_membership(prodi_x, alumnus_a, django_capture_on_commit_callbacks):
    sg.cohort_groups_sync()
    profile = AlumniProfile.objects.get(user=alumnus_a)
    with django_capture_on_commit_callbacks(execute=True):
        profile.entry_year = 2016
        profile.save(update_fields=["entry_year"])
    assert "ani@example.org" in _active(_cohort(prodi_x, 2016))
    old = Membership.objects.get(group=_cohort(prodi_x, 2015), user=alumnus_a)
    assert old.status == M.Status.REMOVED
    # Moving back re-activates the old row; running the sync again changes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        profile.entry_year = 2015
        profile.save(update_fields=["entry_year"])
    assert "ani@example.org" in _active(_cohort(prodi_x, 2015))
    run = sg.cohort_groups_sync()
    assert (run["added"], run["removed"]) == (0, 0)


def test_students_are_in_their_cohort_and_cannot_leave_or_join_another(prodi_x, student, alumnus_a):
    sg.cohort_groups_sync()
    cohort = _cohort(prodi_x, 2023)
    assert _active(cohort) == {"dewi@student.example.org"}
    with pytest.raises(ValidationError):
        sg.group_leave(group=cohort, user=student)
    with pytest.raises(ValidationError):
        sg.group_join(group=_cohort(prodi_x, 2015), user=student)


def test_interest_group_proposed_decided_and_creator_told_once(prodi_x, alumnus_a, alumnus_b, staff_x, staff_y,
                                                              admin_user):
    group = sg.interest_group_create(by=alumnus_a, name="Komunitas SLiMS Kediri Raya", study_program=prodi_x,
                                     description="Pengguna SLiMS.")
    assert group.status == Group.Status.WAITING and group.slug == "komunitas-slims-kediri-raya"
    assert Membership.objects.get(group=group, user=alumnus_a).role == M.Role.ADMIN
    with pytest.raises(ValidationError) as exc:
        sg.interest_group_create(by=alumnus_b, name="komunitas  SLiMS — Kediri raya", study_program=prodi_x,
                                 description="Sama.")
    assert "A group with this name exists." in str(exc.value)
    with pytest.raises(PermissionDenied):
        sg.group_decide(group=group, by=staff_y, approve=True)
    with pytest.raises(PermissionDenied):
        sg.group_decide(group=group, by=alumnus_a, approve=True)
    with pytest.raises(ValidationError):
        sg.group_decide(group=group, by=staff_x, approve=False, reason="")
    assert Group.objects.get(pk=group.pk).status == Group.Status.WAITING
    sg.group_decide(group=group, by=staff_x, approve=True)
    with pytest.raises(ValidationError):
        sg.group_decide(group=group, by=admin_user, approve=False, reason="late")
    assert Group.objects.get(pk=group.pk).status == Group.Status.ACTIVE
    told = Notification.objects.filter(kind=sg.KIND_DECIDED)
    assert told.count() == 1 and told.get().recipient == alumnus_a
    assert AuditLog.objects.filter(action="community.group.approved").count() == 1


def test_refused_with_reason(prodi_x, alumnus_a, admin_user):
    group = sg.interest_group_create(by=alumnus_a, name="Klub Buku", study_program=prodi_x, description="Baca.")
    sg.group_decide(group=group, by=admin_user, approve=False, reason="Sudah ada klub yang sama.")
    group.refresh_from_db()
    assert group.status == Group.Status.REFUSED and group.refusal_reason == "Sudah ada klub yang sama."
    assert "Sudah ada klub" in Notification.objects.get(kind=sg.KIND_DECIDED).body


def test_pending_and_staff_without_record_cannot_propose(prodi_x, pending_person, staff_x):
    for user in (pending_person, staff_x):
        with pytest.raises(PermissionDenied):
            sg.interest_group_create(by=user, name="X", study_program=prodi_x, description="x")
    assert not Group.objects.exists()


def test_join_by_request_admins_told_then_approved(prodi_x, alumnus_a, alumnus_b, student):
    group = community(prodi_x, alumnus_a)
    row = sg.group_join(group=group, user=alumnus_b)
    assert row.status == M.Status.REQUESTED
    with pytest.raises(ValidationError):
        sg.group_join(group=group, user=alumnus_b)
    asked = Notification.objects.filter(kind=sg.KIND_JOIN_REQUESTED)
    assert [n.recipient for n in asked] == [alumnus_a]
    with pytest.raises(PermissionDenied):
        sg.membership_decide(group=group, by=student, membership=row, approve=True)
    sg.membership_decide(group=group, by=alumnus_a, membership=row, approve=True)
    assert Membership.objects.get(pk=row.pk).status == M.Status.ACTIVE
    assert Notification.objects.filter(kind=sg.KIND_JOIN_DECIDED, recipient=alumnus_b).count() == 1
    with pytest.raises(ValidationError):
        sg.membership_decide(group=group, by=alumnus_a, membership=row, approve=False)


def test_open_group_joined_at_once(prodi_x, alumnus_a, student, pending_person):
    group = community(prodi_x, alumnus_a, join_policy=Group.JoinPolicy.OPEN)
    assert sg.group_join(group=group, user=student).status == M.Status.ACTIVE
    with pytest.raises(PermissionDenied):
        sg.group_join(group=group, user=pending_person)
    assert not Notification.objects.filter(kind=sg.KIND_JOIN_REQUESTED).exists()


def test_the_last_admin_names_a_successor(prodi_x, alumnus_a, alumnus_b, student):
    group = community(prodi_x, alumnus_a, members=[student])
    with pytest.raises(ValidationError) as exc:
        sg.group_leave(group=group, user=alumnus_a)
    assert "last admin" in str(exc.value)
    with pytest.raises(ValidationError):
        sg.group_leave(group=group, user=alumnus_a, successor=alumnus_b)  # not a member
    assert Membership.objects.get(group=group, user=alumnus_a).status == M.Status.ACTIVE
    sg.group_leave(group=group, user=alumnus_a, successor=student)
    assert Membership.objects.get(group=group, user=student).role == M.Role.ADMIN
    assert Membership.objects.get(group=group, user=alumnus_a).status == M.Status.LEFT


def test_region_groups(prodi_x, provinces, staff_x, admin_user, alumnus_a):
    from alumni.models import Province

    jabar = Province.objects.get(code="020000")
    with pytest.raises(PermissionDenied):
        sg.region_group_create(by=alumnus_a, province=jabar)
    group = sg.region_group_create(by=staff_x, province=jabar)
    assert group.name == jabar.name and group.kind == Group.Kind.REGION
    with pytest.raises(ValidationError):
        sg.region_group_create(by=admin_user, province=jabar)
    institution = prodi_x.faculty.institution
    per_institution = sg.region_group_create(by=admin_user, province=jabar, institution=institution)
    assert per_institution.institution == institution
    AlumniProfile.objects.filter(user=alumnus_a).update(province=Province.objects.get(code="050000"))
    made = sg.region_groups_sync()
    assert [g.province.code for g in made] == ["050000"]
    assert sg.region_groups_sync() == []


def test_group_programs(prodi_x, prodi_y, alumnus_a, student, staff_x, staff_y):
    group = community(prodi_x, alumnus_a, members=[student])
    own = ProgramFactory(study_program=prodi_x, proposed_by=alumnus_a, title="Temu SLiMS Kediri")
    other = ProgramFactory(study_program=prodi_x, title="Kuliah Tamu")
    with pytest.raises(PermissionDenied):
        sg.group_program_link(group=group, program=other, by=alumnus_a)
    with pytest.raises(PermissionDenied):
        sg.group_program_link(group=group, program=own, by=student)
    sg.group_program_link(group=group, program=own, by=alumnus_a)
    with pytest.raises(ValidationError):
        sg.group_program_link(group=group, program=own, by=staff_x)
    with pytest.raises(PermissionDenied):
        sg.group_program_link(group=group, program=other, by=staff_y)
    sg.group_program_link(group=group, program=other, by=staff_x)
    assert set(GroupProgram.objects.values_list("program__title", flat=True)) == {"Temu SLiMS Kediri", "Kuliah Tamu"}
    SessionFactory(program=own)
    from community.selectors_groups import group_page
    from core.access import scope_for

    page = group_page(group, scope=scope_for(student), user=student)
    assert [s.program for s in page.sessions] == [own]


def test_demo_helpers_make_members(prodi_x, alumnus_a):
    users = people(prodi_x, 3)
    group = community(prodi_x, alumnus_a, members=users)
    assert group.memberships.filter(status=M.Status.ACTIVE).count() == 4
