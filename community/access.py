"""The one door of community: who sees a group, who reads its threads, who moderates it.

- A group's page (name, kind, description, admins, member count) is seen by verified members (alumni and students),
  by staff and by institution admins. An interest group that waits for approval (or was refused) is seen only by its
  creator and the people who decide on it (its moderators: staff of its study program, admins of its institution).
  Pending people, employer contacts and visitors see no group.
- Threads (posts, comments, questions, answers) are read by the group's active members and its moderators.
- Moderators: the group's admins; staff of the group's study program; admins of the group's institution or of the
  study program's institution (their scope already counts those programs as theirs); a superuser. A region group
  with neither study program nor institution is moderated by its admins and any institution admin.

Every function takes the viewer's `alumni.scope.Scope` (from `scope_for(user)`); functions about a person's
membership also take the user. Membership questions are one query each, memoised on the user object per group
for the rest of the request.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Group, Membership, ModerationAction

_MEMO_ATTR = "_community_memberships"


def _membership(user, group: Group) -> Membership | None:
    """The person's membership row in the group (any status), one query per (user object, group)."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "pk", None):
        return None
    memo = getattr(user, _MEMO_ATTR, None)
    if memo is None:
        memo = {}
        try:
            setattr(user, _MEMO_ATTR, memo)
        except AttributeError:  # a stand-in that refuses attributes: no memo
            pass
    if group.pk not in memo:
        memo[group.pk] = Membership.objects.filter(group=group, user_id=user.pk).first()
    return memo[group.pk]


def forget_memberships(user) -> None:
    """Call after changing a person's memberships within the same request."""
    if user is not None and hasattr(user, _MEMO_ATTR):
        delattr(user, _MEMO_ATTR)


def membership(user, group: Group) -> Membership | None:
    """The person's membership row (any status) or None."""
    return _membership(user, group)


def is_member(user, group: Group) -> bool:
    """An active member of the group (admins included)."""
    row = _membership(user, group)
    return row is not None and row.status == Membership.Status.ACTIVE


def is_group_admin(user, group: Group) -> bool:
    row = _membership(user, group)
    return row is not None and row.status == Membership.Status.ACTIVE and row.role == Membership.Role.ADMIN


def oversees(scope, group: Group) -> bool:
    """Staff of the group's study program, admins of its institution (or of the program's), a superuser: the
    people who approve an interest group and override its admins' moderation."""
    if scope.is_superuser:
        return True
    if group.study_program_id and scope.manages_program(group.study_program_id):
        return True
    if group.institution_id and scope.administers(group.institution_id):
        return True
    if not group.study_program_id and not group.institution_id:
        return scope.is_admin
    return False


def acting_as(scope, user, group: Group) -> str | None:
    """In which capacity the person moderates the group (a ModerationAction.As value), or None. The strongest
    capacity wins: institution admin (or superuser), then study-program staff, then group admin."""
    if oversees(scope, group):
        if group.study_program_id in scope.staff_program_ids and not scope.is_admin:
            return ModerationAction.As.STAFF
        return ModerationAction.As.INSTITUTION_ADMIN
    if is_group_admin(user, group):
        return ModerationAction.As.GROUP_ADMIN
    return None


def can_moderate(scope, user, group: Group) -> bool:
    """Hide and show posts, comments, questions and answers of the group; see hidden items with their history."""
    if not scope.is_authenticated:
        return False
    return oversees(scope, group) or is_group_admin(user, group)


def can_see_group(scope, group: Group) -> bool:
    """The group's page and description."""
    if not scope.is_authenticated:
        return False
    if group.status == Group.Status.ACTIVE:
        return scope.is_member or scope.is_staff or scope.is_admin
    if group.status in (Group.Status.WAITING, Group.Status.REFUSED):
        return (group.created_by_id is not None and group.created_by_id == scope.user_id) or oversees(scope, group)
    # Archived: its moderators only.
    return oversees(scope, group)


def can_read_threads(scope, user, group: Group) -> bool:
    """Posts, comments, questions and answers of the group: its active members and its moderators."""
    if not scope.is_authenticated or (group.status != Group.Status.ACTIVE and not oversees(scope, group)):
        return False
    return is_member(user, group) or can_moderate(scope, user, group)


def can_post(scope, user, group: Group) -> bool:
    """Write posts and comments (and questions, answers): active members of an active group. (Moderators who are
    no members read and moderate, but do not write in the group.)"""
    return scope.is_authenticated and group.status == Group.Status.ACTIVE and is_member(user, group)


def can_join(scope, group: Group) -> bool:
    """Join (or ask to join) a region or interest group: verified members. Cohort groups are joined by being in
    the cohort (cohort_groups_sync)."""
    return (
        scope.is_authenticated and scope.is_member and group.status == Group.Status.ACTIVE
        and group.kind != Group.Kind.COHORT
    )


def groups_visible_to(scope) -> QuerySet[Group]:
    """The groups whose page the person may open (see can_see_group)."""
    qs = Group.objects.all()
    if not scope.is_authenticated:
        return qs.none()
    if scope.is_superuser:
        return qs
    decides = Q(study_program_id__in=scope.staff_program_ids) | Q(institution_id__in=scope.admin_institution_ids)
    if scope.is_admin:
        decides |= Q(study_program__isnull=True, institution__isnull=True)
    mine = Q(created_by_id=scope.user_id)
    if scope.is_member or scope.is_staff or scope.is_admin:
        visible = Q(status=Group.Status.ACTIVE) | decides | (mine & Q(status__in=[Group.Status.WAITING,
                                                                                   Group.Status.REFUSED]))
    else:
        visible = mine & Q(status__in=[Group.Status.WAITING, Group.Status.REFUSED])
    return qs.filter(visible)
