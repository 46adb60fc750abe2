"""Campaign progress and the public campaign pages: only verified donations count, in-kind items are counted per
item, anonymous donors stay anonymous, drafts stay private, and the pages run a fixed number of queries."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.urls import reverse

from donations import selectors
from donations.models import Campaign, CampaignItem, CampaignUpdate, Donation, DonationItem

from ..conftest import client_for
from ..factories import CampaignFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date
_receipts = itertools.count(1)
FEB_1 = D(2026, 2, 1)


def make_campaign(program, **extra):
    fields = {"title": "Wakaf sumur desa", "description": "Sumur untuk Desa Wonosari.", "goal_amount": 1_000_000}
    return CampaignFactory(study_program=program, **{**fields, **extra})


def give(campaign, donor=None, amount=100_000, *, status=Donation.Status.VERIFIED, paid_on=FEB_1,
         anonymous=False, donor_name="", message="", message_public=False, items=None, method=None):
    """A donation row as verification leaves it (a verified one carries a receipt number)."""
    verified = status == Donation.Status.VERIFIED
    number = next(_receipts)
    donation = Donation.objects.create(
        campaign=campaign, donor=donor, donor_name=donor_name, amount=Decimal(amount), paid_on=paid_on,
        method=method or (Donation.Method.IN_KIND if items else Donation.Method.BANK_TRANSFER), status=status,
        anonymous=anonymous, message=message, message_public=message_public,
        receipt_number=f"UJI/KW/2026/{number:06d}" if verified else None,
        receipt_year=2026 if verified else None, receipt_sequence=number if verified else None,
    )
    for item, quantity in (items or {}).items():
        DonationItem.objects.create(donation=donation, item=item, quantity=quantity)
    return donation


def test_progress_counts_verified_donations_only(prodi_x, alumnus_a, alumnus_b):
    wakaf = make_campaign(prodi_x)
    give(wakaf, alumnus_a, 150_000)
    give(wakaf, alumnus_a, 100_000)
    give(wakaf, alumnus_b, 125_000)
    give(wakaf, None, 50_000, donor_name="Pak Harun")  # cash recorded by staff, no account
    give(wakaf, alumnus_b, 900_000, status=Donation.Status.PENDING)
    give(wakaf, alumnus_b, 700_000, status=Donation.Status.REJECTED)

    progress = selectors.campaign_progress([wakaf])[wakaf.pk]

    assert progress.received == Decimal(425_000)
    assert progress.donations == 4
    assert progress.donors == 3  # Ani twice counts once; Pak Harun counts
    assert progress.pending == 1
    assert progress.percent == Decimal("42.50")
    assert progress.bar_width == "42.50"
    assert progress.balance == Decimal(425_000)


def test_progress_keeps_the_real_percentage_beyond_the_goal_but_caps_the_bar(prodi_x, alumnus_a):
    wakaf = make_campaign(prodi_x, goal_amount=Decimal(300_000))
    give(wakaf, alumnus_a, 400_000)
    progress = selectors.campaign_progress([wakaf])[wakaf.pk]
    assert progress.percent == Decimal("133.33")
    assert progress.bar_width == "100.00"


def test_in_kind_progress_counts_items_of_verified_gifts(prodi_x, alumnus_a, alumnus_b):
    lab = make_campaign(prodi_x, kind=Campaign.Kind.IN_KIND, goal_amount=None, title="Lab komputer")
    computers = CampaignItem.objects.create(campaign=lab, name="Komputer", quantity_needed=10, unit="unit")
    desks = CampaignItem.objects.create(campaign=lab, name="Meja", quantity_needed=5, unit="buah", position=1)
    give(lab, alumnus_a, 0, items={computers: 3, desks: 2})
    give(lab, alumnus_b, 0, items={computers: 1})
    give(lab, alumnus_b, 0, items={desks: 6})  # more desks than needed
    give(lab, alumnus_b, 0, items={computers: 5}, status=Donation.Status.PENDING)
    give(lab, alumnus_b, 0, items={computers: 2}, status=Donation.Status.REJECTED)

    progress = selectors.campaign_progress([lab])[lab.pk]

    assert [(row.item.name, row.received, row.needed) for row in progress.items] == [
        ("Komputer", 4, 10), ("Meja", 8, 5),
    ]
    assert progress.items[0].percent == Decimal("40.00")
    assert progress.items[1].percent == Decimal("160.00")
    assert progress.items[1].bar_width == "100.00"
    assert progress.items_received == 12
    assert progress.items_needed == 15
    # Desks count up to the 5 needed: (4 + 5) / 15.
    assert progress.items_percent == Decimal("60.00")
    assert progress.percent is None


def test_progress_of_many_campaigns_takes_three_queries(prodi_x, alumnus_a, django_assert_num_queries):
    campaigns = [make_campaign(prodi_x, title=f"C{i}") for i in range(5)]
    lab = make_campaign(prodi_x, kind=Campaign.Kind.IN_KIND, goal_amount=None)
    CampaignItem.objects.create(campaign=lab, name="Kursi", quantity_needed=4)
    for i, campaign in enumerate(campaigns):
        give(campaign, alumnus_a, 10_000 * (i + 1))
    with django_assert_num_queries(3):
        progress = selectors.campaign_progress([*campaigns, lab])
    assert [progress[c.pk].received for c in campaigns] == [Decimal(v) for v in (10_000, 20_000, 30_000, 40_000,
                                                                                  50_000)]


def test_donor_wall_is_newest_first_with_anonymous_donors_hidden(prodi_x, alumnus_a, alumnus_b):
    wakaf = make_campaign(prodi_x)
    give(wakaf, alumnus_a, 150_000, paid_on=D(2026, 2, 1), message="Semoga berkah")
    give(wakaf, alumnus_b, 250_000, paid_on=D(2026, 2, 3), anonymous=True)
    give(wakaf, alumnus_b, 999_000, paid_on=D(2026, 2, 4), status=Donation.Status.PENDING)

    wall = selectors.donor_wall(wakaf)

    assert [(d.wall_name, d.amount, d.paid_on) for d in wall] == [
        ("Hamba Allah (anonim)", Decimal(250_000), D(2026, 2, 3)),
        ("Ani Lestari", Decimal(150_000), D(2026, 2, 1)),
    ]


def test_donor_without_a_name_is_not_shown_by_email(prodi_x):
    wakaf = make_campaign(prodi_x)
    nameless = UserFactory(email="rahasia@example.org", full_name="")
    give(wakaf, nameless, 10_000)
    response = client_for(None).get(wakaf.get_absolute_url())
    assert "rahasia@example.org" not in response.content.decode()


def test_campaign_page_shows_progress_wall_updates_and_links(prodi_x, alumnus_a, alumnus_b):
    alumnus_a.language = "en"
    alumnus_a.save()
    wakaf = make_campaign(prodi_x, payment_instructions="BSI 7001234567 a.n. Universitas")
    give(wakaf, alumnus_a, 150_000, message="Untuk sumur", message_public=True)
    give(wakaf, alumnus_b, 250_000, anonymous=True)
    CampaignUpdate.objects.create(campaign=wakaf, title="Pengeboran dimulai", body="Hari ini.")

    response = client_for(alumnus_a).get(wakaf.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert "Rp 400.000 of Rp 1.000.000" in page
    assert 'style="width: 40.00%"' in page
    assert "Hamba Allah (anonymous)" in page
    assert "Bagus Pratama" not in page
    assert "Untuk sumur" in page and "Pengeboran dimulai" in page
    assert "BSI 7001234567" in page
    assert reverse("donations:ledger", args=[wakaf.pk]) in page


def test_anonymous_visitor_sees_open_and_closed_campaigns_but_not_drafts(prodi_x):
    open_one = make_campaign(prodi_x, title="Terbuka")
    closed = make_campaign(prodi_x, title="Selesai", status=Campaign.Status.CLOSED)
    draft = make_campaign(prodi_x, title="Rancangan", status=Campaign.Status.DRAFT)
    client = client_for(None)

    listing = client.get(reverse("donations:campaigns")).content.decode()

    assert "Terbuka" in listing and "Selesai" in listing and "Rancangan" not in listing
    assert listing.index("Terbuka") < listing.index("Selesai")
    assert client.get(open_one.get_absolute_url()).status_code == 200
    assert client.get(closed.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("donations:ledger", args=[draft.pk])).status_code == 404
    assert client.get(reverse("donations:ledger_export", args=[draft.pk, "csv"])).status_code == 404


def test_staff_who_run_a_draft_see_it_and_others_do_not(prodi_x, staff_x, staff_y, alumnus_a):
    draft = make_campaign(prodi_x, title="Rancangan", status=Campaign.Status.DRAFT)
    assert client_for(staff_x).get(draft.get_absolute_url()).status_code == 200
    assert client_for(staff_y).get(draft.get_absolute_url()).status_code == 404
    assert client_for(alumnus_a).get(draft.get_absolute_url()).status_code == 404


def test_list_filters_by_kind_and_study_program(prodi_x, prodi_y):
    make_campaign(prodi_x, title="Wakaf X")
    make_campaign(prodi_y, title="Darurat Y", kind=Campaign.Kind.EMERGENCY)
    client = client_for(None)
    by_kind = client.get(reverse("donations:campaigns"), {"kind": "emergency"}).content.decode()
    assert "Darurat Y" in by_kind and "Wakaf X" not in by_kind
    by_program = client.get(reverse("donations:campaigns"), {"program": prodi_x.pk}).content.decode()
    assert "Wakaf X" in by_program and "Darurat Y" not in by_program


def test_in_kind_card_counts_items_and_has_no_pledge_button(prodi_x, alumnus_a):
    alumnus_a.language = "en"
    alumnus_a.save()
    lab = make_campaign(prodi_x, kind=Campaign.Kind.IN_KIND, goal_amount=None, title="Lab komputer")
    desks = CampaignItem.objects.create(campaign=lab, name="Meja", quantity_needed=10, unit="buah")
    give(lab, alumnus_a, 0, items={desks: 3})
    client = client_for(alumnus_a)
    assert "3 of 10 items" in client.get(reverse("donations:campaigns")).content.decode()
    page = client.get(lab.get_absolute_url()).content.decode()
    assert "3 / 10 buah" in page
    assert "3 buah Meja" in page  # the donor wall names the goods
    assert "/pledge/" not in page


def test_images_and_cover_are_served_only_for_visible_campaigns(prodi_x, staff_x, tmp_path, settings):
    from django.core.files.base import ContentFile

    from donations.models import CampaignImage

    settings.MEDIA_ROOT = tmp_path
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    shown = make_campaign(prodi_x)
    shown.cover.save("cover.png", ContentFile(png))
    draft = make_campaign(prodi_x, status=Campaign.Status.DRAFT)
    picture = CampaignImage(campaign=draft, caption="Sumur")
    picture.image.save("sumur.png", ContentFile(png))

    response = client_for(None).get(reverse("donations:campaign_cover", args=[shown.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png
    assert client_for(None).get(reverse("donations:campaign_image", args=[picture.pk])).status_code == 404
    assert client_for(staff_x).get(reverse("donations:campaign_image", args=[picture.pk])).status_code == 200


def _grow(program, start: int, size: int, donor) -> None:
    for i in range(start, start + size):
        campaign = make_campaign(program, title=f"Kampanye {i}")
        give(campaign, donor, 10_000 + i)
        lab = make_campaign(program, title=f"Barang {i}", kind=Campaign.Kind.IN_KIND, goal_amount=None)
        item = CampaignItem.objects.create(campaign=lab, name="Meja", quantity_needed=5)
        give(lab, donor, 0, items={item: 1})


@pytest.mark.parametrize("persona", ["anonymous", "staff_x"])
def test_campaign_list_runs_a_fixed_number_of_queries(prodi_x, alumnus_a, staff_x, persona,
                                                      django_assert_max_num_queries):
    client = client_for(staff_x if persona == "staff_x" else None)
    client.get(reverse("donations:campaigns"))  # warm: both counts below are of a page whose caches are warm
    counts = []
    for start, size in ((0, 2), (100, 8)):
        _grow(prodi_x, start, size, alumnus_a)
        with django_assert_max_num_queries(15) as captured:
            assert client.get(reverse("donations:campaigns")).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_campaign_page_runs_a_fixed_number_of_queries(prodi_x, alumnus_a, django_assert_max_num_queries):
    wakaf = make_campaign(prodi_x)
    client = client_for(alumnus_a)
    counts = []
    for size in (3, 40):
        for i in range(size):
            donor = UserFactory(full_name=f"Donatur {size}-{i}")
            give(wakaf, donor, 10_000, anonymous=i % 3 == 0)
            CampaignUpdate.objects.create(campaign=wakaf, title=f"Kabar {size}-{i}", body="Isi")
        with django_assert_max_num_queries(15) as captured:
            assert client.get(wakaf.get_absolute_url()).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
