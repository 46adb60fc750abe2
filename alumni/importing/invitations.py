"""Invitations to sign up and claim an imported record.

`invitations_claim` (task `alumni.tasks.import_invite`) claims one invitation per imported record of a job that has
an email and no account, at most once per record (INSERT ... ON CONFLICT DO NOTHING), and has them sent after commit
by the task `alumni.tasks.deliver_invitations` (through core.dispatch: this module never imports the tasks).
`invitation_deliver` sends one, leased so that two workers never send the same row.
"""

from __future__ import annotations

import datetime
import logging
import smtplib

from django.conf import settings
from django.db import connections, models, router, transaction
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation

from core.dispatch import enqueue
from core.iterables import batched
from core.notifications import render_text, send_mail

from ..models import AlumniProfile, ImportJob, SignupInvitation, StudyProgram, User
from .reading import read_table

logger = logging.getLogger(__name__)

INVITATION_INSERT_ROWS = 500
MAX_INVITATION_ATTEMPTS = 5
INVITATION_LEASE = datetime.timedelta(minutes=5)


def _insert_invitations(rows: list[SignupInvitation]) -> list[int]:
    """INSERT … ON CONFLICT (key) DO NOTHING RETURNING id: the ids of the rows this call won (a key claimed before,
    by any job or a concurrent click, is not returned)."""
    if not rows:
        return []
    connection = connections[router.db_for_write(SignupInvitation)]
    qn = connection.ops.quote_name
    fields = [f for f in SignupInvitation._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(qn(f.column) for f in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    won: list[int] = []
    with connection.cursor() as cursor:
        for chunk in batched(sorted(rows, key=lambda r: r.key), INVITATION_INSERT_ROWS):
            params = [f.get_db_prep_save(f.pre_save(row, True), connection) for row in chunk for f in fields]
            # Identifiers come from the model's own metadata; every value is a bound parameter.
            sql = (
                f"INSERT INTO {qn(SignupInvitation._meta.db_table)} ({columns}) "  # noqa: S608
                f"VALUES {', '.join([row_sql] * len(chunk))} "
                f"ON CONFLICT ({qn('key')}) DO NOTHING RETURNING {qn('id')}"
            )
            cursor.execute(sql, params)
            won.extend(pk for (pk,) in cursor.fetchall())
    return won


def job_keys(job: ImportJob) -> set[tuple[str, str]]:
    """(study program code, NIM) of every row of the job's file."""
    with job.file.open("rb") as handle:
        dataset = read_table(handle).dataset
    return {
        (str(code).strip(), str(nim).strip())
        for code, nim in zip(dataset["study_program"], dataset["nim"], strict=True)
    }


@transaction.atomic
def invitations_claim(*, job: ImportJob, by: User) -> list[int]:
    """Claim one invitation per imported record of the job that has an email and no account (and whose email
    no account uses). Returns the new invitations' ids; they are sent after commit, with this job's earlier
    invitations whose send failed."""
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
    now = timezone.now()
    rows = [
        SignupInvitation(key=f"invitation:{profile.pk}", profile_id=profile.pk, email=profile.email, job=job,
                         created_at=now)
        for profile in candidates
        if profile.email.lower() not in taken
    ]
    won = _insert_invitations(rows)
    job.summary = {**job.summary, "invited": job.summary.get("invited", 0) + len(won)}
    job.save(update_fields=["summary"])
    # Invitations of this job whose send failed before go out again (each send is leased: never twice).
    retry = list(
        SignupInvitation.objects.filter(job=job, sent_at__isnull=True, attempts__gt=0,
                                        attempts__lt=MAX_INVITATION_ATTEMPTS).values_list("pk", flat=True)
    )
    if won or retry:
        enqueue("alumni.tasks.deliver_invitations", [*won, *retry])
    return won


def signup_url() -> str:
    return f"{settings.SITE_URL}{reverse('account_signup')}"


def invitation_deliver(*, invitation_id: int) -> bool:
    """Send one claimed invitation; True when it went out now. Leased like notifications: two workers never
    send the same row, and a failed send is tried again by the next delivery (up to 5 attempts)."""
    now = timezone.now()
    leased = (
        SignupInvitation.objects.filter(
            models.Q(locked_until__isnull=True) | models.Q(locked_until__lt=now),
            pk=invitation_id, sent_at__isnull=True, attempts__lt=MAX_INVITATION_ATTEMPTS,
        ).update(attempts=models.F("attempts") + 1, locked_until=now + INVITATION_LEASE)
    )
    if not leased:
        return False
    invitation = SignupInvitation.objects.select_related("profile__study_program").get(pk=invitation_id)
    profile = invitation.profile
    # The invitee has no account and so no saved language: the portal's default language.
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "profile": profile, "program": profile.study_program, "email": invitation.email,
            "signup_url": signup_url(), "site_name": settings.SITE_NAME,
        }
        subject = " ".join(render_text(get_template("alumni/email/invitation_subject.txt"), context).split())
        body = render_text(get_template("alumni/email/invitation_body.txt"), context).strip()
    try:
        send_mail(subject[:200], body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("invitation %s: delivery failed: %s", invitation_id, exc)
        SignupInvitation.objects.filter(pk=invitation_id).update(last_error=str(exc)[:1000], locked_until=None)
        return False
    SignupInvitation.objects.filter(pk=invitation_id).update(sent_at=timezone.now(), last_error="", locked_until=None)
    return True
