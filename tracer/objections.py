"""Objecting from a tracer email, without an account and without logging in (UU PDP: the right to object).

Every tracer email to an address (a graduate without an account: the first link and the reminders; a supervisor:
the employer survey) carries a stop link with the invitation's token, `/tracer/t/<token>/stop/`, and a
List-Unsubscribe header pointing at it (registered with core in TracerConfig.ready()). The page explains what
stopping means; its button records the objection:

- for an address (no account): one withdrawal of the tracer purpose in the consent ledger for that address
  (alumni.privacy.consent_withdraw_address), which alumni owns; it holds for every later wave and reminder,
  since every send to an address asks tracer.services.withdrawn_emails (alumni.privacy.addresses_withheld), and
  becomes the account's once an account verifies that address (alumni.privacy.consent_adopt_address);
- for a graduate whose record has an account meanwhile: that account's withdrawal (alumni.privacy.consent_record),
  which also stops its claimed, unsent tracer notifications.

Rows already claimed for the address are not sent: the outbox's send check (tracer.services.link_unwanted) asks
before each send. A second click records nothing. Each objection is audited ("tracer.invitation.objected").
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from alumni.models import Consent
from alumni.privacy import (
    EMAIL_LINK_WORDING,
    addresses_withheld,
    consent_in_force,
    consent_record,
    consent_withdraw_address,
)
from core.audit import audit_log

from .models import Invitation

PURPOSE = Consent.Purpose.TRACER


def stop_url(invitation: Invitation) -> str:
    """The absolute address of the invitation's stop page (goes into the email and its List-Unsubscribe)."""
    return f"{settings.SITE_URL}{reverse('tracer:stop', args=[invitation.token])}"


def _token_of(notification) -> str | None:
    return Invitation.objects.filter(pk=notification.key.split(":")[1]).values_list("token", flat=True).first()


def stop_url_for_notification(notification) -> str:
    """The stop page of an outbox row of a tracer kind (key "<kind>:<invitation>[:n]"), "" when the invitation is
    gone. One query. Registered with core for the List-Unsubscribe header."""
    token = _token_of(notification)
    return f"{settings.SITE_URL}{reverse('tracer:stop', args=[token])}" if token else ""


def one_click_url_for_notification(notification) -> str:
    """The RFC 8058 one-click address of the same invitation (a POST there objects; a GET leads to the stop
    page), "" when the invitation is gone. One query."""
    token = _token_of(notification)
    return f"{settings.SITE_URL}{reverse('tracer:stop_one_click', args=[token])}" if token else ""


def _account(invitation: Invitation):
    """The account the objection is recorded for: a graduate's record claimed by an account; else None."""
    if invitation.respondent == Invitation.Respondent.GRADUATE and invitation.profile.user_id is not None:
        return invitation.profile.user
    return None


def objection_address(invitation: Invitation) -> str:
    """The address the tracer emails of this invitation go to (lower case; "" when none)."""
    if invitation.respondent == Invitation.Respondent.EMPLOYER:
        return (invitation.email or "").lower()
    return (invitation.profile.email or invitation.email or "").lower()


def already_objected(invitation: Invitation) -> bool:
    """Whether tracer emails for this invitation's person are stopped already. One query."""
    account = _account(invitation)
    if account is not None:
        return not consent_in_force(user=account, purpose=PURPOSE)
    address = objection_address(invitation)
    return bool(address) and address in addresses_withheld({address}, PURPOSE)


@transaction.atomic
def invitation_object(*, invitation: Invitation) -> bool:
    """Record the objection of the person this invitation reaches; True when recorded now, False when it was
    already in force (nothing changes). Audited as tracer.invitation.objected."""
    # Two clicks at once on one link: the second waits here, then finds the objection recorded.
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("profile__user", "profile__study_program").get(pk=invitation.pk)
    )
    account = _account(invitation)
    if account is not None:
        if not consent_in_force(user=account, purpose=PURPOSE):
            return False
        consent = consent_record(user=account, purpose=PURPOSE, granted=False, wording_version=EMAIL_LINK_WORDING)
    else:
        address = objection_address(invitation)
        if not address:
            raise ValidationError("no address to record the objection for")
        consent = consent_withdraw_address(email=address, purpose=PURPOSE)
        if consent is None:
            return False
    audit_log(
        actor=account, action="tracer.invitation.objected", target=invitation,
        study_program=invitation.profile.study_program,
        data={"respondent": invitation.respondent, "wave": str(invitation.wave_id or ""), "consent": consent.pk,
              "account": account is not None},
    )
    return True
