"""Start-up registrations of the digest part of community (called by community.registrations.register_all): the
weekly digest as an optional kind sent for the opt-in "community" consent."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from alumni.models import Consent
from alumni.privacy import register_notification_purpose
from core import registry

from .digest import DIGEST_KIND


def register() -> None:
    registry.register_optional_kind(
        DIGEST_KIND, _("Weekly group digest"),
        _("Once a week, the new posts in your groups, open questions in your skills and the coming sessions of "
          "your groups (needs the \"Group digests and help requests in my skills\" consent)."),
    )
    # UU PDP: no digest without the consent; withdrawing it stops a claimed digest not yet sent.
    register_notification_purpose(DIGEST_KIND, Consent.Purpose.COMMUNITY)
