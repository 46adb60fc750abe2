"""Rupiah input: whole amounts in the ways people write them are accepted; zero, negative, cents, absurd amounts and
text are refused with a message that says what to fix. Nothing here goes through float."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from donations.money import RupiahField, parse_rupiah, rupiah, terbilang


@pytest.mark.parametrize(("typed", "amount"), [
    ("10000", 10_000), ("10.000", 10_000), ("Rp 10.000", 10_000), ("rp10.000,00", 10_000), ("10,000", 10_000),
    ("1.250.000", 1_250_000), (" 50 000 ", 50_000), ("Rp. 5.000", 5_000), (Decimal("75000"), 75_000), (1, 1),
    ("10000000000", 10_000_000_000),
])
def test_whole_amounts_are_accepted(typed, amount):
    parsed = parse_rupiah(typed)
    assert parsed == Decimal(amount) and isinstance(parsed, Decimal)


@pytest.mark.parametrize(("typed", "code"), [
    ("0", "not_positive"), ("-5000", "not_positive"), ("Rp -5.000", "not_positive"), (Decimal("-1"), "not_positive"),
    ("10.000,50", "precision"), ("10000.5", "precision"), ("10,5", "precision"), (Decimal("0.01"), "precision"),
    (Decimal("10000.50"), "precision"),
    ("10000000001", "too_large"), ("999.999.999.999", "too_large"),
    ("sepuluh ribu", "invalid"), ("1e6", "invalid"), ("10.00.0", "invalid"), ("", "required"), ("Rp", "required"),
    (Decimal("NaN"), "invalid"), (Decimal("Infinity"), "invalid"), (10.5, "invalid"), (True, "invalid"),
])
def test_bad_amounts_are_refused_with_a_reason(typed, code):
    with pytest.raises(ValidationError) as caught:
        parse_rupiah(typed)
    assert caught.value.code == code


def test_messages_speak_indonesian_by_default():
    with pytest.raises(ValidationError) as caught:
        parse_rupiah("10.000,50")
    with translation.override("id"):
        assert "sen" in caught.value.messages[0].lower().split()
    with translation.override("en"):
        assert caught.value.messages[0] == "Rupiah amounts are whole numbers: remove the cents (,50)."


def test_the_limit_can_be_set(settings):
    settings.DONATION_MAX_AMOUNT = 1_000_000
    assert parse_rupiah("1.000.000") == 1_000_000
    with pytest.raises(ValidationError):
        parse_rupiah("1.000.001")


def test_display_and_words():
    assert rupiah(Decimal("1250000")) == "Rp 1.250.000"
    assert rupiah(0) == "Rp 0" and rupiah(None) == ""
    assert terbilang(10_000) == "sepuluh ribu"
    assert terbilang(1_250_000) == "satu juta dua ratus lima puluh ribu"
    assert terbilang(111) == "seratus sebelas"
    assert terbilang(1_001) == "seribu satu"
    assert terbilang(19) == "sembilan belas"
    assert terbilang(2_500_075_000) == "dua miliar lima ratus juta tujuh puluh lima ribu"


def test_form_field_cleans_to_decimal_and_shows_grouped():
    field = RupiahField(required=False)
    assert field.clean("Rp 25.000") == Decimal(25_000)
    assert field.clean("") is None
    assert field.prepare_value(Decimal(25_000)) == "25.000"
    assert field.widget.attrs["inputmode"] == "numeric"
