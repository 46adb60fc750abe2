"""Rupiah amounts: parsed from what people type, validated, and shown the Indonesian way.

Whole rupiah only. The rupiah's minor unit (sen) has not circulated for decades and no bank transfer or e-wallet
in Indonesia moves fractions, so "10.000,50" is refused rather than rounded. Input accepts "10000", "10.000",
"Rp 10.000", "Rp10.000,00" (a zero fraction is fine) and "10,000" typed the English way only when unambiguous
(groups of three). Nothing here ever goes through float.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Above this a single gift or disbursement is surely a typing mistake (an extra zero or three); settings may lower
# or raise it. Ten billion rupiah.
DEFAULT_MAX_AMOUNT = Decimal("10000000000")
GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")


def max_amount() -> Decimal:
    return Decimal(str(getattr(settings, "DONATION_MAX_AMOUNT", DEFAULT_MAX_AMOUNT)))


def parse_rupiah(value) -> Decimal:
    """A whole, positive rupiah amount from user input, or ValidationError with a message people understand."""
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int) and not isinstance(value, bool):
        amount = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace(" ", "").replace("\u00a0", "")
        text = re.sub(r"^(?i:rp)\.?", "", text)
        if not text:
            raise ValidationError(_("Enter an amount in rupiah."), code="required")
        if text.startswith("-"):
            raise ValidationError(_("The amount must be more than zero."), code="not_positive")
        if re.fullmatch(r"\d+", text):
            amount = Decimal(text)
        elif GROUPED.match(text):
            amount = Decimal(re.sub(r"[.,]", "", text))
        else:
            whole, _sep, fraction = text.rpartition(",")
            if whole and re.fullmatch(r"\d{1,3}(\.\d{3})*|\d+", whole) and re.fullmatch(r"\d{1,2}", fraction):
                if int(fraction):
                    raise ValidationError(
                        _("Rupiah amounts are whole numbers: remove the cents (%(fraction)s)."),
                        code="precision", params={"fraction": "," + fraction},
                    )
                amount = Decimal(whole.replace(".", ""))
            elif re.fullmatch(r"\d+\.\d{1,2}", text):
                raise ValidationError(_("Rupiah amounts are whole numbers: remove the cents."), code="precision")
            else:
                raise ValidationError(
                    _("“%(value)s” is not an amount. Write it like 50000 or 50.000."),
                    code="invalid", params={"value": value.strip()[:30]},
                )
    else:
        raise ValidationError(_("Enter an amount in rupiah."), code="invalid")
    try:
        if not amount.is_finite():
            raise InvalidOperation
        if amount != amount.to_integral_value():
            raise ValidationError(_("Rupiah amounts are whole numbers: remove the cents."), code="precision")
    except InvalidOperation:
        raise ValidationError(_("Enter an amount in rupiah."), code="invalid") from None
    if amount <= 0:
        raise ValidationError(_("The amount must be more than zero."), code="not_positive")
    if amount > max_amount():
        raise ValidationError(
            _("%(amount)s is more than the portal accepts at once (%(limit)s). Check the number of zeros."),
            code="too_large", params={"amount": rupiah(amount), "limit": rupiah(max_amount())},
        )
    return amount.quantize(Decimal(1))


def rupiah(amount) -> str:
    """Rp 1.250.000: the dot groups thousands, as Indonesians write it, in every language of the portal."""
    if amount is None:
        return ""
    value = int(Decimal(amount))
    sign = "-" if value < 0 else ""
    return f"{sign}Rp {abs(value):,}".replace(",", ".")


class RupiahField(forms.Field):
    """A text input (numeric keypad on phones) that cleans to a whole positive Decimal of rupiah."""

    widget = forms.TextInput

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "placeholder": "50.000",
                                  "maxlength": "30"})

    def prepare_value(self, value):
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return rupiah(value).removeprefix("Rp ")
        return value

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        return parse_rupiah(value[:60] if isinstance(value, str) else value)


UNITS = ["", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sebelas"]


def terbilang(amount) -> str:
    """The amount in Indonesian words, as receipts write it: 1250000 → "satu juta dua ratus lima puluh ribu"."""
    n = int(Decimal(amount))
    if n == 0:
        return "nol"

    def words(n: int) -> str:
        if n < 12:
            return UNITS[n]
        if n < 20:
            return f"{UNITS[n - 10]} belas"
        if n < 100:
            return f"{UNITS[n // 10]} puluh {words(n % 10)}".strip()
        if n < 200:
            return f"seratus {words(n - 100)}".strip()
        if n < 1000:
            return f"{UNITS[n // 100]} ratus {words(n % 100)}".strip()
        if n < 2000:
            return f"seribu {words(n - 1000)}".strip()
        for size, name in ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu")):
            if n >= size:
                return f"{words(n // size)} {name} {words(n % size)}".strip()
        raise AssertionError("unreachable")

    return " ".join(words(n).split())
