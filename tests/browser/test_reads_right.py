"""What reads wrong, checked in a real browser: the profile form's visibility choices are shown whole (not cut
off) on a desktop and a phone, and the tracer results' chart axes show their labels inside the chart."""

import pytest
from django.urls import reverse

from alumni.models import Role
from tests.tracer.test_results import WORKING, answer, graduates, make_wave

from ..factories import PASSWORD, AlumniProfileFactory, StudyProgramFactory, UserFactory, grant
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"wide": {"width": 1440, "height": 900}, "desktop": {"width": 1280, "height": 900},
         "phone": {"width": 390, "height": 844}}

# Each visibility select's widest choice against the room its box leaves for text.
FIT = """() => Array.from(document.querySelectorAll("select[name^=vis_]")).map(select => {
  const style = getComputedStyle(select);
  const context = document.createElement("canvas").getContext("2d");
  context.font = style.font;
  const widest = Math.max(...Array.from(select.options).map(o => context.measureText(o.text).width));
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return {name: select.name, widest: Math.ceil(widest), room: Math.floor(room)};
})"""

AXES = """() => Array.from(document.querySelectorAll("canvas[id^=chart-]")).map(canvas => {
  const chart = Chart.getChart(canvas);
  const x = chart.scales.x;
  return {id: canvas.id, labels: x.ticks.map(t => String(t.label)), bottom: x.bottom, height: chart.height,
          left: chart.chartArea.left, right: chart.chartArea.right, width: chart.width};
})"""


@pytest.mark.parametrize("size", list(SIZES))
def test_visibility_choices_are_shown_whole(browser, live_server, provinces, size):
    user = UserFactory(email="ani@example.org", full_name="Ani Lestari", language="en")
    AlumniProfileFactory(user=user, study_program=StudyProgramFactory(code="71201", name="Ilmu Perpustakaan"))
    context = browser.new_context(viewport=SIZES[size], locale="en-US")
    page = context.new_page()
    log_in(page, live_server, "ani@example.org", PASSWORD)
    page.goto(live_server.url + reverse("alumni:profile_edit"))
    fits = page.evaluate(FIT)
    context.close()
    assert len(fits) == 7
    assert [f for f in fits if f["widest"] > f["room"]] == []


def test_chart_axis_labels_stay_inside_the_chart(browser, live_server, national_surveys, provinces):
    program = StudyProgramFactory(code="71201", name="Ilmu Perpustakaan")
    staff = UserFactory(email="staf@example.org", full_name="Staf Prodi", language="id")
    grant(staff, Role.Kind.STAFF, program)
    wave = make_wave([program])
    for profile in graduates(program, 3):
        answer(wave, profile, WORKING)
    context = browser.new_context(viewport=SIZES["phone"], locale="id-ID", reduced_motion="reduce")
    page = context.new_page()
    log_in(page, live_server, "staf@example.org", PASSWORD)
    page.goto(live_server.url + reverse("tracer:wave_results", args=[wave.pk]))
    page.wait_for_function("() => typeof Chart !== 'undefined' && document.querySelector('canvas[id^=chart-]')"
                           " && Chart.getChart(document.querySelector('canvas[id^=chart-]'))")
    axes = page.evaluate(AXES)
    context.close()
    assert axes, "no chart on the results page"
    assert any(len(label) == 18 and label.endswith("…") for a in axes for label in a["labels"])  # one was long
    for axis in axes:
        assert all(len(label) <= 18 for label in axis["labels"]), axis
        assert axis["bottom"] <= axis["height"] and axis["left"] >= 0 and axis["right"] <= axis["width"], axis


def test_the_profile_preview_and_the_iku_target_fit_a_phone(browser, live_server, national_surveys, provinces):
    program = StudyProgramFactory(code="71201", name="Ilmu Perpustakaan")
    user = UserFactory(email="ani@example.org", full_name="Ani Lestari", language="id")
    AlumniProfileFactory(user=user, study_program=program)
    staff = UserFactory(email="staf@example.org", full_name="Staf Prodi", language="id")
    grant(staff, Role.Kind.STAFF, program)
    widths = {}
    for email, paths in (
        ("ani@example.org", [reverse("alumni:profile_preview", args=[kind]) for kind in ("member", "staff", "public")]),
        ("staf@example.org", [reverse("tracer:lkps", args=[program.code, 2025]) + "?tab=iku1"]),
    ):
        context = browser.new_context(viewport=SIZES["phone"], locale="id-ID")
        page = context.new_page()
        log_in(page, live_server, email, PASSWORD)
        for path in paths:
            page.goto(live_server.url + path)
            widths[path] = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        context.close()
    assert len(widths) == 4 and all(extra <= 0 for extra in widths.values()), widths
