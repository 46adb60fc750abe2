"""Job alerts: who may keep one, and saving it (the digest that reads them is careers/digest.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from alumni.models import Consent
from alumni.privacy import consent_in_force
from alumni.scope import scope_for
from core.audit import audit_log

from .models import Field, JobAlert, JobPost


def alert_allowed(user) -> bool:
    """Job alerts are for members: verified alumni and students (their digest lists their study program's posts)."""
    return scope_for(user).is_member


def alert_for(*, user) -> JobAlert | None:
    return JobAlert.objects.filter(user=user).first() if alert_allowed(user) else None


def digest_consent_granted(*, user) -> bool:
    return consent_in_force(user=user, purpose=Consent.Purpose.CAREER)


def _clean_list(values, allowed) -> list[str]:
    allowed = set(allowed)
    return sorted({v for v in values or () if v in allowed})


@transaction.atomic
def job_alert_save(*, user, fields, province_codes, kinds, remote_only: bool, frequency: str) -> JobAlert:
    """Create or replace the person's alert. Unknown codes are dropped (the form offers only known ones)."""
    if not alert_allowed(user):
        raise PermissionDenied(_("Job alerts are for verified alumni and students."))
    if frequency not in JobAlert.Frequency.values:
        frequency = JobAlert.Frequency.NEVER
    values = {
        "fields": _clean_list(fields, Field.values),
        "province_codes": sorted({str(code) for code in province_codes or ()}),
        "kinds": _clean_list(kinds, JobPost.Kind.values),
        "remote_only": bool(remote_only),
        "frequency": frequency,
    }
    alert, created = JobAlert.objects.select_for_update().update_or_create(user=user, defaults=values)
    audit_log(actor=user, action="careers.alert.saved", target=alert,
              data={"created": created, "frequency": frequency})
    return alert
