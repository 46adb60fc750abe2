"""Who may see what: one cached summary of a user's rights, computed once per user object (one query, two for
admins) and read by every `visible_to` queryset method."""

from __future__ import annotations

from dataclasses import dataclass, field


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
_CACHE_ATTR = "_portal_scope"


def scope_for(user) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from .models import AlumniProfile, Role, StudyProgram

    roles = list(Role.objects.filter(user_id=user.pk).values_list("kind", "study_program_id", "institution_id"))
    staff = {program for kind, program, _ in roles if kind == Role.Kind.STAFF}
    admin_institutions = {inst for kind, _, inst in roles if kind == Role.Kind.ADMIN}
    if admin_institutions:
        staff |= set(
            StudyProgram.objects.filter(faculty__institution_id__in=admin_institutions).values_list("pk", flat=True)
        )
    verification = (
        AlumniProfile.objects.filter(user_id=user.pk).values_list("verification", flat=True).first()
    )
    scope = Scope(
        user_id=user.pk,
        is_authenticated=True,
        is_superuser=user.is_superuser,
        is_member=verification == AlumniProfile.Verification.VERIFIED,
        is_pending=verification is not None and verification != AlumniProfile.Verification.VERIFIED,
        staff_program_ids=frozenset(staff),
        admin_institution_ids=frozenset(admin_institutions),
    )
    setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_scope(user) -> None:
    """Call after changing a user's roles or profile within the same request."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def require_staff(user, *, admins_too: bool = False, message=None) -> Scope:
    """The gate of every staff page: 403 unless the person runs a study program (with `admins_too`, or is an
    institution admin, who alone runs institution-wide campaigns). Returns the scope for further checks."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext

    scope = scope_for(user)
    if not (scope.is_staff or (admins_too and scope.is_admin)):
        raise PermissionDenied(message or gettext("This page is for study-program staff."))
    return scope


def require_admin(user, *, message=None) -> Scope:
    """The gate of every institution-admin page: 403 unless the person administers an institution."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext

    scope = scope_for(user)
    if not scope.is_admin:
        raise PermissionDenied(message or gettext("This page is for institution admins."))
    return scope
