"""Notifications: the exactly-once claims every reminder and message goes through, their delivery by email, and
each person's choice of optional kinds."""

from __future__ import annotations

import hashlib
import logging
import smtplib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import models, router, transaction
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation

from .claims import insert_claims
from .dispatch import enqueue
from .iterables import batched
from .models import Notification, NotificationPreference
from .registry import (
    ONE_CLICK_LINKS,
    OPTIONAL_KINDS,
    SENT_HOOKS,
    UNSUBSCRIBE_LINKS,
    attachment_for,
    consent_withheld,
    send_cancelled,
)

logger = logging.getLogger(__name__)

MAX_DELIVERY_ATTEMPTS = 5
# How long one delivery attempt holds its row: a worker killed mid-send leaves the row to the sweep after this.
# settings.NOTIFICATION_LEASE_SECONDS overrides it (bench/faults.py shortens it so that a run takes minutes).
DELIVERY_LEASE = timedelta(minutes=5)


def delivery_lease() -> timedelta:
    seconds = getattr(settings, "NOTIFICATION_LEASE_SECONDS", None)
    return DELIVERY_LEASE if seconds is None else timedelta(seconds=seconds)


@dataclass
class ClaimItem:
    """One message to claim: `key` names the reason (kind:object:recipient:due-date) and is unique forever.

    A message to someone without an account has no `recipient` but a `to_email`, rendered in `language` (empty:
    the portal's default); preferences and consent (kept per account) do not apply to it: the domain that claims
    it checks what it must. `attachment` ("<prefix>:<reference>") names a file built at send time."""

    key: str
    kind: str
    recipient: Any
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    link: str = ""
    to_email: str = ""
    language: str = ""
    attachment: str = ""


# Rows per INSERT statement: 1,000 rows of 14 columns stay far below SQLite's (32,766) and PostgreSQL's (65,535)
# limits on bound parameters. A tick claiming more than this many new messages adds one statement per 1,000.
CLAIM_INSERT_ROWS = 1000
# Keys per look-up of already-claimed keys, for the same reason.
CLAIM_LOOKUP_KEYS = 5000


def _absolute(link: str) -> str:
    return f"{settings.SITE_URL}{link}" if link.startswith("/") else link


def preferences_url() -> str:
    return _absolute(reverse("notification_preferences"))


def _templates(name: str, cache: dict[str, Any]) -> tuple:
    """The subject, text and (optional) HTML templates of `name`, looked up once per batch."""
    if name not in cache:
        try:
            html = get_template(f"{name}_body.html")
        except TemplateDoesNotExist:
            html = None
        cache[name] = (get_template(f"{name}_subject.txt"), get_template(f"{name}_body.txt"), html)
    return cache[name]


def render_text(template, context: dict[str, Any]) -> str:
    """Plain text is not HTML: a title such as `Tips & "Trik"` stays as typed (no autoescaping)."""
    return template.template.render(Context(context, autoescape=False))


def _render(item: ClaimItem, now, cache: dict[str, Any]) -> Notification:
    """Subject, text and HTML in the recipient's language, as an unsaved row."""
    recipient = item.recipient
    link = _absolute(item.link)
    optional = item.kind in OPTIONAL_KINDS and recipient is not None
    subject_template, body_template, html_template = _templates(item.template, cache)
    language = (recipient.language if recipient is not None else item.language) or settings.LANGUAGE_CODE
    with translation.override(language):
        ctx = {
            "recipient": recipient, "link": link, "site_name": settings.SITE_NAME, "kind": item.kind,
            # Only kinds a person may turn off point at the preferences page.
            "preferences_url": preferences_url() if optional else "",
            **item.context,
        }
        subject = " ".join(render_text(subject_template, ctx).split())
        body = render_text(body_template, ctx).strip()
        body_html = html_template.render(ctx).strip() if html_template else ""
    return Notification(
        key=item.key, kind=item.kind, recipient=recipient, subject=subject[:200], body=body, body_html=body_html,
        link=link, created_at=now, to_email="" if recipient is not None else item.to_email,
        language="" if recipient is not None else item.language, attachment=item.attachment,
    )


