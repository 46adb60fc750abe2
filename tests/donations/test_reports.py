"""Giving reports: totals per campaign, month and kind, repeat-donor and pledge fulfilment rates, computed by hand
below; only verified donations count; staff see only the campaigns they run; a fixed number of queries.

The data (prodi X unless said):
- "Wakaf sumur" (endowment, goal Rp 1.000.000, open): Ani 100.000 on 10 Jan 2026 and 50.000 on 3 Feb 2026, both
  verified; Ani 999.000 pending and Bagus 777.000 rejected (neither counts); Rp 60.000 disbursed on 10 Feb 2026.
- "Bantu Pak Dosen" (emergency, goal Rp 2.000.000, closed): Bagus 200.000 on 15 Feb 2026; "Pak Harun" (cash,
  recorded without an account) 30.000 on 20 Dec 2025.
- "Beasiswa Arab" (prodi Y, donation): Citra 500.000 on 5 Jan 2026.
"""

import csv
import datetime
import io
from decimal import Decimal
from itertools import count

import pytest

from donations.models import Campaign, Disbursement, Donation, Instalment, Pledge
from donations.reports import giving_report, percent

from ..conftest import client_for
from ..factories import CampaignFactory, UserFactory

D = datetime.date
URL = "/giving/manage/reports/"
_receipts = count(1)


def campaign(prodi, title, kind=Campaign.Kind.DONATION, goal="1000000", status=Campaign.Status.OPEN, **kwargs):
    return CampaignFactory(study_program=prodi, title=title, kind=kind, goal_amount=Decimal(goal) if goal else None,
                           starts_on=kwargs.pop("starts_on", D(2025, 6, 1)), status=status, **kwargs)


def give(campaign, donor, amount, paid_on, status=Donation.Status.VERIFIED, **kwargs):
    verified = status == Donation.Status.VERIFIED
    return Donation.objects.create(
        campaign=campaign, donor=donor, amount=Decimal(amount), paid_on=paid_on, status=status,
        method=kwargs.pop("method", Donation.Method.BANK_TRANSFER),
        receipt_number=f"T/KW/{paid_on.year}/{next(_receipts):06d}" if verified else None, **kwargs,
    )


@pytest.fixture
def data(prodi_x, prodi_y, alumnus_a, alumnus_b):
    citra = UserFactory(email="citra@example.org", full_name="Citra")
    wakaf = campaign(prodi_x, "Wakaf sumur", Campaign.Kind.ENDOWMENT)
    emergency = campaign(prodi_x, "Bantu Pak Dosen", Campaign.Kind.EMERGENCY, goal="2000000",
                         status=Campaign.Status.CLOSED)
    arab = campaign(prodi_y, "Beasiswa Arab")
    campaign(prodi_x, "Draft kept out", status=Campaign.Status.DRAFT)
    give(wakaf, alumnus_a, 100000, D(2026, 1, 10))
    give(wakaf, alumnus_a, 50000, D(2026, 2, 3))
    give(wakaf, alumnus_a, 999000, D(2026, 2, 4), status=Donation.Status.PENDING)
    give(wakaf, alumnus_b, 777000, D(2026, 2, 5), status=Donation.Status.REJECTED, reject_reason="no transfer")
    give(emergency, alumnus_b, 200000, D(2026, 2, 15))
    give(emergency, None, 30000, D(2025, 12, 20), donor_name="Pak Harun", method=Donation.Method.CASH)
    give(arab, citra, 500000, D(2026, 1, 5))
    Disbursement.objects.create(campaign=wakaf, amount=Decimal(60000), paid_on=D(2026, 2, 10), purpose="Pipa")
    return {"wakaf": wakaf, "emergency": emergency, "arab": arab}


def pledge_with(campaign, donor, statuses: list[tuple[datetime.date, str]]):
    pledge = Pledge.objects.create(campaign=campaign, donor=donor, amount=Decimal(10000),
                                   frequency=Pledge.Frequency.WEEKLY, weekday=4, starts_on=D(2026, 1, 1),
                                   next_due_on=D(2026, 3, 6))
    Instalment.objects.bulk_create([Instalment(pledge=pledge, due_on=due, amount=Decimal(10000), status=status)
                                    for due, status in statuses])
    return pledge


def by_title(report):
    return {row.campaign.title: row for row in report.campaigns}


# --- numbers ----------------------------------------------------------------------------------------------------


