"""Personal-data rights under Indonesia's UU PDP 27/2022: consent per purpose, download my data, delete my account.

Consent
    One `Consent` row per decision (never changed; the latest per person and purpose is in force). The wording a
    person agrees to lives in CONSENT_WORDING; when a text changes, give it a new version (old rows keep the
    version their owner saw; keep the old text in CONSENT_WORDING_ARCHIVE so the history stays readable).
    Withdrawing takes effect at once:

    - "directory": the profile's `listed_in_directory` follows the decision, so the person leaves (or rejoins)
      the directory in the same transaction;
    - every other purpose: notifications of the kinds mapped to it (NOTIFICATION_PURPOSES) are no longer claimed
      (core.notifications.notifications_claim_many asks core.registry, which asks `purposes_withheld` here,
      registered in AlumniConfig.ready()), and the person's already
      claimed, unsent ones are marked failed so the delivery sweep skips them.

    Without any decision yet, CONSENT_DEFAULTS applies: tracer invitations go out until the person objects (the
    tracer study is the study program's accreditation duty), fundraising contact needs an explicit yes.

Personal-data providers (for apps that hold personal data: tracer, donations, …)
    Each app registers, in its AppConfig.ready(), what it holds about a person:

        from alumni.privacy import register_notification_purpose, register_personal_data

        register_personal_data("tracer_responses", label=_("your tracer study answers"), export=export_responses,
                               anonymise=anonymise_responses)
        register_notification_purpose("tracer_invitation", "tracer")

    - `label` is what "Download my data" calls it (gettext_lazy), `name` its key in data.json;
    - `export(user)` returns JSON-serialisable data (dates, UUIDs and lazy strings are fine); it is written under
      its name in data.json of "Download my data". Return only this person's data.
    - `anonymise(user, marker)` runs inside the deletion transaction, *before* the account itself is scrubbed (so
      it can still match by the user's email or id). It must remove identity and keep what statistics need:
      tracer keeps the answers and drops name, email, phone, NIM and free-text answers that identify; donations
      keep amounts, dates and campaigns and replace the donor's name and contacts with `marker` (receipts already
      issued are the institution's legal record: keep the number, drop the person). Raise to abort the deletion.

Deleting an account (account_delete) — what goes and what stays
    Removed: the person's name, login email and every email address (allauth), password (unusable), roles,
    profile contacts (email, phone, province, city), bio, photo files, NIM (replaced by the marker
    ANON-xxxxxxxxxx, which keeps (study_program, nim) unique), employer name, position and city of each job,
    notification subjects and bodies, notification preferences, the calendar feed, and personal details in the
    audit trail and the admin's change log.
    Kept, anonymised: the User row (inactive, email `anon-…@deleted.invalid`, name = marker) so that program
    participations, attendance and the programs one led or proposed still count; the profile row (study
    program, entry cohort, graduation date) for cohort statistics, out of the directory and unclaimable; each
    job's kind of employer, scope, relevance to the field, province and dates for career statistics; the consent
    history (it holds no personal data once the account is anonymous), closed with a withdrawal of every purpose.
    The same address can sign up again as a brand-new account.
"""

from __future__ import annotations

import io
import json
import posixpath
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import registry
from core.audit import audit_log
from core.models import AuditLog, Notification, NotificationPreference
from core.notifications import notification_preferences
from core.registry import ACTION_LABELS, NOTIFICATION_PURPOSES

from .dashboard_cache import personal_changed
from .models import (
    AlumniProfile,
    Consent,
    Employment,
    ImportConflict,
    ImportJob,
    RecordCorrection,
    Role,
    SignupInvitation,
    User,
    Visibility,
    Vouch,
)
from .scope import forget_scope

Purpose = Consent.Purpose

