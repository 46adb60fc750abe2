"""The academic record: what the study program holds about a graduate (program, NIM, name, email, cohort,
graduation date). The LKPS tables count by these fields, so only staff of the study program write them:

- `record_update`: staff edit a record (the portal page that replaces the Django admin's change form);
- `correction_request` / `correction_withdraw` / `correction_decide`: a graduate asks staff to correct their name,
  cohort or graduation date, and staff accept (the values are written by `record_update`) or refuse;
- `import_conflict_resolve`: an import row that would have changed a claimed record's protected fields waits for
  staff to keep the record or apply the file (`alumni.importing` records the conflicts).

The audit trail names the fields that changed, never their values (issue 11 §2: an audit reader must not learn a
value its owner hides, such as an "only me" email).
"""

from __future__ import annotations

import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.notifications import notification_claim

from .models import AlumniProfile, ImportConflict, RecordCorrection, StudyProgram, User, Visibility
from .scope import forget_scope, scope_for

# What a staff member may write on the record page.
RECORD_FIELDS = ("study_program", "nim", "full_name", "email", "entry_year", "graduation_date")
# What a graduate may ask to correct (and may not change themselves): the LKPS counts by them.
CORRECTABLE_FIELDS = ("full_name", "entry_year", "graduation_date")
# What an import never changes on a record claimed by an account with another email.
IMPORT_PROTECTED_FIELDS = ("full_name", "email", "entry_year", "graduation_date")


def to_json(field: str, value: Any) -> Any:
    """A record value as stored in a correction or a conflict (dates as YYYY-MM-DD, no date → "")."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None:
        return ""
    return value


def owner_hides_email(profile: AlumniProfile) -> bool:
    """The record's owner keeps its email to themselves ("only me"): staff pages neither show nor overwrite it."""
    return profile.user_id is not None and profile.vis_email == Visibility.PRIVATE


def from_json(field: str, value: Any) -> Any:
    if field == "graduation_date":
        return datetime.date.fromisoformat(value) if value else None
    if field == "entry_year":
        return int(value)
    return value


def _manages(user: User, program_id: int) -> bool:
    return scope_for(user).manages_program(program_id)


