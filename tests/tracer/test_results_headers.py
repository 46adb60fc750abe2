"""Tracer results tables say what each column holds, in both languages (issue 14 §3): the answer and the number of
respondents who gave it had the same Indonesian heading ("Jawaban | Jawaban | %"). The admin lists a questionnaire
response and the answer to one question under different names too."""

import json
import re
from collections import defaultdict

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from tracer.models import Answer, Response

from ..conftest import client_for
from .test_results import WORKING, answer, graduates, make_wave

pytestmark = pytest.mark.django_db


def table_headings(html: str) -> list[list[str]]:
    """The column headings of every table on the page, tags stripped."""
    return [
        [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]
        for head in re.findall(r"<thead>(.*?)</thead>", html, re.S)
    ]


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_results_table_has_distinct_column_headings(language, national_surveys, prodi_x, staff_x):
    wave = make_wave([prodi_x])
    for profile in graduates(prodi_x, 3):
        answer(wave, profile, WORKING)
    staff_x.language = language
    staff_x.save(update_fields=["language"])
    html = client_for(staff_x).get(reverse("tracer:wave_results", args=[wave.pk])).content.decode()
    headings = table_headings(html)
    assert len(headings) >= 3  # waiting time, competences, at least one distribution
    for row in headings:
        assert len(set(row)) == len(row), row
    with translation.override(language):
        assert [translation.gettext("Answer"), translation.gettext("Respondents"), "%"] in headings
        assert [translation.gettext("Months"), translation.gettext("Respondents"), "%"] in headings
        # The bars of the charts count the same people.
        chart = json.loads(re.search(r'<script id="tracer-chart-data" type="application/json">(.*?)</script>',
                                     html, re.S).group(1))
        assert chart["count_label"] == translation.gettext("Respondents")


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_admin_names_every_model_of_an_app_differently(language):
    with translation.override(language):
        names = defaultdict(list)
        for model in admin.site._registry:
            names[model._meta.app_label].append(str(model._meta.verbose_name_plural).lower())
        for app_label, plural in names.items():
            assert len(set(plural)) == len(plural), (app_label, sorted(plural))
        assert str(Answer._meta.verbose_name) != str(Response._meta.verbose_name)

