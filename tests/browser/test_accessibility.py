"""Accessibility on every page of every demo persona's journeys, at desktop (1280 px) and phone (390 px) width.

The pages are not a hand-picked few: they come from the permission matrix (tests/alumni/test_permissions.py), every
GET that the persona's counterpart there is allowed (200), with the URL's objects taken from the demo data
(`seed_demo`), plus the account pages of allauth that the header links to, the 403 and 404 pages, and the forms
after a wrong submission. On each page axe-core (shipped by axe-playwright-python, no download at run time) runs
the WCAG 2.0/2.1 A and AA rules and its best practices: no serious or critical violation may remain; the page does
not scroll sideways; every chart (a canvas) names its numbers in its aria-label; every field marked invalid points
(aria-describedby) at the text that says what is wrong.

`pytest tests/browser/test_accessibility.py -rP` prints the summary: pages checked and violations by rule.
"""

from __future__ import annotations

import datetime
import io
import re
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from donations.demo import _png

from ..alumni.test_permissions import EMPLOYER_UNLIKE_PENDING
from ..alumni.test_permissions import MATRIX as PORTAL_MATRIX
from ..careers.test_permissions import MATRIX as CAREERS_MATRIX
from ..community.test_permissions import MATRIX as COMMUNITY_MATRIX
from ..mentoring.test_permissions import MATRIX as MENTORING_MATRIX
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "alumni-demo-2026"  # noqa: S105 (the README's demo password)
# Demo persona -> (login, the persona of the permission matrix with the same rights). The demo has no student.
PERSONAS = {
    "anonymous": (None, "anonymous"),
    "alumnus": ("siti.rahmawati@demo.ac.id", "alumnus_a"),
    "pending": ("nurul.aini@demo.ac.id", "pending"),
    "staff": ("staff.ip@demo.ac.id", "staff_x"),
    "admin": ("admin@demo.ac.id", "admin_user"),
    "employer": ("rekrutmen@pustakadigital.co.id", "employer"),
}


def _with_employer(expected: dict, name: str) -> dict:
    """The portal matrix predates employer contacts: tests/alumni/test_permissions.py says what they get there."""
    return {**expected, "employer": EMPLOYER_UNLIKE_PENDING.get(name, expected["pending"])}


PERSONAS_OF_MATRIX = ["anonymous", "alumnus_a", "alumnus_b", "pending", "staff_x", "staff_y", "admin_user", "employer"]
# Every page of the portal, the careers network, mentoring and communities, with the status each matrix persona
# gets.
MATRIX = {
    **{name: (method, arg, _with_employer(expected, name)) for name, (method, arg, expected) in PORTAL_MATRIX.items()},
    **CAREERS_MATRIX,
    # Mentoring and communities: their matrices name a verified student too (the demo's Annisa Fitri is one, but the
    # crawl walks the six personas above).
    **{name: (method, arg, {p: expected[p] for p in PERSONAS_OF_MATRIX})
       for name, (method, arg, expected) in {**MENTORING_MATRIX, **COMMUNITY_MATRIX}.items()},
}
WIDTHS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
# Matrix URLs that answer with a file, not a page: requested (they must not be HTML), not checked by axe.
DOWNLOADS = {
    "alumni:export_csv", "alumni:export_xlsx", "alumni:import_template", "alumni:photo", "alumni:import_status",
    "programs:calendar_feed", "programs:session_ics", "tracer:wave_export", "tracer:lkps_xlsx", "tracer:lkps_pdf",
    "tracer:lkps_evidence_xlsx", "tracer:lkps_csv", "donations:ledger_export", "donations:disbursement_proof",
    "donations:campaign_image", "donations:campaign_cover", "donations:donation_proof", "donations:receipt",
    "community:post_image",
}
# The header's account links (allauth's pages are not in the matrix).
ACCOUNT_PAGES = {
    True: ["account_email", "account_change_password"],
    False: ["account_login", "account_signup", "account_reset_password"],
}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}

