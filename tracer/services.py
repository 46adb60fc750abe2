"""Writes of the tracer study's admin side: the survey builder and waves (create, launch, close).

Builder. A version used by a wave is frozen (`frozen_at`): its answers must keep meaning what they meant. Any edit
of a frozen version first copies it to a new version (every question and option), and the edit is applied to the
copy; the caller learns the copy was made (`Edit.copied`) to tell the person. Unfrozen versions change in place.

Waves. `wave_launch` freezes the version, creates one graduate invitation per alumnus of the wave's study programs
whose graduation year is listed, in bulk (a fixed number of statements per 1,000 invitations), and claims the
invitation emails: a notification (kind ``tracer_invitation``, key ``tracer_invitation:<invitation>``) for people
with an account, and for imported alumni without an account but with an email, one email with their personal
link, sent after commit by `send_invitation_emails`. A wave launches once.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alumni.models import AlumniProfile, Consent, StudyProgram
from alumni.privacy import addresses_withheld
from alumni.scope import scope_for
from core.audit import audit_log
from core.dispatch import enqueue
from core.iterables import batched
from core.notifications import ClaimItem, notifications_claim_many, notifications_deliver

from .models import Invitation, Option, Question, Response, SurveyVersion, Wave, new_token
from .objections import stop_url

logger = logging.getLogger(__name__)

QUESTION_FIELDS = ("text", "text_en", "help", "help_en", "required", "min_value", "max_value", "show_if")
INVITATION_KIND = "tracer_invitation"
REMINDER_KIND = "tracer_reminder"
INVITATION_BATCH = 1000
# Link emails claimed per transaction (one commit per this many, rather than one per email).
EMAIL_CLAIM_BATCH = 200


def _require_admin(user) -> None:
    if not scope_for(user).is_admin:
        raise PermissionDenied(_("Only institution admins can do this."))


def invitation_link(invitation: Invitation) -> str:
    """The personal answer page; the dashboard while the answer pages are not wired into the URLconf."""
    try:
        return invitation.answer_path()
    except NoReverseMatch:
        return reverse("dashboard")


# --- Survey builder --------------------------------------------------------------------------------------------


@dataclass
class Edit:
    """The result of a builder edit: the version edited (a new one when `copied`) and the question, if any."""

    version: SurveyVersion
    question: Question | None
    copied: bool


def version_copy(version: SurveyVersion) -> SurveyVersion:
    """A new, unfrozen version of the same survey with every question and option of `version`. Four queries."""
    number = (SurveyVersion.objects.filter(survey_id=version.survey_id).aggregate(n=Max("number"))["n"] or 0) + 1
    new = SurveyVersion.objects.create(survey_id=version.survey_id, number=number)
    questions = list(version.questions.prefetch_related("options").order_by("position"))
    copies = Question.objects.bulk_create([
        Question(version=new, **{f.name: getattr(q, f.name) for f in Question._meta.concrete_fields
                                 if f.name not in ("id", "version")})
        for q in questions
    ])
    Option.objects.bulk_create([
        Option(question=copy, value=o.value, label_id=o.label_id, label_en=o.label_en, position=o.position)
        for q, copy in zip(questions, copies, strict=True) for o in q.options.all()
    ])
    return new


def _editable(version: SurveyVersion) -> tuple[SurveyVersion, bool]:
    """The version to write to: itself, or a fresh copy when frozen. Locks the version row."""
    version = SurveyVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_frozen:
        return version_copy(version), True
    return version, False


def _check_question(question: Question, options: list[dict] | None) -> None:
    if question.min_value is not None and question.max_value is not None and question.min_value > question.max_value:
        raise ValidationError({"max_value": _("The maximum must not be below the minimum.")})
    for condition in question.show_if or []:
        if condition.get("code") == question.code:
            raise ValidationError({"show_if": _("A question cannot depend on itself.")})
    if options is not None:
        values = [o["value"] for o in options]
        if len(values) != len(set(values)):
            raise ValidationError({"options": _("Each option needs its own stored value.")})
        if any(not str(o.get("label_id", "")).strip() for o in options):
            raise ValidationError({"options": _("Each option needs an Indonesian label.")})


def _set_options(question: Question, options: list[dict]) -> None:
    question.options.all().delete()
    Option.objects.bulk_create([
        Option(question=question, value=o["value"], label_id=o["label_id"], label_en=o.get("label_en", ""),
               position=i)
        for i, o in enumerate(options, start=1)
    ])


@transaction.atomic
def question_update(*, question: Question, by, data: dict, options: list[dict] | None = None) -> Edit:
    """Change a question's texts, required, min/max, show_if and (when given) its options, in display order."""
    _require_admin(by)
    version, copied = _editable(question.version)
    if copied:
        question = version.questions.get(code=question.code)
    for name in QUESTION_FIELDS:
        if name in data:
            setattr(question, name, data[name])
    _check_question(question, options)
    question.save()
    if options is not None:
        _set_options(question, options)
    audit_log(actor=by, action="tracer.question.updated", target=question,
              data={"version": str(version), "copied": copied})
    return Edit(version=version, question=question, copied=copied)