def test_per_campaign_totals_count_verified_donations_only(data, staff_x):
    report = giving_report(user=staff_x, today=D(2026, 3, 15))
    rows = by_title(report)
    assert list(rows) == ["Bantu Pak Dosen", "Wakaf sumur"]  # same start: by title; not prodi Y's, not the draft
    wakaf = rows["Wakaf sumur"]
    assert (wakaf.verified, wakaf.donations, wakaf.donors) == (Decimal(150000), 2, 1)
    assert (wakaf.disbursed, wakaf.balance, wakaf.goal_percent) == (Decimal(60000), Decimal(90000), Decimal("15.00"))
    emergency = rows["Bantu Pak Dosen"]
    assert (emergency.verified, emergency.donations, emergency.donors) == (Decimal(230000), 2, 2)
    assert (emergency.disbursed, emergency.balance, emergency.goal_percent) == (0, Decimal(230000), Decimal("11.50"))
    assert report.totals == {"verified": Decimal(380000), "donations": 4, "donors": 3, "disbursed": Decimal(60000),
                             "balance": Decimal(320000)}


def test_a_year_limits_amounts_but_balance_and_goal_stay_todays(data, staff_x):
    report = giving_report(user=staff_x, year=2025, today=D(2026, 3, 15))
    rows = by_title(report)
    assert rows["Bantu Pak Dosen"].verified == Decimal(30000)
    assert rows["Bantu Pak Dosen"].goal_percent == Decimal("11.50")
    assert rows["Wakaf sumur"].verified == 0 and rows["Wakaf sumur"].disbursed == 0  # ran in 2025, gave in 2026
    assert rows["Wakaf sumur"].balance == Decimal(90000)
    assert report.totals["verified"] == Decimal(30000) and report.totals["donors"] == 1


def test_per_month_of_a_year(data, staff_x):
    months = giving_report(user=staff_x, year=2026, today=D(2026, 3, 15)).months
    assert [m["month"] for m in months] == [D(2026, m, 1) for m in range(1, 13)]
    assert [(m["amount"], m["donations"]) for m in months[:4]] == [
        (Decimal(100000), 1), (Decimal(250000), 2), (0, 0), (0, 0)
    ]
    assert sum(m["amount"] for m in months) == Decimal(350000)


def test_per_month_without_a_year_is_the_last_twelve_months(data, staff_x):
    months = giving_report(user=staff_x, today=D(2026, 3, 15)).months
    assert months[0]["month"] == D(2025, 4, 1) and months[-1]["month"] == D(2026, 3, 1) and len(months) == 12
    amounts = {m["label"]: m["amount"] for m in months if m["amount"]}
    assert amounts == {"Des 2025": Decimal(30000), "Jan 2026": Decimal(100000), "Feb 2026": Decimal(250000)}


def test_per_kind(data, staff_x):
    kinds = {k["kind"]: (k["amount"], k["donations"], k["donors"])
             for k in giving_report(user=staff_x, today=D(2026, 3, 15)).kinds}
    assert kinds == {
        "endowment": (Decimal(150000), 2, 1), "emergency": (Decimal(230000), 2, 2),
        "donation": (0, 0, 0), "in_kind": (0, 0, 0),
    }


def test_repeat_donor_rate(data, staff_x):
    # 2026: Ani twice, Bagus once → 1 of 2 = 50.00 %. All years: Pak Harun (no account) once more → 1 of 3.
    assert giving_report(user=staff_x, year=2026, today=D(2026, 3, 15)).repeat == {
        "donors": 2, "repeat": 1, "rate": Decimal("50.00")}
    assert giving_report(user=staff_x, today=D(2026, 3, 15)).repeat == {
        "donors": 3, "repeat": 1, "rate": Decimal("33.33")}


def test_gifts_without_an_account_count_by_name(data, staff_x):
    give(data["wakaf"], None, 20000, D(2025, 11, 1), donor_name="  PAK HARUN ", method=Donation.Method.CASH)
    report = giving_report(user=staff_x, today=D(2026, 3, 15))
    assert report.repeat == {"donors": 3, "repeat": 2, "rate": Decimal("66.67")}
    assert by_title(report)["Wakaf sumur"].donors == 2


def test_a_donor_of_two_campaigns_is_one_repeat_donor(data, staff_x, alumnus_b):
    give(data["wakaf"], alumnus_b, 10000, D(2026, 3, 1))
    report = giving_report(user=staff_x, year=2026, today=D(2026, 3, 15))
    assert report.repeat == {"donors": 2, "repeat": 2, "rate": Decimal("100.00")}
    assert report.totals["donors"] == 2


def test_pledge_fulfilment_rate(data, staff_x, alumnus_a):
    paid, due, cancelled = Instalment.Status.PAID, Instalment.Status.DUE, Instalment.Status.CANCELLED
    pledge_with(data["wakaf"], alumnus_a, [
        (D(2026, 2, 6), paid), (D(2026, 2, 13), paid), (D(2026, 2, 20), due), (D(2026, 2, 27), paid),
        (D(2026, 3, 6), cancelled),  # a stopped pledge: left out
        (D(2026, 3, 20), due),  # not due yet on 15 March
    ])
    assert giving_report(user=staff_x, today=D(2026, 3, 15)).fulfilment == {
        "due": 4, "paid": 3, "rate": Decimal("75.00")}
    assert giving_report(user=staff_x, year=2025, today=D(2026, 3, 15)).fulfilment == {
        "due": 0, "paid": 0, "rate": None}


