"""iCalendar (RFC 5545) files for sessions: one session to download, or a person's feed for calendar apps."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from .models import Session

PRODID = "-//Portal Alumni//Programs//ID"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def uid_host() -> str:
    """The host part of every UID: the portal's public host, so a UID stays the same whoever asks and how."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def session_event(session: Session, *, url: str, now: datetime.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{session.pk}@{uid_host()}")
    event.add("dtstamp", now.astimezone(datetime.UTC))
    # UTC times: every calendar app understands them, no VTIMEZONE block needed.
    event.add("dtstart", session.start.astimezone(datetime.UTC))
    event.add("dtend", session.end.astimezone(datetime.UTC))
    event.add("summary", session.display_title)
    location = session.place or session.online_url
    if location:
        event.add("location", location)
    event.add("url", url)
    description = [part for part in (session.agenda.strip(), session.online_url, url) if part]
    event.add("description", "\n\n".join(description))
    if session.status == Session.Status.CANCELLED:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    return event


def calendar_for(sessions: Iterable[Session], *, absolute_url, name: str = "") -> bytes:
    """A VCALENDAR with one VEVENT per session. `absolute_url(session)` gives each session's page."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    now = timezone.now()
    for session in sessions:
        cal.add_component(session_event(session, url=absolute_url(session), now=now))
    return cal.to_ical()


def session_filename(session: Session) -> str:
    day = timezone.localtime(session.start).date().isoformat()
    return f"{slugify(session.display_title)[:60] or 'session'}-{day}.ics"
