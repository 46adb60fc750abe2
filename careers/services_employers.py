"""Employer contacts: an external person asks a study program to let them recruit for an organisation; its staff
approve or refuse, and the person is told by email. An approved contact may post vacancies (queued for staff)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alumni.models import AlumniProfile, Role
from alumni.scope import scope_for
from core.audit import audit_log
from core.notifications import ClaimItem, notification_claim, notifications_claim_many

from .models import EmployerContact
from .organisations import organisation_resolve

DECIDED_KIND = "careers_employer_decided"
# Staff hear of a new request (an optional kind: they may turn it off and look at the queue instead).
REQUESTED_KIND = "careers_employer_requested"


def employer_may_apply(user) -> bool:
    """Only someone signed in with no alumni record and no staff role may ask to be an employer contact (members
    post as themselves; staff post as staff)."""
    scope = scope_for(user)
    if not scope.is_authenticated or scope.is_staff or scope.is_admin:
        return False
    return not AlumniProfile.objects.filter(user_id=scope.user_id).exists()


def employer_apply(*, user, organisation_name: str, position: str, phone: str, study_program) -> EmployerContact:
    """Ask `study_program`'s staff to approve `user` as a contact of the organisation `organisation_name` means
    (created when none matches). A refused person may ask again; a waiting or approved one may not."""
    if not employer_may_apply(user):
        raise PermissionDenied(_("Employer contacts are people outside the study programs: alumni and staff post "
                                 "vacancies as themselves."))
    try:
        return _apply(user=user, organisation_name=organisation_name, position=position, phone=phone,
                      study_program=study_program)
    except IntegrityError as exc:  # the same person's two requests at once: the second loses on the unique user
        raise ValidationError(_("You already asked to be an employer contact.")) from exc


def _apply(*, user, organisation_name: str, position: str, phone: str, study_program) -> EmployerContact:
    with transaction.atomic():
        existing = EmployerContact.objects.select_for_update().filter(user=user).first()
        if existing is not None and existing.status != EmployerContact.Status.REFUSED:
            raise ValidationError(_("You already asked to be an employer contact."))
        organisation = organisation_resolve(name=organisation_name, by=user)
        contact = existing or EmployerContact(user=user)
        contact.organisation = organisation
        contact.study_program = study_program
        contact.position = position
        contact.phone = phone
        contact.status = EmployerContact.Status.PENDING
        contact.decided_by = None
        contact.decided_at = None
        contact.reason = ""
        contact.full_clean(exclude=["user"])
        contact.save()
        audit_log(actor=user, action="careers.employer_contact.requested", target=contact,
                  study_program=study_program, data={"organisation": organisation.name})
        _tell_staff(contact)
    return contact


def _tell_staff(contact: EmployerContact) -> None:
    """The study program's staff hear of the request once (per request: asking again after a refusal is new)."""
    staff = (
        Role.objects.filter(kind=Role.Kind.STAFF, study_program_id=contact.study_program_id, user__is_active=True)
        .select_related("user").order_by("user_id")
    )
    asked_at = timezone.now().isoformat()
    notifications_claim_many([
        ClaimItem(
            key=f"careers.employer_requested:{contact.pk}:{asked_at}:{role.user_id}",
            kind=REQUESTED_KIND, recipient=role.user, template="careers/email/employer_requested",
            context={"person": contact.user.full_name or contact.user.email, "organisation": contact.organisation.name,
                     "position": contact.position, "study_program": str(contact.study_program)},
            link=reverse("careers:employer_queue"),
        )
        for role in staff
    ])


def _decide(*, contact: EmployerContact, by, status: str, reason: str) -> EmployerContact:
    scope = scope_for(by)
    if not scope.manages_program(contact.study_program_id):
        raise PermissionDenied(_("Only staff of the study program asked can decide on this request."))
    with transaction.atomic():
        locked = EmployerContact.objects.select_for_update().select_related("organisation", "study_program",
                                                                            "user").get(pk=contact.pk)
        if locked.status != EmployerContact.Status.PENDING:
            raise ValidationError(_("This request was already decided."))
        locked.status = status
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.reason = reason.strip()
        locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        action = ("careers.employer_contact.approved" if status == EmployerContact.Status.APPROVED
                  else "careers.employer_contact.refused")
        audit_log(actor=by, action=action, target=locked, study_program=locked.study_program,
                  data={"reason": locked.reason} if locked.reason else {})
        # One email per decision: a person refused, who asks again and is decided on again, hears again.
        notification_claim(
            key=f"careers.employer_decided:{locked.pk}:{status}:{locked.decided_at.isoformat()}",
            kind=DECIDED_KIND,
            recipient=locked.user,
            template="careers/email/employer_decided",
            context={"contact": locked, "approved": status == EmployerContact.Status.APPROVED,
                     "reason": locked.reason, "organisation": locked.organisation.name,
                     "study_program": str(locked.study_program)},
            link=reverse("careers:employer_status"),
        )
    return locked


def employer_approve(*, contact: EmployerContact, by) -> EmployerContact:
    return _decide(contact=contact, by=by, status=EmployerContact.Status.APPROVED, reason="")


def employer_refuse(*, contact: EmployerContact, by, reason: str) -> EmployerContact:
    if not (reason or "").strip():
        raise ValidationError(_("Say why, so that the person knows what to do."))
    return _decide(contact=contact, by=by, status=EmployerContact.Status.REFUSED, reason=reason)
