"""Writes that touch more than one row: study-program setup, roles, profiles and careers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.notifications import notification_claim

from .models import AlumniProfile, Employment, Faculty, Institution, Role, StudyProgram, User
from .privacy import consent_from_profile_form
from .records import CORRECTABLE_FIELDS
from .scope import forget_scope, scope_for
from .verification import link_to_imported

PROFILE_AUDITED_FIELDS = (
    "full_name", "email", "phone", "province_id", "city", "bio", "entry_year", "graduation_date",
    "listed_in_directory", "vis_email", "vis_phone", "vis_location", "vis_graduation", "vis_career", "vis_bio",
    "vis_photo",
)


@transaction.atomic
def study_program_upsert(
    *, code: str, name: str, level: str, faculty_name: str | None = None, institution_name: str | None = None
) -> tuple[StudyProgram, bool]:
    """Create the study program, or update it when the code exists; create faculty and institution as needed.

    Without names, an existing program keeps its faculty; a new one goes to the only institution and faculty if
    there is exactly one of each.
    """
    if level not in StudyProgram.Level.values:
        raise ValidationError(_("Unknown level %(level)s.") % {"level": level})
    existing = StudyProgram.objects.select_related("faculty__institution").filter(code=code).first()
    institution = None
    if institution_name:
        institution, _created = Institution.objects.get_or_create(name=institution_name)
    elif existing:
        institution = existing.faculty.institution
    else:
        institutions = list(Institution.objects.all()[:2])
        if len(institutions) != 1:
            raise ValidationError(_("Name the institution: there is not exactly one yet."))
        institution = institutions[0]
    if faculty_name:
        faculty, _created = Faculty.objects.get_or_create(institution=institution, name=faculty_name)
    elif existing and existing.faculty.institution_id == institution.pk:
        faculty = existing.faculty
    else:
        faculties = list(Faculty.objects.filter(institution=institution)[:2])
        if len(faculties) != 1:
            raise ValidationError(_("Name the faculty: the institution does not have exactly one."))
        faculty = faculties[0]
    program, created = StudyProgram.objects.update_or_create(
        code=code, defaults={"name": name, "level": level, "faculty": faculty}
    )
    audit_log(
        actor=None,
        action="alumni.study_program.created" if created else "alumni.study_program.updated",
        target=program,
        study_program=program,
        data={"code": code, "name": name, "level": level, "faculty": faculty.name},
    )
    return program, created


@transaction.atomic
def role_grant(*, user: User, kind: str, study_program: StudyProgram | None = None,
               institution: Institution | None = None, by: User | None = None) -> tuple[Role, bool]:
    """Give a user a staff role on one study program, or an admin role on an institution.

    `by` (None for the command line) must be an admin of that institution. The user is told by email.
    """
    if kind == Role.Kind.STAFF:
        if study_program is None:
            raise ValidationError(_("A staff role needs a study program."))
        institution = study_program.faculty.institution
    elif kind == Role.Kind.ADMIN:
        if study_program is not None:
            raise ValidationError(_("An admin role covers the whole institution: name no study program."))
        if institution is None:
            institutions = list(Institution.objects.all()[:2])
            if len(institutions) != 1:
                raise ValidationError(_("Name the institution: there is not exactly one."))
            institution = institutions[0]
    else:
        raise ValidationError(_("Unknown role %(kind)s.") % {"kind": kind})
    if by is not None and not scope_for(by).administers(institution.pk):
        raise PermissionDenied(_("Only an admin of the institution can grant roles."))
    role, created = Role.objects.get_or_create(
        user=user, kind=kind, study_program=study_program, institution=institution, defaults={"granted_by": by}
    )
    # No `is_staff`: a role works on the portal's pages; the Django admin is for superusers only.
    forget_scope(user)
    if created:
        audit_log(
            actor=by, action="alumni.role.granted", target=role, study_program=study_program,
            data={"user": user.email, "kind": kind},
        )
        notification_claim(
            key=f"role-granted:{role.pk}",
            kind="role_granted",
            recipient=user,
            template="alumni/email/role_granted",
            context={"role": role},
            link=reverse("dashboard"),
        )
    return role, created


@transaction.atomic
def role_revoke(*, role: Role, by: User | None = None) -> None:
    user = role.user
    audit_log(
        actor=by, action="alumni.role.revoked", target=role, study_program=role.study_program,
        data={"user": user.email, "kind": role.kind},
    )
    role.delete()
    forget_scope(user)


@transaction.atomic
def profile_claim_by_email(*, user: User, email: str) -> AlumniProfile | None:
    """Link a verified email's owner to the unclaimed imported record with that email, instead of duplicating it.

    Called only once the address is verified: otherwise anyone could sign up with a graduate's email and take
    over their record. Several records with the same email (a person in two programs) take the newest graduate.
    The matching email verifies the person (verified_via "claim"). Someone who had registered a record of their
    own meanwhile, still waiting for verification, is moved to the imported record and their request removed.
    """
    own = AlumniProfile.objects.select_for_update().filter(user=user).first()
    if own is not None and own.verification == AlumniProfile.Verification.VERIFIED:
        return None
    profile = (
        AlumniProfile.objects.select_for_update()
        .filter(user__isnull=True, email__iexact=email, verification=AlumniProfile.Verification.VERIFIED)
        .order_by("-graduation_date", "-entry_year")
        .first()
    )
    if profile is None:
        return None
    if own is not None:
        profile = link_to_imported(request=own, imported=profile, by=None, via=AlumniProfile.VerifiedVia.CLAIM)
    else:
        profile.user = user
        profile.verified_via = AlumniProfile.VerifiedVia.CLAIM
        profile.verified_at = timezone.now()
        profile.save(update_fields=["user", "verified_via", "verified_at", "updated_at"])
        forget_scope(user)
    if not user.full_name:
        user.full_name = profile.full_name
        user.save(update_fields=["full_name"])
    audit_log(actor=user, action="alumni.profile.claimed", target=profile, study_program=profile.study_program,
              data={"email": email})
    return profile


@transaction.atomic
def profile_create(*, user: User, study_program: StudyProgram, nim: str, full_name: str, entry_year: int,
                   graduation_date=None) -> AlumniProfile:
    """A signed-up person who is not in the imported records registers their own profile: a request, pending
    until staff or two classmates verify it. Whether the NIM is known is not said (the form would otherwise tell
    anyone which NIMs exist); staff see the request beside any record with that NIM."""
    if AlumniProfile.objects.filter(user=user).exists():
        raise ValidationError(_("You already have a profile."))
    profile = AlumniProfile.objects.create(
        user=user, study_program=study_program, nim=nim, full_name=full_name, email=user.email,
        entry_year=entry_year, graduation_date=graduation_date,
        verification=AlumniProfile.Verification.PENDING,
    )
    if not user.full_name:
        user.full_name = full_name
        user.save(update_fields=["full_name"])
    forget_scope(user)
    audit_log(actor=user, action="alumni.profile.created", target=profile, study_program=study_program)
    return profile


def _snapshot(profile: AlumniProfile) -> dict:
    return {f: getattr(profile, f) for f in PROFILE_AUDITED_FIELDS}


@transaction.atomic
def profile_update(*, profile: AlumniProfile, by: User, data: dict) -> AlumniProfile:
    """Apply validated form data; the audit trail records which fields changed, never their values (the owner may
    hide them from the people who read the trail)."""
    staff = scope_for(by).manages_program(profile.study_program_id)
    if profile.user_id != by.pk and not staff:
        raise PermissionDenied
    if not staff and set(data) & set(CORRECTABLE_FIELDS):
        # The LKPS counts by these: their owner asks for a correction that staff decide (alumni.records).
        raise PermissionDenied(_("Ask the study program's staff to correct your name, cohort or graduation date."))
    before = _snapshot(AlumniProfile.objects.get(pk=profile.pk))
    for field, value in data.items():
        setattr(profile, field, value)
    profile.full_clean(exclude=["user", "photo"])
    profile.save()
    after = _snapshot(profile)
    changes = [k.removesuffix("_id") for k in PROFILE_AUDITED_FIELDS if before[k] != after[k]]
    if "photo" in data:
        changes.append("photo")
    if changes:
        audit_log(actor=by, action="alumni.profile.updated", target=profile, study_program=profile.study_program,
                  data={"fields": changes})
    if "listed_in_directory" in changes and by.pk == profile.user_id:
        consent_from_profile_form(profile=profile)
    return profile


@transaction.atomic
def employment_save(
    *, profile: AlumniProfile, by: User, data: dict, employment: Employment | None = None
) -> Employment:
    if profile.user_id != by.pk:
        raise PermissionDenied
    created = employment is None
    employment = employment or Employment(profile=profile)
    for field, value in data.items():
        setattr(employment, field, value)
    employment.full_clean()
    employment.save()
    # Which job, not what it is (the entry names the profile, not "position, employer"): the owner may keep their
    # career to themselves.
    audit_log(
        actor=by,
        action="alumni.employment.created" if created else "alumni.employment.updated",
        target=profile,
        study_program=profile.study_program,
        data={"employment": str(employment.pk)},
    )
    return employment


@transaction.atomic
def employment_delete(*, employment: Employment, by: User) -> None:
    if employment.profile.user_id != by.pk:
        raise PermissionDenied
    audit_log(actor=by, action="alumni.employment.deleted", target=employment.profile,
              study_program=employment.profile.study_program, data={"employment": str(employment.pk)})
    employment.delete()
