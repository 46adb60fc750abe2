"""Verified membership: how a self-registered (pending) record becomes a member's record.

A record someone registers for themselves (`services.profile_create`) is pending until one of:
- the owner verifies an email that an unclaimed imported record carries (`services.profile_claim_by_email`): the
  account moves to the imported record and the self-declared one goes (`link_to_imported`);
- staff of the study program approve it, or say "this is imported record X" (`profile_verify`), or refuse it with
  a reason (`profile_refuse`), after which the person may correct what they entered and ask again
  (`profile_resubmit`);
- two verified members of the same study program and entry cohort vouch for it (`profile_vouch`).

Every decision is audited and the person is told (a notification in their language).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.notifications import notification_claim

from .counters import forget_public_stats
from .models import AlumniProfile, Employment, User, Vouch
from .scope import forget_scope, scope_for

VOUCHES_NEEDED = 2
V = AlumniProfile.Verification

# What a person who registered themselves chose that the imported record has no say in: their privacy choices, and
# contact details the imported record lacks. The academic record (name, NIM, cohort, dates, email) stays the study
# program's.
_FILLED_FROM_REQUEST = ("phone", "province_id", "city", "bio", "photo")
_CHOICES_FROM_REQUEST = (
    "listed_in_directory", "vis_email", "vis_phone", "vis_location", "vis_graduation", "vis_career", "vis_bio",
    "vis_photo",
)


def nim_taken(profile: AlumniProfile) -> AlumniProfile | None:
    """The verified record of the same study program with this record's NIM, if any (it blocks verifying this one:
    staff link the person to it, or refuse)."""
    return (
        AlumniProfile.objects.filter(
            study_program_id=profile.study_program_id, nim=profile.nim, verification=V.VERIFIED
        )
        .exclude(pk=profile.pk)
        .first()
    )


def _notify(profile: AlumniProfile, *, event: str, context: dict | None = None) -> None:
    if profile.user_id is None:
        return
    notification_claim(
        key=f"verification-{event}:{profile.pk}:{timezone.now().isoformat()}",
        kind=f"verification_{event}",
        recipient=profile.user,
        template=f"alumni/email/verification_{event}",
        context={"profile": profile, **(context or {})},
        link=reverse("alumni:my_profile"),
    )


def link_to_imported(*, request: AlumniProfile, imported: AlumniProfile, by: User | None, via: str) -> AlumniProfile:
    """Give the account of the self-declared `request` to the unclaimed, verified `imported` record of the same
    person, and delete `request`. Jobs the person added move along; their privacy choices and the contact details
    the imported record lacks come too. Call inside a transaction, with both rows locked."""
    if imported.user_id is not None or imported.verification != V.VERIFIED:
        raise ValidationError(_("That record is already linked to an account, or is not a verified record."))
    user = request.user
    for name in _FILLED_FROM_REQUEST:
        value = getattr(request, name)
        if value not in (None, "") and getattr(imported, name) in (None, ""):
            setattr(imported, name, value.name if name == "photo" else value)
    for name in _CHOICES_FROM_REQUEST:
        setattr(imported, name, getattr(request, name))
    moved = Employment.objects.filter(profile=request).update(profile=imported)
    removed = {
        "id": str(request.pk), "nim": request.nim, "full_name": request.full_name, "entry_year": request.entry_year,
        "study_program": request.study_program_id,
    }
    # The request goes first: it frees its account link (one-to-one).
    AlumniProfile.objects.filter(pk=request.pk).delete()
    imported.user = user
    imported.verified_via = via
    imported.verified_at = timezone.now()
    imported.verified_by = by
    imported.save()
    forget_scope(user)
    forget_public_stats()
    audit_log(
        actor=by or user, action="alumni.profile.verified", target=imported, study_program=imported.study_program,
        data={"via": via, "linked_request": removed, "jobs_moved": moved},
    )
    return imported


def _lock(*profiles: AlumniProfile) -> list[AlumniProfile]:
    """Fresh, locked copies (in primary-key order, so two decisions on the same pair cannot deadlock)."""
    fresh = {
        p.pk: p
        for p in AlumniProfile.objects.select_for_update()
        .filter(pk__in=sorted(p.pk for p in profiles))
        .order_by("pk")
    }
    if len(fresh) != len(profiles):
        raise ValidationError(_("This record no longer exists."))
    return [fresh[p.pk] for p in profiles]


def _require_staff_of(by: User, profile: AlumniProfile) -> None:
    if not scope_for(by).manages_program(profile.study_program_id):
        raise PermissionDenied(_("Only staff of the study program decide on this request."))


@transaction.atomic
def profile_verify(*, profile: AlumniProfile, by: User, imported: AlumniProfile | None = None) -> AlumniProfile:
    """Staff of the study program approve a pending record, or (with `imported`) say it is that unclaimed imported
    record: the account moves there and the pending record goes. Returns the person's verified record."""
    _require_staff_of(by, profile)
    if imported is not None:
        profile, imported = _lock(profile, imported)
        if imported.study_program_id != profile.study_program_id:
            raise ValidationError(_("That record belongs to another study program."))
    else:
        (profile,) = _lock(profile)
    if profile.verification != V.PENDING:
        raise ValidationError(_("This request was decided meanwhile."))
    if imported is not None:
        verified = link_to_imported(request=profile, imported=imported, by=by, via=AlumniProfile.VerifiedVia.STAFF)
        _notify(verified, event="verified")
        return verified
    taken = nim_taken(profile)
    if taken is not None:
        raise ValidationError(
            _("NIM %(nim)s belongs to the verified record of %(name)s. If this is that person, link the request to "
              "that record; otherwise refuse it.") % {"nim": taken.nim, "name": taken.full_name}
        )
    _mark_verified(profile, by=by, via=AlumniProfile.VerifiedVia.STAFF)
    return profile


