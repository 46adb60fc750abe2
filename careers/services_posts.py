"""Job posts: who may post and for which study programs, writing and editing a post, closing it early, "I applied",
the staff decisions per study program (approve, refuse with a reason), reports (three hide a post) and the staff
review of a hidden post (keep or remove).

The posting rule (CAREERS.md): a verified member's post is listed at once for their own study program and waits
for staff of the others it names; a staff member's post is listed at once for the programs they run; an approved
employer contact's post waits for staff everywhere. Every write is atomic and audited (`careers.post.<verb>`); the
poster hears of each staff decision by email, in their own language, through the exactly-once claims."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alumni.models import AlumniProfile, StudyProgram
from alumni.scope import scope_for
from core.audit import audit_log
from core.notifications import notification_claim

from .models import (
    HIDE_AFTER_REPORTS,
    MAX_OPEN_DAYS,
    NOTE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Application,
    EmployerContact,
    JobPost,
    JobPostTarget,
    JobReport,
)
from .organisations import organisation_resolve

S = JobPost.Status
T = JobPostTarget.State

# The fields of a post a form hands to the services (the organisation comes as the typed name).
POST_FIELDS = (
    "title", "organisation_name", "kind", "field", "tags", "province", "city", "remote", "salary_min", "salary_max",
    "description", "requirements", "apply_how", "apply_url", "apply_email", "closing_date",
)
_MODEL_FIELDS = tuple(name for name in POST_FIELDS if name != "organisation_name")
TAGS_MAX = 200
CITY_MAX = 100
ORGANISATION_MAX = 200
REASON_MAX = 1000


# --- who may post ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PosterRights:
    """What a person may do as a poster: as whom they post, which study programs list their post at once, which
    ones they may name at all (their institutions' programs), and which are ticked by default."""

    kind: str
    approved_program_ids: frozenset[int]
    choosable_program_ids: frozenset[int]
    default_program_ids: tuple[int, ...] = field(default_factory=tuple)


def may_post(user) -> bool:
    """Whether the posting rule lets this person post at all (no query for members and staff)."""
    scope = scope_for(user)
    if not scope.is_authenticated:
        return False
    if scope.is_member or scope.is_staff:
        return True
    return EmployerContact.objects.filter(user_id=scope.user_id, status=EmployerContact.Status.APPROVED).exists()


def poster_rights(user) -> PosterRights | None:
    """None for someone who may not post (visitors, pending people, accounts without a verified record, an
    employer contact not approved). Two queries at most beyond the cached scope."""
    scope = scope_for(user)
    if not scope.is_authenticated:
        return None
    own_program = None
    if scope.is_member:
        own_program = AlumniProfile.objects.filter(user_id=scope.user_id).values_list(
            "study_program_id", flat=True).first()
    contact = None
    if not (scope.is_member or scope.is_staff):
        contact = (EmployerContact.objects.filter(user_id=scope.user_id, status=EmployerContact.Status.APPROVED)
                   .values_list("study_program_id", flat=True).first())
        if contact is None:
            return None
    if scope.is_staff:
        kind = JobPost.PosterKind.STAFF
    elif scope.is_member:
        kind = JobPost.PosterKind.MEMBER
    else:
        kind = JobPost.PosterKind.EMPLOYER
    approved = set(scope.staff_program_ids)
    if own_program is not None:
        approved.add(own_program)
    if kind == JobPost.PosterKind.EMPLOYER:
        approved = set()
    anchor = set(scope.staff_program_ids) | {p for p in (own_program, contact) if p is not None}
    if scope.is_superuser:
        choosable = set(StudyProgram.objects.values_list("pk", flat=True))
    else:
        institutions = StudyProgram.objects.filter(pk__in=anchor).values("faculty__institution_id")
        choosable = set(
            StudyProgram.objects.filter(faculty__institution_id__in=institutions).values_list("pk", flat=True)
        )
    if kind == JobPost.PosterKind.STAFF:
        default = sorted(scope.staff_program_ids)
    elif kind == JobPost.PosterKind.MEMBER:
        default = [own_program]
    else:
        default = [contact]
    return PosterRights(kind=kind, approved_program_ids=frozenset(approved),
                        choosable_program_ids=frozenset(choosable), default_program_ids=tuple(default))


# --- checks ----------------------------------------------------------------------------------------------------


def _too_long(text: str, limit: int) -> str:
    return _("Keep this to %(limit)s characters at most (it has %(n)s).") % {"limit": limit, "n": len(text)}


def post_errors(*, data: dict[str, Any], today: datetime.date, closing_date_was: datetime.date | None = None
                ) -> dict[str, str]:
    """What is wrong with a post's data, by field, in the current language ({} when nothing). A closing date kept
    unchanged on an edit (`closing_date_was`) is not checked again."""
    errors: dict[str, str] = {}
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = _("Give the job a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _too_long(title, TITLE_MAX)
    organisation = (data.get("organisation_name") or "").strip()
    if not organisation:
        errors["organisation_name"] = _("Name the organisation that is hiring.")
    elif len(organisation) > ORGANISATION_MAX:
        errors["organisation_name"] = _too_long(organisation, ORGANISATION_MAX)
    elif not any(ch.isalnum() for ch in organisation):
        errors["organisation_name"] = _("Write the organisation's name with letters or digits.")
    for name, limit in (("description", TEXT_MAX), ("requirements", TEXT_MAX), ("tags", TAGS_MAX),
                        ("city", CITY_MAX)):
        text = data.get(name) or ""
        if len(text) > limit:
            errors[name] = _too_long(text, limit)
    if not data.get("kind") or data["kind"] not in JobPost.Kind.values:
        errors["kind"] = _("Choose the kind of work.")
    if not data.get("field"):
        errors["field"] = _("Choose the field of work.")
    if not data.get("remote") and not data.get("province"):
        errors["province"] = _("Choose the province of the workplace, or tick remote work.")
    low, high = data.get("salary_min"), data.get("salary_max")
    if low is not None and high is not None and low > high:
        errors["salary_max"] = _("The upper end of the salary is below the lower end.")
    closing = data.get("closing_date")
    if not closing:
        errors["closing_date"] = _("Give the closing date.")
    elif closing != closing_date_was:
        if closing < today:
            errors["closing_date"] = _("The closing date is in the past.")
        elif closing > today + datetime.timedelta(days=MAX_OPEN_DAYS):
            errors["closing_date"] = _("The closing date can be at most %(days)s days ahead (until %(last)s).") % {
                "days": MAX_OPEN_DAYS, "last": (today + datetime.timedelta(days=MAX_OPEN_DAYS)).isoformat()}
    how = data.get("apply_how")
    url = (data.get("apply_url") or "").strip()
    email = (data.get("apply_email") or "").strip()
    if url and not url.lower().startswith(("http://", "https://")):
        errors["apply_url"] = _("The application link must start with http:// or https://.")
    elif len(url) > 500:
        errors["apply_url"] = _too_long(url, 500)
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            errors["apply_email"] = _("This is not a valid email address.")
    if how == JobPost.Apply.URL and not url and "apply_url" not in errors:
        errors["apply_url"] = _("Give the application link, or choose another way to apply.")
    if how == JobPost.Apply.EMAIL and not email and "apply_email" not in errors:
        errors["apply_email"] = _("Give the email address for applications, or choose another way to apply.")
    if how not in JobPost.Apply.values:
        errors["apply_how"] = _("Choose how people apply.")
    return errors


def _clean_values(data: dict[str, Any]) -> dict[str, Any]:
    """The model's values from the form's data: texts trimmed (stored as typed otherwise: HTML is escaped when
    shown), no place when remote only, the apply details of the chosen way only."""
    values = {name: data.get(name) for name in _MODEL_FIELDS}
    for name in ("title", "tags", "city", "description", "requirements", "apply_url", "apply_email"):
        values[name] = (values[name] or "").strip()
    values["remote"] = bool(values["remote"])
    how = values["apply_how"]
    if how != JobPost.Apply.URL:
        values["apply_url"] = ""
    if how != JobPost.Apply.EMAIL:
        values["apply_email"] = ""
    for name in ("salary_min", "salary_max"):
        if values[name] is not None:
            values[name] = int(values[name])
    return values


# --- create, edit, close, applied ------------------------------------------------------------------------------


def post_create(*, by, data: dict[str, Any], program_ids: Iterable[int], today: datetime.date | None = None
                ) -> JobPost:
    """A new open post with one target per study program named: approved where the poster's rights list it at
    once, pending (for that program's staff) elsewhere. Nothing is written when anything is wrong."""
    rights = poster_rights(by)
    if rights is None:
        raise PermissionDenied(_("Only verified alumni, study-program staff and approved employers can post jobs."))
    today = today or timezone.localdate()
    errors = post_errors(data=data, today=today)
    programs = {int(pk) for pk in program_ids}
    if not programs:
        errors["study_programs"] = _("Choose at least one study program this job suits.")
    elif not programs <= rights.choosable_program_ids:
        errors["study_programs"] = _("Choose study programs of your own institution.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        organisation = organisation_resolve(name=data["organisation_name"].strip(), by=by)
        post = JobPost.objects.create(
            organisation=organisation, posted_by=by, poster_kind=rights.kind, status=S.OPEN, created_at=now,
            **_clean_values(data),
        )
        approved = sorted(programs & rights.approved_program_ids)
        pending = sorted(programs - rights.approved_program_ids)
        JobPostTarget.objects.bulk_create(
            [JobPostTarget(post=post, study_program_id=pk, state=T.APPROVED, decided_by=by, decided_at=now)
             for pk in approved]
            + [JobPostTarget(post=post, study_program_id=pk, state=T.PENDING) for pk in pending]
        )
        audit_log(actor=by, action="careers.post.created", target=post,
                  data={"poster_kind": rights.kind, "approved": approved, "pending": pending})
    return post


def _target_program_ids(post: JobPost) -> set[int]:
    return set(JobPostTarget.objects.filter(post=post).values_list("study_program_id", flat=True))


def is_moderator(post: JobPost, user) -> bool:
    """Staff of one of the post's study programs (institution admins and superusers included)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    return bool(scope.staff_program_ids and _target_program_ids(post) & scope.staff_program_ids)


def can_edit(post: JobPost, user) -> bool:
    """The poster while the post is open; staff of one of its study programs while it is not removed."""
    if post.status == S.REMOVED or not getattr(user, "is_authenticated", False):
        return False
    if post.posted_by_id == user.pk and post.status == S.OPEN:
        return True
    return is_moderator(post, user)


def post_update(*, post: JobPost, by, data: dict[str, Any], today: datetime.date | None = None) -> JobPost:
    """Save an edit of the poster (open post) or of staff of one of its study programs. Its study programs and
    their decisions stay as they are."""
    if not can_edit(post, by):
        raise PermissionDenied(_("You may not edit this job post."))
    today = today or timezone.localdate()
    errors = post_errors(data=data, today=today, closing_date_was=post.closing_date)
    if errors:
        raise ValidationError(errors)
    values = _clean_values(data)
    changed = [name for name, value in values.items() if getattr(post, name) != value]
    with transaction.atomic():
        name = data["organisation_name"].strip()
        if name != post.organisation.name:
            organisation = organisation_resolve(name=name, by=by)
            if organisation.pk != post.organisation_id:
                post.organisation = organisation
                changed.append("organisation")
        for name, value in values.items():
            setattr(post, name, value)
        post.save()
        audit_log(actor=by, action="careers.post.edited", target=post,
                  data={"fields": changed, "as": "poster" if by.pk == post.posted_by_id else "staff"})
    return post


def post_close(*, post: JobPost, by) -> JobPost:
    """The poster (or staff of one of its study programs) closes an open post before its closing date: it is no
    longer listed and stays readable for them."""
    if not (post.posted_by_id == by.pk or is_moderator(post, by)):
        raise PermissionDenied(_("Only the poster can close this job post."))
    now = timezone.now()
    with transaction.atomic():
        # A conditional update: a second click, or the closing tick at the same moment, changes nothing twice.
        if not JobPost.objects.filter(pk=post.pk, status=S.OPEN).update(status=S.CLOSED, closed_at=now):
            raise ValidationError(_("This job post is not open any more."))
        post.status, post.closed_at = S.CLOSED, now
        audit_log(actor=by, action="careers.post.closed", target=post, data={"early": True})
    return post


def application_mark(*, post: JobPost, user) -> tuple[Application, bool]:
    """A member says they applied: one row per person and post (a second click finds the first)."""
    if not scope_for(user).is_member:
        raise PermissionDenied(_("Only verified alumni and students can mark that they applied."))
    if post.posted_by_id == user.pk:
        raise ValidationError(_("This is your own job post."))
    if post.status != S.OPEN:
        raise ValidationError(_("This job post is not open any more."))
    try:
        with transaction.atomic():
            return Application.objects.get_or_create(user=user, post=post)
    except IntegrityError:  # the same person's double click, committed by the other request first
        return Application.objects.get(user=user, post=post), False


# --- staff decisions per study program -------------------------------------------------------------------------


def _detail_link(post: JobPost) -> str:
    return reverse("careers:post_detail", args=[post.pk])


def _notify_decision(target: JobPostTarget, post: JobPost) -> None:
    notification_claim(
        key=f"careers.post.decided:{target.pk}:{target.state}",
        kind="careers_post_decided",
        recipient=post.posted_by,
        template="careers/email/post_decided",
        context={"post": post, "program": target.study_program.name, "approved": target.state == T.APPROVED,
                 "reason": target.reason},
        link=_detail_link(post),
    )


def _require_staff_of(program_id: int, user) -> None:
    if not scope_for(user).manages_program(program_id):
        raise PermissionDenied(_("Only staff of this study program decide here."))


def _decide(*, target: JobPostTarget, by, state: str, reason: str = "") -> JobPostTarget:
    _require_staff_of(target.study_program_id, by)
    with transaction.atomic():
        locked = JobPostTarget.objects.select_for_update().select_related("study_program", "post__posted_by").get(
            pk=target.pk)
        if locked.state != T.PENDING:
            raise ValidationError(_("This study program's decision on the post was already made."))
        locked.state, locked.decided_by, locked.decided_at, locked.reason = state, by, timezone.now(), reason
        locked.save(update_fields=["state", "decided_by", "decided_at", "reason"])
        post = locked.post
        verb = "approved" if state == T.APPROVED else "refused"
        audit_log(actor=by, action=f"careers.post.{verb}", target=post, study_program=locked.study_program,
                  data={"study_program": locked.study_program_id, **({"reason": reason} if reason else {})})
        _notify_decision(locked, post)
    return locked


def target_approve(*, target: JobPostTarget, by) -> JobPostTarget:
    """Staff of the target's study program list the post for their program's members."""
    return _decide(target=target, by=by, state=T.APPROVED)


def target_refuse(*, target: JobPostTarget, by, reason: str) -> JobPostTarget:
    """Staff of the target's study program refuse the post for their program, with the reason the poster reads."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why, for the poster.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _too_long(reason, REASON_MAX)})
    return _decide(target=target, by=by, state=T.REFUSED, reason=reason)


# --- reports and the review of a hidden post -------------------------------------------------------------------


def may_report(post: JobPost, user) -> bool:
    """Verified members, staff and approved employer contacts, not the poster (who can see the post: the view's
    door decides that)."""
    scope = scope_for(user)
    if not scope.is_authenticated or post.posted_by_id == scope.user_id:
        return False
    if scope.is_member or scope.is_staff:
        return True
    return EmployerContact.objects.filter(user_id=scope.user_id, status=EmployerContact.Status.APPROVED).exists()


def post_report(*, post: JobPost, by, reason: str, note: str = "") -> JobReport:
    """One report per person and post. The post's row is locked while counting, so that the HIDE_AFTER_REPORTS-th
    report hides it exactly once even when reports arrive together."""
    if not may_report(post, by):
        raise PermissionDenied(_("You may not report this job post."))
    note = (note or "").strip()
    errors = {}
    if reason not in JobReport.Reason.values:
        errors["reason"] = _("Choose what is wrong with the post.")
    if len(note) > NOTE_MAX:
        errors["note"] = _too_long(note, NOTE_MAX)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = JobPost.objects.select_for_update().get(pk=post.pk)
        if locked.status not in (S.OPEN, S.HIDDEN):
            raise ValidationError(_("This job post is not open any more."))
        if JobReport.objects.filter(post=locked, reporter=by).exists():
            raise ValidationError(_("You already reported this job post."))
        report = JobReport.objects.create(post=locked, reporter=by, reason=reason, note=note)
        count = JobReport.objects.filter(post=locked, resolved_at__isnull=True).count()
        hide = count >= HIDE_AFTER_REPORTS and locked.status == S.OPEN
        update: dict[str, Any] = {"report_count": count}
        if hide:
            update["status"] = S.HIDDEN
        JobPost.objects.filter(pk=locked.pk).update(**update)
        audit_log(actor=by, action="careers.post.reported", target=locked, data={"reason": reason, "open": count})
        if hide:
            audit_log(actor=None, action="careers.post.hidden", target=locked, data={"reports": count})
    post.report_count = count
    if hide:
        post.status = S.HIDDEN
    return report


def _require_moderator(post: JobPost, by) -> None:
    if not is_moderator(post, by):
        raise PermissionDenied(_("Only staff of this post's study programs can review it."))


def post_keep(*, post: JobPost, by) -> JobPost:
    """Staff keep a hidden post: open again, its reports reviewed (they no longer count)."""
    _require_moderator(post, by)
    now = timezone.now()
    with transaction.atomic():
        if not JobPost.objects.filter(pk=post.pk, status=S.HIDDEN).update(status=S.OPEN, report_count=0):
            raise ValidationError(_("This job post is not waiting for a review."))
        resolved = JobReport.objects.filter(post=post, resolved_at__isnull=True).update(resolved_at=now)
        post.status, post.report_count = S.OPEN, 0
        audit_log(actor=by, action="careers.post.restored", target=post, data={"reports": resolved})
    return post


def post_remove(*, post: JobPost, by, reason: str) -> JobPost:
    """Staff remove a post (hidden after reports, or open): nobody but the poster and staff sees it again, and the
    poster is told why."""
    _require_moderator(post, by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why, for the poster.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _too_long(reason, REASON_MAX)})
    now = timezone.now()
    with transaction.atomic():
        if not JobPost.objects.filter(pk=post.pk, status__in=[S.HIDDEN, S.OPEN]).update(
                status=S.REMOVED, report_count=0, closed_at=now):
            raise ValidationError(_("This job post was already closed or removed."))
        resolved = JobReport.objects.filter(post=post, resolved_at__isnull=True).update(resolved_at=now)
        post.status, post.report_count, post.closed_at = S.REMOVED, 0, now
        audit_log(actor=by, action="careers.post.removed", target=post, data={"reason": reason, "reports": resolved})
        notification_claim(
            key=f"careers.post.removed:{post.pk}",
            kind="careers_post_removed",
            recipient=post.posted_by,
            template="careers/email/post_removed",
            context={"post": post, "reason": reason},
            link=_detail_link(post),
        )
    return post
