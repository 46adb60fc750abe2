"""Mentor profiles and the staff's topic list.

Rules (each refusal is a ValidationError with a message in the user's language, and nothing is written):
- only a verified member (alumnus or student, `scope.is_member`; not a pending one) opts in as a mentor;
- topics come from the staff's list (active topics only); free tags beside them are lower case, trimmed,
  deduplicated, at most MAX_TAGS, each at most TAG_MAX characters;
- capacity 1..MAX_CAPACITY; formats and languages from their choices; field from careers.Field;
- pausing hides the mentor from the search and refuses new requests; mentorships running go on.
Topics are global (one list for the portal); staff of any study program and institution admins keep it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from alumni.scope import scope_for
from careers.models import Field
from core.audit import audit_log

from .models import MAX_CAPACITY, TEXT_MAX, Format, Language, MentorProfile, Topic

MAX_TAGS = 10
TAG_MAX = 40


def tags_parse(raw) -> list[str]:
    """'DSpace, akreditasi ,dspace' -> ['dspace', 'akreditasi'] (order kept). ValidationError when a tag is too
    long or there are too many."""
    items = raw.split(",") if isinstance(raw, str) else list(raw or [])
    tags: list[str] = []
    for item in items:
        tag = " ".join(str(item).split()).lower()
        if not tag or tag in tags:
            continue
        if len(tag) > TAG_MAX:
            raise ValidationError(_("A tag is at most %(max)d characters: “%(tag)s…”.")
                                  % {"max": TAG_MAX, "tag": tag[:TAG_MAX]})
        tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationError(_("At most %(max)d tags.") % {"max": MAX_TAGS})
    return tags


def can_mentor(user) -> bool:
    return scope_for(user).is_member


def mentor_profile_save(
    *, user, topics=(), tags=(), capacity: int = 2, formats=(), languages=(), province=None, field: str = "",
    about: str = "",
) -> MentorProfile:
    """Create or update `user`'s mentor profile. `topics`: Topic objects or ids (active ones); `tags`: a list or
    the form's comma-separated text."""
    if not can_mentor(user):
        raise PermissionDenied(_("Only verified members can offer mentoring."))
    errors: dict[str, list[str]] = {}
    topic_ids = {getattr(t, "pk", t) for t in topics or []}
    found = set(Topic.objects.filter(pk__in=topic_ids, active=True).values_list("pk", flat=True))
    if found != {int(t) for t in topic_ids}:
        errors["topics"] = [_("Choose topics from the list.")]
    try:
        clean_tags = tags_parse(tags)
    except ValidationError as exc:
        errors["tags"] = exc.messages
        clean_tags = []
    if not found and not clean_tags and "topics" not in errors and "tags" not in errors:
        errors["topics"] = [_("Choose at least one topic or write a tag.")]
    try:
        capacity = int(capacity)
    except (TypeError, ValueError):
        capacity = 0
    if not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = [_("Choose between 1 and %(max)d mentees at once.") % {"max": MAX_CAPACITY}]
    formats = list(dict.fromkeys(formats or []))
    if not formats or any(f not in Format.values for f in formats):
        errors["formats"] = [_("Choose at least one format from the list.")]
    languages = list(dict.fromkeys(languages or []))
    if any(lang not in Language.values for lang in languages):
        errors["languages"] = [_("Choose languages from the list.")]
    if field and field not in Field.values:
        errors["field"] = [_("Choose a field from the list.")]
    about = (about or "").strip()
    if len(about) > TEXT_MAX:
        errors["about"] = [_("At most %(max)d characters.") % {"max": TEXT_MAX}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        profile, created = MentorProfile.objects.update_or_create(
            user=user,
            defaults={"tags": clean_tags, "capacity": capacity, "formats": formats, "languages": languages,
                      "province": province, "field": field or "", "about": about},
        )
        profile.topics.set(found)
        audit_log(actor=user, action="mentoring.profile.saved", target=profile,
                  data={"created": created, "capacity": capacity, "topics": sorted(found)})
    return profile


def mentor_pause(*, user, paused: bool) -> MentorProfile:
    """Pause (hidden from the search, no new requests) or resume. Running mentorships are not touched."""
    with transaction.atomic():
        profile = MentorProfile.objects.select_for_update().filter(user=user).first()
        if profile is None:
            raise ValidationError(_("You have no mentor profile yet."))
        if profile.paused != paused:
            profile.paused = paused
            profile.save(update_fields=["paused", "updated_at"])
            audit_log(actor=user, action="mentoring.profile.paused" if paused else "mentoring.profile.resumed",
                      target=profile)
    return profile


# --- Topics (staff) ----------------------------------------------------------------------------------------------


def can_keep_topics(user) -> bool:
    scope = scope_for(user)
    return scope.is_staff or scope.is_admin


def topic_add(*, by, name: str) -> Topic:
    if not can_keep_topics(by):
        raise PermissionDenied(_("Only staff keep the topic list."))
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": [_("Write the topic's name.")]})
    if len(name) > 100:
        raise ValidationError({"name": [_("At most %(max)d characters.") % {"max": 100}]})
    code = slugify(name)[:60] or "topic"
    if Topic.objects.filter(name__iexact=name).exists() or Topic.objects.filter(code=code).exists():
        raise ValidationError({"name": [_("This topic is on the list already.")]})
    try:
        with transaction.atomic():
            topic = Topic.objects.create(code=code, name=name)
            audit_log(actor=by, action="mentoring.topic.added", target=topic)
    except IntegrityError as exc:
        raise ValidationError({"name": [_("This topic is on the list already.")]}) from exc
    return topic


def topic_set_active(*, by, topic: Topic, active: bool) -> Topic:
    """Deactivate (no longer offered to new profiles and searches; kept on profiles that name it) or offer
    again."""
    if not can_keep_topics(by):
        raise PermissionDenied(_("Only staff keep the topic list."))
    with transaction.atomic():
        if topic.active != active:
            topic.active = active
            topic.save(update_fields=["active"])
            audit_log(actor=by, action="mentoring.topic.activated" if active else "mentoring.topic.deactivated",
                      target=topic)
    return topic
