"""How the activity list shows an audit entry about a pledge, an instalment, a donation or a disbursement: the
amount as rupiah ("Rp 500.000", not "500000"). Registered with core in DonationsConfig.ready()
(core.registry.register_target_describer); the entry alone is read, no query (see alumni.audit_targets)."""

from __future__ import annotations

import re
from collections.abc import Callable

from .money import rupiah

AMOUNT = re.compile(r"-?\d+(?:\.\d+)?")
SEPARATOR = " · "


def _amount_at(position: int) -> Callable[[object], str | None]:
    """A describer for texts of " · "-separated parts whose part at `position` (from the end, as campaign titles
    may hold " · " too) is the amount, as the model's __str__ writes it."""

    def describe(entry) -> str | None:
        parts = entry.target_repr.split(SEPARATOR)
        if len(parts) < 1 - position or not AMOUNT.fullmatch(parts[position]):
            return None
        parts[position] = rupiah(parts[position])
        return SEPARATOR.join(parts)

    return describe


DESCRIBERS = {
    # "{donor} · {campaign} · {amount}"
    "donations.donation": _amount_at(-1),
    "donations.pledge": _amount_at(-1),
    # "{campaign} · {paid on} · {amount}"
    "donations.disbursement": _amount_at(-1),
    # "{pledge: donor · campaign · amount} · {due on}"
    "donations.instalment": _amount_at(-2),
}
