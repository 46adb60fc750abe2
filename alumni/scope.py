"""Who may see what: one cached summary of a user's rights, computed once per user object (one query, two for
admins) and read by every `visible_to` queryset method.

`compute_scope` is registered with core (core.registry.register_scope_resolver) in AlumniConfig.ready();
`scope_for` and `forget_scope` live in core.access, which caches the result on the user object, so that the
bottom layer's own doors (audit log, notifications) read the same summary without importing this app.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, IntegerField, Value
from django.utils.translation import gettext

from core.access import forget_scope, scope_for

from .models import AlumniProfile, Role, StudyProgram

__all__ = ["ANONYMOUS", "Scope", "compute_scope", "forget_scope", "require_admin", "require_staff", "scope_for"]


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
