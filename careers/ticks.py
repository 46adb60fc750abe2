"""The careers tick (beat: `careers.tasks_alerts.run_careers_ticks`, every 15 minutes): posts close themselves on
their closing date, and their posters hear three days before.

1. Closing: open or hidden posts whose closing date (Asia/Jakarta) is past become CLOSED with `closed_at`, at
   most CLOSE_BATCH per tick (the rest next tick). The rows are locked with SKIP LOCKED before the one UPDATE, so
   two racing ticks close (and audit, `careers.post.expired`) each post once; a closed post stays readable for its
   poster and staff, not listed.
2. Reminders: each open post closing within CLOSING_SOON_DAYS days (today included) gets one email to its poster,
   key ``careers.closing_soon:<post>:<closing date>``: an extended post closing on a new date is a new occasion.
   Claimed through `notifications_claim_many` (unique key, ON CONFLICT DO NOTHING: exactly once however many
   ticks run), with a link to edit or extend the post.

Queries per tick, whatever the number of posts: 1 lock-and-read of the posts to close, 1 UPDATE, 1 audit INSERT
(only when something closed), 1 read of the posts closing soon, and the claim (1 key look-up, 1 preferences,
1 INSERT): at most 7.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from core.models import AuditLog
from core.notifications import ClaimItem, notifications_claim_many

from .links_alerts import post_edit_url
from .models import JobPost

CLOSING_SOON_KIND = "careers.closing_soon"
CLOSING_SOON_TEMPLATE = "careers/email/closing_soon"
CLOSING_SOON_DAYS = 3
# Posts closed per tick at most: a bounded UPDATE (a backlog after downtime is worked off over a few ticks).
CLOSE_BATCH = 5000
EXPIRED_ACTION = "careers.post.expired"

S = JobPost.Status


def closing_soon_key(post: JobPost) -> str:
    return f"{CLOSING_SOON_KIND}:{post.pk}:{post.closing_date.isoformat()}"


def posts_close_expired(*, today: datetime.date, now: datetime.datetime, limit: int = CLOSE_BATCH) -> int:
    """Close the open and hidden posts whose closing date is before `today`. Returns how many this call closed."""
    with transaction.atomic():
        # SKIP LOCKED: a concurrent tick closing the same posts leaves them to the one holding them (PostgreSQL;
        # SQLite serialises writers anyway).
        due = list(
            JobPost.objects.select_for_update(skip_locked=True)
            .filter(status__in=[S.OPEN, S.HIDDEN], closing_date__lt=today)
            .order_by("closing_date", "pk").values_list("pk", "title", "status")[:limit]
        )
        if not due:
            return 0
        closed = JobPost.objects.filter(pk__in=[pk for pk, _t, _s in due], status__in=[S.OPEN, S.HIDDEN]).update(
            status=S.CLOSED, closed_at=now
        )
        AuditLog.objects.bulk_create([
            AuditLog(action=EXPIRED_ACTION, target_type=JobPost._meta.label_lower, target_id=str(pk),
                     target_repr=title[:200], data={"from": status})
            for pk, title, status in due
        ])
    return closed


def closing_soon_items(*, today: datetime.date) -> list[ClaimItem]:
    """One query: the open posts closing between today and CLOSING_SOON_DAYS days from now, with their posters."""
    posts = (
        JobPost.objects.filter(
            status=S.OPEN, closing_date__gte=today,
            closing_date__lte=today + datetime.timedelta(days=CLOSING_SOON_DAYS), posted_by__is_active=True,
        )
        .select_related("posted_by", "organisation")
        .order_by("closing_date", "pk")
    )
    return [
        ClaimItem(
            key=closing_soon_key(post), kind=CLOSING_SOON_KIND, recipient=post.posted_by,
            template=CLOSING_SOON_TEMPLATE,
            context={"post": post, "days_left": post.days_left(today=today)}, link=post_edit_url(post),
        )
        for post in posts
    ]


@dataclass
class TickRun:
    closed: int = 0
    reminded: int = 0


def careers_tick(*, now: datetime.datetime | None = None, deliver: bool = True) -> TickRun:
    """One tick (see the module docstring). Safe to run twice or concurrently."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    run = TickRun(closed=posts_close_expired(today=today, now=now))
    with transaction.atomic():
        run.reminded = len(notifications_claim_many(closing_soon_items(today=today), deliver=deliver))
    return run
