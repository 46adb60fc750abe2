"""The permission door's entry point for the bottom layer: `scope_for(user)`, the summary of a user's rights that
every `visible_to(user)` queryset method reads.

The summary is computed by the resolver the `alumni` app registers (alumni/scope.py: roles, study programs,
verified membership), once per user object, and cached on it. `core` reads only these attributes of it:
`user_id`, `is_authenticated`, `is_superuser`, `staff_program_ids`.
"""

from __future__ import annotations

from typing import Any, Protocol

from .registry import scope_resolver

_CACHE_ATTR = "_portal_scope"


class ScopeLike(Protocol):
    user_id: int | None
    is_authenticated: bool
    is_superuser: bool
    staff_program_ids: frozenset[int]


def scope_for(user) -> Any:
    """The rights of `user` (anonymous or None included), computed once per user object."""
    if user is not None and getattr(user, "is_authenticated", False):
        cached = getattr(user, _CACHE_ATTR, None)
        if cached is not None:
            return cached
    scope = scope_resolver()(user)
    if user is not None and getattr(user, "is_authenticated", False):
        setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_scope(user) -> None:
    """Call after changing a user's roles or profile within the same request."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


# An account id no account has (ids start at 1): a stand-in viewer is never the owner, proposer or PIC of anything,
# and reads as "no particular person" where a scope's user_id is tested for truth.
NOBODY = 0


class StandIn:
    """A viewer who is nobody in particular and has exactly the rights of `scope`, for "view my profile as others
    see it": the real pages' code (visible_to, can_see, the profile sections) runs for it unchanged, because all of
    it asks scope_for(viewer). Never a request's user, never saved; its scope's user_id should be NOBODY."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False
    is_staff = False

    def __init__(self, scope: Any):
        self.pk = self.id = scope.user_id
        setattr(self, _CACHE_ATTR, scope)
