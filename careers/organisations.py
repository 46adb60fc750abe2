"""Organisations: one row per employer, found again whatever way people type its name."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from alumni.models import Employment
from alumni.scope import scope_for
from core.audit import audit_log

from .models import (
    EmployerContact,
    EmploymentOrganisation,
    Introduction,
    JobPost,
    Organisation,
    OrganisationAlias,
    normalise_name,
)


def organisation_find(name: str) -> Organisation | None:
    """The organisation this name means (its own comparable name or one of its aliases'), or None. One query."""
    key = normalise_name(name)
    if not key:
        return None
    return (
        Organisation.objects.filter(Q(normalised=key) | Q(aliases__normalised=key)).distinct().order_by("name").first()
    )


def organisation_resolve(*, name: str, by=None) -> Organisation:
    """The organisation `name` means, created when none matches. Two people typing a new name at the same moment
    get the same row (the comparable name is unique; the loser of the race reads the winner's row)."""
    found = organisation_find(name)
    if found is not None:
        return found
    key = normalise_name(name)
    if not key:
        raise ValueError("an organisation needs a name with letters or digits")
    try:
        with transaction.atomic():
            return Organisation.objects.create(name=" ".join(name.split())[:200], normalised=key, created_by=by)
    except IntegrityError:
        return Organisation.objects.get(normalised=key)


def alias_add(*, organisation: Organisation, name: str) -> OrganisationAlias:
    """Another name of `organisation`. Raises ValueError when the name already means another organisation."""
    key = normalise_name(name)
    if not key:
        raise ValueError("an alias needs letters or digits")
    other = organisation_find(name)
    if other is not None and other.pk != organisation.pk:
        raise ValueError(f"{name!r} already names {other.name!r}")
    alias, _created = OrganisationAlias.objects.get_or_create(
        normalised=key, defaults={"organisation": organisation, "name": " ".join(name.split())[:200]}
    )
    return alias


# --- matching jobs on profiles (alumni.Employment) to organisations -------------------------------------------------


def organisation_keys() -> dict[str, object]:
    """{comparable name: organisation id} of every organisation's own name and aliases: the same match as
    organisation_find, for many names at once (two queries)."""
    keys = dict(Organisation.objects.values_list("normalised", "pk"))
    keys.update(OrganisationAlias.objects.values_list("normalised", "organisation_id"))
    return keys


def employments_link(employments, *, keys: dict[str, object] | None = None) -> tuple[int, int]:
    """Link each job (alumni.Employment) to the organisation its employer name means, and unlink the jobs whose
    name means none (an organisation is never created from a typed employer). Returns (linked, unlinked)."""
    keys = organisation_keys() if keys is None else keys
    jobs = list(employments)
    if not jobs:
        return 0, 0
    wanted = {job.pk: keys.get(normalise_name(job.employer)) for job in jobs}
    current = dict(
        EmploymentOrganisation.objects.filter(employment_id__in=list(wanted)).values_list(
            "employment_id", "organisation_id"
        )
    )
    gone = [pk for pk, org in wanted.items() if org is None and pk in current]
    changed = [pk for pk, org in wanted.items() if org is not None and pk in current and current[pk] != org]
    new = [pk for pk, org in wanted.items() if org is not None and pk not in current]
    with transaction.atomic():
        if gone:
            EmploymentOrganisation.objects.filter(employment_id__in=gone).delete()
        for pk in changed:
            EmploymentOrganisation.objects.filter(employment_id=pk).update(organisation_id=wanted[pk])
        if new:
            EmploymentOrganisation.objects.bulk_create(
                [EmploymentOrganisation(employment_id=pk, organisation_id=wanted[pk]) for pk in new],
                ignore_conflicts=True,
            )
    return len(new) + len(changed), len(gone)


def employment_link(employment: Employment) -> Organisation | None:
    """Link one job to its organisation (or unlink it): called when a job is saved."""
    organisation = organisation_find(employment.employer)
    if organisation is None:
        EmploymentOrganisation.objects.filter(employment_id=employment.pk).delete()
        return None
    EmploymentOrganisation.objects.update_or_create(employment_id=employment.pk,
                                                    defaults={"organisation": organisation})
    return organisation


def employments_relink_for(*, names: list[str]) -> tuple[int, int]:
    """Link again the jobs whose employer may be one of `names` (after an alias was added or removed, a rename or
    a merge): the jobs typed with the longest word of each comparable name, checked exactly in Python."""
    words = {max(key.split(), key=len) for key in (normalise_name(n) for n in names) if key}
    if not words:
        return 0, 0
    condition = Q(pk__in=[])
    for word in words:
        condition |= Q(employer__icontains=word)
    keys = organisation_keys()
    linked = unlinked = 0
    candidates = Employment.objects.filter(condition).only("pk", "employer").order_by("pk")
    batch: list = []
    for job in candidates.iterator(chunk_size=1000):
        batch.append(job)
        if len(batch) >= 1000:
            a, b = employments_link(batch, keys=keys)
            linked, unlinked, batch = linked + a, unlinked + b, []
    a, b = employments_link(batch, keys=keys)
    return linked + a, unlinked + b


# --- staff tools ------------------------------------------------------------------------------------------------


def _require_organisation_staff(user) -> None:
    """Organisations are institution-wide: staff of any study program and admins edit and merge them."""
    scope = scope_for(user)
    if not (scope.is_staff or scope.is_admin):
        raise PermissionDenied(_("Only study-program staff can change organisations."))


def _clean_name(name: str) -> str:
    return " ".join((name or "").split())[:200]


def organisation_update(*, organisation: Organisation, by, name: str, kind: str = "", website: str = "",
                        city: str = "", description: str = "", province=None) -> Organisation:
    """Staff correct an organisation. A new name keeps the old one as an alias (people still type it); a name that
    already means another organisation is refused (merge them instead)."""
    _require_organisation_staff(by)
    key = normalise_name(name)
    if not key:
        raise ValidationError({"name": _("An organisation's name needs letters or digits.")})
    other = organisation_find(name)
    if other is not None and other.pk != organisation.pk:
        raise ValidationError({"name": _("This name already means %(other)s: merge the two instead.")
                               % {"other": other.name}})
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        old_name, old_key = locked.name, locked.normalised
        locked.name = _clean_name(name)
        locked.normalised = key
        locked.kind, locked.website, locked.city = kind, website, city
        locked.description, locked.province = description, province
        locked.full_clean(exclude=["normalised"])
        if key != old_key:
            # The alias of the new name (if it was one) gives way to the name itself.
            OrganisationAlias.objects.filter(organisation=locked, normalised=key).delete()
        locked.save()
        if key != old_key:
            OrganisationAlias.objects.get_or_create(
                normalised=old_key, defaults={"organisation": locked, "name": old_name}
            )
        audit_log(actor=by, action="careers.organisation.updated", target=locked,
                  data={"name": locked.name, "old_name": old_name} if key != old_key else {"name": locked.name})
        if key != old_key:
            employments_relink_for(names=[old_name, locked.name])
    return locked


def organisation_alias_add(*, organisation: Organisation, name: str, by) -> OrganisationAlias:
    """Staff add another name of an organisation; the jobs typed with it are linked to it."""
    _require_organisation_staff(by)
    key = normalise_name(name)
    if not key:
        raise ValidationError({"name": _("An alias needs letters or digits.")})
    other = organisation_find(name)
    if other is not None and other.pk != organisation.pk:
        raise ValidationError({"name": _("This name already means %(other)s: merge the two instead.")
                               % {"other": other.name}})
    if other is not None:
        raise ValidationError({"name": _("This organisation already has this name.")})
    with transaction.atomic():
        alias = alias_add(organisation=organisation, name=name)
        audit_log(actor=by, action="careers.organisation.alias_added", target=organisation,
                  data={"alias": alias.name})
        employments_relink_for(names=[alias.name])
    return alias


def organisation_alias_remove(*, alias: OrganisationAlias, by) -> None:
    """Staff remove a wrong alias; the jobs typed with it are linked to what it means now (nothing, usually)."""
    _require_organisation_staff(by)
    name, organisation = alias.name, alias.organisation
    with transaction.atomic():
        alias.delete()
        audit_log(actor=by, action="careers.organisation.alias_removed", target=organisation, data={"alias": name})
        employments_relink_for(names=[name])


@dataclass(frozen=True)
class MergeSummary:
    """What merging `duplicate` into `keep` moves (shown on the confirmation page, and audited)."""

    posts: int
    contacts: int
    introductions: int
    employments: int
    names: list[str]


def organisation_merge_summary(*, keep: Organisation, duplicate: Organisation) -> MergeSummary:
    return MergeSummary(
        posts=JobPost.objects.filter(organisation=duplicate).count(),
        contacts=EmployerContact.objects.filter(organisation=duplicate).count(),
        introductions=Introduction.objects.filter(organisation=duplicate).count(),
        employments=EmploymentOrganisation.objects.filter(organisation=duplicate).count(),
        names=[duplicate.name,
               *OrganisationAlias.objects.filter(organisation=duplicate).values_list("name", flat=True)],
    )


def organisation_merge(*, keep: Organisation, duplicate: Organisation, by) -> MergeSummary:
    """Merge a duplicate into the organisation kept: its posts, employer contacts, introductions and job links move
    to the kept one, its name and aliases become aliases of the kept one, blank details of the kept one are filled
    from it, and it is deleted. All or nothing."""
    _require_organisation_staff(by)
    if keep.pk == duplicate.pk:
        raise ValidationError(_("An organisation cannot be merged into itself."))
    with transaction.atomic():
        # Both rows locked, in one order, so two merges of the same pair cannot interleave.
        locked = {o.pk: o for o in Organisation.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk])
                  .order_by("pk")}
        if len(locked) != 2:
            raise ValidationError(_("One of the two organisations no longer exists."))
        keep, duplicate = locked[keep.pk], locked[duplicate.pk]
        summary = organisation_merge_summary(keep=keep, duplicate=duplicate)
        JobPost.objects.filter(organisation=duplicate).update(organisation=keep)
        EmployerContact.objects.filter(organisation=duplicate).update(organisation=keep)
        Introduction.objects.filter(organisation=duplicate).update(organisation=keep)
        EmploymentOrganisation.objects.filter(organisation=duplicate).update(organisation=keep)
        OrganisationAlias.objects.filter(organisation=duplicate).update(organisation=keep)
        if duplicate.normalised != keep.normalised:
            OrganisationAlias.objects.get_or_create(
                normalised=duplicate.normalised, defaults={"organisation": keep, "name": duplicate.name}
            )
        for field in ("kind", "website", "city", "description", "province"):
            if not getattr(keep, field) and getattr(duplicate, field):
                setattr(keep, field, getattr(duplicate, field))
        keep.save()
        duplicate_repr = {"id": str(duplicate.pk), "name": duplicate.name}
        duplicate.delete()
        audit_log(actor=by, action="careers.organisation.merged", target=keep, data={
            "duplicate": duplicate_repr, "posts": summary.posts, "contacts": summary.contacts,
            "introductions": summary.introductions, "employments": summary.employments, "names": summary.names,
        })
        employments_relink_for(names=summary.names)
    return summary
