"""A donor's message is published only when the donor says so, also for an anonymous gift (issue 11, §4): the
form says that a published message is public; the donor wall, the public ledger and its downloads show only
published messages, and an anonymous gift's message without the name."""

import datetime

from django.urls import reverse
from django.utils import translation

from donations import selectors
from donations.models import Donation

from ..conftest import client_for
from .test_campaigns import give, make_campaign
from .test_giving import donate_data, donate_url

D = datetime.date


def test_the_donation_form_says_the_message_is_published_only_if_ticked(wakaf, alumnus_a):
    alumnus_a.language = "en"
    alumnus_a.save()
    with translation.override("en"):
        page = client_for(alumnus_a).get(donate_url(wakaf), HTTP_ACCEPT_LANGUAGE="en")
    form = page.context["form"]
    assert "message_public" in form.fields and form.fields["message_public"].initial in (None, False)
    # The page, rendered in the donor's English, warns that a published message is read by everyone.
    assert "anonymous" in page.content.decode()


def test_a_message_stays_private_unless_the_donor_publishes_it(wakaf, alumnus_a):
    client = client_for(alumnus_a)
    client.post(donate_url(wakaf), donate_data(message="Untuk adik-adik"))
    client.post(donate_url(wakaf), donate_data(message="Boleh dibaca semua", message_public="on"))
    private, public = Donation.objects.order_by("created_at")
    assert (private.message, private.message_public) == ("Untuk adik-adik", False)
    assert (public.message, public.message_public) == ("Boleh dibaca semua", True)


def test_the_wall_and_ledger_show_only_published_messages(prodi_x, alumnus_a, alumnus_b):
    wakaf = make_campaign(prodi_x)
    give(wakaf, alumnus_a, 150_000, paid_on=D(2026, 2, 1), message="Pesan pribadi")
    give(wakaf, alumnus_b, 250_000, paid_on=D(2026, 2, 3), message="Pesan terbuka", message_public=True)
    give(wakaf, alumnus_b, 50_000, paid_on=D(2026, 2, 4), anonymous=True, message="Rahasia tanpa nama")
    give(wakaf, alumnus_b, 60_000, paid_on=D(2026, 2, 5), anonymous=True, message="Doa tanpa nama",
         message_public=True)

    wall = client_for(None).get(wakaf.get_absolute_url()).content.decode()
    assert "Pesan terbuka" in wall and "Doa tanpa nama" in wall
    assert "Pesan pribadi" not in wall and "Rahasia tanpa nama" not in wall

    ledger = client_for(None).get(reverse("donations:ledger", args=[wakaf.pk])).content.decode()
    assert "Pesan pribadi" not in ledger and "Rahasia tanpa nama" not in ledger

    published = [(row.party, row.description) for row in selectors.ledger(wakaf).inflows if row.description]
    assert [message for _party, message in published] == ["Pesan terbuka", "Doa tanpa nama"]
    # The anonymous gift's published message carries no name.
    assert published[1][0] != "Bagus Pratama" and published[0][0] == "Bagus Pratama"

    csv_body = client_for(None).get(reverse("donations:ledger_export", args=[wakaf.pk, "csv"])).content.decode()
    assert "Pesan terbuka" in csv_body and "Doa tanpa nama" in csv_body
    assert "Pesan pribadi" not in csv_body and "Rahasia tanpa nama" not in csv_body
    assert "Bagus Pratama" not in next(line for line in csv_body.splitlines() if "Doa tanpa nama" in line)


def test_the_donor_still_reads_their_private_message(wakaf, alumnus_a):
    client_for(alumnus_a).post(donate_url(wakaf), donate_data(message="Untuk adik-adik"))
    donation = Donation.objects.get()
    page = client_for(alumnus_a).get(donation.get_absolute_url()).content.decode()
    assert "Untuk adik-adik" in page