def _insert_claims(rows: list[Notification]) -> dict[str, int]:
    """{key: id} of the rows this statement inserted (core.claims.insert_claims)."""
    return insert_claims(Notification, rows, batch=CLAIM_INSERT_ROWS)


def notifications_claim_many(items: Iterable[ClaimItem], *, deliver: bool = True) -> list[Notification]:
    """Claim many messages in a fixed number of queries and deliver the new ones after commit.

    1. one SELECT of the keys already claimed (per CLAIM_LOOKUP_KEYS keys): those are skipped before rendering;
    2. one SELECT of the recipients' turned-off kinds (NotificationPreference, absent = on): skipped too; so are
       kinds sent for a consent purpose the recipient has not consented to (core.registry, one more SELECT);
    3. the rest is rendered in each recipient's language and inserted in one INSERT … ON CONFLICT DO NOTHING
       (per CLAIM_INSERT_ROWS rows), which returns the rows this call won. A concurrent tick inserting the same
       key gets nothing back for it, so it neither owns nor delivers that row;
    4. after commit, one task delivers the won rows (each under its own lease, see notification_deliver).

    Returns the new rows (with ids), in key order. Items with the same key within the call count once.
    """
    by_key: dict[str, ClaimItem] = {}
    for item in items:
        by_key.setdefault(item.key, item)
    if not by_key:
        return []
    keys = list(by_key)
    for chunk in batched(keys, CLAIM_LOOKUP_KEYS):
        for key in Notification.objects.filter(key__in=chunk).values_list("key", flat=True):
            del by_key[key]
    for item in by_key.values():
        if item.recipient is None and not item.to_email:
            raise ValueError(f"notification {item.key!r} has neither a recipient nor an address")
    # Preferences and consent are an account's: an item addressed to an email alone (no account) skips both.
    accounts = {k: i for k, i in by_key.items() if i.recipient is not None}
    optional = {item.kind for item in accounts.values()} & set(OPTIONAL_KINDS)
    if optional:
        off = set(
            NotificationPreference.objects.filter(
                enabled=False, kind__in=optional, user_id__in={item.recipient.pk for item in accounts.values()}
            ).values_list("user_id", "kind")
        )
        accounts = {k: i for k, i in accounts.items() if (i.recipient.pk, i.kind) not in off}
    # Kinds sent for a purpose (tracer, fundraising…) skip people without that consent (UU PDP): core.registry asks
    # the consent check the alumni app registered (no query when no kind here maps to a purpose).
    withheld = consent_withheld({(item.recipient.pk, item.kind) for item in accounts.values()})
    by_key = {k: i for k, i in by_key.items()
              if i.recipient is None or (k in accounts and (i.recipient.pk, i.kind) not in withheld)}
    now = timezone.now()
    cache: dict[str, Any] = {}
    rows = [_render(item, now, cache) for item in by_key.values()]
    won = _insert_claims(rows)
    claimed = []
    for row in sorted(rows, key=lambda r: r.key):
        if row.key in won:
            row.pk = won[row.key]
            row._state.adding, row._state.db = False, router.db_for_write(Notification)
            claimed.append(row)
    if claimed and deliver:
        enqueue("core.tasks.deliver_notifications", [row.pk for row in claimed])
    return claimed


def notification_claim(
    *, key: str, kind: str, recipient, template: str, context: dict[str, Any], link: str = ""
) -> Notification | None:
    """Insert the notification row (the claim) and schedule its delivery after commit.

    Returns None when the key was claimed before (that message was already sent or is on its way), or when the
    recipient turned this kind off. The subject and body are rendered now, in the recipient's language, from
    `<template>_subject.txt`, `<template>_body.txt` and, when it exists, `<template>_body.html`.
    """
    claimed = notifications_claim_many(
        [ClaimItem(key=key, kind=kind, recipient=recipient, template=template, context=context, link=link)],
        deliver=False,
    )
    if not claimed:
        return None
    notification = claimed[0]
    enqueue("core.tasks.deliver_notification", notification.pk)
    return notification


