"""Tracer study and personal data (UU PDP): what "Download my data" includes, and what deleting an account keeps.

Registered in TracerConfig.ready() into alumni.privacy's registry (alumni never imports tracer).

Download: the person's tracer invitations (wave, survey, when, reminders; never a token), their own responses with
every answer, and the supervisors they (or staff) named for the employer survey with whether each answered.

Delete: the coded answers stay, so the accreditation tables and the national upload still count the graduate
anonymously; the free text goes (it may name the person, their employer or colleagues), so do the supervisor's
name, position, organisation and email on employer invitations and responses about them, and every personal link
is given a new token so an old email opens nothing. Audit entries about those invitations and responses lose
their description and details.
"""

from __future__ import annotations

from django.db.models import Q

from alumni.models import AlumniProfile
from core.models import AuditLog

from .models import Answer, Invitation, Response, Survey, new_token


def _profile(user):
    return AlumniProfile.objects.filter(user=user).only("pk").first()


def export_tracer(user) -> dict:
    """A fixed number of queries, whatever the number of waves and answers."""
    profile = _profile(user)
    if profile is None:
        return {"invitations": [], "responses": [], "supervisors_named": []}
    invitations = (
        Invitation.objects.filter(profile=profile, respondent=Invitation.Respondent.GRADUATE)
        .select_related("wave", "version__survey").order_by("created_at")
    )
    responses = (
        Response.objects.filter(profile=profile, version__survey__kind=Survey.Kind.ALUMNI)
        .select_related("version__survey", "invitation__wave").prefetch_related("answers").order_by("started_at")
    )
    supervisors = (
        Invitation.objects.filter(profile=profile, respondent=Invitation.Respondent.EMPLOYER)
        .select_related("response").order_by("created_at")
    )
    return {
        "invitations": [
            {"survey": i.version.survey.label, "wave": i.wave.title if i.wave else None, "invited_at": i.created_at,
             "reminders_sent": i.reminders_sent}
            for i in invitations
        ],
        "responses": [
            {"survey": r.version.survey.label, "version": r.version.number,
             "wave": r.invitation.wave.title if r.invitation and r.invitation.wave else None,
             "status": r.status, "source": r.source, "started_at": r.started_at, "submitted_at": r.submitted_at,
             "answers": {a.code: a.value for a in sorted(r.answers.all(), key=lambda a: a.code)}}
            for r in responses
        ],
        "supervisors_named": [
            {"name": i.name, "position": i.position, "organisation": i.organisation, "email": i.email,
             "invited_at": i.created_at, "answered": _answered(i)}
            for i in supervisors
        ],
    }


def _answered(invitation: Invitation) -> bool:
    try:
        return invitation.response.status == Response.Status.SUBMITTED
    except Response.DoesNotExist:
        return False


def anonymise_tracer(user, marker: str) -> None:
    profile = _profile(user)
    if profile is None:
        return
    responses = Response.objects.filter(profile=profile)
    # Free text goes; numbers, codes and dates stay for the statistics.
    Answer.objects.filter(response__in=responses, value_int__isnull=True, value_date__isnull=True).delete()
    Answer.objects.filter(response__in=responses).exclude(value_text="").update(value_text="")
    responses.update(respondent_name="", respondent_position="", organisation="")
    invitations = list(Invitation.objects.filter(profile=profile).only("pk", "token"))
    for invitation in invitations:
        invitation.token = new_token()
    Invitation.objects.bulk_update(invitations, ["token"])
    Invitation.objects.filter(profile=profile).update(name="", position="", organisation="", email="")
    ids = {
        Invitation._meta.label_lower: [str(i.pk) for i in invitations],
        Response._meta.label_lower: [str(pk) for pk in responses.values_list("pk", flat=True)],
    }
    q = Q(pk__in=[])
    for target_type, pks in ids.items():
        if pks:
            q |= Q(target_type=target_type, target_id__in=pks)
    AuditLog.objects.filter(q).update(target_repr=marker, data={"redacted": True})