# What a page shows beside axe's verdict: sideways scroll (and what sticks out), charts without their numbers, and
# invalid fields whose error text is not tied to them.
PAGE_CHECKS = """() => {
  const width = window.innerWidth;
  const wide = [];
  if (document.documentElement.scrollWidth > width) {
    for (const el of document.querySelectorAll("body *")) {
      const box = el.getBoundingClientRect();
      if (box.width && box.right > width + 1) {
        const classes = typeof el.className === "string" ? el.className.trim().split(/\\s+/).join(".") : "";
        wide.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (classes ? "." + classes : ""));
      }
      if (wide.length >= 5) break;
    }
  }
  const number = new Intl.NumberFormat(document.documentElement.lang || undefined);
  const charts = Array.from(document.querySelectorAll("canvas")).map((canvas) => {
    const chart = window.Chart && window.Chart.getChart(canvas);
    const label = canvas.getAttribute("aria-label") || "";
    const missing = [];
    if (chart) {
      chart.data.datasets.forEach((set) => set.data.forEach((value) => {
        const n = value !== null && typeof value === "object" ? value.y : value;
        if (typeof n === "number" && !label.includes(number.format(n))) missing.push(n);
      }));
    }
    return {id: canvas.id, role: canvas.getAttribute("role"), label, drawn: Boolean(chart), missing};
  });
  const invalid = Array.from(document.querySelectorAll("[aria-invalid=true]")).map((el) => {
    const ids = (el.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean);
    const text = ids.map((id) => (document.getElementById(id) || {}).textContent || "").join(" ").trim();
    return {name: el.name || el.id, text};
  });
  return {overflow: document.documentElement.scrollWidth > width, wide, charts, invalid};
}"""


@dataclass
class Findings:
    pages: Counter = field(default_factory=Counter)  # (persona, width) -> pages checked
    by_rule: Counter = field(default_factory=Counter)  # (rule, impact) -> pages where it was found
    nodes: Counter = field(default_factory=Counter)  # (rule, impact) -> elements
    problems: list[str] = field(default_factory=list)
    examples: dict = field(default_factory=dict)  # rule -> one page and element, for the summary

    def count(self, rule: str, where: str, example, *, elements: int = 1) -> None:
        """A finding of this test's own (not axe's), counted as serious like the axe findings it stands beside."""
        self.by_rule[rule, "serious"] += 1
        self.nodes[rule, "serious"] += elements
        self.examples.setdefault(rule, f"{where} {example}")

    def summary(self) -> str:
        lines = [f"pages checked: {sum(self.pages.values())} "
                 f"({', '.join(f'{p} {w}: {n}' for (p, w), n in sorted(self.pages.items()))})"]
        blocking = sum(n for (rule, impact), n in self.by_rule.items() if impact in BLOCKING)
        lines.append(f"serious or critical violations (rule x page): {blocking}")
        for (rule, impact), n in sorted(self.by_rule.items(), key=lambda item: (-item[1], item[0])):
            lines.append(f"  {rule} ({impact}): {n} pages, {self.nodes[rule, impact]} elements; "
                         f"e.g. {self.examples[rule]}")
        return "\n".join(lines)