# {purpose: (version, wording)}: what the privacy page shows and a Consent row's wording_version names.
CONSENT_WORDING: dict[str, tuple[str, Any]] = {
    Purpose.TRACER: (
        "tracer-2026-2",
        gettext_lazy(
            "My study program emails me invitations and reminders for the tracer study, the survey of graduates' "
            "work and studies that the university must report for its accreditation, and uses my answers without "
            "my name in those reports. I can object here at any time; the invitations and reminders then stop at "
            "once."
        ),
    ),
    Purpose.FUNDRAISING: (
        "fundraising-2026-1",
        gettext_lazy(
            "I agree that my study program and its alumni association contact me by email about fundraising "
            "campaigns and donations. My contact details are not given to anyone else. I can withdraw this "
            "consent here at any time; such emails then stop at once."
        ),
    ),
    Purpose.DIRECTORY: (
        "directory-2026-1",
        gettext_lazy(
            "I agree to be listed in the alumni directory: logged-in alumni see my name, study program and "
            "cohort, and the other parts of my profile I choose to share. I can withdraw this consent here at "
            "any time; I then disappear from the directory at once (my study program's staff still see my record)."
        ),
    ),
    Purpose.CAREER: (
        "career-2026-1",
        gettext_lazy(
            "I agree that the portal emails me a weekly digest of the job posts that match my job alerts, and "
            "asks me once, about a month later, what came of an application or an introduction. My contact "
            "details are given to no one through these emails. I can withdraw this consent here at any time; "
            "these emails then stop at once."
        ),
    ),
    Purpose.COMMUNITY: (
        "community-2026-1",
        gettext_lazy(
            "I agree that the portal emails me a weekly digest of my groups (new posts, questions in the skills I "
            "listed, upcoming sessions) and, at most once a day, the new questions in my groups that ask for a "
            "skill I listed. My contact details are given to no one through these emails. I can withdraw this "
            "consent here at any time; these emails then stop at once."
        ),
    ),
}
# {(purpose, version): wording} of texts that were replaced, so old history rows can still be read.
CONSENT_WORDING_ARCHIVE: dict[tuple[str, str], Any] = {
    (Purpose.TRACER, "tracer-2026-1"): gettext_lazy(
        "I agree that my study program emails me invitations and reminders for the tracer study, the survey "
        "of graduates' work and studies that the university reports for accreditation, and uses my answers "
        "without my name in those reports. I can withdraw this consent here at any time; the invitations "
        "then stop at once."
    ),
}


class LegalBasis:
    CONSENT = "consent"
    PUBLIC_TASK = "public_task"


# {purpose: (basis, what it means for the person)}: the privacy page and the consent screen say which legal basis
# each purpose rests on (UU PDP 27/2022 art. 20).
LEGAL_BASES: dict[str, tuple[str, Any]] = {
    Purpose.TRACER: (
        LegalBasis.PUBLIC_TASK,
        gettext_lazy(
            "Legal basis: the institution's legal duty. Higher-education accreditation requires the study program "
            "to trace its graduates, so invitations go out unless you object. You may object at any time: "
            "objecting stops the invitations and reminders."
        ),
    ),
    Purpose.FUNDRAISING: (
        LegalBasis.CONSENT,
        gettext_lazy("Legal basis: your consent. Off until you turn it on; you may withdraw it at any time."),
    ),
    Purpose.DIRECTORY: (
        LegalBasis.CONSENT,
        gettext_lazy("Legal basis: your consent. Off until you turn it on; you may withdraw it at any time."),
    ),
    Purpose.CAREER: (
        LegalBasis.CONSENT,
        gettext_lazy("Legal basis: your consent. Off until you turn it on; you may withdraw it at any time."),
    ),
    Purpose.COMMUNITY: (
        LegalBasis.CONSENT,
        gettext_lazy("Legal basis: your consent. Off until you turn it on; you may withdraw it at any time."),
    ),
}
# The wording version recorded when the owner ticks or unticks "listed in the directory" on the profile form.
PROFILE_FORM_WORDING = "profile-form"
# Recorded for every purpose when an account is deleted.
ACCOUNT_DELETED_WORDING = "account-deleted"
# Recorded when someone objects through the stop link of an email (with or without an account).
EMAIL_LINK_WORDING = "email-link"

# In force when a person has made no decision yet (directory: the profile's listed_in_directory flag). Consent is
# asked, not presumed: the directory and fundraising are off until the person turns them on; the tracer study
# rests on the institution's accreditation duty and runs until the person objects.
CONSENT_DEFAULTS: dict[str, bool] = {
    Purpose.TRACER: True,
    Purpose.FUNDRAISING: False,
    Purpose.DIRECTORY: False,
    Purpose.CAREER: False,
    Purpose.COMMUNITY: False,
}
# The session key set once the consent screen was shown (or skipped with "decide later") in this login.
CONSENT_PROMPTED_SESSION_KEY = "privacy_consent_prompted"


DELETED_EMAIL_DOMAIN = "deleted.invalid"
ANON_PREFIX = "ANON-"
# Keys per look-up of consent rows, below every database's limit on bound parameters.
CONSENT_LOOKUP_USERS = 5000


@dataclass(frozen=True)
class PersonalDataProvider:
    name: str
    # What "Download my data" says the file holds from this app, in the reader's language (a lazy string).
    label: Any = None
    export: Callable[[User], Any] | None = None
    anonymise: Callable[[User, str], None] | None = None
    # files(user) -> [(path in the ZIP, FieldFile)]: files of this person that "Download my data" includes.
    files: Callable[[User], list[tuple[str, Any]]] | None = None
    # audit_targets(user) -> {audit target_type: ids}: this app's records that are about the person, so that the
    # audit entries about them are the person's data (exported in full, scrubbed on deletion).
    audit_targets: Callable[[User], dict[str, set[str]]] | None = None


