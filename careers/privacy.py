"""What careers holds about a person, for "Download my data" and "Delete my account" (alumni.privacy), registered
in hooks_alerts.register():

- job posts the person posted: exported in full. On deletion they are CLOSED (if still open or hidden) and their
  free text and contacts go (description, requirements, application email and link); title, organisation, kind,
  field, place, salary band and dates stay under the anonymised account. Not deleted: other members' applications,
  introductions and outcomes point at the post (deleting it would delete their data too), and the yearly counts
  of posts and hires are accreditation evidence;
- applications ("I applied"): exported; kept under the anonymised account (they hold nothing but the post and the
  date, and count in the staff figures);
- reports the person made on posts: exported; on deletion the note (their own words) goes, the reason stays;
- the job alert and the career settings: exported; deleted;
- introductions asked and received: exported both ways (with the other person's name, the organisation, the note
  and the state); on deletion every note goes, requests still open are closed (withdrawn when the person asked,
  expired when they were asked), the rows stay for the counts of introductions asked and accepted;
- outcomes (applied / interviewed / hired): exported; kept under the anonymised account (hires reported count);
- the employer-contact row (organisation, position, phone, decision): exported; deleted.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from .models import (
    Application,
    CareerSettings,
    EmployerContact,
    Introduction,
    JobAlert,
    JobPost,
    JobReport,
    Outcome,
)

S = JobPost.Status


def export_job_posts(user) -> list[dict[str, Any]]:
    return [
        {
            "id": post.pk, "title": post.title, "organisation": post.organisation.name, "kind": post.kind,
            "field": post.field, "tags": post.tags, "province": post.province.name if post.province else None,
            "city": post.city, "remote": post.remote, "salary_min": post.salary_min, "salary_max": post.salary_max,
            "description": post.description, "requirements": post.requirements, "apply_how": post.apply_how,
            "apply_url": post.apply_url, "apply_email": post.apply_email, "closing_date": post.closing_date,
            "posted_as": post.poster_kind, "status": post.status, "posted_at": post.created_at,
            "closed_at": post.closed_at,
            "study_programs": [{"study_program": str(t.study_program), "state": t.state, "reason": t.reason}
                               for t in post.targets.all()],
        }
        for post in JobPost.objects.filter(posted_by=user).select_related("organisation", "province")
        .prefetch_related("targets__study_program").order_by("created_at", "pk")
    ]


def anonymise_job_posts(user, marker: str) -> None:
    posts = JobPost.objects.filter(posted_by=user)
    posts.filter(status__in=[S.OPEN, S.HIDDEN]).update(status=S.CLOSED, closed_at=timezone.now())
    posts.update(description="", requirements="", apply_email="", apply_url="", apply_how=JobPost.Apply.ASK)


def export_applications(user) -> list[dict[str, Any]]:
    return [
        {"post": a["post__title"], "organisation": a["post__organisation__name"], "applied_at": a["created_at"]}
        for a in Application.objects.filter(user=user).order_by("created_at", "pk")
        .values("post__title", "post__organisation__name", "created_at")
    ]


def export_reports(user) -> list[dict[str, Any]]:
    return [
        {"post": r["post__title"], "reason": r["reason"], "note": r["note"], "reported_at": r["created_at"],
         "reviewed_at": r["resolved_at"]}
        for r in JobReport.objects.filter(reporter=user).order_by("created_at", "pk")
        .values("post__title", "reason", "note", "created_at", "resolved_at")
    ]


def anonymise_reports(user, marker: str) -> None:
    JobReport.objects.filter(reporter=user).update(note="")


def export_job_alert(user) -> dict[str, Any] | None:
    return JobAlert.objects.filter(user=user).values(
        "fields", "province_codes", "kinds", "remote_only", "frequency", "updated_at"
    ).first()


def delete_job_alert(user, marker: str) -> None:
    JobAlert.objects.filter(user=user).delete()


def export_career_settings(user) -> dict[str, Any] | None:
    return CareerSettings.objects.filter(user=user).values(
        "introductions_open", "max_open_introductions", "share_phone", "updated_at"
    ).first()


def delete_career_settings(user, marker: str) -> None:
    CareerSettings.objects.filter(user=user).delete()


def _introduction(row: Introduction, other) -> dict[str, Any]:
    return {
        "with": other.full_name or other.email, "organisation": row.organisation.name if row.organisation else None,
        "post": row.post.title if row.post else None, "note": row.note, "status": row.status,
        "asked_at": row.created_at, "expires_at": row.expires_at, "answered_at": row.answered_at,
    }


def export_introductions(user) -> dict[str, list[dict[str, Any]]]:
    rows = (
        Introduction.objects.filter(Q(requester=user) | Q(recipient=user))
        .select_related("requester", "recipient", "organisation", "post").order_by("created_at", "pk")
    )
    out: dict[str, list[dict[str, Any]]] = {"asked": [], "received": []}
    for row in rows:
        if row.requester_id == user.pk:
            out["asked"].append(_introduction(row, row.recipient))
        else:
            out["received"].append(_introduction(row, row.requester))
    return out


def anonymise_introductions(user, marker: str) -> None:
    now = timezone.now()
    open_ = Introduction.objects.filter(status=Introduction.Status.REQUESTED)
    open_.filter(requester=user).update(status=Introduction.Status.WITHDRAWN, answered_at=now)
    open_.filter(recipient=user).update(status=Introduction.Status.EXPIRED, answered_at=now)
    Introduction.objects.filter(Q(requester=user) | Q(recipient=user)).update(note="")


def export_outcomes(user) -> list[dict[str, Any]]:
    return [
        {
            "about": ("application" if o.application_id else "introduction"),
            "post": (o.application.post.title if o.application_id
                     else (o.introduction.post.title if o.introduction and o.introduction.post else None)),
            "applied": o.applied, "interviewed": o.interviewed, "hired": o.hired, "asked_at": o.asked_at,
            "answered_at": o.answered_at,
        }
        for o in Outcome.objects.filter(user=user)
        .select_related("application__post", "introduction__post").order_by("asked_at", "pk")
    ]


def export_employer_contact(user) -> dict[str, Any] | None:
    return EmployerContact.objects.filter(user=user).values(
        "organisation__name", "study_program__name", "position", "phone", "status", "created_at", "decided_at",
        "reason",
    ).first()


def delete_employer_contact(user, marker: str) -> None:
    EmployerContact.objects.filter(user=user).delete()


def careers_audit_targets(user) -> dict[str, set[str]]:
    """The careers records that are about the person: the audit entries about them are the person's data."""
    def ids(qs) -> set[str]:
        return {str(pk) for pk in qs.values_list("pk", flat=True)}

    return {
        JobPost._meta.label_lower: ids(JobPost.objects.filter(posted_by=user)),
        JobAlert._meta.label_lower: ids(JobAlert.objects.filter(user=user)),
        CareerSettings._meta.label_lower: ids(CareerSettings.objects.filter(user=user)),
        EmployerContact._meta.label_lower: ids(EmployerContact.objects.filter(user=user)),
        JobReport._meta.label_lower: ids(JobReport.objects.filter(reporter=user)),
        Application._meta.label_lower: ids(Application.objects.filter(user=user)),
        Introduction._meta.label_lower: ids(Introduction.objects.filter(requester=user)),
    }