def send_mail(subject: str, body: str, from_email: str, to: list[str], *, html: str = "",
              headers: dict[str, str] | None = None, connection=None) -> int:
    """Text, an optional HTML alternative, extra headers; over `connection` when given (a batch's one SMTP
    connection), else a connection of its own."""
    message = EmailMultiAlternatives(subject, body, from_email, to, headers=headers or {}, connection=connection)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


def mail_domain() -> str:
    """The domain of DEFAULT_FROM_EMAIL (`Name <x@domain>` too), else SITE_URL's host."""
    address = settings.DEFAULT_FROM_EMAIL.strip().rstrip(">")
    if "@" in address:
        return address.rsplit("@", 1)[1].strip()
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return host or "localhost"


def message_id(key: str) -> str:
    """The Message-ID of the message claimed under `key`: the same for every attempt, so a resend after a crash
    (the server took the message, the worker died before writing `sent_at`) is the same message to the receiving
    side, which collapses it."""
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{mail_domain()}>"


def _lease(notification_id: int) -> bool:
    """Lease one unsent row for this attempt (a conditional update: only one worker's matches) and count it."""
    now = timezone.now()
    return bool(
        Notification.objects.unsent()
        .filter(models.Q(locked_until__isnull=True) | models.Q(locked_until__lt=now), pk=notification_id,
                attempts__lt=MAX_DELIVERY_ATTEMPTS)
        .update(attempts=models.F("attempts") + 1, locked_until=now + delivery_lease())
    )


def _message(notification: Notification, connection) -> EmailMultiAlternatives | None:
    """The email of a leased row, or None when it has nowhere to go (an account closed or without an email)."""
    recipient = notification.recipient
    if recipient is not None and (not recipient.is_active or not recipient.email):
        return None
    address = notification.address
    if not address:
        return None
    language = (recipient.language if recipient is not None else notification.language) or settings.LANGUAGE_CODE
    body = notification.body
    if notification.link:
        body = f"{body}\n\n{notification.link}"
    headers = {"Message-ID": message_id(notification.key)}
    if notification.kind in OPTIONAL_KINDS and recipient is not None:
        url = preferences_url()
        with translation.override(language):
            footer = render_text(get_template("notifications/email/footer.txt"), {"preferences_url": url}).strip()
        body = f"{body}\n\n-- \n{footer}"
        headers["List-Unsubscribe"] = f"<{url}>"
    elif recipient is None and notification.kind in UNSUBSCRIBE_LINKS:
        # Someone without an account: the domain's stop page for this email (a page, one click, no login).
        one_click = ONE_CLICK_LINKS.get(notification.kind)
        url = one_click(notification) if one_click else UNSUBSCRIBE_LINKS[notification.kind](notification)
        if url:
            headers["List-Unsubscribe"] = f"<{url}>"
            if one_click:
                # RFC 8058: the mail client's button POSTs "List-Unsubscribe=One-Click" to the address itself.
                headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        notification.subject, body, settings.DEFAULT_FROM_EMAIL, [address], headers=headers, connection=connection
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    if notification.attachment:
        message.attach(*attachment_for(notification.attachment))
    return message


def _mark_sent(notification: Notification) -> None:
    """`sent_at`, written once the SMTP server accepted the message, with what the domain marks on its own rows."""
    with transaction.atomic():
        Notification.objects.filter(pk=notification.pk).update(
            sent_at=timezone.now(), last_error="", locked_until=None
        )
        for mark in SENT_HOOKS.get(notification.kind, ()):
            mark(notification)