PROVIDERS: dict[str, PersonalDataProvider] = {}

BUILT_IN_KEYS = frozenset({
    "format", "generated_at", "account", "email_addresses", "roles", "profile", "employments", "consents",
    "notifications", "notification_preferences", "audit_log", "signup_invitations", "import_records",
    "reads_of_my_data", "files",
})


def register_personal_data(
    name: str, *, label: Any = None, export: Callable[[User], Any] | None = None,
    anonymise: Callable[[User, str], None] | None = None,
    files: Callable[[User], list[tuple[str, Any]]] | None = None,
    audit_targets: Callable[[User], dict[str, set[str]]] | None = None,
) -> None:
    """Add an app's personal data to "Download my data" (export, files) and "Delete my account" (anonymise).
    `label` (gettext_lazy) says what it is on the "Download my data" page; `name` is its key in data.json.

    This registry lives in the lower layer (alumni): apps above it (tracer, donations) register themselves in
    their AppConfig.ready(), and alumni never imports them."""
    if name in BUILT_IN_KEYS:
        raise ValueError(f"{name!r} is a built-in key of the data export")
    if not label:
        raise ValueError(f"personal data {name!r} needs a label for the \"Download my data\" page")
    PROVIDERS[name] = PersonalDataProvider(name=name, label=label, export=export, anonymise=anonymise, files=files,
                                           audit_targets=audit_targets)


def register_notification_purpose(kind: str, purpose: str) -> None:
    """Notifications of `kind` are sent for `purpose`: withdrawing that consent stops them. Checks the purpose,
    then registers the pair with core (core.registry.NOTIFICATION_PURPOSES), which the notification claims read."""
    if purpose not in Purpose.values:
        raise ValueError(f"unknown purpose {purpose!r}")
    registry.register_notification_purpose(kind, purpose)


# --- Consent -----------------------------------------------------------------------------------------------------


def consent_wording(purpose: str, version: str) -> Any:
    current_version, text = CONSENT_WORDING[purpose]
    if version == current_version:
        return text
    return CONSENT_WORDING_ARCHIVE.get((purpose, version), "")


def consent_latest(*, user) -> dict[str, Consent | None]:
    """The decision in force per purpose (None: no decision yet). One query."""
    latest: dict[str, Consent | None] = dict.fromkeys(Purpose.values)
    for row in Consent.objects.filter(user=user).order_by("-at", "-pk"):
        if latest[row.purpose] is None:
            latest[row.purpose] = row
    return latest


def consent_in_force(*, user, purpose: str) -> bool:
    """Whether this purpose may be pursued for this person now."""
    if purpose == Purpose.DIRECTORY:
        profile = AlumniProfile.objects.filter(user=user).only("listed_in_directory").first()
        if profile is not None:
            return profile.listed_in_directory
    row = Consent.objects.filter(user=user, purpose=purpose).order_by("-at", "-pk").first()
    return row.granted if row else CONSENT_DEFAULTS[purpose]


def _record(*, user, purpose: str, granted: bool, wording_version: str, at=None) -> Consent:
    return Consent.objects.create(
        user=user, purpose=purpose, granted=granted, wording_version=wording_version, at=at or timezone.now()
    )


def _stop_pending(*, user, purpose: str, now) -> int:
    """Claimed, unsent notifications of this purpose's kinds will not go out."""
    kinds = [kind for kind, p in NOTIFICATION_PURPOSES.items() if p == purpose]
    if not kinds:
        return 0
    return Notification.objects.unsent().filter(recipient=user, kind__in=kinds).update(
        failed_at=now, locked_until=None, last_error="consent withdrawn"
    )


@transaction.atomic
def consent_record(*, user, purpose: str, granted: bool, wording_version: str) -> Consent:
    """Record one decision, with its time and the version of the wording the person was shown; it takes effect
    at once (directory listing, notifications of the purpose)."""
    if purpose not in Purpose.values:
        raise ValidationError(_("Unknown purpose %(purpose)s.") % {"purpose": purpose})
    current_version = CONSENT_WORDING[purpose][0]
    if granted and wording_version != current_version:
        # Consent counts only for the text actually shown: a stale page must be read again.
        raise ValidationError(_("The wording of this consent has changed. Please read it again."))
    if not wording_version or len(wording_version) > Consent._meta.get_field("wording_version").max_length:
        raise ValidationError(_("Unknown wording version."))
    now = timezone.now()
    consent = _record(user=user, purpose=purpose, granted=granted, wording_version=wording_version, at=now)
    profile = AlumniProfile.objects.select_for_update().filter(user=user).first()
    if purpose == Purpose.DIRECTORY and profile is not None and profile.listed_in_directory != granted:
        profile.listed_in_directory = granted
        profile.save(update_fields=["listed_in_directory", "updated_at"])
    if not granted:
        _stop_pending(user=user, purpose=purpose, now=now)
    audit_log(
        actor=user, action=f"alumni.consent.{'granted' if granted else 'withdrawn'}", target=consent,
        study_program=profile.study_program if profile else None,
        data={"purpose": purpose, "wording_version": wording_version},
    )
    return consent


