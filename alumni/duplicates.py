"""Likely duplicate alumni records, and merging two records of one person into one.

Detection (`duplicate_groups`): within one study program, records that share
- an email address (case-insensitive, surrounding spaces ignored, empty ones never match), or
- a normalised full name (case-insensitive; dots, commas and repeated spaces ignored) AND the same entry cohort.
There is no birth-date field on AlumniProfile, so name + cohort is the strongest identity hint we have besides the
email; two people of the same name in different cohorts are never paired. Academic titles ("S.IP.", "Dr.") are not
stripped: they are rare in imported records and stripping them in SQL would pair more namesakes than it finds.

Records of different study programs are never paired, and never merged: a person who studied S1 and S2 has one
record per program by design (see profile_claim_by_email).

Queries: the duplicate keys are found by two GROUP BY ... HAVING COUNT > 1 subqueries, used inside ONE select of
the records that carry such a key; Python then only buckets those rows by key (linear, no pairwise comparison).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField, Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat, Lower, Replace, Trim
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_log

from .models import AlumniProfile, Employment, Visibility
from .scope import scope_for

# What each part of a profile is hidden by, for the side-by-side preview (name, NIM and cohort are always shown).
FIELD_PARTS = {
    "email": "email", "phone": "phone", "province": "location", "city": "location",
    "graduation_date": "graduation", "bio": "bio", "photo": "photo",
}
# The fields a merge may take from the removed record, in the order the preview shows them.
MERGE_FIELDS = (
    "full_name", "nim", "entry_year", "graduation_date", "email", "phone", "province", "city", "bio", "photo",
)
VISIBILITY_FIELDS = ("vis_email", "vis_phone", "vis_location", "vis_graduation", "vis_career", "vis_bio", "vis_photo")
_STRICTNESS = {Visibility.ALUMNI: 0, Visibility.STAFF: 1, Visibility.PRIVATE: 2}

REASON_EMAIL = "email"
REASON_NAME = "name_cohort"
REASON_LABELS = {
    REASON_EMAIL: gettext_lazy("same email address"),
    REASON_NAME: gettext_lazy("same name and cohort"),
}


def normalised_name(expression="full_name"):
    """SQL: lower-case name with dots and commas as spaces, repeated spaces collapsed (up to 8 in a row), trimmed.
    The Python twin is `normalise_name`."""
    value = Replace(Replace(expression, Value("."), Value(" ")), Value(","), Value(" "))
    for _pass in range(3):
        value = Replace(value, Value("  "), Value(" "))
    return Lower(Trim(value))


def normalise_name(name: str) -> str:
    return " ".join(name.replace(".", " ").replace(",", " ").split()).lower()


def _program_key(*parts) -> Concat:
    return Concat(Cast("study_program_id", CharField()), *[p for part in parts for p in (Value("|"), part)],
                  output_field=CharField())


def _keyed(qs: QuerySet) -> QuerySet:
    return qs.annotate(
        email_key=_program_key(Lower(Trim("email"))),
        name_key=_program_key(normalised_name(), Cast("entry_year", CharField())),
        email_norm=Lower(Trim("email")),
    )


def _repeated(qs: QuerySet, key: str) -> QuerySet:
    """GROUP BY key HAVING COUNT(*) > 1: the keys more than one record shares (a subquery, not run on its own)."""
    return qs.values(key).annotate(n=Count("pk")).filter(n__gt=1).values(key)


@dataclass
class DuplicateGroup:
    key: str
    reasons: list[str]
    profiles: list[AlumniProfile] = field(default_factory=list)

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASON_LABELS[r]) for r in self.reasons]

    @property
    def suggested_keep(self) -> AlumniProfile:
        """The record to keep by default: the one with an account, then the one with most jobs, then the oldest."""
        return min(self.profiles, key=lambda p: (p.user_id is None, -p.job_count, p.created_at))


def duplicate_candidates(*, viewer) -> QuerySet[AlumniProfile]:
    """Every record of the viewer's study programs that shares an email, or a name and cohort, with another record
    of the same program (one select, with the grouping subqueries inside)."""
    # Verified records only: a pending request that looks like a record is decided in the verification queue,
    # where staff see it beside the records it may be.
    managed = _keyed(AlumniProfile.objects.managed_by(viewer).filter(verification=AlumniProfile.Verification.VERIFIED))
    emails = _repeated(managed.exclude(email_norm=""), "email_key")
    names = _repeated(managed, "name_key")
    jobs = Employment.objects.filter(profile=OuterRef("pk")).order_by().values("profile").annotate(n=Count("pk"))
    return (
        managed.filter(Q(email_key__in=emails) | Q(name_key__in=names))
        .select_related("study_program", "user")
        .annotate(job_count=Coalesce(Subquery(jobs.values("n")[:1]), 0))
        .order_by("study_program__name", "full_name", "created_at")
    )


def duplicate_groups(*, viewer) -> list[DuplicateGroup]:
    """Likely duplicates as groups of two or more records, each with why they were paired.

    A pair that shares both the email and the name+cohort shows once, with both reasons."""
    buckets: dict[tuple[str, str], list[AlumniProfile]] = {}
    for profile in duplicate_candidates(viewer=viewer):
        if profile.email_norm:
            buckets.setdefault((REASON_EMAIL, profile.email_key), []).append(profile)
        buckets.setdefault((REASON_NAME, profile.name_key), []).append(profile)
    groups: dict[frozenset, DuplicateGroup] = {}
    for (reason, key), members in buckets.items():
        if len(members) < 2:
            continue
        ids = frozenset(p.pk for p in members)
        if ids in groups:
            groups[ids].reasons.append(reason)
        else:
            groups[ids] = DuplicateGroup(key=f"{reason}:{key}", reasons=[reason], profiles=members)
    return sorted(
        groups.values(),
        key=lambda g: (g.profiles[0].study_program.name, normalise_name(g.profiles[0].full_name), g.key),
    )


def duplicates_of(profile: AlumniProfile, *, viewer) -> QuerySet[AlumniProfile]:
    """The other records of the same study program that look like this one (the merge page's suggestions), by the
    same SQL normalisation as `duplicate_candidates` (one query)."""
    this = AlumniProfile.objects.filter(pk=profile.pk).annotate(n=normalised_name(), e=Lower(Trim("email")))
    q = Q(name_norm=Subquery(this.values("n")), entry_year=profile.entry_year)
    if profile.email.strip():
        q |= Q(email_norm=Subquery(this.values("e")))
    return (
        AlumniProfile.objects.managed_by(viewer)
        .filter(study_program_id=profile.study_program_id, verification=AlumniProfile.Verification.VERIFIED)
        .exclude(pk=profile.pk)
        .annotate(name_norm=normalised_name(), email_norm=Lower(Trim("email")))
        .filter(q)
        .select_related("study_program", "user")
        .order_by("full_name", "created_at")
    )


def _blank(value) -> bool:
    return value is None or value == ""


def _value(profile: AlumniProfile, name: str):
    if name == "province":
        return profile.province_id
    if name == "photo":
        return profile.photo.name if profile.photo else ""
    return getattr(profile, name)


def differing_fields(keep: AlumniProfile, remove: AlumniProfile) -> list[str]:
    return [name for name in MERGE_FIELDS if _value(keep, name) != _value(remove, name)]


def default_take(keep: AlumniProfile, remove: AlumniProfile) -> set[str]:
    """Keep the kept record's values and fill its blanks from the other one."""
    return {name for name in MERGE_FIELDS if _blank(_value(keep, name)) and not _blank(_value(remove, name))}


def _merged_visibility(keep: AlumniProfile, remove: AlumniProfile) -> dict[str, object]:
    """Privacy choices after the merge. They were made by the person behind the account: when exactly one record
    has an account, its choices win (an imported record's are defaults nobody chose). Otherwise each part takes
    the stricter of the two, and the record stays out of the directory if either was: a merge never shows more
    than either record did."""
    if remove.user_id and not keep.user_id:
        source = remove
        values = {name: getattr(source, name) for name in VISIBILITY_FIELDS}
        values["listed_in_directory"] = source.listed_in_directory
        return values
    if keep.user_id:
        return {}
    values = {
        name: max(getattr(keep, name), getattr(remove, name), key=lambda level: _STRICTNESS.get(level, 2))
        for name in VISIBILITY_FIELDS
    }
    values["listed_in_directory"] = keep.listed_in_directory and remove.listed_in_directory
    return values


def _move_related(keep: AlumniProfile, remove: AlumniProfile) -> dict[str, int]:
    """Point every row that refers to the removed record at the kept one: employments today, and whatever other
    app adds a foreign key to AlumniProfile later (tracer answers, donations), so that nothing is lost by the
    delete's cascade. A row that cannot move (a one-to-one both records have, a unique clash) stops the merge."""
    moved: dict[str, int] = {}
    for relation in AlumniProfile._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one):
            continue
        manager = relation.related_model._base_manager
        try:
            with transaction.atomic():
                count = manager.filter(**{relation.field.name: remove}).update(**{relation.field.name: keep})
        except IntegrityError:
            raise ValidationError(
                _("These records cannot be merged automatically: both have %(what)s that cannot be combined.")
                % {"what": relation.related_model._meta.verbose_name_plural}
            ) from None
        if count:
            moved[relation.related_model._meta.label_lower] = count
    return moved