def _mark_failed(notification_id: int, attempts: int, exc: BaseException) -> None:
    logger.warning("notification %s: delivery failed: %s", notification_id, exc)
    failed = {"failed_at": timezone.now()} if attempts >= MAX_DELIVERY_ATTEMPTS else {}
    Notification.objects.filter(pk=notification_id).update(last_error=str(exc)[:1000], locked_until=None, **failed)


def _deliver_one(notification_id: int, connection) -> bool:
    """Lease, build and send one row over `connection`; True when it went out now. Raises the send's error after
    recording it (the row stays unsent for the next attempt, or failed after MAX_DELIVERY_ATTEMPTS)."""
    if not _lease(notification_id):
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    # Still wanted? (core.registry.register_send_check: an invitation withdrawn or accepted since the claim…)
    reason = send_cancelled(notification)
    if reason:
        Notification.objects.filter(pk=notification_id).update(
            failed_at=timezone.now(), locked_until=None, last_error=f"cancelled: {reason}"[:1000]
        )
        return False
    try:
        message = _message(notification, connection)
    except (smtplib.SMTPException, OSError) as exc:
        _mark_failed(notification_id, notification.attempts, exc)
        raise
    if message is None:
        Notification.objects.filter(pk=notification_id).update(failed_at=timezone.now(), last_error="no recipient")
        return False
    try:
        connection.open()  # no-op when the batch's connection is open already: the send then keeps it open
        sent = message.send()  # over `connection`
    except (smtplib.SMTPException, OSError) as exc:
        _mark_failed(notification_id, notification.attempts, exc)
        raise
    if not sent:  # a backend that swallowed the failure: not accepted, not sent
        _mark_failed(notification_id, notification.attempts, OSError("the mail backend sent nothing"))
        raise OSError("the mail backend sent nothing")
    _mark_sent(notification)
    return True


def notification_deliver(*, notification_id: int) -> bool:
    """Send one claimed notification by email; True when it went out now.

    The row is leased for this attempt with a conditional update (only one worker's update matches), and the
    email is sent outside any transaction: a slow SMTP server must not hold database locks. `sent_at` is written
    only after the SMTP server accepted the message; a failure is recorded and raised.
    """
    connection = get_connection()
    try:
        return _deliver_one(notification_id, connection)
    finally:
        connection.close()


def notifications_deliver(notification_ids: Iterable[int], *, deadline: float | None = None) -> tuple[int, int]:
    """Send these claimed rows over ONE mail connection (opened at the first message, closed at the end; reopened
    only after a failed send). Each row is leased on its own, so a row another worker is sending, or one already
    sent, is skipped; a failed send stays unsent with its attempt counted. Stops at `deadline` (time.monotonic()).
    Returns (sent, tried)."""
    connection = get_connection()
    sent = tried = 0
    try:
        for pk in notification_ids:
            if deadline is not None and time.monotonic() >= deadline:
                break
            tried += 1
            try:
                sent += _deliver_one(pk, connection)
            except (smtplib.SMTPException, OSError):
                connection.close()  # a broken connection is not reused; the next send opens a fresh one
    finally:
        connection.close()
    return sent, tried


def notification_preferences(*, user) -> dict[str, bool]:
    """Every optional kind with whether this person gets it (no row: yes)."""
    saved = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "enabled"))
    return {kind: saved.get(kind, True) for kind in OPTIONAL_KINDS}


def notification_preferences_save(*, user, enabled: Iterable[str]) -> dict[str, bool]:
    """Turn each optional kind on when listed in `enabled`, off otherwise (one upsert)."""
    enabled = set(enabled)
    choices = {kind: kind in enabled for kind in OPTIONAL_KINDS}
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=user, kind=kind, enabled=on) for kind, on in choices.items()],
        update_conflicts=True, unique_fields=["user", "kind"], update_fields=["enabled", "updated_at"],
    )
    return choices