def demo_objects() -> dict:
    """The matrix's URL arguments, from the demo data: Siti Rahmawati plays alumnus A, staff.ip staff X. What the
    demo has no row for (a job, a correction request, a team invitation, an import, a campaign's pictures) is made
    here, mostly through the services a person's request would call, so that those pages are checked too."""
    from alumni.models import AlumniProfile, ImportJob, User
    from alumni.records import correction_request
    from alumni.services import employment_save
    from donations.models import Campaign, CampaignImage, Disbursement, Donation, Pledge
    from programs.models import Program, TeamInvitation
    from programs.services import calendar_feed_for, team_invite
    from tracer.demo import CLOSED_TITLE, RUNNING_TITLE
    from tracer.models import Invitation, Response, Wave

    siti = User.objects.get(email=PERSONAS["alumnus"][0])
    staff = User.objects.get(email=PERSONAS["staff"][0])
    profile = AlumniProfile.objects.get(user=siti)
    prodi = profile.study_program
    if not profile.photo:  # her profile page shows her picture (its alt text is checked too)
        profile.photo.save("siti.png", ContentFile(_png((200, 160, 120), 96, 96)))
    members_program = Program.objects.filter(study_program=prodi, audience="alumni", status="running").first()
    session = members_program.sessions.filter(start__gte=timezone.now()).order_by("start").first()
    correction = profile.corrections.filter(status="pending").first() or correction_request(
        profile=profile, by=siti, requested={"full_name": "Siti Rahmawati Putri"}, reason="Nama di ijazah")
    invitation = TeamInvitation.objects.filter(email=siti.email).first() or team_invite(
        program=members_program, by=staff, email=siti.email, role="committee")
    import_job = ImportJob.objects.filter(created_by=staff).first() or _import_job(staff)
    campaign = Campaign.objects.filter(study_program=prodi, status="open", pledges__donor=siti).distinct().first()
    if not campaign.cover:  # the demo's campaigns have no cover picture: give this one what staff would upload
        campaign.cover.save("cover.png", ContentFile(_png((11, 110, 79), 320, 180)))
    running = Wave.objects.get(title=RUNNING_TITLE)
    answered = Response.objects.filter(status=Response.Status.SUBMITTED).values("invitation_id")
    token = (Invitation.objects.filter(wave=running, respondent="graduate").exclude(pk__in=answered)
             .order_by("created_at").first().token)
    results_wave = Wave.objects.get(title=CLOSED_TITLE)
    version = running.version
    ts = timezone.localdate().year
    return {
        # Arguments that are words, not rows.
        "import_template_kind": "xlsx",
        "preview_kind": ("staff", ""),
        "profile_a": profile,
        "job_a": profile.employments.order_by("start_date").first() or employment_save(
            profile=profile, by=siti, data={"employer": "Perpustakaan Nasional RI", "position": "Pustakawan",
                                            "employer_kind": "government", "scope": "national",
                                            "start_date": datetime.date(2013, 2, 1)}),
        "correction": correction,
        "import_job": import_job,
        "faculty": prodi.faculty,
        "prodi": prodi,
        "members_program": members_program,
        "members_session": session,
        "team_invitation": invitation,
        "public_session": Program.objects.filter(study_program=prodi, audience="public").first().sessions.first(),
        "proposal": Program.objects.filter(study_program=prodi, status="proposed").first(),
        "feed_token": calendar_feed_for(user=siti).token,
        "tracer_token": token,
        "results_wave": results_wave,
        "tracer_wave": running,
        "tracer_version": version,
        "tracer_question": version.questions.order_by("position").first(),
        "lkps": (prodi.code, ts, ""),
        "lkps_cell": (prodi.code, ts, f"?column=graduates&year={ts - 4}"),
        "lkps_csv": (prodi.code, ts, "8d1", ""),
        "campaign": campaign,
        "campaign_image": CampaignImage.objects.filter(campaign=campaign).first() or _campaign_image(campaign),
        "ledger_csv": (campaign.pk, "csv", ""),
        "disbursement": Disbursement.objects.exclude(proof="").first(),
        "pledge": Pledge.objects.filter(donor=siti, campaign=campaign).first(),
        "donation": Donation.objects.filter(donor=siti, campaign=campaign, status="verified").first(),
        "pending_donation": Donation.objects.filter(campaign=campaign, status="pending").first(),
        **_careers_objects(siti, prodi),
        **_mentoring_community_objects(siti),
    }