@transaction.atomic
def question_add(*, version: SurveyVersion, by, code: str, type: str, data: dict, page: int = 1,  # noqa: A002
                 options: list[dict] | None = None) -> Edit:
    """Add a question at the end of the version."""
    _require_admin(by)
    version, copied = _editable(version)
    if version.questions.filter(code=code).exists():
        raise ValidationError({"code": _("This version already has a question with this code.")})
    position = (version.questions.aggregate(p=Max("position"))["p"] or 0) + 1
    question = Question(version=version, code=code, type=type, page=page, position=position,
                        **{k: v for k, v in data.items() if k in QUESTION_FIELDS})
    _check_question(question, options)
    question.save()
    if options:
        _set_options(question, options)
    audit_log(actor=by, action="tracer.question.added", target=question,
              data={"version": str(version), "copied": copied})
    return Edit(version=version, question=question, copied=copied)


@transaction.atomic
def question_remove(*, question: Question, by) -> Edit:
    """Remove a question (refused while another question's show_if names it)."""
    _require_admin(by)
    version, copied = _editable(question.version)
    target = version.questions.get(code=question.code) if copied else question
    for other in version.questions.exclude(pk=target.pk):
        if any(c.get("code") == target.code for c in other.show_if or []):
            raise ValidationError(
                _("Question %(other)s is shown depending on %(code)s: change it first.")
                % {"other": other.code, "code": target.code}
            )
    audit_log(actor=by, action="tracer.question.removed", target=target,
              data={"version": str(version), "copied": copied})
    target.delete()
    return Edit(version=version, question=None, copied=copied)


# --- Waves -----------------------------------------------------------------------------------------------------


