"""The public ledger: balance arithmetic, the running balance by date, anonymised names, the CSV and XLSX
downloads (with formula injection neutralised), the public disbursement proof, and a fixed query count."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from donations import selectors
from donations.models import Campaign, Disbursement, Donation

from ..conftest import client_for
from ..factories import UserFactory
from .test_campaigns import give, make_campaign

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def books(prodi_x, alumnus_a, alumnus_b):
    """Verified 150.000 (1 Feb, Ani) + 250.000 (3 Feb, Bagus, anonymous); 100.000 out on 2 Feb; a pending and a
    rejected donation that must not count."""
    wakaf = make_campaign(prodi_x, status=Campaign.Status.CLOSED)
    give(wakaf, alumnus_a, 150_000, paid_on=D(2026, 2, 1))
    give(wakaf, alumnus_b, 250_000, paid_on=D(2026, 2, 3), anonymous=True)
    give(wakaf, alumnus_b, 500_000, paid_on=D(2026, 2, 4), status=Donation.Status.PENDING)
    give(wakaf, alumnus_b, 700_000, paid_on=D(2026, 2, 4), status=Donation.Status.REJECTED)
    Disbursement.objects.create(campaign=wakaf, amount=Decimal(100_000), paid_on=D(2026, 2, 2),
                                purpose="Semen dan pipa", recipient="Toko Bangunan Jaya")
    return wakaf


def test_balance_is_verified_in_minus_disbursed(books):
    ledger = selectors.ledger(books)
    assert ledger.received == Decimal(400_000)
    assert ledger.disbursed == Decimal(100_000)
    assert ledger.balance == Decimal(300_000)
    assert len(ledger.inflows) == 2 and len(ledger.outflows) == 1


def test_running_balance_follows_the_dates(books):
    rows = selectors.ledger(books).rows
    assert [(r.date, r.kind, r.amount_in, r.amount_out, r.balance) for r in rows] == [
        (D(2026, 2, 1), "in", Decimal(150_000), Decimal(0), Decimal(150_000)),
        (D(2026, 2, 2), "out", Decimal(0), Decimal(100_000), Decimal(50_000)),
        (D(2026, 2, 3), "in", Decimal(250_000), Decimal(0), Decimal(300_000)),
    ]


def test_same_day_money_in_is_listed_before_money_out(prodi_x, alumnus_a):
    wakaf = make_campaign(prodi_x)
    Disbursement.objects.create(campaign=wakaf, amount=Decimal(40_000), paid_on=D(2026, 3, 1), purpose="Pipa")
    give(wakaf, alumnus_a, 50_000, paid_on=D(2026, 3, 1))
    assert [r.balance for r in selectors.ledger(wakaf).rows] == [Decimal(50_000), Decimal(10_000)]


def test_monthly_sums_for_the_chart(books, alumnus_a):
    give(books, alumnus_a, 75_000, paid_on=D(2026, 3, 10))
    months = selectors.ledger(books).months
    assert [(m["month"], m["in"], m["out"]) for m in months] == [
        (D(2026, 2, 1), Decimal(400_000), Decimal(100_000)),
        (D(2026, 3, 1), Decimal(75_000), Decimal(0)),
    ]


def test_ledger_page_hides_anonymous_names_and_shows_the_numbers(books):
    response = client_for(None).get(reverse("donations:ledger", args=[books.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ani Lestari" in page
    assert "Hamba Allah (anonim)" in page
    assert "Bagus Pratama" not in page
    assert "Rp 400.000" in page and "Rp 100.000" in page and "Rp 300.000" in page
    assert "Rp 500.000" not in page  # the pending donation
    assert "Semen dan pipa" in page and "Toko Bangunan Jaya" in page
    assert 'id="giving-ledger-chart"' in page


def test_csv_download(books):
    response = client_for(None).get(reverse("donations:ledger_export", args=[books.pk, "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 3 + 1
    body = rows[1:4]
    assert [(r[0], r[2], r[6], r[7], r[8]) for r in body] == [
        ("2026-02-01", "Ani Lestari", "150000", "0", "150000"),
        ("2026-02-02", "Toko Bangunan Jaya", "0", "100000", "50000"),
        ("2026-02-03", "Hamba Allah (anonim)", "250000", "0", "300000"),
    ]
    assert rows[4][6:] == ["400000", "100000", "300000"]
    assert "Bagus" not in response.content.decode("utf-8-sig")


def test_xlsx_download_has_numbers_formats_and_widths(books):
    response = client_for(None).get(reverse("donations:ledger_export", args=[books.pk, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == books.title
    assert sheet.max_row == 3 + 3 + 1
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4, max_row=7)]
    assert [(v[0].date(), v[2], v[6], v[7], v[8]) for v in values[:3]] == [
        (D(2026, 2, 1), "Ani Lestari", 150000, 0, 150000),
        (D(2026, 2, 2), "Toko Bangunan Jaya", 0, 100000, 50000),
        (D(2026, 2, 3), "Hamba Allah (anonim)", 250000, 0, 300000),
    ]
    assert values[3][6:] == [400000, 100000, 300000]
    assert sheet["G4"].number_format == "#,##0"
    assert sheet["I7"].number_format == "#,##0"
    assert sheet.column_dimensions["D"].width == 40


def test_downloads_neutralise_formulas(prodi_x):
    wakaf = make_campaign(prodi_x)
    give(wakaf, None, 10_000, donor_name="=HYPERLINK(\"http://evil\")")
    Disbursement.objects.create(campaign=wakaf, amount=Decimal(5_000), paid_on=D(2026, 2, 2), purpose="+1+1",
                                recipient="@SUM(A1)")
    client = client_for(None)
    text = client.get(reverse("donations:ledger_export", args=[wakaf.pk, "csv"])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][2] == "'=HYPERLINK(\"http://evil\")"
    assert rows[2][2] == "'@SUM(A1)" and rows[2][3] == "'+1+1"
    xlsx = client.get(reverse("donations:ledger_export", args=[wakaf.pk, "xlsx"])).content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet["C4"].value == "'=HYPERLINK(\"http://evil\")"
    assert sheet["C4"].data_type == "s"


def test_unknown_export_format_is_404(books):
    assert client_for(None).get(reverse("donations:ledger_export", args=[books.pk, "pdf"])).status_code == 404


def test_disbursement_proof_is_public_for_a_visible_campaign(books, prodi_x, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    pdf = b"%PDF-1.4\n% nota\n"
    out = books.disbursements.get()
    out.proof.save("nota.pdf", ContentFile(pdf))
    page = client_for(None).get(reverse("donations:ledger", args=[books.pk])).content.decode()
    url = reverse("donations:disbursement_proof", args=[out.pk])
    assert url in page
    assert "/media/" not in page
    response = client_for(None).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf

    draft = make_campaign(prodi_x, status=Campaign.Status.DRAFT)
    hidden = Disbursement.objects.create(campaign=draft, amount=Decimal(1), paid_on=D(2026, 2, 2), purpose="x")
    hidden.proof.save("x.pdf", ContentFile(pdf))
    assert client_for(None).get(reverse("donations:disbursement_proof", args=[hidden.pk])).status_code == 404
    # No proof attached: nothing to serve.
    plain = Disbursement.objects.create(campaign=books, amount=Decimal(1), paid_on=D(2026, 2, 2), purpose="y")
    assert client_for(None).get(reverse("donations:disbursement_proof", args=[plain.pk])).status_code == 404


@pytest.mark.parametrize("fmt", ["page", "csv", "xlsx"])
def test_ledger_runs_a_fixed_number_of_queries(prodi_x, django_assert_max_num_queries, fmt):
    wakaf = make_campaign(prodi_x)
    client = client_for(None)
    url = reverse("donations:ledger", args=[wakaf.pk]) if fmt == "page" else reverse(
        "donations:ledger_export", args=[wakaf.pk, fmt])
    counts = []
    for size in (3, 40):
        for i in range(size):
            give(wakaf, UserFactory(full_name=f"Donatur {size}-{i}"), 20_000, paid_on=D(2026, 1 + i % 6, 1 + i % 28),
                 anonymous=i % 2 == 0)
            Disbursement.objects.create(campaign=wakaf, amount=Decimal(5_000), paid_on=D(2026, 1 + i % 6, 2),
                                        purpose=f"Belanja {i}")
        with django_assert_max_num_queries(10) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
