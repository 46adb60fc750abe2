"""The weekly community digest: once per person and ISO week, what happened in their groups.

Beat runs `community.tasks_help.send_community_digests` every hour; each run calls `digest_send`. Who gets one:
active members of at least one active group, with an active account, the opt-in "community" consent in force
(alumni.privacy: off until they say yes), the kind not turned off on the preferences page, no digest claimed this
week yet (the key is looked up in SQL), and at least one thing to tell. What it holds, per person:

- the visible posts of the last DIGEST_DAYS days in their groups (not their own), newest first;
- the open, visible questions of the last QUESTION_DAYS days in their groups whose category is one of their skills
  (not their own);
- the scheduled sessions of their groups' programs (community.GroupProgram → programs) in the next
  SESSION_DAYS days.

Key: ``community.digest:<user id>:<ISO year>-W<ISO week>``. Claimed through `notifications_claim_many` (key,
preference and consent checked again, ON CONFLICT DO NOTHING: two racing runs claim each digest once); a consent
withdrawn after the claim stops the unsent row (alumni.privacy, for the kinds of the purpose).

Queries: 3 for the week's posts, questions and sessions (of every group at once), 1 for the bounds of the user ids,
and per range of CHUNK user ids 1 for the memberships due, 1 for their skills, 1 for the people and the claim
(1 key look-up, 1 preferences, 1 consent, 1 INSERT per 1,000 rows): a fixed number per chunk, whatever the number
of members (tests/community/test_digest_send.py pins it at two sizes). `digest_preview_for` builds one person's
digest the same way (community:digest_preview).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import CharField, Exists, Max, Min, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from alumni.models import Consent
from alumni.privacy import CONSENT_DEFAULTS, consent_in_force
from core.models import Notification, NotificationPreference
from core.notifications import ClaimItem, notifications_claim_many
from programs.models import Program, Session

from .links_help import absolute_url, question_url, skills_url
from .models import Group, HelpRequest, Membership, MemberSkill, Post, Visibility

DIGEST_KIND = "community.digest"
DIGEST_TEMPLATE = "community/email/digest"
DIGEST_DAYS = 7
QUESTION_DAYS = 30
SESSION_DAYS = 14
# Items of each kind listed in one digest; the rest are counted.
DIGEST_MAX_ITEMS = 10
CHUNK = 2000

PROGRAM_RUNS = [Program.Status.APPROVED, Program.Status.RUNNING]


def week_label(day: datetime.date) -> str:
    iso_year, week, _weekday = day.isocalendar()
    return f"{iso_year}-W{week:02d}"


def digest_key(user_id: int, day: datetime.date) -> str:
    return f"{DIGEST_KIND}:{user_id}:{week_label(day)}"


@dataclass
class Sources:
    """What happened in the groups this week, by group id."""

    posts: dict = field(default_factory=lambda: defaultdict(list))
    questions: dict = field(default_factory=lambda: defaultdict(list))
    sessions: dict = field(default_factory=lambda: defaultdict(list))
    groups: dict = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.posts or self.questions or self.sessions)


@dataclass
class DigestContent:
    posts: list = field(default_factory=list)
    questions: list = field(default_factory=list)
    sessions: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.posts or self.questions or self.sessions)

    @property
    def count(self) -> int:
        return len(self.posts) + len(self.questions) + len(self.sessions)


def digest_sources(*, now: datetime.datetime, group_ids=None) -> Sources:
    """Three queries: the week's visible posts, the open questions, the coming sessions (of `group_ids`, or of
    every active group)."""
    sources = Sources()
    groups = {"group__status": Group.Status.ACTIVE}
    if group_ids is not None:
        groups["group_id__in"] = list(group_ids)
    for post in Post.objects.filter(
        visibility=Visibility.VISIBLE, created_at__gte=now - datetime.timedelta(days=DIGEST_DAYS),
        created_at__lte=now, **groups,
    ).select_related("group", "author").order_by("-created_at", "pk"):
        sources.posts[post.group_id].append(post)
        sources.groups[post.group_id] = post.group
    for question in HelpRequest.objects.filter(
        status=HelpRequest.Status.OPEN, visibility=Visibility.VISIBLE,
        created_at__gte=now - datetime.timedelta(days=QUESTION_DAYS), created_at__lte=now, **groups,
    ).select_related("group", "category").order_by("-created_at", "pk"):
        sources.questions[question.group_id].append(question)
        sources.groups[question.group_id] = question.group
    session_groups = {f"program__community_group__{k}": v for k, v in groups.items()}
    for session in Session.objects.filter(
        status=Session.Status.SCHEDULED, start__gte=now, start__lte=now + datetime.timedelta(days=SESSION_DAYS),
        program__status__in=PROGRAM_RUNS, **session_groups,
    ).select_related("program__community_group__group").order_by("start", "pk"):
        group = session.program.community_group.group
        sources.sessions[group.pk].append(session)
        sources.groups[group.pk] = group
    return sources


def content_for(user_id: int, group_ids, skill_ids, sources: Sources) -> DigestContent:
    content = DigestContent()
    for group_id in group_ids:
        content.posts += [p for p in sources.posts.get(group_id, ()) if p.author_id != user_id]
        content.questions += [q for q in sources.questions.get(group_id, ())
                              if q.category_id in skill_ids and q.asker_id != user_id]
        content.sessions += sources.sessions.get(group_id, [])
    content.posts.sort(key=lambda p: p.created_at, reverse=True)
    content.questions.sort(key=lambda q: q.created_at, reverse=True)
    content.sessions.sort(key=lambda s: s.start)
    return content


def _context(content: DigestContent, *, day: datetime.date) -> dict:
    def cut(items):
        return items[:DIGEST_MAX_ITEMS], max(0, len(items) - DIGEST_MAX_ITEMS)

    posts, more_posts = cut(content.posts)
    questions, more_questions = cut(content.questions)
    sessions, more_sessions = cut(content.sessions)
    return {
        "posts": [{"post": p, "url": _post_url(p)} for p in posts],
        "more_posts": more_posts,
        "questions": [{"question": q, "url": absolute_url(question_url(q))} for q in questions],
        "more_questions": more_questions,
        "sessions": [{"session": s, "url": absolute_url(s.get_absolute_url())} for s in sessions],
        "more_sessions": more_sessions,
        "count": content.count, "week": week_label(day),
        "settings_url": absolute_url(skills_url()),
        "privacy_url": absolute_url(reverse("alumni:privacy")),
    }


def _post_url(post) -> str:
    return absolute_url(reverse("community:post_detail", args=[post.pk]))


def digest_recipients(*, day: datetime.date):
    """(user id, group id) of the active memberships of the people due a digest this week. One query per slice."""
    consent = Subquery(
        Consent.objects.filter(user_id=OuterRef("user_id"), purpose=Consent.Purpose.COMMUNITY)
        .order_by("-at", "-pk").values("granted")[:1]
    )
    key = Concat(Value(f"{DIGEST_KIND}:"), Cast(OuterRef("user_id"), CharField()), Value(f":{week_label(day)}"),
                 output_field=CharField())
    qs = (
        Membership.objects.filter(status=Membership.Status.ACTIVE, group__status=Group.Status.ACTIVE,
                                  user__is_active=True)
        .annotate(community_consent=consent)
        .exclude(Exists(NotificationPreference.objects.filter(user_id=OuterRef("user_id"), kind=DIGEST_KIND,
                                                             enabled=False)))
        .exclude(Exists(Notification.objects.filter(key=key)))
        .order_by("user_id", "group_id")
    )
    # Opt-in: without any decision the purpose is off (CONSENT_DEFAULTS, alumni.privacy).
    if CONSENT_DEFAULTS[Consent.Purpose.COMMUNITY]:
        return qs.exclude(community_consent=False)
    return qs.filter(community_consent=True)


@dataclass
class DigestRun:
    people_read: int = 0
    claimed: int = 0
    chunks: int = 0


def digest_send(*, now: datetime.datetime | None = None, deliver: bool = True, chunk: int = CHUNK) -> DigestRun:
    """Claim this week's digests (see the module docstring). Safe to run every hour and concurrently."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    run = DigestRun()
    sources = digest_sources(now=now)
    if not sources:
        return run
    recipients = digest_recipients(day=day)
    bounds = Membership.objects.filter(status=Membership.Status.ACTIVE).aggregate(low=Min("user_id"),
                                                                                   high=Max("user_id"))
    if bounds["low"] is None:
        return run
    User = get_user_model()
    for start in range(bounds["low"], bounds["high"] + 1, chunk):
        rows = list(recipients.filter(user_id__gte=start, user_id__lt=start + chunk).values_list("user_id",
                                                                                                 "group_id"))
        run.chunks += 1
        if not rows:
            continue
        groups: dict[int, list] = defaultdict(list)
        for user_id, group_id in rows:
            groups[user_id].append(group_id)
        run.people_read += len(groups)
        skills: dict[int, set] = defaultdict(set)
        for user_id, category_id in MemberSkill.objects.filter(user_id__in=list(groups)).values_list(
                "user_id", "category_id"):
            skills[user_id].add(category_id)
        contents = {user_id: content_for(user_id, group_ids, skills[user_id], sources)
                    for user_id, group_ids in groups.items()}
        contents = {user_id: c for user_id, c in contents.items() if c}
        if not contents:
            continue
        people = User.objects.in_bulk(list(contents))
        items = [
            ClaimItem(key=digest_key(user_id, day), kind=DIGEST_KIND, recipient=people[user_id],
                      template=DIGEST_TEMPLATE, context=_context(content, day=day), link=skills_url())
            for user_id, content in sorted(contents.items()) if user_id in people
        ]
        with transaction.atomic():
            run.claimed += len(notifications_claim_many(items, deliver=deliver))
    return run


def digest_preview_for(user, *, now: datetime.datetime | None = None) -> DigestContent:
    """What the person's next digest would hold now (whatever their consent): five queries."""
    now = now or timezone.now()
    group_ids = list(Membership.objects.filter(user=user, status=Membership.Status.ACTIVE,
                                               group__status=Group.Status.ACTIVE).values_list("group_id", flat=True))
    if not group_ids:
        return DigestContent()
    skill_ids = set(MemberSkill.objects.filter(user=user).values_list("category_id", flat=True))
    return content_for(user.pk, group_ids, skill_ids, digest_sources(now=now, group_ids=group_ids))


def digest_consent_granted(*, user) -> bool:
    """Whether the person said yes to the "community" purpose (group digests and help requests in their skills)."""
    return consent_in_force(user=user, purpose=Consent.Purpose.COMMUNITY)
