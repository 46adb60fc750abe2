"""On a phone each row of an LKPS table is a card of "heading: value" lines (static/css/phone.css: .table-stack):
every count carries its column's heading, and the tabs are links in a navigation, not an ARIA tab list."""

import re

import pytest

from tests.conftest import client_for
from tracer import lkps
from tracer.views_lkps import ROLE_KEYS

from .test_lkps_views import report, url  # noqa: F401 (report is a fixture)

pytestmark = pytest.mark.django_db


def cells(html: str) -> list[tuple[str, str]]:
    """(data-label, text) of every labelled body cell, in order."""
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    return [(label, re.sub(r"<[^>]+>", "", text).strip())
            for label, text in re.findall(r'<t[dh][^>]*data-label="([^"]*)"[^>]*>(.*?)</t[dh]>', body, re.S)]


def test_each_count_of_a_graduate_table_carries_its_heading(report, staff_x):  # noqa: F811
    html = client_for(staff_x).get(url("lkps", report)).content.decode()
    headings = lkps.column_headings("sarjana")["8.d.1"]
    assert headings[3] == "WT < 6 bulan"
    escaped = [h.replace("<", "&lt;").replace(">", "&gt;") for h in headings]
    # Row 2021: 4 graduates, 3 traced, WT<6: 1, 6≤WT≤18: 2, WT>18: 0; then 2022, 2023 and Jumlah.
    assert cells(html)[:6] == list(zip(escaped, ["2021", "4", "3", "1", "2", "0"], strict=True))
    assert len(cells(html)) == 4 * 6
    assert 'class="table table-sm table-bordered align-middle lkps-table table-stack"' in html
    assert 'role="tablist"' not in html and 'id="lkps-tabs"' in html


def test_the_employer_table_labels_every_grade_and_the_totals(report, staff_x):  # noqa: F811
    html = client_for(staff_x).get(url("lkps", report) + "?tab=8e2").content.decode()
    labelled = cells(html)
    # Seven aspects, each with No, four grades and the plan.
    assert len(labelled) == 7 * 6
    komunikasi = labelled[4 * 6:5 * 6]
    assert [label for label, _text in komunikasi] == [
        "No", "Sangat Baik (%)", "Baik (%)", "Cukup (%)", "Kurang (%)", "Rencana Tindak Lanjut oleh UPPS/PS"]
    assert komunikasi[4][1].replace(",", ".").startswith("100")
    footer = html[html.index("<tfoot"):html.index("</tfoot>")]
    assert footer.count('data-label="Kurang (%)"') == 2  # Jumlah and the mean


def test_the_evidence_and_iku_tables_label_their_cells(report, staff_x):  # noqa: F811
    client = client_for(staff_x)
    iku = cells(client.get(url("lkps", report) + "?tab=iku1").content.decode())
    assert [label for label, _text in iku] == ["Tahun Lulus", "Jumlah Lulusan", "Terlacak", "Berhasil",
                                               "Tidak dapat dinilai", "IKU-1 (%)"]
    assert iku[0][1] == "2024" and iku[1][1] == "1" and iku[3][1] == "1"
    evidence = cells(client.get(url("lkps", report) + "?tab=evidence").content.decode())
    # Three years and Jumlah, each with year, programs, sessions, one count per role and the alumni.
    per_row = 4 + len(ROLE_KEYS)
    assert len(evidence) == 4 * per_row
    assert [text for _label, text in evidence[-per_row:]][0] == "Jumlah"

