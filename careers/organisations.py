"""Organisations: one row per employer, found again whatever way people type its name."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q

from .models import Organisation, OrganisationAlias, normalise_name


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
