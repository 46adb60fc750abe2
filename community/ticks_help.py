"""The help tick (beat: `community.tasks_help.run_help_ticks`, every 15 minutes): skill emails and escalation.

1. Skill emails: the active members of a group who list a question's category among their skills (not the asker)
   hear about the group's new open, visible questions, at most ONE email per person and day (Asia/Jakarta): key
   ``community.help_skill:<user id>:<YYYY-MM-DD>``. The email lists every question asked since the person's last
   skill email was claimed (less CLAIM_MARGIN, for a question committed while that email was claimed), or in the
   last SKILL_LOOKBACK_DAYS days; questions asked after today's email wait for tomorrow's
   (or the weekly digest). Sent for the opt-in purpose "community" (no consent, no email) and optional on the
   preferences page. People who already have today's email are left out in SQL.
2. Escalation: an open, visible question with no visible answer ESCALATE_AFTER_DAYS days after it was asked is
   raised to the group's admins (a group without admins, such as a cohort group the portal made: the staff of its
   study program): `escalated_at` is set (rows locked with SKIP LOCKED, so two racing ticks take each question
   once) and each of them gets one email, key ``community.help_escalated:<question>:<user id>``.

Claims go through `notifications_claim_many` (unique key, INSERT … ON CONFLICT DO NOTHING): exactly once however
many ticks run at the same time.

Queries per tick, whatever the number of questions and members: skill emails 1 (questions) + 1 (skilled members)
+ 1 (their last skill email) + 1 (the people) + the claim (≤ 4); escalation 1 (lock and read) + 1 UPDATE
+ 1 audit INSERT + 1 (admins) + 1 (staff, only for groups without admins) + the claim.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import CharField, Exists, Max, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from alumni.models import Role
from core.models import AuditLog, Notification
from core.notifications import ClaimItem, notifications_claim_many

from .links_help import absolute_url, question_url, questions_url, skills_url
from .models import (
    ESCALATE_AFTER_DAYS,
    Group,
    HelpAnswer,
    HelpRequest,
    Membership,
    MemberSkill,
    Visibility,
)
from .services_help import ACTION_ESCALATED

SKILL_KIND = "community.help_skill"
SKILL_TEMPLATE = "community/email/help_skill"
ESCALATED_KIND = "community.help_escalated"
ESCALATED_TEMPLATE = "community/email/help_escalated"
# A skill email lists the questions asked at most this many days ago (since the person's last one).
SKILL_LOOKBACK_DAYS = 7
# Questions listed in one skill email at most (the rest: "and N more", with the link to the group).
SKILL_MAX_QUESTIONS = 10
# Questions asked up to this long before a person's last skill email count as new for the next one (see skill_items).
CLAIM_MARGIN = datetime.timedelta(minutes=2)
# Questions escalated per tick at most (a backlog after downtime goes over a few ticks).
ESCALATE_BATCH = 500

S = HelpRequest.Status


def skill_key(user_id: int, day: datetime.date) -> str:
    return f"{SKILL_KIND}:{user_id}:{day.isoformat()}"


def escalated_key(question_id, admin_id: int) -> str:
    return f"{ESCALATED_KIND}:{question_id}:{admin_id}"


def skill_items(*, now: datetime.datetime) -> list[ClaimItem]:
    """Today's skill emails still due (see the module docstring)."""
    day = timezone.localdate(now)
    questions = list(
        HelpRequest.objects.filter(
            status=S.OPEN, visibility=Visibility.VISIBLE, group__status=Group.Status.ACTIVE,
            created_at__gte=now - datetime.timedelta(days=SKILL_LOOKBACK_DAYS), created_at__lte=now,
        ).select_related("group", "category").order_by("created_at", "pk")
    )
    if not questions:
        return []
    by_pair: dict[tuple, list[HelpRequest]] = defaultdict(list)
    for question in questions:
        by_pair[(question.group_id, question.category_id)].append(question)
    key = Concat(Value(f"{SKILL_KIND}:"), Cast(OuterRef("user_id"), CharField()), Value(f":{day.isoformat()}"),
                 output_field=CharField())
    skilled = (
        MemberSkill.objects.filter(
            category_id__in={q.category_id for q in questions}, user__is_active=True,
            user__group_memberships__group_id__in={q.group_id for q in questions},
            user__group_memberships__status=Membership.Status.ACTIVE,
        )
        .exclude(Exists(Notification.objects.filter(key=key)))
        .values_list("user_id", "category_id", "user__group_memberships__group_id")
    )
    pairs: dict[int, set[tuple]] = defaultdict(set)
    for user_id, category_id, group_id in skilled:
        if (group_id, category_id) in by_pair:
            pairs[user_id].add((group_id, category_id))
    if not pairs:
        return []
    last = dict(
        Notification.objects.filter(kind=SKILL_KIND, recipient_id__in=list(pairs))
        .values("recipient_id").annotate(last=Max("created_at")).values_list("recipient_id", "last")
    )
    people = get_user_model().objects.in_bulk(list(pairs))
    items = []
    for user_id in sorted(pairs):
        since = last.get(user_id)
        # A question saved just before the last email was claimed but committed just after it was not in it:
        # the margin lists such a question again rather than never.
        since = since - CLAIM_MARGIN if since else None
        mine = sorted(
            (q for pair in pairs[user_id] for q in by_pair[pair]
             if q.asker_id != user_id and (since is None or q.created_at > since)),
            key=lambda q: (q.created_at, str(q.pk)),
        )
        person = people.get(user_id)
        if not mine or person is None:
            continue
        shown = mine[:SKILL_MAX_QUESTIONS]
        items.append(ClaimItem(
            key=skill_key(user_id, day), kind=SKILL_KIND, recipient=person, template=SKILL_TEMPLATE,
            context={
                "questions": [{"question": q, "url": absolute_url(question_url(q))} for q in shown],
                "count": len(mine), "more": len(mine) - len(shown),
                "skills_url": absolute_url(skills_url()),
            },
            link=question_url(shown[0]) if len(mine) == 1 else questions_url(shown[0].group),
        ))
    return items