def test_staff_of_another_study_program_sees_none_of_it(data, staff_y, alumnus_a):
    pledge_with(data["wakaf"], alumnus_a, [(D(2026, 2, 6), Instalment.Status.PAID)])
    report = giving_report(user=staff_y, today=D(2026, 3, 15))
    assert [row.campaign.title for row in report.campaigns] == ["Beasiswa Arab"]
    assert report.totals["verified"] == Decimal(500000)
    assert report.repeat == {"donors": 1, "repeat": 0, "rate": Decimal("0.00")}
    assert report.fulfilment["due"] == 0
    assert {k["kind"]: k["amount"] for k in report.kinds}["endowment"] == 0


def test_an_institution_admin_sees_every_campaign_of_the_institution(data, admin_user):
    report = giving_report(user=admin_user, today=D(2026, 3, 15))
    assert sorted(row.campaign.title for row in report.campaigns) == ["Bantu Pak Dosen", "Beasiswa Arab", "Wakaf sumur"]
    assert report.totals["verified"] == Decimal(880000) and report.totals["donors"] == 4


def test_percent_rounds_half_up_and_needs_a_whole():
    assert percent(1, 3) == Decimal("33.33") and percent(2, 3) == Decimal("66.67") and percent(1, 8) == Decimal("12.50")
    assert percent(0, 0) is None


# --- the page ---------------------------------------------------------------------------------------------------


def test_the_page_shows_the_numbers_and_charts(data, staff_x):
    staff_x.language = "en"
    staff_x.save()
    response = client_for(staff_x).get(URL + "?year=2026")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rp 350.000" in html  # 2026 verified total of prodi X
    assert "Rp 90.000" in html  # Wakaf balance
    assert "15.00%" in html and "50.00%" in html
    assert "Beasiswa Arab" not in html and "Draft kept out" not in html
    assert 'id="giving-report-charts"' in html and "js/giving_reports.js" in html
    assert "counted by the name written on it" in html
    charts = response.context["charts"]
    assert charts["campaigns"] == {"labels": ["Bantu Pak Dosen", "Wakaf sumur"], "data": [200000, 150000]}
    assert charts["months"]["data"][:3] == [100000, 250000, 0]
    assert charts["kinds"]["data"] == [0, 150000, 200000, 0]


def test_a_bad_year_shows_an_error_and_all_years(data, staff_x):
    response = client_for(staff_x).get(URL + "?year=1850")
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    assert response.context["report"].year is None


def test_the_campaign_table_downloads_as_csv(data, staff_x):
    response = client_for(staff_x).get(URL + "?year=2026&download=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[2][0] == "Wakaf sumur" and rows[2][4:9] == ["150000", "2", "1", "60000", "90000"]
    assert rows[2][10] == "15.00"
    assert rows[1][0] == "Bantu Pak Dosen" and rows[1][4] == "200000"
    assert rows[-1][4:9] == ["350000", "3", "2", "60000", "320000"]
    assert len(rows) == 4


def test_people_without_a_staff_role_get_403(data, alumnus_a):
    assert client_for(alumnus_a).get(URL).status_code == 403
    assert client_for(alumnus_a).get(URL + "?download=csv").status_code == 403


def test_anonymous_people_are_sent_to_sign_in(data):
    response = client_for(None).get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_page_runs_a_fixed_number_of_queries(prodi_x, staff_x, django_assert_max_num_queries):
    client = client_for(staff_x)
    counts = []
    for size in (3, 30):
        donors = [UserFactory(email=f"q{size}.{n}@example.org") for n in range(size)]
        for n in range(size):
            c = campaign(prodi_x, f"C{size}.{n}", kind=Campaign.Kind.EMERGENCY)
            give(c, donors[n], 10000 + n, D(2026, 1 + n % 12, 1))
            give(c, donors[(n + 1) % size], 5000, D(2025, 1 + n % 12, 2))
            pledge_with(c, donors[n], [(D(2026, 1, 2), Instalment.Status.PAID), (D(2026, 1, 9), Instalment.Status.DUE)])
            Disbursement.objects.create(campaign=c, amount=Decimal(1000), paid_on=D(2026, 2, 1), purpose="x")
        with django_assert_max_num_queries(15) as captured:
            assert client.get(URL).status_code == 200
        with django_assert_max_num_queries(15):
            assert client.get(URL + "?year=2026").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