def _mentoring_community_objects(siti) -> dict:
    """The mentoring and community matrices' arguments from the demo (mentoring/demo.py, community/demo.py): Siti
    mentors two students of last semester's round, the next round is open, Budi mentors too; Siti is an admin of
    the SLiMS community, where a post has a picture and a question has answers; another community waits."""
    from community.models import Group, HelpRequest, Post, PostImage
    from mentoring.models import MatchingRound, MentorProfile, Mentorship

    slims = Group.objects.get(name="Komunitas SLiMS Kediri Raya")
    picture = PostImage.objects.filter(post__group=slims).first()
    return {
        "mentor_b": MentorProfile.objects.get(user__email="budi.santoso@demo.ac.id"),
        "mentorship_ab": Mentorship.objects.filter(mentor=siti, status="active").first(),
        "round_x": MatchingRound.objects.get(status="open"),
        "slims_slug": slims.slug,
        "waiting_slug": Group.objects.get(status="waiting").slug,
        "post": picture.post,
        "picture": picture,
        "report_post": ("post", str(Post.objects.filter(group=slims, pinned=False).first().pk), ""),
        "help_group": slims.slug,
        "help_question": HelpRequest.objects.filter(group=slims, status="solved").first(),
    }


def _careers_objects(siti, prodi) -> dict:
    """The careers matrix's arguments from the demo network (careers/demo.py); what it lacks for Siti (an
    introduction she asked, an outcome question of hers) is made through the services."""
    from alumni.models import StudyProgram
    from careers import services_introductions, services_posts
    from careers.models import Application, Introduction, JobPost, Outcome
    from careers.organisations import organisation_find
    from careers.selectors_organisations import alumni_at

    posts = {post.title: post for post in JobPost.objects.select_related("organisation")}
    open_xy = posts["Content Writer Islami (remote)"]  # Budi's, listed for IP, waiting for SPI's staff
    perpusnas = organisation_find("Perpustakaan Nasional RI")
    person = next(p for p in alumni_at(organisation=perpusnas, viewer=siti) if p.open_to_introductions)
    asked = Introduction.objects.filter(requester=siti, status="requested").first() or (
        services_introductions.introduction_ask(requester=siti, organisation=perpusnas, profile_id=person.profile_id,
                                                note="Boleh saya bertanya tentang seleksi pustakawan di sana?"))
    applied, _ = services_posts.application_mark(post=posts["Staf Administrasi Zakat dan Wakaf"], user=siti)
    outcome, _ = Outcome.objects.get_or_create(user=siti, application=applied)
    assert Application.objects.filter(user=siti).exists()
    return {
        "open_xy": open_xy,
        "open_x": posts["Staf Administrasi Zakat dan Wakaf"],
        "hidden": posts["Dapatkan Rp 5 juta per hari dari rumah!!!"],
        "closed": posts["Staf Katalogisasi"],
        "employer_post": posts["Data Librarian"],
        "target_y": (str(open_xy.pk), StudyProgram.objects.get(code="79204").pk, ""),
        "organisation": perpusnas,
        "ask_b": (perpusnas.pk, person.profile_id, ""),
        "open_intro": asked,
        "outcome_a": outcome,
        "cell_x": (f"?metric=asked&year={timezone.localdate().year}&program={prodi.pk}",),
    }


def _import_job(staff):
    from alumni.models import ImportJob

    return ImportJob.objects.create(
        created_by=staff, original_name="alumni.csv", status=ImportJob.Status.DONE,
        file=ContentFile(b"nim,full_name,email,study_program,entry_year,graduation_date\n", name="alumni.csv"))


def _campaign_image(campaign):
    from donations.models import CampaignImage

    return CampaignImage.objects.create(campaign=campaign, image=ContentFile(_png((11, 110, 79)), name="well.png"))


def url_for(name: str, arg, objects: dict) -> str:
    assert not arg or arg in objects, f"{name}: say in demo_objects() which demo row is its {arg!r}"
    value = objects[arg] if arg else None
    assert value is not None or not arg, f"{name}: the demo data has no {arg}"
    query = ""
    if isinstance(value, tuple):
        *args, query = value
    else:
        args = [] if value is None else [value if isinstance(value, str) else value.pk]
    return reverse(name, args=args) + query