def escalate_due(*, now: datetime.datetime, deliver: bool = True, limit: int = ESCALATE_BATCH) -> int:
    """Raise the unanswered questions to their groups' admins. Returns how many questions this call escalated."""
    cutoff = now - datetime.timedelta(days=ESCALATE_AFTER_DAYS)
    answered = HelpAnswer.objects.filter(request_id=OuterRef("pk"), visibility=Visibility.VISIBLE)
    with transaction.atomic():
        due = list(
            HelpRequest.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=S.OPEN, visibility=Visibility.VISIBLE, escalated_at__isnull=True, created_at__lte=cutoff)
            .exclude(Exists(answered))
            .select_related("group", "category")
            .order_by("created_at", "pk")[:limit]
        )
        if not due:
            return 0
        HelpRequest.objects.filter(pk__in=[q.pk for q in due], escalated_at__isnull=True).update(escalated_at=now)
        AuditLog.objects.bulk_create([
            AuditLog(action=ACTION_ESCALATED, target_type=HelpRequest._meta.label_lower, target_id=str(q.pk),
                     target_repr=q.title[:200], data={"group": str(q.group_id)})
            for q in due
        ])
        admins: dict = defaultdict(list)
        for row in Membership.objects.filter(
            group_id__in={q.group_id for q in due}, role=Membership.Role.ADMIN, status=Membership.Status.ACTIVE,
            user__is_active=True,
        ).select_related("user").order_by("user_id"):
            admins[row.group_id].append(row.user)
        # A group without admins (a cohort group the portal made): the staff of its study program hear instead.
        orphans = {q.group.study_program_id: q.group_id for q in due
                   if q.group_id not in admins and q.group.study_program_id}
        if orphans:
            for role in Role.objects.filter(kind=Role.Kind.STAFF, study_program_id__in=list(orphans),
                                            user__is_active=True).select_related("user").order_by("user_id"):
                for q in due:
                    if q.group.study_program_id == role.study_program_id and role.user not in admins[q.group_id]:
                        admins[q.group_id].append(role.user)
        items = [
            ClaimItem(
                key=escalated_key(q.pk, admin.pk), kind=ESCALATED_KIND, recipient=admin, template=ESCALATED_TEMPLATE,
                context={"question": q, "group": q.group, "days": ESCALATE_AFTER_DAYS,
                         "url": absolute_url(question_url(q))},
                link=question_url(q),
            )
            for q in due for admin in admins.get(q.group_id, ()) if admin.pk != q.asker_id
        ]
        notifications_claim_many(items, deliver=deliver)
    return len(due)


@dataclass
class HelpTickRun:
    skill_emails: int = 0
    escalated: int = 0


def help_tick(*, now: datetime.datetime | None = None, deliver: bool = True) -> HelpTickRun:
    """One tick (see the module docstring). Safe to run twice or concurrently."""
    now = now or timezone.now()
    run = HelpTickRun(escalated=escalate_due(now=now, deliver=deliver))
    with transaction.atomic():
        run.skill_emails = len(notifications_claim_many(skill_items(now=now), deliver=deliver))
    return run