def consent_from_profile_form(*, profile: AlumniProfile) -> Consent | None:
    """The owner changed "listed in the directory" on the profile form: record it as their directory decision
    (profile_update calls this; the flag itself is already saved)."""
    if profile.user_id is None:
        return None
    return _record(
        user=profile.user, purpose=Purpose.DIRECTORY, granted=profile.listed_in_directory,
        wording_version=PROFILE_FORM_WORDING,
    )


# Purposes that only concern a person with a verified record: the directory lists records, and group digests and
# help emails go to members of groups (which people join through their record).
PROFILE_PURPOSES = frozenset({Purpose.DIRECTORY, Purpose.COMMUNITY})


def consent_askable(*, has_profile: bool) -> list[str]:
    """The purposes a person can decide now: the directory and communities need a profile."""
    return [p for p in Purpose.values if has_profile or p not in PROFILE_PURPOSES]


def consent_undecided(*, user, has_profile: bool | None = None) -> list[str]:
    """The purposes this person can decide now and has not decided yet (two queries; one when the caller knows
    whether the person has a record)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if has_profile is None:
        has_profile = AlumniProfile.objects.filter(user=user).exists()
    askable = consent_askable(has_profile=has_profile)
    decided = set(Consent.objects.filter(user=user, purpose__in=askable).values_list("purpose", flat=True))
    return [purpose for purpose in askable if purpose not in decided]


def consent_prompt_due(*, user, session) -> bool:
    """Whether to send this person to the consent screen now (after logging in): some purpose they can decide
    has no decision yet, and the screen has not asked about it in this login ("decide later" waits for the next
    login)."""
    shown = set(session.get(CONSENT_PROMPTED_SESSION_KEY, ()))
    return bool(set(consent_undecided(user=user)) - shown)


def consent_prompted(*, session, purposes: Iterable[str]) -> None:
    """Remember, for this login, that the screen asked about these purposes."""
    session[CONSENT_PROMPTED_SESSION_KEY] = sorted(set(session.get(CONSENT_PROMPTED_SESSION_KEY, ())) | set(purposes))


@transaction.atomic
def consent_record_choices(*, user, choices: dict[str, bool], versions: dict[str, str]) -> list[Consent]:
    """The consent screen: one decision per purpose shown, all or nothing, each with the version of the wording
    the person read."""
    return [
        consent_record(user=user, purpose=purpose, granted=granted, wording_version=versions.get(purpose, ""))
        for purpose, granted in choices.items()
    ]


def consent_withheld(pairs: Iterable[tuple[int, str]]) -> set[tuple[int, str]]:
    """Of these (user id, notification kind) pairs, the ones whose purpose that person has not consented to
    (core.registry.consent_withheld, which maps kinds to purposes and asks `purposes_withheld`)."""
    return registry.consent_withheld(pairs)


def purposes_withheld(pairs: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """Of these (user id, purpose) pairs, the ones that person has not consented to: the latest decision, or
    CONSENT_DEFAULTS without one. One query per CONSENT_LOOKUP_USERS people. Registered with core as its
    consent check."""
    if not pairs:
        return set()
    purposes = {purpose for _uid, purpose in pairs}
    user_ids = sorted({uid for uid, _purpose in pairs})
    decided: dict[tuple[int, str], bool] = {}
    for chunk in _chunks(user_ids, CONSENT_LOOKUP_USERS):
        rows = (
            Consent.objects.filter(user_id__in=chunk, purpose__in=purposes)
            .order_by("user_id", "purpose", "-at", "-pk")
            .values_list("user_id", "purpose", "granted")
        )
        for uid, purpose, granted in rows:
            decided.setdefault((uid, purpose), granted)
    return {(uid, purpose) for uid, purpose in pairs if not decided.get((uid, purpose), CONSENT_DEFAULTS[purpose])}


def addresses_withheld(emails: Iterable[str], purpose: str) -> set[str]:
    """Of these addresses (lower case), those for which `purpose` is withheld: the latest decision of an account
    under that address, or the latest decision recorded for the address itself (someone without an account who
    objected from an email), is a withdrawal. The one rule for contacting people by address (the tracer study's
    links and reminders to a record's address); without any decision, CONSENT_DEFAULTS. One query per
    CONSENT_LOOKUP_USERS addresses."""
    out: set[str] = set()
    for chunk in _chunks(sorted({e.lower() for e in emails if e}), CONSENT_LOOKUP_USERS):
        decided: dict[tuple, tuple[str, bool]] = {}
        rows = (
            Consent.objects.filter(Q(user__email__in=chunk) | Q(user__isnull=True, email__in=chunk), purpose=purpose)
            .order_by("user_id", "email", "-at", "-pk")
            .values_list("user_id", "user__email", "email", "granted")
        )
        for uid, user_email, email, granted in rows:
            holder = ("user", uid) if uid is not None else ("address", email)
            decided.setdefault(holder, ((user_email or email).lower(), granted))
        out |= {email for email, granted in decided.values() if not granted}
        if not CONSENT_DEFAULTS[purpose]:
            out |= set(chunk) - {email for email, _granted in decided.values()}
    return out


@transaction.atomic
def consent_withdraw_address(*, email: str, purpose: str, wording_version: str = EMAIL_LINK_WORDING,
                             ) -> Consent | None:
    """Someone without an account objects to `purpose` for the address an email reached them at (the email's
    stop link). Records one withdrawal for the address, or nothing when it is withheld already (a second click
    changes nothing). Takes effect for every later claim and send that asks `addresses_withheld`."""
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError(_("No address to record the objection for."))
    if purpose not in Purpose.values:
        raise ValidationError(_("Unknown purpose %(purpose)s.") % {"purpose": purpose})
    if email in addresses_withheld({email}, purpose):
        return None
    return Consent.objects.create(user=None, email=email, purpose=purpose, granted=False,
                                  wording_version=wording_version, at=timezone.now())


def consent_adopt_address(*, user, email: str) -> int:
    """An account has verified `email`: the decisions recorded for that address without an account become the
    account's (its consent history shows them; the latest decision stays in force). Returns how many."""
    email = (email or "").strip().lower()
    if not email:
        return 0
    adopted = Consent.objects.filter(user__isnull=True, email=email).update(user=user)
    if adopted:
        personal_changed()
    return adopted


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- Download my data --------------------------------------------------------------------------------------------


def _own_objects(user, profile: AlumniProfile | None) -> dict[str, set[str]]:
    """{audit target_type: ids} of the records that are about this person."""
    own = {
        "alumni.user": {str(user.pk)},
        "alumni.role": {str(pk) for pk in Role.objects.filter(user=user).values_list("pk", flat=True)},
        "alumni.consent": {str(pk) for pk in Consent.objects.filter(user=user).values_list("pk", flat=True)},
    }
    for provider in PROVIDERS.values():
        if provider.audit_targets is not None:
            for target_type, ids in provider.audit_targets(user).items():
                own.setdefault(target_type, set()).update(ids)
    if profile is not None:
        own["alumni.alumniprofile"] = {str(profile.pk)}
        own["alumni.employment"] = {str(pk) for pk in profile.employments.values_list("pk", flat=True)}
    return own


def _held_since(user, profile: AlumniProfile | None):
    """When the record was last detached from another account (alumni.records.profile_detach), or None: what
    happened to the record until then (staff reads, import conflicts holding that person's name and email, the
    detachment itself) is the data of the person who held it, not of the one who claimed it afterwards."""
    if profile is None:
        return None
    return (
        AuditLog.objects.filter(target_type=AlumniProfile._meta.label_lower, target_id=str(profile.pk),
                                action="alumni.profile.detached")
        .exclude(data__account=user.pk)
        .order_by("-created_at", "-pk")
        .values_list("created_at", flat=True)
        .first()
    )


def _own_audit_q(own: dict[str, set[str]]) -> Q:
    q = Q(pk__in=[])
    for target_type, ids in own.items():
        if ids:
            q |= Q(target_type=target_type, target_id__in=ids)
    return q


def _model_dict(obj, *, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """Every concrete field; a foreign key as its readable name (and id)."""
    data: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name in exclude:
            continue
        if f.is_relation:
            related = getattr(obj, f.name)
            data[f.name] = str(related) if related is not None else None
            data[f"{f.name}_id"] = f.value_from_object(obj)
        elif f.choices and getattr(obj, f"get_{f.name}_display", None):
            data[f.name] = f.value_from_object(obj)
            data[f"{f.name}_label"] = str(getattr(obj, f"get_{f.name}_display")())
        else:
            data[f.name] = f.value_from_object(obj)
    return data


def personal_data_collect(*, user) -> dict[str, Any]:
    """Everything the portal holds about this person, as JSON-ready data (see personal_data_export)."""
    profile = (
        AlumniProfile.objects.filter(user=user).select_related("study_program__faculty__institution", "province")
        .first()
    )
    data: dict[str, Any] = {
        "format": "alumni-portal-personal-data/1",
        "generated_at": timezone.now(),
        "account": {
            "email": user.email, "full_name": user.full_name, "language": user.language,
            "date_joined": user.date_joined, "last_login": user.last_login, "is_active": user.is_active,
        },
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).order_by("email").values("email", "verified", "primary")
        ),
        "roles": [
            {"kind": role.kind, "study_program": str(role.study_program or ""), "institution": str(role.institution),
             "granted_at": role.granted_at}
            for role in Role.objects.filter(user=user).select_related("study_program", "institution")
        ],
        "profile": None,
        "employments": [],
    }
    if profile is not None:
        data["profile"] = _model_dict(profile, exclude={"user"})
        data["profile"]["photo"] = f"photo/{posixpath.basename(profile.photo.name)}" if profile.photo else None
        data["employments"] = [
            _model_dict(job, exclude={"profile"})
            for job in profile.employments.select_related("province").order_by("-start_date")
        ]
    data["consents"] = [
        {"at": c.at, "purpose": c.purpose, "purpose_label": str(c.get_purpose_display()), "granted": c.granted,
         "wording_version": c.wording_version}
        for c in Consent.objects.filter(user=user).order_by("at", "pk")
    ]
    # The corrections of the academic record this person asked for, with the staff's answers.
    data["record_corrections"] = list(
        RecordCorrection.objects.filter(requested_by=user).order_by("created_at", "pk")
        .values("created_at", "status", "current", "requested", "reason", "decided_at", "decision_note")
    )
    # What this person said about classmates waiting for verification: their own word, without the classmate's
    # name (that is the classmate's data), only the cohort it was about.
    data["vouches_given"] = list(
        Vouch.objects.filter(voucher=user).order_by("created_at", "pk")
        .values("created_at", "decision", "profile__study_program__code", "profile__entry_year")
    )
    data["notifications"] = list(
        Notification.objects.filter(recipient=user).order_by("created_at", "pk")
        .values("kind", "subject", "created_at", "sent_at", "read_at", "failed_at")
    )
    data["notification_preferences"] = {
        "in_force": notification_preferences(user=user),
        "saved": list(NotificationPreference.objects.filter(user=user).values("kind", "enabled", "updated_at")),
    }
    held_since = _held_since(user, profile)
    data.update(_invitations_and_imports(user, profile, held_since=held_since))
    data["reads_of_my_data"] = reads_of_my_data(user=user)
    own = _own_audit_q(_own_objects(user, profile))
    if held_since is not None:
        own &= ~Q(target_type=AlumniProfile._meta.label_lower, target_id=str(profile.pk), created_at__lte=held_since)
    own_ids = set(AuditLog.objects.filter(own).values_list("pk", flat=True))
    entries = AuditLog.objects.filter(Q(actor=user) | own).order_by("created_at", "pk")
    data["audit_log"] = [
        {
            "at": e.created_at, "action": e.action, "target_type": e.target_type,
            "by": "you" if e.actor_id == user.pk else ("staff" if e.actor_id else "system"),
            # What someone did to another person's record is that person's data: only the action is listed.
            **({"target": e.target_repr, "details": e.data} if e.pk in own_ids else {}),
        }
        for e in entries
    ]
    for provider in PROVIDERS.values():
        if provider.export is not None:
            data[provider.name] = provider.export(user)
    return data


