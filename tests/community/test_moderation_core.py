"""community.moderation: reports once per person, auto-hide at HIDE_AFTER_REPORTS, hide/show with the history kept,
staff and institution admins override group admins, and the new members' rate limit."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from community import access, moderation
from community.models import (
    HIDE_AFTER_REPORTS,
    NEW_MEMBER_DAYS,
    NEW_MEMBER_POSTS_PER_DAY,
    Comment,
    Group,
    Membership,
    ModerationAction,
    Post,
    Report,
    Visibility,
)
from core.access import scope_for
from core.models import AuditLog
from tests.factories import AlumniProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def _member(group, user, *, role=Membership.Role.MEMBER, days=30):
    return Membership.objects.create(group=group, user=user, role=role, status=Membership.Status.ACTIVE,
                                     joined_at=timezone.now() - timedelta(days=days))


@pytest.fixture
def group(prodi_x, alumnus_a, alumnus_b):
    group = Group.objects.create(kind=Group.Kind.INTEREST, name="Komunitas SLiMS", slug="komunitas-slims",
                                 study_program=prodi_x, created_by=alumnus_a)
    _member(group, alumnus_a, role=Membership.Role.ADMIN)
    _member(group, alumnus_b)
    return group


def _people(prodi_x, n):
    people = []
    for i in range(n):
        user = UserFactory(email=f"m{i}@example.org")
        AlumniProfileFactory(user=user, study_program=prodi_x, nim=f"1579{i:04d}", entry_year=2015)
        people.append(user)
    return people


def test_auto_hide_at_the_threshold_and_one_report_per_person(group, alumnus_b, prodi_x):
    post = Post.objects.create(group=group, author=alumnus_b, body="Jual buku murah")
    reporters = _people(prodi_x, HIDE_AFTER_REPORTS)
    for user in reporters:
        _member(group, user)
    for user in reporters[:-1]:
        moderation.report(post, by=user, reason="spam")
    post.refresh_from_db()
    assert post.visibility == Visibility.VISIBLE and post.report_count == HIDE_AFTER_REPORTS - 1
    with pytest.raises(ValidationError):
        moderation.report(post, by=reporters[0], reason="again")
    moderation.report(post, by=reporters[-1], reason="spam")
    post.refresh_from_db()
    assert post.visibility == Visibility.HIDDEN and post.report_count == HIDE_AFTER_REPORTS
    action = ModerationAction.objects.get(target_id=post.pk)
    assert action.action == ModerationAction.Action.AUTO_HIDE and action.acting_as == ModerationAction.As.REPORTS
    assert AuditLog.objects.filter(action="community.auto_hide", target_id=str(post.pk)).exists()


def test_report_refuses_own_item_empty_reason_and_non_members(group, alumnus_a, alumnus_b, staff_y, student):
    post = Post.objects.create(group=group, author=alumnus_b, body="x")
    with pytest.raises(ValidationError):
        moderation.report(post, by=alumnus_b, reason="mine")
    with pytest.raises(ValidationError):
        moderation.report(post, by=alumnus_a, reason="  ")
    with pytest.raises(PermissionDenied):
        moderation.report(post, by=student, reason="not in the group")
    with pytest.raises(PermissionDenied):
        moderation.report(post, by=staff_y, reason="other prodi")
    assert not Report.objects.exists()


def test_staff_and_admin_override_the_group_admin(group, alumnus_a, alumnus_b, staff_x, staff_y, admin_user):
    post = Post.objects.create(group=group, author=alumnus_b, body="x")
    comment = Comment.objects.create(post=post, author=alumnus_b, body="y")
    moderation.hide(comment, by=alumnus_a, scope=scope_for(alumnus_a), reason="rude")
    comment.refresh_from_db()
    assert comment.visibility == Visibility.HIDDEN
    with pytest.raises(ValidationError):
        moderation.hide(comment, by=alumnus_a, scope=scope_for(alumnus_a), reason="again")
    with pytest.raises(PermissionDenied):
        moderation.show(comment, by=staff_y, scope=scope_for(staff_y))
    with pytest.raises(PermissionDenied):
        moderation.show(comment, by=alumnus_b, scope=scope_for(alumnus_b))
    moderation.show(comment, by=staff_x, scope=scope_for(staff_x), reason="fair criticism")
    comment.refresh_from_db()
    assert comment.visibility == Visibility.VISIBLE
    # The group admin cannot undo the staff's decision; the institution admin can.
    with pytest.raises(PermissionDenied):
        moderation.hide(comment, by=alumnus_a, scope=scope_for(alumnus_a), reason="still rude")
    moderation.hide(comment, by=admin_user, scope=scope_for(admin_user), reason="personal data")
    with pytest.raises(PermissionDenied):
        moderation.show(comment, by=staff_x, scope=scope_for(staff_x))
    history = list(moderation.history(comment))
    assert [(a.action, a.acting_as) for a in history] == [
        ("hide", "admin"), ("show", "staff"), ("hide", "group_admin"),
    ]
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert AuditLog.objects.filter(action__startswith="community.", target_id=str(comment.pk)).count() == 3


def test_hide_needs_a_reason(group, alumnus_a, alumnus_b):
    post = Post.objects.create(group=group, author=alumnus_b, body="x")
    with pytest.raises(ValidationError):
        moderation.hide(post, by=alumnus_a, scope=scope_for(alumnus_a), reason="")
    post.refresh_from_db()
    assert post.visibility == Visibility.VISIBLE and not ModerationAction.objects.exists()


def test_new_members_rate_limit(group, prodi_x, alumnus_b):
    newcomer = _people(prodi_x, 1)[0]
    _member(group, newcomer, days=NEW_MEMBER_DAYS - 1)
    for i in range(NEW_MEMBER_POSTS_PER_DAY - 1):
        Post.objects.create(group=group, author=newcomer, body=f"p{i}")
    assert moderation.posting_allowed(newcomer, group) is None
    post = Post.objects.create(group=group, author=alumnus_b, body="b")
    Comment.objects.create(post=post, author=newcomer, body="c")
    message = moderation.posting_allowed(newcomer, group)
    assert message and "at most 5" in message
    # Yesterday's writing does not count; old members are not limited.
    Post.objects.filter(author=newcomer).update(created_at=timezone.now() - timedelta(days=2))
    assert moderation.posting_allowed(newcomer, group) is None
    for i in range(NEW_MEMBER_POSTS_PER_DAY + 2):
        Post.objects.create(group=group, author=alumnus_b, body=f"old member {i}")
    assert moderation.posting_allowed(alumnus_b, group) is None


def test_access_door(group, alumnus_a, alumnus_b, staff_x, staff_y, admin_user, student, pending_person,
                     employer_contact):
    s = scope_for
    assert access.can_see_group(s(student), group) and not access.can_see_group(s(pending_person), group)
    assert not access.can_see_group(s(employer_contact), group)
    assert access.can_read_threads(s(alumnus_b), alumnus_b, group)
    assert not access.can_read_threads(s(student), student, group)
    assert access.can_moderate(s(staff_x), staff_x, group) and not access.can_moderate(s(staff_y), staff_y, group)
    assert access.can_moderate(s(admin_user), admin_user, group)
    assert access.is_group_admin(alumnus_a, group) and not access.is_group_admin(alumnus_b, group)
    group.status = Group.Status.WAITING
    group.save()
    assert not access.can_see_group(s(alumnus_b), group) and access.can_see_group(s(alumnus_a), group)
    assert access.can_see_group(s(staff_x), group) and not access.can_see_group(s(staff_y), group)
    assert set(access.groups_visible_to(s(staff_y))) == set()
    assert list(access.groups_visible_to(s(alumnus_a))) == [group]
    assert list(access.groups_visible_to(s(pending_person))) == []