def journey(persona: str, objects: dict) -> tuple[list[tuple[str, str, int]], list[str]]:
    """(name, path, expected status) of the persona's pages, and the paths of its downloads."""
    login, rights = PERSONAS[persona]
    pages, downloads = [], []
    for name, (method, arg, expected) in MATRIX.items():
        if method != "get" or expected[rights] != 200:
            continue
        (downloads if name in DOWNLOADS else pages).append((name, url_for(name, arg, objects), 200))
    pages += [(name, reverse(name), 200) for name in ACCOUNT_PAGES[login is not None]]
    forbidden = next((name for name, (method, arg, expected) in MATRIX.items()
                      if method == "get" and expected[rights] == 403), None)
    if forbidden:
        pages.append((forbidden, url_for(forbidden, MATRIX[forbidden][1], objects), 403))
    pages.append(("404", "/alumni/no-such-page/", 404))
    return pages, [path for _name, path, _status in downloads]


def invalid_submissions(persona: str) -> list[tuple[str, str]]:
    """(path, the submit button) of forms sent empty or wrong: the page that comes back says what is wrong."""
    if persona == "anonymous":
        return [(reverse("account_signup"), "main form button[type=submit]"),
                (reverse("account_login"), "main form button[type=submit]")]
    if persona == "alumnus":
        return [(reverse("alumni:employment_create"), "main form button[type=submit]")]
    if persona == "staff":
        return [(reverse("programs:create"), "main form button[type=submit]")]
    return []


def check_page(findings: Findings, where: str, results: dict, checks: dict) -> None:
    for violation in results["violations"]:
        key = (violation["id"], violation["impact"])
        findings.by_rule[key] += 1
        findings.nodes[key] += len(violation["nodes"])
        target = violation["nodes"][0]["target"] if violation["nodes"] else []
        findings.examples.setdefault(violation["id"], f"{where} {target}")
        if violation["impact"] in BLOCKING:
            targets = "; ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:4])
            findings.problems.append(f"{where}: {violation['id']} ({violation['impact']}) at {targets}")
    if checks["overflow"]:
        findings.count("sideways scroll", where, checks["wide"][:2], elements=len(checks["wide"]))
        findings.problems.append(f"{where}: scrolls sideways; wider than the screen: {checks['wide']}")
    for chart in checks["charts"]:
        if chart["role"] != "img" or not chart["label"] or chart["missing"]:
            findings.count("chart without its numbers", where, chart["id"])
            findings.problems.append(f"{where}: chart #{chart['id']} does not say its numbers "
                                     f"(aria-label {chart['label']!r}, missing {chart['missing'][:5]})")
    for field_ in checks["invalid"]:
        if not field_["text"]:
            findings.count("invalid field without error text", where, field_["name"])
            findings.problems.append(f"{where}: invalid field {field_['name']} has no error text tied to it")


def audit(findings: Findings, persona: str, label: str, tabs: dict) -> None:
    """axe and the page checks on the page each width's tab shows; axe runs in both renderers at once."""
    for page in tabs.values():
        page.evaluate("opts => { window.__axe = axe.run(document, opts); }", AXE_OPTIONS)
    for width, page in tabs.items():
        results = page.evaluate("() => window.__axe")
        findings.pages[persona, width] += 1
        check_page(findings, f"{persona} {width} {label}", results, page.evaluate(PAGE_CHECKS))