def admin_study_programs(user):
    """The study programs of the institutions this person administers (all for superusers)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return StudyProgram.objects.all()
    return StudyProgram.objects.filter(faculty__institution_id__in=scope.admin_institution_ids)


def wave_validate(*, opens_at, closes_at, reminder_days: list[int], max_reminders: int,
                  graduation_years: list[int]) -> None:
    errors = {}
    if opens_at and closes_at and closes_at <= opens_at:
        errors["closes_at"] = _("The wave must close after it opens.")
    if any(not isinstance(d, int) or d <= 0 for d in reminder_days):
        errors["reminder_days"] = _("Reminder days must be positive whole numbers.")
    elif any(b <= a for a, b in zip(reminder_days, reminder_days[1:], strict=False)):
        errors["reminder_days"] = _("Reminder days must be in ascending order.")
    if max_reminders < 0 or max_reminders > len(reminder_days):
        errors["max_reminders"] = _("At most one reminder per reminder day (%(n)d).") % {"n": len(reminder_days)}
    if not graduation_years:
        errors["graduation_years"] = _("Choose at least one graduation year.")
    elif any(not isinstance(y, int) or not 1950 <= y <= 2100 for y in graduation_years):
        errors["graduation_years"] = _("Graduation years must be years such as 2023.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def wave_create(*, by, title: str, version: SurveyVersion, study_programs, graduation_years: list[int],
                opens_at: datetime.datetime, closes_at: datetime.datetime, reminder_days: list[int],
                max_reminders: int) -> Wave:
    _require_admin(by)
    study_programs = list(study_programs)
    if not study_programs:
        raise ValidationError({"study_programs": _("Choose at least one study program.")})
    allowed = set(admin_study_programs(by).filter(pk__in=[p.pk for p in study_programs]).values_list("pk", flat=True))
    if any(p.pk not in allowed for p in study_programs):
        raise ValidationError({"study_programs": _("You can only survey study programs of your institution.")})
    graduation_years = sorted(set(graduation_years))
    wave_validate(opens_at=opens_at, closes_at=closes_at, reminder_days=reminder_days,
                  max_reminders=max_reminders, graduation_years=graduation_years)
    wave = Wave.objects.create(
        title=title, version=version, graduation_years=graduation_years, opens_at=opens_at, closes_at=closes_at,
        reminder_days=reminder_days, max_reminders=max_reminders, created_by=by,
    )
    wave.study_programs.set(study_programs)
    audit_log(actor=by, action="tracer.wave.created", target=wave, data={"version": str(version)})
    return wave


def eligible_profiles(wave: Wave):
    """Verified alumni of the wave's study programs who graduated in one of its years (index-friendly date ranges).

    A record someone registered for themselves and nobody verified yet (pending) or that staff refused is no
    graduate of ours: it gets no invitation (the tracer counts for accreditation, and the link would go to a
    claimant we do not know)."""
    years = Q(pk__in=[])
    for year in wave.graduation_years:
        years |= Q(graduation_date__gte=datetime.date(year, 1, 1), graduation_date__lt=datetime.date(year + 1, 1, 1))
    return AlumniProfile.objects.filter(
        years, study_program__in=wave.study_programs.all(), verification=AlumniProfile.Verification.VERIFIED
    )


@dataclass
class LaunchSummary:
    """What launching a wave would do now, shown before the admin confirms (read-only): how many graduates get an
    invitation and who is emailed how. `by_account` + `by_address` emails go out at launch; `objected` and
    `no_email` invitees get none (their invitation still exists: staff may pass the link on)."""

    invited: int = 0  # new invitations the launch creates
    already: int = 0  # invited by hand before the launch: they keep that one invitation
    by_account: int = 0  # an email to their account
    by_address: int = 0  # no account: an email with their personal link to the address on their record
    objected: int = 0  # objected to the tracer study (their account or their address): no email
    no_email: int = 0  # no account (or a deactivated one) and no address on the record: no email

    @property
    def emails(self) -> int:
        return self.by_account + self.by_address


def wave_launch_summary(wave: Wave) -> LaunchSummary:
    """The same invitees `wave_launch` would invite, split by how they would be reached. Two queries, plus the
    consent look-up (one per 5,000 addresses)."""
    already = Invitation.objects.filter(wave=wave, respondent=Invitation.Respondent.GRADUATE)
    rows = list(
        eligible_profiles(wave).exclude(pk__in=already.values("profile_id"))
        .values_list("user_id", "user__is_active", "user__email", "email")
    )
    summary = LaunchSummary(invited=len(rows), already=already.count())
    withheld = withdrawn_emails({(user_email if user_id else email).lower() for user_id, _active, user_email, email
                                 in rows if (user_email if user_id else email)})
    for user_id, active, user_email, email in rows:
        address = (user_email if user_id else email).lower()
        if (user_id and not active) or not address:
            summary.no_email += 1
        elif address in withheld:
            summary.objected += 1
        elif user_id:
            summary.by_account += 1
        else:
            summary.by_address += 1
    return summary


@transaction.atomic
def wave_launch(*, wave: Wave, by, now: datetime.datetime | None = None) -> int:
    """Freeze the version, invite every eligible alumnus, claim the emails. Returns the number invited."""
    _require_admin(by)
    now = now or timezone.now()
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    if wave.launched_at is not None:
        raise ValidationError(_("This wave was launched already."))
    if wave.closes_at <= now:
        raise ValidationError(_("This wave has already closed."))
    SurveyVersion.objects.filter(pk=wave.version_id, frozen_at__isnull=True).update(frozen_at=now)
    # Anyone already invited to this wave (by hand, before the launch) keeps that one invitation.
    already = Invitation.objects.filter(wave=wave, respondent=Invitation.Respondent.GRADUATE).values("profile_id")
    profile_ids = list(
        eligible_profiles(wave).exclude(pk__in=already).order_by("pk").values_list("pk", flat=True)
    )
    invitations = [
        Invitation(token=new_token(), version_id=wave.version_id, wave=wave, profile_id=pk, created_by=by,
                   created_at=now)
        for pk in profile_ids
    ]
    for chunk in batched(invitations, INVITATION_BATCH):
        Invitation.objects.bulk_create(chunk)
    wave.launched_at = now
    wave.save(update_fields=["launched_at"])
    claim_invitations(wave=wave)
    enqueue("tracer.tasks.send_tracer_invitation_emails", str(wave.pk))
    audit_log(actor=by, action="tracer.wave.launched", target=wave, data={"invited": len(invitations)})
    return len(invitations)


def claim_invitations(*, wave: Wave) -> list:
    """Claim the invitation notification of every invitee with an active account (consent and preferences are
    applied by the claim). Safe to call again: keys are unique."""
    rows = (
        Invitation.objects.filter(wave=wave, respondent=Invitation.Respondent.GRADUATE,
                                  profile__user__isnull=False, profile__user__is_active=True,
                                  profile__verification=AlumniProfile.Verification.VERIFIED)
        .select_related("profile__user").order_by("pk")
    )
    context = {"wave": wave, "closes_at": wave.closes_at}
    items = [
        ClaimItem(key=f"{INVITATION_KIND}:{inv.pk}", kind=INVITATION_KIND, recipient=inv.profile.user,
                  template="tracer/email/invitation", context={**context, "invitation": inv},
                  link=invitation_link(inv))
        for inv in rows
    ]
    return notifications_claim_many(items)


LINK_KIND = "tracer_link"


def _link_item(inv: Invitation, wave: Wave) -> ClaimItem:
    """The personal link of an invitee without an account, to the address on their record, in the portal's
    default language; the link goes under the text (Notification.link)."""
    return ClaimItem(
        key=f"{LINK_KIND}:{inv.pk}", kind=LINK_KIND, recipient=None, to_email=inv.profile.email,
        template="tracer/email/invitation", link=invitation_link(inv),
        context={"recipient": inv.profile, "name": inv.profile.full_name, "wave": wave, "invitation": inv,
                 "closes_at": wave.closes_at, "preferences_url": "", "stop_url": stop_url(inv)},
    )


def withdrawn_emails(emails: set[str]) -> set[str]:
    """Of these addresses, those that objected to the tracer study: an account under that address withheld tracer
    consent, or someone without an account objected from an email's stop link (tracer.objections). The rule is
    alumni's (alumni.privacy.addresses_withheld: the latest decision per account and per address; the tracer study
    runs until the person objects, CONSENT_DEFAULTS). One query per 5,000 addresses."""
    return addresses_withheld(emails, Consent.Purpose.TRACER)


def link_unwanted(notification) -> str:
    """The send check of tracer links and reminders (registered in TracerConfig): "" while the invitee may still
    answer, else why the email must not go: the survey was submitted or the wave closed since the claim, or, for
    an email to an address, that address objected to the tracer study (an account under it, or its stop link:
    withdrawn_emails). One or two queries. Also the check of employer-survey
    emails. (Accounts that object have their unsent rows stopped at once: alumni.privacy.)"""
    submitted = Response.objects.filter(invitation=OuterRef("pk"), status=Response.Status.SUBMITTED)
    invitation = (
        Invitation.objects.filter(pk=notification.key.split(":")[1])
        .annotate(submitted=Exists(submitted)).values("submitted", "wave__closes_at").first()
    )
    if invitation is None:
        return "invitation deleted"
    if invitation["submitted"]:
        return "already answered"
    if invitation["wave__closes_at"] is not None and invitation["wave__closes_at"] <= timezone.now():
        return "wave closed"
    if not notification.recipient_id and withdrawn_emails({notification.to_email.lower()}):
        return "objected to the tracer study"
    return ""


def send_invitation_emails(*, wave_id) -> int:
    """Email the personal link to invitees without an account but with an email, exactly once each.

    The guard is the invitation's `email` column: a conditional UPDATE … WHERE email = '' records the address
    and, in the same commit (per EMAIL_CLAIM_BATCH invitations), the email's outbox row (core.models.Notification,
    addressed to the record's email), so a retried or concurrent task finds nothing left to claim, and a worker
    killed while sending leaves unsent rows that the sweep sends (never marked sent before the server took them).
    People whose account under that address withheld tracer consent get nothing.
    """
    wave = Wave.objects.get(pk=wave_id)
    pending = list(
        Invitation.objects.filter(wave=wave, respondent=Invitation.Respondent.GRADUATE, email="",
                                  profile__user__isnull=True, profile__verification=AlumniProfile.Verification.VERIFIED)
        .exclude(profile__email="").select_related("profile").order_by("pk")
    )
    if not pending:
        return 0
    withdrawn = withdrawn_emails({inv.profile.email.lower() for inv in pending})
    claimed = []
    for chunk in batched([inv for inv in pending if inv.profile.email.lower() not in withdrawn], EMAIL_CLAIM_BATCH):
        # One commit per chunk: the address recorded on the invitation and its outbox row, together.
        with transaction.atomic():
            won = [inv for inv in chunk
                   if Invitation.objects.filter(pk=inv.pk, email="").update(email=inv.profile.email)]
            claimed += notifications_claim_many([_link_item(inv, wave) for inv in won], deliver=False)
    # Sent here, over one SMTP connection; what a crash or a failed send leaves unsent, the sweep sends.
    return notifications_deliver([row.pk for row in claimed])[0]


@transaction.atomic
def wave_close(*, wave: Wave, by, now: datetime.datetime | None = None) -> Wave:
    """Close a wave now: no more answers, no more reminders."""
    _require_admin(by)
    now = now or timezone.now()
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    if wave.closes_at <= now:
        raise ValidationError(_("This wave is already closed."))
    wave.closes_at = max(now, wave.opens_at + datetime.timedelta(seconds=1))
    wave.save(update_fields=["closes_at"])
    audit_log(actor=by, action="tracer.wave.closed", target=wave)
    return wave
