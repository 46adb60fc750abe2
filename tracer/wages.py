"""Import of provincial minimum wages (CSV UTF-8 or XLSX: province, year, amount), all or nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alumni.importing.reading import ImportFileError, Issue
from alumni.models import Province
from alumni.scope import scope_for
from core.audit import audit_log

from .models import MinimumWage
from .national import read_rows

COLUMNS = ("province", "year", "amount")
YEAR_RE = re.compile(r"^\d{4}$")
AMOUNT_RE = re.compile(r"^\d{1,15}$")


@dataclass
class WageOutcome:
    rows: int = 0
    created: int = 0
    updated: int = 0
    issues: list[Issue] = field(default_factory=list)
    file_error: str = ""


def _province_lookup() -> dict[str, int]:
    lookup: dict[str, int] = {}
    for pk, code, name in Province.objects.values_list("pk", "code", "name"):
        lookup[code.lower()] = pk
        lookup[name.lower()] = pk
    return lookup


def _amount(text: str) -> int:
    """Whole rupiah; thousands separators (1.234.567 or 1,234,567) are accepted, decimals are not."""
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
        text = text.replace(".", "").replace(",", "")
    elif text.endswith(".0"):  # an XLSX number cell read as text
        text = text[:-2]
    if not AMOUNT_RE.match(text) or int(text) <= 0:
        raise ValueError
    return int(text)


def import_minimum_wages(source, *, dry_run: bool = False) -> WageOutcome:
    outcome = WageOutcome()
    try:
        header, body = read_rows(source)
    except ImportFileError as error:
        outcome.file_error = error.message
        return outcome
    missing = [name for name in COLUMNS if name not in header]
    unknown = [name or _("(empty)") for name in header if name not in COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        if unknown:
            parts.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
        outcome.file_error = " ".join(parts)
        return outcome
    index = {name: header.index(name) for name in COLUMNS}
    provinces = _province_lookup()
    values: dict[tuple[int, int], int] = {}
    seen: dict[tuple[int, int], int] = {}
    for number, cells in body:
        outcome.rows += 1
        province_text, year_text, amount_text = (cells[index[name]].strip() for name in COLUMNS)
        province = provinces.get(province_text.lower())
        if province is None:
            outcome.issues.append(Issue(number, "province", _("Unknown province: give its code or exact name.")))
        year = None
        if year_text.endswith(".0"):
            year_text = year_text[:-2]
        if YEAR_RE.match(year_text) and 1945 <= int(year_text) <= 2100:
            year = int(year_text)
        else:
            outcome.issues.append(Issue(number, "year", _("Not a year (YYYY).")))
        try:
            amount = _amount(amount_text)
        except ValueError:
            amount = None
            outcome.issues.append(Issue(number, "amount", _("Not a positive whole amount of rupiah.")))
        if province is None or year is None or amount is None:
            continue
        if (province, year) in seen:
            outcome.issues.append(
                Issue(number, "province", _("Same province and year as row %(row)s.") % {"row": seen[(province, year)]})
            )
            continue
        seen[(province, year)] = number
        values[(province, year)] = amount
    if outcome.issues or dry_run:
        return outcome
    with transaction.atomic():
        existing = {
            (wage.province_id, wage.year): wage
            for wage in MinimumWage.objects.select_for_update().filter(
                province_id__in={p for p, _y in values}, year__in={y for _p, y in values}
            )
        }
        changed = []
        for key, amount in values.items():
            wage = existing.get(key)
            if wage is not None:
                wage.amount = amount
                changed.append(wage)
        MinimumWage.objects.bulk_update(changed, ["amount"], batch_size=1000)
        fresh = [MinimumWage(province_id=p, year=y, amount=a) for (p, y), a in values.items() if (p, y) not in existing]
        MinimumWage.objects.bulk_create(fresh, batch_size=1000)
    outcome.created, outcome.updated = len(fresh), len(changed)
    return outcome


@transaction.atomic
def minimum_wage_save(*, by, province: Province, year: int, amount: int) -> tuple[MinimumWage, bool]:
    """Set one province's minimum wage for a year (a second entry for the same province and year replaces the
    amount). Institution admins only; audited with the old and new amount (public figures, not personal data)."""
    if not scope_for(by).is_admin:
        raise PermissionDenied(_("Only institution admins can do this."))
    if not 1990 <= year <= 2100:
        raise ValidationError({"year": _("Give a year between 1990 and 2100.")})
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    wage = MinimumWage.objects.select_for_update().filter(province=province, year=year).first()
    created = wage is None
    old = None if created else wage.amount
    if created:
        wage = MinimumWage.objects.create(province=province, year=year, amount=amount)
    elif wage.amount != amount:
        wage.amount = amount
        wage.save(update_fields=["amount"])
    if created or old != amount:
        audit_log(actor=by, action="tracer.minimum_wage.saved", target=wage,
                  data={"province": province.code, "year": year, "from": old, "to": amount})
    return wage, created
