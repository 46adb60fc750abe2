"""What mentoring holds about a person (profiles, requests, mentorships), for "Download my data" and "Delete my
account" (alumni.privacy), registered in hooks_mentorships.register():

- the mentor profile: exported; deleted (the person is no longer found as a mentor);
- requests sent and received: exported both ways (the other person's name, the texts, the state); on deletion
  the person's own words go (what they want help with and the note when they asked, the reason when they
  declined), requests still open are closed (withdrawn when they asked, expired when they were asked); the rows
  stay for the staff's counts;
- mentorships: exported with their meetings (notes included: they are the pair's) and the feedback the person
  gave; on deletion running mentorships end, the notes of meetings the person logged and the texts of feedback
  they gave go; dates, durations and ratings stay for the counts and averages.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from .models import Feedback, Meeting, MentorProfile, Mentorship, MentorshipRequest


def _name(user) -> str | None:
    if user is None:
        return None
    record = getattr(user, "alumni_profile", None)
    return (record.full_name if record else "") or user.full_name or None


def export_mentor_profile(user) -> dict[str, Any] | None:
    profile = MentorProfile.objects.filter(user=user).prefetch_related("topics").select_related("province").first()
    if profile is None:
        return None
    return {
        "topics": [t.name for t in profile.topics.all()], "tags": profile.tags, "capacity": profile.capacity,
        "formats": profile.formats, "languages": profile.languages,
        "province": profile.province.name if profile.province else None, "field": profile.field,
        "about": profile.about, "paused": profile.paused, "created_at": profile.created_at,
        "updated_at": profile.updated_at,
    }


def delete_mentor_profile(user, marker: str) -> None:
    MentorProfile.objects.filter(user=user).delete()


def export_requests(user) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {"sent": [], "received": []}
    rows = (
        MentorshipRequest.objects.filter(Q(mentee=user) | Q(mentor=user))
        .select_related("mentee__alumni_profile", "mentor__alumni_profile").order_by("created_at", "pk")
    )
    for r in rows:
        sent = r.mentee_id == user.pk
        out["sent" if sent else "received"].append({
            "with": _name(r.mentor if sent else r.mentee), "help_with": r.help_with, "note": r.note,
            "format": r.format, "status": r.status, "reason": r.decline_reason, "sent_at": r.created_at,
            "expires_at": r.expires_at, "answered_at": r.answered_at,
        })
    return out


def anonymise_requests(user, marker: str) -> None:
    now = timezone.now()
    open_ = MentorshipRequest.objects.filter(status=MentorshipRequest.Status.OPEN)
    open_.filter(mentee=user).update(status=MentorshipRequest.Status.WITHDRAWN, answered_at=now)
    open_.filter(mentor=user).update(status=MentorshipRequest.Status.EXPIRED, answered_at=now)
    MentorshipRequest.objects.filter(mentee=user).update(help_with="", note="")
    MentorshipRequest.objects.filter(mentor=user).update(decline_reason="")


def export_mentorships(user) -> list[dict[str, Any]]:
    rows = (
        Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user))
        .select_related("mentor__alumni_profile", "mentee__alumni_profile")
        .prefetch_related("meetings", "feedback").order_by("started_on", "pk")
    )
    return [
        {
            "as": "mentor" if m.mentor_id == user.pk else "mentee",
            "with": _name(m.mentee if m.mentor_id == user.pk else m.mentor), "goals": m.goals,
            "started_on": m.started_on, "ends_on": m.ends_on, "status": m.status, "ended_at": m.ended_at,
            "meetings": [{"date": x.date, "minutes": x.minutes, "format": x.format, "notes": x.notes}
                         for x in m.meetings.all()],
            "my_feedback": [{"rating": f.rating, "text": f.text, "at": f.created_at}
                            for f in m.feedback.all() if f.by_id == user.pk],
        }
        for m in rows
    ]


def anonymise_mentorships(user, marker: str) -> None:
    Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user), status=Mentorship.Status.ACTIVE).update(
        status=Mentorship.Status.ENDED, ended_at=timezone.now())
    Meeting.objects.filter(logged_by=user).update(notes="")
    Feedback.objects.filter(by=user).update(text="")


def mentoring_audit_targets(user) -> dict[str, set[str]]:
    def ids(qs) -> set[str]:
        return {str(pk) for pk in qs.values_list("pk", flat=True)}

    return {
        MentorProfile._meta.label_lower: ids(MentorProfile.objects.filter(user=user)),
        MentorshipRequest._meta.label_lower: ids(MentorshipRequest.objects.filter(mentee=user)),
        Mentorship._meta.label_lower: ids(Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user))),
    }
