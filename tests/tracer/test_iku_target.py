"""The IKU-1 target: set by staff of the study program (default 80 %), and the figure's colour and words follow
the figure against it (tracer.iku): met at or above, below under it, far below under three quarters of it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import AuditLog
from tests.conftest import client_for
from tests.tracer.test_lkps import graduate, respond
from tracer import iku
from tracer.models import IkuTarget

pytestmark = pytest.mark.django_db
TS = 2025
FURTHER_STUDY, NOT_WORKING = 4, 2


@pytest.fixture
def half_succeed(national_surveys, provinces, prodi_x):
    """Four graduates of 2024 (the IKU-1 cohort of TS 2025), all traced: two study further (success), two do not
    work. IKU-1 = 50,00 %."""
    for nim, f8 in (("I1", FURTHER_STUDY), ("I2", FURTHER_STUDY), ("I3", NOT_WORKING), ("I4", NOT_WORKING)):
        respond(graduate(prodi_x, 2024, nim), {"f8": f8})
    return prodi_x


def english(user):
    """The words are checked in English: the Indonesian ones are the translators'."""
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def iku_tab(client, program):
    return client.get(reverse("tracer:lkps", args=[program.code, TS]) + "?tab=iku1")


def set_target(client, program, value):
    return client.post(reverse("tracer:lkps_iku_target", args=[program.code, TS]), {"percent": value})


@pytest.mark.parametrize("value, target, expected", [
    (Decimal("80.00"), 80, iku.MET), (Decimal("95"), 80, iku.MET), (Decimal("79.99"), 80, iku.BELOW),
    (Decimal("60.00"), 80, iku.BELOW), (Decimal("59.99"), 80, iku.FAR), (Decimal("0.00"), 80, iku.FAR),
    (None, 80, None), (Decimal("45"), 60, iku.BELOW), (Decimal("44.99"), 60, iku.FAR),
])
def test_the_grade_follows_the_figure_against_the_target(value, target, expected):
    assert iku.grade(value, target) == expected


def test_zero_percent_is_far_below_the_default_target_not_green(national_surveys, provinces, prodi_x, staff_x):
    respond(graduate(prodi_x, 2024, "Z1"), {"f8": NOT_WORKING})
    page = iku_tab(client_for(english(staff_x)), prodi_x)
    html = page.content.decode()
    assert page.context["iku"]["iku"] == Decimal("0.00")
    assert page.context["iku_target"]["grade"] == iku.FAR and "iku-far_below" in html and "iku-met" not in html
    assert "target 80%" in html and "far below target" in html


def test_staff_set_the_target_and_the_colour_follows(half_succeed, staff_x):
    client = client_for(english(staff_x))
    assert iku_tab(client, half_succeed).context["iku_target"]["grade"] == iku.FAR  # 50 % against 80 %
    response = set_target(client, half_succeed, "60")
    assert response.status_code == 302 and response["Location"].endswith("?tab=iku1")
    page = iku_tab(client, half_succeed)
    html = page.content.decode()
    assert IkuTarget.objects.get(study_program=half_succeed).percent == Decimal("60.00")
    assert page.context["iku_target"]["grade"] == iku.BELOW and "iku-below" in html
    assert "target 60%" in html and "below target" in html
    set_target(client, half_succeed, "50")
    assert iku_tab(client, half_succeed).context["iku_target"]["grade"] == iku.MET
    log = AuditLog.objects.filter(action=iku.TARGET_SET).order_by("created_at", "pk")
    assert [(e.data["before"], e.data["after"]) for e in log] == [("80", "60"), ("60.00", "50")]


@pytest.mark.parametrize("value, message", [
    ("", "Give a target between 1 and 100 percent."), ("150", "Give a target between 1 and 100 percent."),
    ("0", "Give a target between 1 and 100 percent."), ("abc", "Give the target as a number, such as 80."),
    ("80.123", "Give the target with at most two decimals."),
])
def test_a_wrong_target_is_said_and_changes_nothing(half_succeed, staff_x, value, message):
    response = set_target(client_for(english(staff_x)), half_succeed, value)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["iku_form"].errors["percent"] == [message]
    assert not IkuTarget.objects.exists() and not AuditLog.objects.filter(action=iku.TARGET_SET).exists()


def test_staff_of_another_program_cannot_set_it_and_members_cannot_either(half_succeed, staff_y, alumnus_a):
    assert set_target(client_for(staff_y), half_succeed, "50").status_code == 404
    assert set_target(client_for(alumnus_a), half_succeed, "50").status_code == 403
    assert not IkuTarget.objects.exists()


def test_each_study_program_keeps_its_own_target(half_succeed, prodi_y, admin_user):
    client = client_for(english(admin_user))
    set_target(client, half_succeed, "55.5")
    assert iku.target_for(half_succeed) == Decimal("55.50")
    assert iku.target_for(prodi_y) == iku.DEFAULT_TARGET
    assert "target 55.50%" in iku_tab(client, half_succeed).content.decode()
