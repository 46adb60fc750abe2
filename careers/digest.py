"""The weekly job digest: once per person and ISO week, the posts of the last seven days that match their alert.

Beat runs `careers.tasks_alerts.send_job_digests` every hour; each run calls `digest_send`:

1. the posts of the week: open, closing today or later, created in the last DIGEST_DAYS days, with the study
   programs each is approved for (two queries; a week brings a few hundred posts, so they are matched in memory);
2. the alerts, read in ranges of ALERT_CHUNK user ids (one query per range, after one for the bounds), of the people
   who should get one: weekly delivery, an active account, a verified record (alumni and students alike) of a
   study program that has a post of the week, the "career" consent in force (alumni.privacy: opt-in), the kind
   not turned off on the preferences page, and no digest claimed for this week yet (the key is looked up in SQL,
   so the hourly reruns of a week only read the few people whose digest is still due);
3. per chunk: each alert is matched against the posts listed for the person's study program (empty lists mean
   "any"), and one claim per person with at least one match goes through `notifications_claim_many` (which checks
   the key, the preference and the consent again, renders in the person's language and inserts with ON CONFLICT
   DO NOTHING: two racing runs claim each digest once). Nobody without a matching post gets an email.

Key: ``careers.digest:<user id>:<ISO year>-W<ISO week>``. A consent withdrawn after the claim stops the unsent
row (alumni.privacy._stop_pending, for the kinds of the purpose, registered in hooks_alerts).

Queries: 2 for the posts, 1 for the bounds of the user ids, and per range of ALERT_CHUNK ids 1 for the alerts and,
when anyone in it matched, the claim (1 key look-up, 1 preferences, 1 consent, 1 INSERT per 1,000 rows): a fixed
number per chunk whatever the number of members (tests/careers/test_digest.py pins it at two sizes;
bench/careers_digest.py times 200,000 members).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, F, Max, Min, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.template.loader import get_template
from django.utils import timezone, translation

from alumni.models import AlumniProfile, Consent
from alumni.privacy import CONSENT_DEFAULTS
from core.models import Notification, NotificationPreference
from core.notifications import ClaimItem, notifications_claim_many, render_text

from .links_alerts import absolute, alerts_url, post_list_url, post_url
from .models import JobAlert, JobPost, JobPostTarget

DIGEST_KIND = "careers.digest"
DIGEST_TEMPLATE = "careers/email/digest"
# One post's lines in a digest: rendered once per language and post, then shared by every digest that lists it
# (rendering each digest's posts anew cost ~8 ms a person: 200,000 members took half an hour).
POST_TEMPLATE = "careers/email/digest_post.txt"
# The digest lists the posts created in the last this many days.
DIGEST_DAYS = 7
# Alerts read and claimed per chunk (one transaction each).
ALERT_CHUNK = 2000
# Posts shown in one digest; the rest are counted with a link to the list.
DIGEST_MAX_POSTS = 15


def week_label(day: datetime.date) -> str:
    iso_year, week, _weekday = day.isocalendar()
    return f"{iso_year}-W{week:02d}"


def digest_key(user_id: int, day: datetime.date) -> str:
    return f"{DIGEST_KIND}:{user_id}:{week_label(day)}"


@dataclass
class DigestPost:
    """One post of the week, as the digest shows and matches it."""

    post: JobPost
    url: str
    program_ids: set[int] = field(default_factory=set)
    # {language: the post's lines in the digest}, rendered once per language for every recipient.
    texts: dict[str, str] = field(default_factory=dict)

    def matches(self, alert: JobAlert) -> bool:
        post = self.post
        if post.posted_by_id == alert.user_id:
            return False
        if alert.fields and post.field not in alert.fields:
            return False
        if alert.kinds and post.kind not in alert.kinds:
            return False
        if alert.remote_only and not post.remote:
            return False
        # A remote post can be done from any province.
        if alert.province_codes and not post.remote:
            return post.province is not None and post.province.code in alert.province_codes
        return True


def posts_of_the_week(*, now: datetime.datetime) -> dict[int, list[DigestPost]]:
    """{study program id: posts listed for it, newest first} of the posts created in the last DIGEST_DAYS days and
    still open. Two queries."""
    today = timezone.localdate(now)
    posts = {
        post.pk: DigestPost(post=post, url=absolute(post_url(post)))
        for post in JobPost.objects.filter(
            status=JobPost.Status.OPEN, closing_date__gte=today,
            created_at__gte=now - datetime.timedelta(days=DIGEST_DAYS), created_at__lte=now,
        ).select_related("organisation", "province").order_by("-created_at", "pk")
    }
    by_program: dict[int, list[DigestPost]] = defaultdict(list)
    if not posts:
        return by_program
    template = get_template(POST_TEMPLATE)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for item in posts.values():
                item.texts[language] = render_text(template, {"post": item.post, "url": item.url}).strip()
    targets = JobPostTarget.objects.filter(post_id__in=list(posts), state=JobPostTarget.State.APPROVED)
    for post_id, program_id in targets.values_list("post_id", "study_program_id"):
        posts[post_id].program_ids.add(program_id)
    for item in posts.values():  # newest first
        for program_id in sorted(item.program_ids):
            by_program[program_id].append(item)
    return by_program


def digest_recipients(*, program_ids, day: datetime.date):
    """The alerts of the people due a digest this week (see the module docstring), with `program_id` (their own
    study program) and the user, ordered by user id. One query per slice."""
    consent = Subquery(
        Consent.objects.filter(user_id=OuterRef("user_id"), purpose=Consent.Purpose.CAREER)
        .order_by("-at", "-pk").values("granted")[:1]
    )
    key = Concat(Value(f"{DIGEST_KIND}:"), Cast(OuterRef("user_id"), CharField()), Value(f":{week_label(day)}"),
                 output_field=CharField())
    qs = (
        JobAlert.objects.filter(
            frequency=JobAlert.Frequency.WEEKLY, user__is_active=True,
            user__alumni_profile__verification=AlumniProfile.Verification.VERIFIED,
            user__alumni_profile__study_program_id__in=program_ids,
        )
        .annotate(program_id=F("user__alumni_profile__study_program_id"), career_consent=consent)
        .exclude(Exists(NotificationPreference.objects.filter(user_id=OuterRef("user_id"), kind=DIGEST_KIND,
                                                             enabled=False)))
        .exclude(Exists(Notification.objects.filter(key=key)))
        .select_related("user")
        .order_by("user_id")
    )
    # Opt-in: without any decision the purpose is off (CONSENT_DEFAULTS, alumni.privacy).
    if CONSENT_DEFAULTS[Consent.Purpose.CAREER]:
        return qs.exclude(career_consent=False)
    return qs.filter(career_consent=True)


def digest_items(alerts, by_program: dict[int, list[DigestPost]], *, day: datetime.date,
                 links: dict[str, str]) -> list[ClaimItem]:
    """One claim per alert with at least one matching post."""
    items = []
    for alert in alerts:
        matched = [p for p in by_program.get(alert.program_id, ()) if p.matches(alert)]
        if not matched:
            continue
        language = alert.user.language or settings.LANGUAGE_CODE
        entries = [p.texts.get(language) or p.texts[settings.LANGUAGE_CODE] for p in matched[:DIGEST_MAX_POSTS]]
        items.append(ClaimItem(
            key=digest_key(alert.user_id, day), kind=DIGEST_KIND, recipient=alert.user, template=DIGEST_TEMPLATE,
            context={"entries": "\n\n".join(entries), "count": len(matched),
                     "more": max(0, len(matched) - DIGEST_MAX_POSTS), "week": week_label(day), **links},
            link=links["list_url"],
        ))
    return items


@dataclass
class DigestRun:
    posts: int = 0
    people_read: int = 0
    claimed: int = 0
    chunks: int = 0


def digest_send(*, now: datetime.datetime | None = None, deliver: bool = True,
                chunk: int = ALERT_CHUNK) -> DigestRun:
    """Claim this week's digests (see the module docstring). Safe to run every hour and concurrently: each digest
    is claimed once per person and ISO week; the claimed rows are delivered after each chunk's commit."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    by_program = posts_of_the_week(now=now)
    run = DigestRun(posts=len({p.post.pk for posts in by_program.values() for p in posts}))
    if not by_program:
        return run
    links = {"list_url": post_list_url(), "alerts_url": absolute(alerts_url())}
    recipients = digest_recipients(program_ids=sorted(by_program), day=day)
    # Chunks are ranges of user ids (the alert's unique index), not "the next `chunk` rows after the last id":
    # with LIMIT, PostgreSQL evaluated the consent and claimed-key conditions for every remaining alert before
    # the sort, each chunk (3 s a chunk at 200,000 members); a range reads at most `chunk` alerts.
    bounds = JobAlert.objects.aggregate(low=Min("user_id"), high=Max("user_id"))
    if bounds["low"] is None:
        return run
    for start in range(bounds["low"], bounds["high"] + 1, chunk):
        alerts = list(recipients.filter(user_id__gte=start, user_id__lt=start + chunk))
        run.chunks += 1
        if not alerts:
            continue
        run.people_read += len(alerts)
        items = digest_items(alerts, by_program, day=day, links=links)
        if not items:
            continue
        with transaction.atomic():
            claimed = notifications_claim_many(items, deliver=deliver)
        run.claimed += len(claimed)
    return run