def merge_moves(remove: AlumniProfile) -> list[tuple[str, int]]:
    """What `_move_related` would move from the removed record, read-only, for the confirmation: [(what, how many)]
    for every kind of row that points at it (jobs, tracer invitations and answers, sign-up invitations …). One
    count query per relation."""
    rows = []
    for relation in AlumniProfile._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one):
            continue
        count = relation.related_model._base_manager.filter(**{relation.field.name: remove}).count()
        if count:
            meta = relation.related_model._meta
            rows.append((str(meta.verbose_name if count == 1 else meta.verbose_name_plural), count))
    return sorted(rows)


@transaction.atomic
def profile_merge(*, keep: AlumniProfile, remove: AlumniProfile, by, take: Iterable[str] | None = None
                  ) -> AlumniProfile:
    """Merge `remove` into `keep` and delete `remove`; returns the kept record, fresh from the database.

    - `take`: the fields (of MERGE_FIELDS) whose value comes from `remove`; None keeps the kept record's values
      and fills its blanks from the other (`default_take`).
    - Jobs (and any other rows pointing at the removed record) move to the kept record.
    - Accounts: program participations, notifications, consents and calendar feeds belong to the *user*, not the
      profile. When only the removed record has an account, the account link moves to the kept record, and with
      it all that history. When both records have an account the merge is refused: two verified logins are two
      people, or one person with two accounts, and either way silently moving one login's participations to
      another is not ours to decide here (an admin deactivates the spare account first).
    - Privacy choices: see `_merged_visibility`.
    - Refused: merging a record with itself, records of different study programs, records outside the study
      programs `by` runs (PermissionDenied), a record someone merged or deleted meanwhile.
    - One audit entry on the kept record names the removed record, the fields taken and the rows moved (field
      names, not values: a value its owner hides from staff must not end up in the staff-readable audit trail).
    """
    if keep.pk == remove.pk:
        raise ValidationError(_("A record cannot be merged with itself."))
    scope = scope_for(by)
    # Lock both rows (in one order, so that two merges of the same pair cannot deadlock) and work on fresh copies.
    fresh = {
        p.pk: p
        for p in AlumniProfile.objects.select_for_update().filter(pk__in=sorted([keep.pk, remove.pk])).order_by("pk")
    }
    if len(fresh) != 2:
        raise ValidationError(_("One of these records no longer exists: it was merged or deleted meanwhile."))
    keep, remove = fresh[keep.pk], fresh[remove.pk]
    if not scope.is_superuser and not {keep.study_program_id, remove.study_program_id} <= scope.staff_program_ids:
        raise PermissionDenied(_("You may only merge records of your own study programs."))
    if keep.study_program_id != remove.study_program_id:
        raise ValidationError(
            _("These records belong to different study programs. A person who studied in two programs has one "
              "record in each; they are not duplicates.")
        )
    if not (keep.is_verified and remove.is_verified):
        raise ValidationError(
            _("A record waiting for verification is not merged: decide on it in the verification queue.")
        )
    if keep.user_id and remove.user_id:
        raise ValidationError(
            _("Both records have their own account (%(a)s and %(b)s). Two accounts are not merged here: ask an "
              "admin to check whether they are the same person and deactivate the spare account first.")
            % {"a": keep.user.email, "b": remove.user.email}
        )
    take = default_take(keep, remove) if take is None else set(take)
    unknown = take - set(MERGE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    taken = sorted(name for name in take if _value(keep, name) != _value(remove, name))
    for name in taken:
        if name == "province":
            keep.province_id = remove.province_id
        elif name == "photo":
            keep.photo = remove.photo.name
        else:
            setattr(keep, name, getattr(remove, name))
    if keep.graduation_date and keep.graduation_date.year < keep.entry_year:
        raise ValidationError(_("The merged record would have a graduation date before its entry cohort."))
    for name, value in _merged_visibility(keep, remove).items():
        setattr(keep, name, value)
    account_moved = bool(remove.user_id and not keep.user_id)
    moved = _move_related(keep, remove)
    removed = {
        "id": str(remove.pk), "nim": remove.nim, "full_name": remove.full_name, "entry_year": remove.entry_year,
        "had_account": bool(remove.user_id), "created_at": remove.created_at.isoformat(),
    }
    user_id = remove.user_id
    # The removed record goes first: it frees its NIM (unique per program) and its account link (one-to-one).
    AlumniProfile.objects.filter(pk=remove.pk).delete()
    if account_moved:
        keep.user_id = user_id
    keep.save()
    audit_log(
        actor=by, action="alumni.profile.merged", target=keep, study_program=keep.study_program,
        data={
            "removed": removed, "fields_taken": taken, "moved": moved, "account_moved": account_moved,
        },
    )
    return keep


def merge_preview_rows(keep: AlumniProfile, remove: AlumniProfile, *, viewer) -> list[dict]:
    """One row per merge field for the side-by-side preview: both values (None where the owner hides that part from
    the viewer), whether they differ, and the default choice."""
    defaults = default_take(keep, remove)
    rows = []
    for name in MERGE_FIELDS:
        part = FIELD_PARTS.get(name)
        rows.append({
            "name": name,
            "label": AlumniProfile._meta.get_field(name).verbose_name,
            "keep": _display(keep, name) if part is None or keep.can_see(part, viewer=viewer) else None,
            "remove": _display(remove, name) if part is None or remove.can_see(part, viewer=viewer) else None,
            "differs": _value(keep, name) != _value(remove, name),
            "take": name in defaults,
        })
    return rows


def _display(profile: AlumniProfile, name: str) -> str:
    if name == "province":
        return profile.province.name if profile.province else ""
    if name == "photo":
        return _("has a photo") if profile.photo else ""
    value = getattr(profile, name)
    return "" if value is None else str(value)