def test_every_journey_page_is_accessible_at_desktop_and_phone_width(browser, live_server, provinces):
    from axe_playwright_python.base import AXE_SCRIPT

    call_command("seed_demo", stdout=io.StringIO())
    objects = demo_objects()
    findings = Findings()
    for persona, (login, _rights) in PERSONAS.items():
        pages, downloads = journey(persona, objects)
        # One context per width, driven side by side: both pages load, then axe runs in both renderers at once.
        contexts = {width: browser.new_context(locale="id-ID", reduced_motion="reduce", **options)
                    for width, options in WIDTHS.items()}
        tabs = {}
        for width, context in contexts.items():
            context.add_init_script(script=AXE_SCRIPT)
            tabs[width] = context.new_page()
            if login:
                log_in(tabs[width], live_server, login, DEMO_PASSWORD)
        for path in downloads:
            response = contexts["desktop"].request.get(live_server.url + path)
            assert response.status == 200, f"{persona} {path}: {response.status}"
            assert "text/html" not in response.headers.get("content-type", ""), f"{persona} {path} is a page"

        # The header as people use it: the phone menu opened, the account menu dropped down.
        tabs["phone"].goto(live_server.url + "/")
        tabs["phone"].locator(".navbar-toggler").click()
        tabs["phone"].locator("#mainnav.collapse.show").wait_for()
        tabs["desktop"].goto(live_server.url + "/")
        if login:
            tabs["desktop"].locator("#account-menu").click()
            tabs["desktop"].locator("#mainnav .dropdown-menu.show").wait_for()
        audit(findings, persona, "/ (menus open)", tabs)

        while pages:
            name, path, status = pages.pop(0)
            for width, page in tabs.items():
                response = page.goto(live_server.url + path)
                assert response.status == status, f"{persona} {width} {name} {path}: {response.status}"
                assert "text/html" in response.headers.get("content-type", ""), f"{persona} {path} is no page"
            audit(findings, persona, path, tabs)
            if name == "tracer:lkps":  # each table of the report is a page of its own (?tab=...)
                links = tabs["desktop"].eval_on_selector_all(
                    "#lkps-tabs a:not([aria-current])", "links => links.map((a) => a.getAttribute('href'))")
                assert len(links) >= 5, links
                pages[:0] = [(f"{name} {link}", path.split("?")[0] + link, 200) for link in links]

        for path, button in invalid_submissions(persona):
            for page in tabs.values():
                page.goto(live_server.url + path)
                if "login" in path:
                    page.fill("#id_login", login or "nobody@demo.ac.id")
                    page.fill("#id_password", "wrong-password")
                # The browser's own check (required, type=email) is left out: the server's answer is checked.
                page.evaluate("() => document.querySelectorAll('main form').forEach((f) => { f.noValidate = true; })")
                with page.expect_navigation():
                    page.locator(button).last.click()
                assert page.locator("main .alert-danger, main [aria-invalid=true]").count() >= 1, path
            audit(findings, persona, f"{path} (sent wrong)", tabs)
        for context in contexts.values():
            context.close()

    print(findings.summary())  # noqa: T201 (the numbers quoted in reports: -rP shows them)
    assert set(findings.pages) == {(p, w) for p in PERSONAS for w in WIDTHS}
    assert findings.pages["staff", "phone"] >= 60  # the matrix gives staff most of the portal
    assert not findings.problems, "\n".join(findings.problems)


def _focus_ring(page) -> dict:
    """What shows where the keyboard is: the focused element, its outline, and the outline's contrast with what
    is behind the element (WCAG 1.4.11 asks 3:1 of such an indicator)."""
    return page.evaluate("""() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
      const linear = (v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      const lum = (c) => c.map(linear).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
      let node = el.parentElement, back = [255, 255, 255];
      while (node) {
        const c = rgb(getComputedStyle(node).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] === 1)) { back = c.slice(0, 3); break; }
        node = node.parentElement;
      }
      const ring = rgb(style.outlineColor).slice(0, 3);
      const [a, b] = [lum(ring), lum(back)];
      const box = el.getBoundingClientRect();
      return {
        tag: el.tagName.toLowerCase(),
        text: (["input", "select", "textarea"].includes(el.tagName.toLowerCase()) ? el.name : el.textContent)
              .trim().slice(0, 40),
        outline: style.outlineStyle !== "none" ? parseFloat(style.outlineWidth) : 0,
        contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
        onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0 && box.left < window.innerWidth,
      };
    }""")