def _invitations_and_imports(user, profile: AlumniProfile | None, *, held_since=None) -> dict[str, Any]:
    """The sign-up invitations sent for the person's record and what imports did to it (the rows that changed it,
    and the conflicts staff decided). A fixed number of queries, whatever the counts."""
    invitation_q = Q(email__iexact=user.email) | (Q(profile=profile) if profile is not None else Q(pk__in=[]))
    result: dict[str, Any] = {
        "signup_invitations": [
            {"email": i["email"], "created_at": i["created_at"], "sent_at": i["sent_at"],
             "import_file": i["job__original_name"]}
            for i in SignupInvitation.objects.filter(invitation_q).order_by("created_at")
            .values("email", "created_at", "sent_at", "job__original_name")
        ],
        "import_records": {"imports": [], "conflicts": []},
    }
    if profile is None:
        return result
    # Imports and conflicts from before the record was detached from another account are that person's (_held_since).
    imports = AuditLog.objects.filter(target_type=AlumniProfile._meta.label_lower, target_id=str(profile.pk),
                                      data__source="import")
    conflicts = ImportConflict.objects.filter(profile=profile)
    if held_since is not None:
        imports = imports.filter(created_at__gt=held_since)
        conflicts = conflicts.filter(job__created_at__gt=held_since)
    imports = list(imports.order_by("created_at", "pk").values("created_at", "data"))
    job_ids = {row["data"].get("import_job") for row in imports} - {None}
    jobs = dict(ImportJob.objects.filter(pk__in=job_ids).values_list("pk", "original_name")) if job_ids else {}
    jobs = {str(pk): name for pk, name in jobs.items()}
    result["import_records"]["imports"] = [
        {"at": row["created_at"], "import_file": jobs.get(row["data"].get("import_job"), ""),
         "fields": row["data"].get("fields", [])}
        for row in imports
    ]
    result["import_records"]["conflicts"] = [
        {"import_file": c["job__original_name"], "row": c["row_number"], "differences": c["differences"],
         "status": c["status"], "resolved_at": c["resolved_at"]}
        for c in conflicts.order_by("row_number")
        .values("job__original_name", "row_number", "differences", "status", "resolved_at")
    ]
    return result


