"""Moderation of posts, comments, questions and answers: reports, hiding, showing again, and the rate limit for new
members. Generic over the four kinds (each has `visibility` and `report_count`); the history is the
ModerationAction rows of the item (and the audit trail), never deleted.

- `report(target, by=, reason=)`: a member who reads the group reports an item once (a second report by the same
  person is refused); at HIDE_AFTER_REPORTS open reports the item is hidden until a moderator looks at it.
- `hide(...)` / `show(...)`: the group's admins hide and show; staff of the group's study program and institution
  admins override: what a stronger capacity decided (institution admin > staff > group admin) a weaker one cannot
  undo. Each decision closes the open reports of the item.
- `posting_allowed(user, group)`: None, or the message that a new member (joined fewer than NEW_MEMBER_DAYS ago)
  has written NEW_MEMBER_POSTS_PER_DAY posts, comments, questions and answers in the group in the last 24 hours.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from core.access import scope_for
from core.audit import audit_log

from . import access
from .models import (
    HIDE_AFTER_REPORTS,
    NEW_MEMBER_DAYS,
    NEW_MEMBER_POSTS_PER_DAY,
    Comment,
    Group,
    HelpAnswer,
    HelpRequest,
    Membership,
    ModerationAction,
    Post,
    Report,
    Target,
    Visibility,
)

# The model of each target type, and back.
MODELS: dict[str, type[Model]] = {
    Target.POST: Post,
    Target.COMMENT: Comment,
    Target.QUESTION: HelpRequest,
    Target.ANSWER: HelpAnswer,
}
# How much a capacity weighs: a decision stands against weaker capacities.
RANK = {
    ModerationAction.As.REPORTS: 0,
    ModerationAction.As.GROUP_ADMIN: 1,
    ModerationAction.As.STAFF: 2,
    ModerationAction.As.INSTITUTION_ADMIN: 3,
}
REASON_MAX = 1000


def target_type_of(target: Model) -> str:
    for code, model in MODELS.items():
        if isinstance(target, model):
            return code
    raise TypeError(f"not a moderated item: {type(target).__name__}")


def group_of(target: Model) -> Group:
    """The group an item belongs to (one query at most when its relations are not loaded)."""
    if isinstance(target, Post | HelpRequest):
        return target.group
    if isinstance(target, Comment):
        return target.post.group
    if isinstance(target, HelpAnswer):
        return target.request.group
    raise TypeError(f"not a moderated item: {type(target).__name__}")


def load_target(target_type: str, pk) -> Model | None:
    """The item of a report/moderation URL, or None."""
    model = MODELS.get(target_type)
    if model is None:
        return None
    try:
        return model.objects.filter(pk=pk).first()
    except (ValueError, ValidationError):
        return None


def history(target: Model):
    """The moderation history of the item, newest first."""
    return ModerationAction.objects.filter(target_type=target_type_of(target), target_id=target.pk).select_related("by")


def history_for(target_type: str, ids) -> dict:
    """{item id: [actions newest first]} for many items of one type, one query."""
    out: dict = {}
    for action in ModerationAction.objects.filter(target_type=target_type, target_id__in=list(ids)).select_related(
        "by"
    ):
        out.setdefault(action.target_id, []).append(action)
    return out


def _locked(target: Model) -> Model:
    return type(target).objects.select_for_update().get(pk=target.pk)


def _last_decision(target_type: str, target_id) -> ModerationAction | None:
    return (
        ModerationAction.objects.filter(target_type=target_type, target_id=target_id)
        .exclude(acting_as=ModerationAction.As.REPORTS).order_by("-at", "-pk").first()
    )


def report(target: Model, *, by, reason: str) -> Report:
    """`by` reports the item once. Raises PermissionDenied when they do not read the group, ValidationError for an
    empty reason, their own item, or a second report."""
    group = group_of(target)
    scope = scope_for(by)
    if not access.can_read_threads(scope, by, group):
        raise PermissionDenied(gettext("Only the group's members can report what is written in it."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": gettext("Say briefly what is wrong with it.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": gettext("The reason is too long (at most 1000 characters).")})
    author_id = getattr(target, "author_id", None) or getattr(target, "asker_id", None)
    if author_id == by.pk:
        raise ValidationError(gettext("You cannot report what you wrote yourself; edit or delete it instead."))
    kind = target_type_of(target)
    with transaction.atomic():
        item = _locked(target)
        if Report.objects.filter(target_type=kind, target_id=item.pk, reporter=by).exists():
            raise ValidationError(gettext("You have already reported this."))
        try:
            with transaction.atomic():
                row = Report.objects.create(group=group, target_type=kind, target_id=item.pk, reporter=by,
                                            reason=reason)
        except IntegrityError as exc:
            raise ValidationError(gettext("You have already reported this.")) from exc
        type(item).objects.filter(pk=item.pk).update(report_count=F("report_count") + 1)
        open_reports = Report.objects.filter(target_type=kind, target_id=item.pk, resolved_at__isnull=True).count()
        if item.visibility == Visibility.VISIBLE and open_reports >= HIDE_AFTER_REPORTS:
            type(item).objects.filter(pk=item.pk).update(visibility=Visibility.HIDDEN)
            ModerationAction.objects.create(
                group=group, target_type=kind, target_id=item.pk, action=ModerationAction.Action.AUTO_HIDE,
                by=None, acting_as=ModerationAction.As.REPORTS,
                reason=str(open_reports),  # said in the reader's language: ModerationAction.reason_text
            )
            audit_log(actor=None, action="community.auto_hide", target=item, study_program=group.study_program,
                      data={"type": kind, "reports": open_reports})
            target.visibility = Visibility.HIDDEN
        target.report_count = item.report_count + 1
    return row


def _decide(target: Model, *, by, scope, reason: str, action: str) -> ModerationAction:
    group = group_of(target)
    capacity = access.acting_as(scope, by, group)
    if capacity is None:
        raise PermissionDenied(gettext("Only the group's admins, the study program's staff and institution admins "
                                       "moderate this group."))
    reason = (reason or "").strip()
    if action == ModerationAction.Action.HIDE and not reason:
        raise ValidationError({"reason": gettext("Say why it is hidden: the author and the other moderators "
                                                 "see the reason.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": gettext("The reason is too long (at most 1000 characters).")})
    kind = target_type_of(target)
    with transaction.atomic():
        item = _locked(target)
        last = _last_decision(kind, item.pk)
        if action == ModerationAction.Action.HIDE and item.visibility == Visibility.HIDDEN and last is not None \
                and last.action == ModerationAction.Action.HIDE:
            raise ValidationError(gettext("This is already hidden."))
        if action == ModerationAction.Action.SHOW and item.visibility == Visibility.VISIBLE:
            raise ValidationError(gettext("This is not hidden."))
        if last is not None and RANK[last.acting_as] > RANK[capacity]:
            raise PermissionDenied(gettext("%(who)s decided on this; only they (or someone above them) can change it.")
                                   % {"who": last.get_acting_as_display()})
        visibility = Visibility.HIDDEN if action == ModerationAction.Action.HIDE else Visibility.VISIBLE
        type(item).objects.filter(pk=item.pk).update(visibility=visibility)
        row = ModerationAction.objects.create(group=group, target_type=kind, target_id=item.pk, action=action,
                                              by=by, acting_as=capacity, reason=reason)
        Report.objects.filter(target_type=kind, target_id=item.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now()
        )
        audit_log(actor=by, action=f"community.{action}", target=item, study_program=group.study_program,
                  data={"type": kind, "as": capacity, "reason": reason})
        target.visibility = visibility
    return row


def hide(target: Model, *, by, scope, reason: str) -> ModerationAction:
    """Hide the item (it keeps its text and history; members see "hidden by a moderator")."""
    return _decide(target, by=by, scope=scope, reason=reason, action=ModerationAction.Action.HIDE)


def show(target: Model, *, by, scope, reason: str = "") -> ModerationAction:
    """Show a hidden item again."""
    return _decide(target, by=by, scope=scope, reason=reason, action=ModerationAction.Action.SHOW)


def written_today(user, group: Group, *, since=None) -> int:
    """Posts, comments, questions and answers the person wrote in the group since `since` (default: 24 hours)."""
    since = since or timezone.now() - timedelta(days=1)
    return (
        Post.objects.filter(group=group, author=user, created_at__gte=since).count()
        + Comment.objects.filter(post__group=group, author=user, created_at__gte=since).count()
        + HelpRequest.objects.filter(group=group, asker=user, created_at__gte=since).count()
        + HelpAnswer.objects.filter(request__group=group, author=user, created_at__gte=since).count()
    )


def posting_allowed(user, group: Group) -> str | None:
    """None when the person may write one more post, comment, question or answer in the group now; otherwise the
    message to show. Only new members are limited (members of cohort groups made by the portal count from when
    they were added)."""
    row = Membership.objects.filter(group=group, user_id=user.pk, status=Membership.Status.ACTIVE).first()
    if row is None:
        return None
    joined = row.joined_at or row.created_at
    now = timezone.now()
    if joined <= now - timedelta(days=NEW_MEMBER_DAYS):
        return None
    if written_today(user, group, since=now - timedelta(days=1)) < NEW_MEMBER_POSTS_PER_DAY:
        return None
    return ngettext(
        "New members write at most %(n)d post, comment, question or answer a day in a group during their first "
        "%(days)d days. Please try again tomorrow.",
        "New members write at most %(n)d posts, comments, questions and answers a day in a group during their "
        "first %(days)d days. Please try again tomorrow.",
        NEW_MEMBER_POSTS_PER_DAY,
    ) % {"n": NEW_MEMBER_POSTS_PER_DAY, "days": NEW_MEMBER_DAYS}
