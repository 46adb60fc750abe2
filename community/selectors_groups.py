"""Reads about groups: the groups page (my groups and the ones to discover, searched by name and filtered by kind),
the group page (admins, member count, pinned announcements, posts, programs and their upcoming sessions), the
members page and the staff queue of communities waiting for approval. Each in a fixed number of queries whatever
the number of groups, members or posts."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from programs.models import Session

from . import access
from .models import Group, GroupProgram, Membership, name_key
from .selectors_posts import post_list

M = Membership
LIST_LIMIT = 60
UPCOMING_SESSIONS = 5


def _with_counts(qs: QuerySet[Group]) -> QuerySet[Group]:
    return qs.select_related("study_program", "province").annotate(
        member_count=Count("memberships", filter=Q(memberships__status=M.Status.ACTIVE), distinct=True)
    )


@dataclass
class GroupsPage:
    mine: list
    discover: list
    requested_ids: set = field(default_factory=set)
    waiting: list = field(default_factory=list)
    more: bool = False  # more groups match than LIST_LIMIT: the page asks for a narrower search


def groups_page(*, scope, user, q: str = "", kind: str = "") -> GroupsPage:
    """My groups (active memberships, and my communities still waiting), and the other active groups the person
    may see, filtered. Four queries."""
    visible = access.groups_visible_to(scope)
    if kind in Group.Kind.values:
        visible = visible.filter(kind=kind)
    key = name_key(q)
    if key:
        for word in key.split()[:6]:
            visible = visible.filter(name_key__contains=word)
    rows = list(Membership.objects.filter(user_id=user.pk, status__in=[M.Status.ACTIVE, M.Status.REQUESTED])
                .values_list("group_id", "status"))
    active_ids = {gid for gid, status in rows if status == M.Status.ACTIVE}
    requested_ids = {gid for gid, status in rows if status == M.Status.REQUESTED}
    mine = list(_with_counts(visible.filter(pk__in=active_ids)).order_by("kind", "name"))
    others = visible.filter(status=Group.Status.ACTIVE).exclude(pk__in=active_ids)
    if not kind and not key:
        # Other cohorts' groups cannot be joined (one is in one's own cohort's by being in it): listed only when
        # asked for by kind or name, so communities and regions come first.
        others = others.exclude(kind=Group.Kind.COHORT)
    discover = list(_with_counts(others).order_by("-kind", "name")[:LIST_LIMIT + 1])
    more = len(discover) > LIST_LIMIT
    waiting = list(visible.filter(created_by_id=user.pk, status__in=[Group.Status.WAITING, Group.Status.REFUSED])
                   .order_by("name"))
    return GroupsPage(mine=mine, discover=discover[:LIST_LIMIT], requested_ids=requested_ids, waiting=waiting,
                      more=more)


def queue(*, scope) -> list[Group]:
    """Communities waiting for the person's decision (staff of their study program, admins of their institution)."""
    qs = Group.objects.filter(status=Group.Status.WAITING, kind=Group.Kind.INTEREST)
    if not scope.is_superuser:
        qs = qs.filter(Q(study_program_id__in=scope.staff_program_ids)
                       | Q(institution_id__in=scope.admin_institution_ids))
    return list(qs.select_related("study_program", "created_by").order_by("created_at"))


@dataclass
class GroupPage:
    admins: list
    member_count: int
    membership: Membership | None
    posts: list
    programs: list
    sessions: list
    readable: bool
    moderator: bool
    waiting_requests: int = 0


def group_page(group: Group, *, scope, user) -> GroupPage:
    """Everything the group page shows, in a fixed number of queries (about ten) whatever its size."""
    membership = access.membership(user, group)
    moderator = access.can_moderate(scope, user, group)
    readable = access.can_read_threads(scope, user, group)
    counts = group.memberships.aggregate(
        members=Count("pk", filter=Q(status=M.Status.ACTIVE)),
        requests=Count("pk", filter=Q(status=M.Status.REQUESTED)),
    )
    admins = list(group.memberships.filter(status=M.Status.ACTIVE, role=M.Role.ADMIN).select_related("user")
                  .order_by("user__full_name", "pk"))
    links = list(GroupProgram.objects.filter(group=group).select_related("program", "program__study_program")
                 .order_by("program__title"))
    programs = [link.program for link in links]
    sessions = []
    if programs:
        sessions = list(
            Session.objects.filter(program__in=programs, start__gte=timezone.now())
            .exclude(status=Session.Status.CANCELLED).select_related("program").order_by("start")[:UPCOMING_SESSIONS]
        )
    posts = post_list(group, user=user, moderator=moderator) if readable else []
    return GroupPage(admins=admins, member_count=counts["members"], membership=membership, posts=posts,
                     programs=programs, sessions=sessions, readable=readable, moderator=moderator,
                     waiting_requests=counts["requests"] if moderator else 0)


def members_page(group: Group) -> tuple[list[Membership], list[Membership]]:
    """(active members, admins first; open requests), two queries."""
    rows = list(group.memberships.filter(status__in=[M.Status.ACTIVE, M.Status.REQUESTED]).select_related("user")
                .order_by("-role", "user__full_name", "pk"))
    members = [m for m in rows if m.status == M.Status.ACTIVE]
    members.sort(key=lambda m: (m.role != M.Role.ADMIN, (m.user.full_name or "").lower()))
    requests = [m for m in rows if m.status == M.Status.REQUESTED]
    return members, requests
