"""One palette: the portal's green (btn-portal, btn-outline-portal, text-bg-portal) wherever Bootstrap's blue
"primary" would show; the giving pages used it for their main buttons."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from tests.conftest import client_for

BLUE = re.compile(r"\b(btn|btn-outline|text-bg|bg|border|link|text)-primary\b")


def test_no_template_uses_bootstraps_blue():
    root = Path(settings.BASE_DIR)
    found = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("templates", "alumni", "core", "donations", "programs", "tracer")
        for path in sorted((root / folder).rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if BLUE.search(line)
    ]
    assert found == []


def test_the_portal_css_defines_the_green_variants_the_templates_use():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "portal.css").read_text(encoding="utf-8")
    for rule in (".btn-portal", ".btn-outline-portal", ".text-bg-portal", ".border-portal"):
        assert rule + " {" in css or rule + ":" in css or rule + "," in css


def test_the_giving_pages_show_green_buttons(alumnus_a, prodi_x):
    import datetime
    from decimal import Decimal

    from donations.models import Campaign

    campaign = Campaign.objects.create(
        institution=prodi_x.faculty.institution, study_program=prodi_x, title="Beasiswa Angkatan", kind="endowment",
        description="Beasiswa", beneficiary="Mahasiswa", goal_amount=Decimal(1_000_000),
        starts_on=datetime.date.today(), status="open",
    )
    client = client_for(alumnus_a)
    for url in (campaign.get_absolute_url(), reverse("donations:donate", args=[campaign.pk]),
                reverse("donations:mine")):
        html = client.get(url).content.decode()
        assert re.search(r"\bbtn-(outline-)?portal\b", html) and not BLUE.search(html), url
