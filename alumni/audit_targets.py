"""How the activity list shows an audit entry about one of this app's objects, in the reader's language
(registered with core in AlumniConfig.ready(): core.registry.register_target_describer).

An entry's `target_repr` is the object's text when the entry was written, in the writer's language, with codes
("fundraising: granted (fundraising-2026-1)"). A describer rebuilds the text from the entry alone, without a
query: the activity list shows ten entries and must not load their objects.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import Consent


def describe_consent(entry) -> str | None:
    """"Ani Lestari · Fundraising and donation contact: granted" (the person, the purpose's label, the decision);
    the wording version stays in the entry's details."""
    purpose = entry.data.get("purpose")
    if purpose not in Consent.Purpose.values:
        return None
    decision = _("granted") if entry.action.endswith(".granted") else _("withdrawn")
    text = f"{Consent.Purpose(purpose).label}: {decision}"
    # Consent.__str__ starts with the person (their name, or the address of someone without an account).
    person, separator, _decision = entry.target_repr.partition(" · ")
    return f"{person} · {text}" if separator else text


DESCRIBERS = {"alumni.consent": describe_consent}