def _tab(page, times: int = 1) -> list[dict]:
    stops = []
    for _ in range(times):
        page.keyboard.press("Tab")
        stops.append(_focus_ring(page))
    return stops


def test_the_header_menu_and_a_form_work_by_keyboard_on_a_phone(browser, live_server, alumnus_a):
    """Tab from the top of the page on a phone: skip link, brand, menu button; Enter opens the menu and Tab walks its
    links; then the login form is filled and sent by keyboard alone. Every stop shows a ring of at least 2 px with
    3:1 contrast against what is behind it."""
    from ..factories import PASSWORD

    context = browser.new_context(locale="id-ID", reduced_motion="reduce", **WIDTHS["phone"])
    page = context.new_page()
    page.goto(live_server.url + reverse("account_login"))
    skip, brand, toggler = _tab(page, 3)
    assert (skip["tag"], skip["text"]) == ("a", "Langsung ke konten")
    assert brand["tag"] == "a" and toggler["tag"] == "button"
    page.keyboard.press("Enter")
    page.locator("#mainnav.collapse.show").wait_for()
    # Every link and control of the opened menu, in the order it reads: the links, the language, log in, sign up.
    in_menu = page.evaluate("""() => Array.from(document.querySelectorAll("#mainnav a, #mainnav select"))
        .map((el) => el.tagName === "SELECT" ? el.name : el.textContent.trim())""")
    assert in_menu[-3:] == ["language", "Masuk", "Daftar"] and "Donasi" in in_menu
    menu = _tab(page, len(in_menu))
    assert [stop["text"] for stop in menu] == in_menu
    page.keyboard.press("Shift+Tab")  # back from "Daftar" to "Masuk"
    assert _focus_ring(page)["text"] == "Masuk"
    for stop in [skip, brand, toggler, *menu]:
        assert stop["onScreen"], stop
        assert stop["outline"] >= 2 and stop["contrast"] >= 3, stop

    # The login form by keyboard: Tab reaches the email field from the menu toggle once the menu is closed.
    page.locator(".navbar-toggler").focus()
    page.keyboard.press("Enter")
    page.locator("#mainnav").wait_for(state="hidden")
    stops = []
    while len(stops) < 12 and (not stops or stops[-1]["text"] != "login"):
        stops += _tab(page)
    assert stops[-1]["text"] == "login", stops
    page.keyboard.type(alumnus_a.email)
    password = _tab(page)[0]
    assert password["text"] == "password"
    page.keyboard.type(PASSWORD + "x")
    page.keyboard.press("Enter")
    page.locator("main .alert-danger").wait_for()
    assert "/accounts/login/" in page.url  # wrong password: said in text, nothing else happened
    page.locator("#id_password").focus()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/dashboard/$|/alumni/me/privacy/choices/"))
    for stop in stops + [password]:
        assert stop["outline"] >= 2 and stop["contrast"] >= 3, stop
    context.close()


def test_the_account_menu_opens_and_closes_by_keyboard(browser, live_server, alumnus_a):
    from ..factories import PASSWORD

    context = browser.new_context(locale="id-ID", reduced_motion="reduce", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_server, alumnus_a.email, PASSWORD)
    page.locator("#account-menu").focus()
    page.keyboard.press("Enter")
    page.locator("#mainnav .dropdown-menu.show").wait_for()
    page.keyboard.press("ArrowDown")
    first = _focus_ring(page)
    assert first["tag"] == "a" and first["outline"] >= 2 and first["contrast"] >= 3, first
    page.keyboard.press("Escape")
    page.locator("#mainnav .dropdown-menu.show").wait_for(state="detached")
    assert _focus_ring(page)["text"] == alumnus_a.get_short_name()  # focus back on the toggle
    context.close()