def _check_record(profile: AlumniProfile) -> None:
    """The rules a form also checks, again here: the service is the last word (a correction accepted months later,
    a file applied over a record staff changed since)."""
    errors: dict[str, list[str]] = {}
    if profile.graduation_date and profile.graduation_date > timezone.localdate():
        errors["graduation_date"] = [_("The graduation date cannot be in the future.")]
    elif profile.graduation_date and profile.graduation_date.year < profile.entry_year:
        errors["graduation_date"] = [_("The graduation date is before the entry cohort.")]
    if profile.is_verified and (
        AlumniProfile.objects.filter(
            study_program_id=profile.study_program_id, nim=profile.nim,
            verification=AlumniProfile.Verification.VERIFIED,
        ).exclude(pk=profile.pk).exists()
    ):
        errors["nim"] = [_("Another verified record of this study program has this NIM.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_update(*, profile: AlumniProfile, by: User, data: dict, source: str = "staff") -> list[str]:
    """Write academic-record fields as staff of the record's study program (and, when the program changes, of the
    new one). Returns the names of the fields that changed; the audit entry lists those names only."""
    unknown = set(data) - set(RECORD_FIELDS)
    if unknown:
        raise ValidationError(_("These fields are not part of the academic record: %(fields)s.") % {
            "fields": ", ".join(sorted(unknown)),
        })
    profile = AlumniProfile.objects.select_for_update().get(pk=profile.pk)
    if not _manages(by, profile.study_program_id):
        raise PermissionDenied
    new_program = data.get("study_program")
    if isinstance(new_program, StudyProgram) and not _manages(by, new_program.pk):
        raise PermissionDenied(_("You can only move a record into a study program you manage."))
    changed = []
    for field, value in data.items():
        attr = "study_program_id" if field == "study_program" else field
        if field == "study_program":
            value = value.pk
        if getattr(profile, attr) != value:
            setattr(profile, attr, value)
            changed.append(field)
    if not changed:
        return []
    _check_record(profile)
    profile.full_clean(exclude=["user", "photo"], validate_constraints=False)
    profile.save()
    audit_log(
        actor=by, action="alumni.profile.record_updated", target=profile, study_program=profile.study_program,
        data={"fields": sorted(changed), "source": source},
    )
    return changed


@transaction.atomic
def profile_detach(*, profile: AlumniProfile, by: User, reason: str) -> User | None:
    """Unlink a record from the account that claimed it: the person keeps their login but no longer holds the record
    (nor membership through it), so that its rightful owner can claim it with their email."""
    if not _manages(by, profile.study_program_id):
        raise PermissionDenied
    owner = profile.user
    if owner is None:
        return None
    # What that person wrote about themselves is theirs, not the graduate's who will claim the record: it goes
    # with the link (their career, contact details, bio, photo, directory listing and visibility choices), and
    # their correction request lapses.
    profile.employments.all().delete()
    if profile.photo:
        profile.photo.delete(save=False)
    profile.user = None
    profile.phone, profile.province, profile.city, profile.bio = "", None, "", ""
    profile.listed_in_directory = False
    for part in ("email", "phone", "location", "graduation", "career", "bio", "photo"):
        setattr(profile, f"vis_{part}", AlumniProfile._meta.get_field(f"vis_{part}").default)
    profile.save()
    RecordCorrection.objects.filter(profile=profile, status=RecordCorrection.Status.PENDING).update(
        status=RecordCorrection.Status.WITHDRAWN, decided_at=timezone.now()
    )
    forget_scope(owner)
    audit_log(actor=by, action="alumni.profile.detached", target=profile, study_program=profile.study_program,
              data={"reason": reason, "account": owner.pk})
    return owner


# --- Corrections asked by the graduate --------------------------------------------------------------------------


@transaction.atomic
def correction_request(*, profile: AlumniProfile, by: User, requested: dict, reason: str) -> RecordCorrection:
    """The owner asks staff to correct their name, cohort or graduation date (only the fields that differ are
    kept). One request at a time."""
    if profile.user_id != by.pk:
        raise PermissionDenied
    profile = AlumniProfile.objects.select_for_update().get(pk=profile.pk)
    wanted = {
        field: to_json(field, value) for field, value in requested.items()
        if field in CORRECTABLE_FIELDS and to_json(field, value) != to_json(field, getattr(profile, field))
    }
    if not wanted:
        raise ValidationError(_("Change at least one value: these are the values the record holds now."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the record is wrong.")]})
    if RecordCorrection.objects.filter(profile=profile, status=RecordCorrection.Status.PENDING).exists():
        raise ValidationError(_("You already have a request waiting for staff. Withdraw it to ask again."))
    correction = RecordCorrection.objects.create(
        profile=profile, requested_by=by, reason=reason.strip(), requested=wanted,
        current={field: to_json(field, getattr(profile, field)) for field in wanted},
    )
    audit_log(actor=by, action="alumni.correction.requested", target=correction, study_program=profile.study_program,
              data={"fields": sorted(wanted)})
    return correction


@transaction.atomic
def correction_withdraw(*, correction: RecordCorrection, by: User) -> bool:
    if correction.profile.user_id != by.pk:
        raise PermissionDenied
    withdrawn = RecordCorrection.objects.filter(pk=correction.pk, status=RecordCorrection.Status.PENDING).update(
        status=RecordCorrection.Status.WITHDRAWN, decided_at=timezone.now()
    )
    if withdrawn:
        audit_log(actor=by, action="alumni.correction.withdrawn", target=correction,
                  study_program=correction.profile.study_program)
    return bool(withdrawn)


@transaction.atomic
def correction_decide(*, correction: RecordCorrection, by: User, accept: bool, note: str = "") -> RecordCorrection:
    """Staff accept (the requested values are written to the record) or refuse (with a note); the person is told."""
    correction = (
        RecordCorrection.objects.select_for_update(of=("self",)).select_related("profile__user").get(pk=correction.pk)
    )
    profile = correction.profile
    if not _manages(by, profile.study_program_id):
        raise PermissionDenied
    if correction.status != RecordCorrection.Status.PENDING:
        raise ValidationError(_("This request was already decided or withdrawn."))
    if accept:
        data = {field: from_json(field, value) for field, value in correction.requested.items()}
        record_update(profile=profile, by=by, data=data, source="correction")
        correction.status = RecordCorrection.Status.ACCEPTED
    else:
        if not note.strip():
            raise ValidationError({"note": [_("Tell the person why the request is refused.")]})
        correction.status = RecordCorrection.Status.REFUSED
    correction.decided_by = by
    correction.decided_at = timezone.now()
    correction.decision_note = note.strip()
    correction.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_log(actor=by, action=f"alumni.correction.{correction.status}", target=correction,
              study_program=profile.study_program, data={"fields": sorted(correction.requested)})
    if profile.user_id:
        notification_claim(
            key=f"record-correction:{correction.pk}:{correction.status}",
            kind="record_correction",
            recipient=profile.user,
            template="alumni/email/correction_decided",
            context={"correction": correction},
            link=reverse("alumni:correction"),
        )
    return correction


# --- Import conflicts -----------------------------------------------------------------------------------------


@transaction.atomic
def import_conflict_resolve(*, conflict: ImportConflict, by: User, apply: bool) -> ImportConflict:
    """Keep the record as it is, or write the file's values. Applying the file's email to a record claimed by an
    account with another email detaches the record from that account: the graduate the file names can then claim
    it by signing up (or confirming) that email."""
    conflict = (
        ImportConflict.objects.select_for_update(of=("self",)).select_related("profile__user").get(pk=conflict.pk)
    )
    profile = conflict.profile
    if not _manages(by, profile.study_program_id):
        raise PermissionDenied
    if conflict.status != ImportConflict.Status.OPEN:
        raise ValidationError(_("This conflict was already resolved."))
    detached = False
    if apply:
        data = {field: from_json(field, pair[1]) for field, pair in conflict.differences.items()
                if field in IMPORT_PROTECTED_FIELDS}
        email = data.get("email")
        if email and profile.user_id and profile.user.email.lower() != email.lower():
            detached = profile_detach(profile=profile, by=by, reason="import_conflict") is not None
        record_update(profile=profile, by=by, data=data, source="import_conflict")
        conflict.status = ImportConflict.Status.APPLIED
    else:
        conflict.status = ImportConflict.Status.KEPT
    conflict.resolved_by = by
    conflict.resolved_at = timezone.now()
    conflict.save(update_fields=["status", "resolved_by", "resolved_at"])
    audit_log(actor=by, action=f"alumni.import.conflict_{conflict.status}", target=conflict,
              study_program=profile.study_program,
              data={"fields": sorted(conflict.differences), "row": conflict.row_number, "detached": detached})
    return conflict


def verified_account_for(*, email: str) -> User | None:
    """The active account that has verified this address, if any: after the file's email was applied to a record,
    its owner may have an account already (and so will not confirm that address again, which is when claims
    happen)."""
    if not email:
        return None
    address = (
        EmailAddress.objects.filter(email__iexact=email, verified=True, user__is_active=True)
        .select_related("user").first()
    )
    return address.user if address else None