def _mark_verified(profile: AlumniProfile, *, by: User | None, via: str, data: dict | None = None) -> None:
    profile.verification = V.VERIFIED
    profile.verified_via = via
    profile.verified_at = timezone.now()
    profile.verified_by = by
    profile.verification_note = ""
    profile.save(update_fields=["verification", "verified_via", "verified_at", "verified_by", "verification_note",
                                "updated_at"])
    if profile.user_id:
        forget_scope(profile.user)
    forget_public_stats()
    audit_log(actor=by, action="alumni.profile.verified", target=profile, study_program=profile.study_program,
              data={"via": via, **(data or {})})
    _notify(profile, event="verified")


@transaction.atomic
def profile_refuse(*, profile: AlumniProfile, by: User, reason: str) -> AlumniProfile:
    """Staff refuse a pending record, saying why; the person reads the reason and may correct their request."""
    _require_staff_of(by, profile)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why, so that the person can correct their request."))
    (profile,) = _lock(profile)
    if profile.verification != V.PENDING:
        raise ValidationError(_("This request was decided meanwhile."))
    profile.verification = V.REFUSED
    profile.verification_note = reason[:2000]
    profile.verified_by = by
    profile.verified_at = timezone.now()
    profile.save(update_fields=["verification", "verification_note", "verified_by", "verified_at", "updated_at"])
    if profile.user_id:
        forget_scope(profile.user)
    # The reason is written for the person and staff of the program; the audit entry names that there is one.
    audit_log(actor=by, action="alumni.profile.refused", target=profile, study_program=profile.study_program,
              data={"with_reason": True})
    _notify(profile, event="refused", context={"reason": profile.verification_note})
    return profile


def voucher_profile(user) -> AlumniProfile | None:
    """The verified record through which this person may vouch (none for staff-only accounts and pending people)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return AlumniProfile.objects.filter(user=user, verification=V.VERIFIED).first()


@transaction.atomic
def profile_vouch(*, profile: AlumniProfile, by: User, decision: str) -> Vouch:
    """A verified member of the same study program and cohort answers a pending classmate's request: "I know this
    person" or "I don't" (which only hides the request from them). The second vouch verifies the record.

    The pending row is locked while the vouches are counted, so two classmates vouching at the same moment verify
    it exactly once: the second waits, then finds it verified and records nothing.
    """
    if decision not in Vouch.Decision.values:
        raise ValidationError(_("Choose whether you know this person."))
    mine = voucher_profile(by)
    (profile,) = _lock(profile)
    if (
        mine is None or profile.user_id == by.pk
        or (mine.study_program_id, mine.entry_year) != (profile.study_program_id, profile.entry_year)
    ):
        raise PermissionDenied(_("Only verified classmates of the same study program and cohort vouch."))
    if profile.verification != V.PENDING:
        raise ValidationError(_("This request was decided meanwhile."))
    if Vouch.objects.filter(profile=profile, voucher=by).exists():
        raise ValidationError(_("You already answered this request."))
    vouch = Vouch.objects.create(profile=profile, voucher=by, decision=decision)
    audit_log(actor=by, action=f"alumni.profile.{'vouched' if decision == Vouch.Decision.VOUCH else 'not_vouched'}",
              target=profile, study_program=profile.study_program)
    if decision == Vouch.Decision.VOUCH:
        vouches = Vouch.objects.filter(profile=profile, decision=Vouch.Decision.VOUCH).count()
        # A NIM a verified record already carries is for staff to sort out (link or refuse), whoever vouches.
        if vouches >= VOUCHES_NEEDED and nim_taken(profile) is None:
            _mark_verified(profile, by=by, via=AlumniProfile.VerifiedVia.VOUCH, data={"vouches": vouches})
    return vouch


@transaction.atomic
def profile_resubmit(*, profile: AlumniProfile, by: User, data: dict) -> AlumniProfile:
    """The owner of a pending or refused request corrects what they entered (study program, NIM, name, cohort,
    graduation date) and asks again: the record is pending, and earlier answers of classmates no longer count
    (they answered about what was entered before)."""
    (profile,) = _lock(profile)
    if profile.user_id != by.pk:
        raise PermissionDenied
    if profile.verification == V.VERIFIED:
        raise ValidationError(_("Your record is verified: ask staff to correct it."))
    fields = ("study_program", "nim", "full_name", "entry_year", "graduation_date")
    before = {f: str(getattr(profile, f)) for f in fields}
    for name in fields:
        setattr(profile, name, data[name])
    after = {f: str(getattr(profile, f)) for f in fields}
    was = profile.verification
    profile.verification = V.PENDING
    profile.verification_note = ""
    profile.verified_by = None
    profile.verified_at = None
    profile.save()
    Vouch.objects.filter(profile=profile).delete()
    forget_scope(by)
    audit_log(actor=by, action="alumni.profile.resubmitted", target=profile, study_program=profile.study_program,
              data={"was": was, "changed": sorted(f for f in fields if before[f] != after[f])})
    return profile