def reads_of_my_data(*, user, limit: int | None = None) -> list[dict[str, Any]]:
    """Who among the staff read this person's data, when and through which page or export: one indexed query on
    AuditLog.subject (core.audit.audit_reads writes these entries)."""

    rows = (
        AuditLog.objects.filter(subject=user).order_by("-created_at", "-pk")
        .values("created_at", "action", "actor__full_name", "actor__email", "study_program__name", "target_repr")
    )
    if limit is not None:
        rows = rows[:limit]
    return [
        {"at": r["created_at"], "action": r["action"], "what": str(ACTION_LABELS.get(r["action"], r["action"])),
         "by": r["actor__full_name"] or r["actor__email"] or "system", "study_program": r["study_program__name"],
         "object": r["target_repr"]}
        for r in rows
    ]


def _zip_file(archive: zipfile.ZipFile, path: str, field_file) -> bool:
    try:
        with field_file.open("rb") as handle:
            archive.writestr(path, handle.read())
    except FileNotFoundError:
        return False
    return True


def personal_data_export(*, user) -> bytes:
    """"Download my data": a ZIP with data.json (personal_data_collect), the profile photo, if any, and the
    files other apps register (transfer slips…), each listed under "files" in data.json."""
    data = personal_data_collect(user=user)
    profile = AlumniProfile.objects.filter(user=user).only("photo", "study_program").first()
    files = [(path, field_file) for provider in PROVIDERS.values() if provider.files is not None
             for path, field_file in provider.files(user)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        data["files"] = [path for path, field_file in files if _zip_file(archive, path, field_file)]
        if profile is not None and profile.photo and data["profile"]["photo"]:
            _zip_file(archive, data["profile"]["photo"], profile.photo)
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
    audit_log(actor=user, action="alumni.data.exported", target=user,
              study_program=profile.study_program if profile else None)
    return buffer.getvalue()


# --- Delete my account -------------------------------------------------------------------------------------------


def _new_marker(study_program_id: int | None) -> str:
    while True:
        marker = f"{ANON_PREFIX}{uuid.uuid4().hex[:10].upper()}"
        if study_program_id is None or not AlumniProfile.objects.filter(
            study_program_id=study_program_id, nim=marker
        ).exists():
            return marker


def is_deleted(user) -> bool:
    return not user.is_active and user.email.endswith(f"@{DELETED_EMAIL_DOMAIN}")


@transaction.atomic
def account_delete(*, user, by=None) -> str:
    """Remove the person's identity and keep anonymous figures (see the module docstring). Returns the marker
    that now stands for them. `by`: the person themself, a superuser, or None (command line)."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    if by is not None and by.pk != user.pk and not by.is_superuser:
        raise PermissionDenied
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_superuser:
        raise ValidationError(_("A superuser account cannot be deleted here: ask another administrator."))
    if is_deleted(user):
        raise ValidationError(_("This account was already deleted."))
    profile = AlumniProfile.objects.select_for_update().filter(user=user).first()
    marker = _new_marker(profile.study_program_id if profile else None)
    own = _own_objects(user, profile)
    own_q = _own_audit_q(own) | Q(actor=user, target_type__in=["alumni.employment", "alumni.alumniprofile"])
    own_q |= Q(target_type="alumni.role", data__user=user.email)

    # Other apps first, while the account still says who this is.
    for provider in PROVIDERS.values():
        if provider.anonymise is not None:
            provider.anonymise(user, marker)

    if profile is not None:
        # Every photo the person ever uploaded (replaced ones too) goes once the deletion is committed.
        photo_dir, photo_name = f"photos/{profile.pk}", profile.photo.name
        transaction.on_commit(lambda: _delete_photos(photo_dir, photo_name))
        profile.nim = marker
        profile.full_name = marker
        profile.email = profile.phone = profile.city = profile.bio = ""
        profile.verification_note = ""  # staff's reason for refusing the request, which may name the person
        profile.province = None
        profile.photo = ""
        profile.listed_in_directory = False
        for part in ("email", "phone", "location", "graduation", "career", "bio", "photo"):
            setattr(profile, f"vis_{part}", Visibility.PRIVATE)
        profile.save()
        # Career statistics keep the kind of employer, scope, relevance, province and dates.
        Employment.objects.filter(profile=profile).update(employer="", position="", city="")

    now = timezone.now()
    Notification.objects.filter(recipient=user).update(subject="", body="", body_html="", link="")
    Notification.objects.unsent().filter(recipient=user).update(
        failed_at=now, locked_until=None, last_error="account deleted"
    )
    NotificationPreference.objects.filter(user=user).delete()
    # The sign-up invitation names the person's address; import conflicts hold the file's and the record's names.
    invitation_q = Q(email__iexact=user.email) | (Q(profile=profile) if profile is not None else Q(pk__in=[]))
    SignupInvitation.objects.filter(invitation_q).delete()
    if profile is not None:
        ImportConflict.objects.filter(profile=profile).delete()
        # Corrections hold the name, cohort and dates the person asked for and their reasons in their own words.
        RecordCorrection.objects.filter(Q(profile=profile) | Q(requested_by=user)).delete()
    Role.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    # Decisions the person made from an email before having an account name the address: the account keeps them.
    Consent.objects.filter(user=user).exclude(email="").update(email="")
    Consent.objects.bulk_create([
        Consent(user=user, purpose=purpose, granted=False, wording_version=ACCOUNT_DELETED_WORDING, at=now)
        for purpose in Purpose.values
    ])
    personal_changed()

    user.full_name = marker
    user.email = f"{marker.lower()}@{DELETED_EMAIL_DOMAIN}"
    user.set_unusable_password()  # also ends every other session: their auth hash no longer matches
    user.is_active = user.is_staff = False
    user.last_login = None
    user.save()
    forget_scope(user)

    AuditLog.objects.filter(own_q).update(target_repr=marker, data={"redacted": True})
    types = ContentType.objects.get_for_models(User, AlumniProfile, Employment)
    ids = {User: [str(user.pk)], AlumniProfile: list(own.get("alumni.alumniprofile", ())),
           Employment: list(own.get("alumni.employment", ()))}
    for model, content_type in types.items():
        LogEntry.objects.filter(content_type=content_type, object_id__in=ids[model]).update(object_repr=marker)
    audit_log(
        actor=by, action="alumni.account.deleted", target=user,
        study_program=profile.study_program if profile else None,
        data={"by": "self" if by is not None and by.pk == user.pk else ("admin" if by else "system")},
    )
    return marker


def _delete_photos(directory: str, current: str) -> None:
    storage = AlumniProfile._meta.get_field("photo").storage
    names = {current} if current else set()
    try:
        names |= {f"{directory}/{name}" for name in storage.listdir(directory)[1]}
    except (FileNotFoundError, NotImplementedError):
        # No folder yet, or a storage backend that cannot list (Django's base Storage raises on listdir):
        # then only the current photo is known and deleted.
        pass
    for name in names:
        storage.delete(name)


# --- Import files: kept only while needed ------------------------------------------------------------------------


def import_files_expire(*, now=None) -> int:
    """Delete the uploaded files of alumni imports that finished (done or failed) more than
    IMPORT_FILE_RETENTION_DAYS ago, or that were abandoned (never finished, uploaded more than that long ago).
    The job row stays with its summary, errors and counts; only the file (names, NIMs, emails) goes. Returns how
    many files were deleted. Safe to run twice: a job without a file is skipped."""
    from datetime import timedelta

    from django.conf import settings

    now = now or timezone.now()
    cutoff = now - timedelta(days=int(getattr(settings, "IMPORT_FILE_RETENTION_DAYS", 30)))
    expired = list(
        ImportJob.objects.exclude(file="")
        .filter(Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff))
        .only("pk", "file", "status", "original_name")
    )
    if not expired:
        return 0
    storage = ImportJob._meta.get_field("file").storage
    names = [job.file.name for job in expired]
    ImportJob.objects.filter(pk__in=[job.pk for job in expired]).update(file="")
    AuditLog.objects.bulk_create([
        AuditLog(action="alumni.import.file_deleted", target_type=ImportJob._meta.label_lower, target_id=str(job.pk),
                 target_repr=str(job)[:200], data={"status": job.status})
        for job in expired
    ])
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return len(expired)
