"""Invitations to sign up and claim an imported record.

`invitations_claim` (task `alumni.tasks.import_invite`) claims one invitation per imported record of a job that has
an email and no account, at most once per record (INSERT ... ON CONFLICT DO NOTHING), and, in the same transaction,
its email in core's outbox (a `core.models.Notification` addressed to the record's email, key
`alumni.invitation:<profile id>`). The emails are sent after commit by `core.tasks.deliver_notifications` over one
SMTP connection; whatever a crash or a failed send leaves unsent, the sweep (`deliver_pending_notifications`) sends.
`SignupInvitation.sent_at` is written by the sent hook (`mark_invitation_sent`) once the mail server accepted the
message, never before.
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.claims import insert_claims
from core.dispatch import enqueue
from core.iterables import batched
from core.models import Notification
from core.notifications import ClaimItem, notification_deliver, notifications_claim_many

from ..models import AlumniProfile, ImportJob, SignupInvitation, StudyProgram, User
from .reading import read_table

logger = logging.getLogger(__name__)

INVITATION_INSERT_ROWS = 500
INVITATION_KIND = "signup_invitation"
OUTBOX_PREFIX = "alumni."


def _insert_invitations(rows: list[SignupInvitation]) -> list[int]:
    """The ids of the rows this call won (a key claimed before, by any job or a concurrent click, is not returned):
    core.claims.insert_claims."""
    return list(insert_claims(SignupInvitation, rows, batch=INVITATION_INSERT_ROWS).values())


def job_keys(job: ImportJob) -> set[tuple[str, str]]:
    """(study program code, NIM) of every row of the job's file."""
    with job.file.open("rb") as handle:
        dataset = read_table(handle).dataset
    return {
        (str(code).strip(), str(nim).strip())
        for code, nim in zip(dataset["study_program"], dataset["nim"], strict=True)
    }


def invitation_candidates(*, job: ImportJob, by: User) -> list[AlumniProfile]:
    """The imported records of the job (in study programs `by` runs) that have an email and no account, and whose
    email no account uses: whom `invitations_claim` invites (less those invited before). Reads the job's file."""
    keys = job_keys(job)
    programs = dict(
        StudyProgram.objects.managed_by(by).filter(code__in={code for code, _nim in keys}).values_list("pk", "code")
    )
    candidates = [
        profile
        for profile in AlumniProfile.objects.filter(study_program_id__in=programs, user__isnull=True)
        .exclude(email="")
        .only("id", "study_program_id", "nim", "email")
        .iterator(chunk_size=2000)
        if (programs[profile.study_program_id], profile.nim) in keys
    ]
    emails = {profile.email.lower() for profile in candidates}
    taken = set()
    for chunk in batched(sorted(emails), 1000):
        taken |= {email.lower() for email in User.objects.filter(email__in=chunk).values_list("email", flat=True)}
    return [profile for profile in candidates if profile.email.lower() not in taken]


def invitations_preview(*, job: ImportJob, by: User) -> dict[str, int]:
    """What "Send invitations" would do now, read-only: {"new": records to be invited now, "before": candidates
    invited before (by any job: nobody is invited twice), "unsent": this job's invitations whose email has not gone
    out yet and goes out with the new ones}."""
    candidates = invitation_candidates(job=job, by=by)
    invited = set()
    keys = [f"invitation:{profile.pk}" for profile in candidates]
    for chunk in batched(keys, 5000):
        invited |= set(SignupInvitation.objects.filter(key__in=chunk).values_list("key", flat=True))
    return {
        "new": len(keys) - len(invited),
        "before": len(invited),
        "unsent": SignupInvitation.objects.filter(job=job, sent_at__isnull=True).count(),
    }


@transaction.atomic
def invitations_claim(*, job: ImportJob, by: User) -> list[int]:
    """Claim one invitation per imported record of the job that has an email and no account (and whose email
    no account uses). Returns the new invitations' ids; they are sent after commit, with this job's earlier
    invitations whose send failed."""
    now = timezone.now()
    rows = [
        SignupInvitation(key=f"invitation:{profile.pk}", profile_id=profile.pk, email=profile.email, job=job,
                         created_at=now)
        for profile in invitation_candidates(job=job, by=by)
    ]
    won = _insert_invitations(rows)
    job.summary = {**job.summary, "invited": job.summary.get("invited", 0) + len(won)}
    job.save(update_fields=["summary"])
    # Every unsent invitation of this job has its outbox row (the new ones, and any claimed before the outbox
    # existed); the unsent rows go out after commit, each leased on its own: never twice.
    unsent = list(
        SignupInvitation.objects.filter(job=job, sent_at__isnull=True)
        .select_related("profile__study_program").order_by("pk")
    )
    notifications_claim_many([_outbox_item(invitation) for invitation in unsent], deliver=False)
    keys = [outbox_key(invitation) for invitation in unsent]
    pending = []
    for chunk in batched(keys, 5000):
        pending += Notification.objects.unsent().filter(key__in=chunk).values_list("pk", flat=True)
    if pending:
        enqueue("core.tasks.deliver_notifications", sorted(pending))
    return won


def signup_url() -> str:
    return f"{settings.SITE_URL}{reverse('account_signup')}"


def outbox_key(invitation: SignupInvitation) -> str:
    return f"{OUTBOX_PREFIX}{invitation.key}"


def _outbox_item(invitation: SignupInvitation) -> ClaimItem:
    """The invitation's email: to the record's address, in the portal's default language (no account, so no saved
    language)."""
    profile = invitation.profile
    return ClaimItem(
        key=outbox_key(invitation), kind=INVITATION_KIND, recipient=None, to_email=invitation.email,
        template="alumni/email/invitation",
        context={"profile": profile, "program": profile.study_program, "email": invitation.email,
                 "signup_url": signup_url()},
    )


def mark_invitation_sent(notification: Notification) -> None:
    """The sent hook of sign-up invitations (registered in AlumniConfig): the invitation's `sent_at`, set in the
    transaction that marks its outbox row sent."""
    SignupInvitation.objects.filter(
        key=notification.key.removeprefix(OUTBOX_PREFIX), sent_at__isnull=True
    ).update(sent_at=timezone.now(), last_error="", locked_until=None)


def invitation_unwanted(notification: Notification) -> str:
    """The send check of sign-up invitations (registered in AlumniConfig): "" while the record still has no
    account, else why the email must not go (someone claimed the record since the invitation was claimed). One
    query."""
    profile = (
        SignupInvitation.objects.filter(key=notification.key.removeprefix(OUTBOX_PREFIX))
        .values("profile__user_id").first()
    )
    if profile is None:
        return "invitation deleted"
    if profile["profile__user_id"] is not None:
        return "record already claimed by an account"
    return ""


def invitation_deliver(*, invitation_id: int) -> bool:
    """Send one claimed invitation's outbox row; True when it went out now (leased: two workers never send the
    same row; a failed send stays unsent for the sweep)."""
    invitation = SignupInvitation.objects.filter(pk=invitation_id).first()
    if invitation is None:
        return False
    pk = Notification.objects.unsent().filter(key=outbox_key(invitation)).values_list("pk", flat=True).first()
    if pk is None:
        return False
    try:
        return notification_deliver(notification_id=pk)
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("invitation %s: delivery failed: %s", invitation_id, exc)
        return False
