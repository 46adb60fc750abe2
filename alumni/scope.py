"""Who may see what: one cached summary of a user's rights, computed once per user object (one query, two for
admins) and read by every `visible_to` queryset method.

`compute_scope` is registered with core (core.registry.register_scope_resolver) in AlumniConfig.ready();
`scope_for` and `forget_scope` live in core.access, which caches the result on the user object, so that the
bottom layer's own doors (audit log, notifications) read the same summary without importing this app.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import CharField, IntegerField, Value
from django.utils.translation import gettext

from core import access, fragments
from core.access import scope_for

from .models import AlumniProfile, Role, StudyProgram

__all__ = [
    "ANONYMOUS", "PEOPLE", "ROLES", "Scope", "cached_scope", "compute_scope", "forget_scope", "require_admin",
    "require_staff", "scope_for",
]


@dataclass(frozen=True)
class Scope:
    user_id: int | None = None
    is_authenticated: bool = False
    is_superuser: bool = False
    # Has a claimed, verified alumni/student profile: a member of the community, who sees what other members made
    # public. A person whose self-registered profile is still pending is no member (sees nothing of others).
    is_member: bool = False
    # Has a profile that waits for verification (by staff or two classmates).
    is_pending: bool = False
    # Study programs whose data this person runs (as staff, or through an admin role on the institution).
    staff_program_ids: frozenset[int] = field(default_factory=frozenset)
    admin_institution_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_staff(self) -> bool:
        return bool(self.staff_program_ids) or self.is_superuser

    @property
    def is_admin(self) -> bool:
        return bool(self.admin_institution_ids) or self.is_superuser

    def manages_program(self, program_id: int | None) -> bool:
        """Runs this study program's data: its staff, an admin of its institution, a superuser."""
        return self.is_superuser or program_id in self.staff_program_ids

    def administers(self, institution_id: int | None) -> bool:
        return self.is_superuser or institution_id in self.admin_institution_ids


ANONYMOUS = Scope()

# Generations (core.fragments) of what a scope is computed from. PEOPLE: records, jobs, accounts (moved by
# alumni.directory_pages.record_changed and the import; the directory's counts and cards, and the giving and
# program pages, which show people's names, are kept under it too). ROLES: roles, and which study programs an
# institution has (an admin's).
PEOPLE = "alumni:people"
ROLES = "alumni:roles"
SCOPE_SECONDS = 300


def _scope_key(user_id) -> str:
    return f"alumni:scope:{user_id}"


def forget_scope(user) -> None:
    """Call after changing a user's roles or record: the rest of this request and the next requests (also after
    the commit) compute the scope again, whether or not the change went through a model's save()."""
    access.forget_scope(user)
    if user is not None and getattr(user, "pk", None):
        key = _scope_key(user.pk)
        cache.delete(key)
        transaction.on_commit(lambda: cache.delete(key))


def cached_scope(user) -> Scope:
    """compute_scope, kept in the cache across requests under the generations it depends on: any change to a role,
    a record, an account or a study program is seen by the next request (the receivers move the generations at
    once and after the commit). Registered as core's scope resolver; core.access also keeps it on the user
    object for the rest of the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    key = _scope_key(user.pk)
    scope, generations = fragments.fetch(key, [PEOPLE, ROLES])
    if scope is None or scope.is_superuser != user.is_superuser:
        scope = compute_scope(user)
        fragments.store(key, generations, scope, SCOPE_SECONDS)
    return scope


def roles_changed(sender=None, **_kwargs) -> None:
    """post_save / post_delete receiver of Role, StudyProgram and Faculty."""
    fragments.forget(ROLES)


def compute_scope(user) -> Scope:
    """The rights of `user` from the database: roles, the study programs of an admin's institutions, and whether
    the person's own record is verified. Called through core.access.scope_for, which caches it."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    # The roles and the own record's verification in one round trip (a person has at most one record).
    nothing, no_id = Value(None, output_field=CharField()), Value(None, output_field=IntegerField())
    rows = list(
        Role.objects.filter(user_id=user.pk).order_by().annotate(verification=nothing)
        .values_list("kind", "study_program_id", "institution_id", "verification")
        .union(
            AlumniProfile.objects.filter(user_id=user.pk).order_by()
            .annotate(kind=nothing, program=no_id, institution=no_id)
            .values_list("kind", "program", "institution", "verification"),
            all=True,
        )
    )
    staff = {program for kind, program, _, _ in rows if kind == Role.Kind.STAFF}
    admin_institutions = {inst for kind, _, inst, _ in rows if kind == Role.Kind.ADMIN}
    if admin_institutions:
        staff |= set(
            StudyProgram.objects.filter(faculty__institution_id__in=admin_institutions).values_list("pk", flat=True)
        )
    verification = next((state for kind, _, _, state in rows if kind is None), None)
    return Scope(
        user_id=user.pk,
        is_authenticated=True,
        is_superuser=user.is_superuser,
        is_member=verification == AlumniProfile.Verification.VERIFIED,
        is_pending=verification is not None and verification != AlumniProfile.Verification.VERIFIED,
        staff_program_ids=frozenset(staff),
        admin_institution_ids=frozenset(admin_institutions),
    )


def require_staff(user, *, admins_too: bool = False, message=None) -> Scope:
    """The gate of every staff page: 403 unless the person runs a study program (with `admins_too`, or is an
    institution admin, who alone runs institution-wide campaigns). Returns the scope for further checks."""
    scope = scope_for(user)
    if not (scope.is_staff or (admins_too and scope.is_admin)):
        raise PermissionDenied(message or gettext("This page is for study-program staff."))
    return scope


def require_admin(user, *, message=None) -> Scope:
    """The gate of every institution-admin page: 403 unless the person administers an institution."""
    scope = scope_for(user)
    if not scope.is_admin:
        raise PermissionDenied(message or gettext("This page is for institution admins."))
    return scope
