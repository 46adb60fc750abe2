"""The accreditation drill-down shows a graduate's answers in words, with the code small beside them (issue 14
§3): "Provinsi: Jawa Tengah (f5a1 = 30000)", not "f5a1 = 30000" alone."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tests.conftest import client_for
from tests.tracer.test_lkps import graduate, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def traced(national_surveys, provinces, prodi_x):
    respond(graduate(prodi_x, 2021, "N2101"),
            {"f8": 1, "f502": 3, "f14": 2, "f5d": 1, "f505": 5_500_000, "f5a1": 30000})
    respond(graduate(prodi_x, 2021, "N2102"), {"f8": 4})
    graduate(prodi_x, 2021, "N2103")  # not traced
    return prodi_x


def details(client, program, query) -> dict[str, list[str]]:
    """{NIM: the lines of its Details cell, tags stripped}."""
    response = client.get(reverse("tracer:lkps_cell", args=[program.code, 2025]) + query)
    assert response.status_code == 200
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", response.content.decode(), flags=re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        if cells:
            lines = re.findall(r"<li>(.*?)</li>", cells[-1], flags=re.S)
            rows[cells[0]] = [" ".join(re.sub(r"<[^>]+>", " ", line).split()) for line in lines]
    return rows


def expected(language: str) -> dict[str, list[str]]:
    with translation.override(language):
        en = language == "en"
        months = ngettext("%(months)s month", "%(months)s months", 3) % {"months": 3}
        level = "Local/regional/unincorporated business" if en else "Lokal/wilayah/wiraswasta tidak berbadan hukum"
        return {
            "N2101": [
                f"{_('Status')}: {'Working (full or part time)' if en else 'Bekerja (full time/part time)'} (f8 = 1)",
                f"{_('Waiting time for the first job')}: {months} (f502 = 3)",
                f"{_('Fit with the field of study')}: {'Closely' if en else 'Erat'} (f14 = 2)",
                f"{_('Level of the workplace')}: {level} (f5d = 1)",
                f"{_('Monthly income')}: Rp 5.500.000 (f505 = 5500000)",
                f"{_('Province')}: Jawa Tengah (f5a1 = 30000)",
            ],
            "N2102": [f"{_('Status')}: {'Continuing education' if en else 'Melanjutkan Pendidikan'} (f8 = 4)"],
        }


def test_answers_read_as_labels_with_their_codes_beside(traced, staff_x):
    rows = details(client_for(staff_x), traced, "?column=traced&year=2021")
    assert rows == expected("id")
    assert rows["N2101"][-1] == "Provinsi: Jawa Tengah (f5a1 = 30000)"


def test_answers_follow_the_readers_language(traced, staff_x):
    staff_x.language = "en"
    staff_x.save(update_fields=["language"])
    rows = details(client_for(staff_x), traced, "?column=traced&year=2021")
    assert rows == expected("en")
    assert rows["N2101"][0] == "Status: Working (full or part time) (f8 = 1)"


def test_columns_without_answers_show_no_answer_lines(traced, staff_x):
    rows = details(client_for(staff_x), traced, "?column=graduates&year=2021")
    assert rows == {"N2101": [], "N2102": [], "N2103": []}


def test_the_page_reads_option_labels_with_one_query(traced, staff_x, prodi_x):
    """The labels of all answers on a page come from one query, whatever the number of rows."""
    client = client_for(staff_x)
    url = reverse("tracer:lkps_cell", args=[prodi_x.code, 2025]) + "?column=traced&year=2021"
    client.get(url)  # warm the session and scope caches
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        respond(graduate(prodi_x, 2021, f"N21{10 + n}"), {"f8": 1, "f502": 1, "f14": 1, "f5d": 2, "f5a1": 10000})
    with CaptureQueriesContext(connection) as many:
        assert len(details(client, prodi_x, "?column=traced&year=2021")) == 7

    def counted(queries):
        # New records move the scope cache's generation: the viewer's roles are read again, once.
        return [query["sql"] for query in queries if "alumni_role" not in query["sql"]]

    assert len(counted(many.captured_queries)) == len(counted(few.captured_queries)) == 10
    for run in (few, many):
        assert sum("tracer_option" in query["sql"] for query in run.captured_queries) == 1
