"""Every page in Bahasa Indonesia shows no English and no raw code (issue 14 §3).

Each persona of the permission matrix (tests/alumni/test_permissions.py: its fixtures, its URLs, the pages each
persona may open) requests every HTML page in Indonesian, and the page's visible text (tags, scripts and styles
stripped) must not contain:

(a) the English of a msgid of the project's own catalogue (locale/id/LC_MESSAGES/django.po) whose Indonesian is
    different, or missing: a string that skipped gettext, a key shown instead of its label (`donations`), or an
    existing msgid whose translation was lost or never compiled. Django renders the pages from the compiled
    catalogue (.mo), as it does for people. What is compared: every run of two or more words between a msgid's
    placeholders, and a msgid that is one word of four letters or more ("donations", "Answers"). Words that are
    the same in both languages are allowed: English that also occurs in the Indonesian catalogue or in the
    national questionnaire's Indonesian ("Email", "Status", "full time") is not checked. Strings new since the
    last `make messages` are not in the .po yet, so no one has translated them: while the pages render, gettext
    marks what it returns untranslated for a msgid the .po does not have (`new_strings_marked`), and that text is
    left out. Once `make messages` adds them to the .po, they are checked like every other;
(b) a raw value of a model choice whose label differs from it (`state_owned`, `fundraising`): a code shown where
    its label belongs. Values that are also Indonesian words ("alumni", "mentor") cannot be told apart and are not
    checked.

Numbers: the test prints nothing on success; a failure lists every (persona, page, finding).
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real
from django.utils.translation.trans_real import CONTEXT_SEPARATOR, DjangoTranslation

from alumni import privacy
from alumni.models import Consent, Employment, User

from ..alumni.test_permissions import MATRIX, PERSONAS, objects  # noqa: F401  (objects: the matrix's fixture)
from ..conftest import client_for

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "id" / "LC_MESSAGES" / "django.po"
PROJECT_APPS = ("core", "alumni", "programs", "donations", "tracer")

# A word (hyphenated codes such as "fundraising-2026-1" are one), or one sign: the units both the page text and
# the msgids are compared in (so "Answer" never matches inside "Answers", and spacing does not matter).
TOKEN = re.compile(r"\w+(?:-\w+)*|[^\w\s]")
# What a msgid holds that a page never shows as such: placeholders, template variables and tags, markup.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdif]|\{\{.*?\}\}|\{%.*?%\}|<[^>]*>|\{\w*\}|\n")
# Addresses and paths in a page's text (a feed URL, an email address) are no prose.
ADDRESS = re.compile(r"\S+@\S+|https?://\S+|(?<![\w.])/[\w\-./?=&%:]+")
# A choice value that is a code: lower case, digits, underscores.
CODE = re.compile(r"[a-z][a-z0-9_]{2,}")

# Text the fixtures write in English on purpose (record data, not the portal's words).
FIXTURE_TEXT = ("Tracer results (matrix)", "Someone Else")
# Around what gettext returns untranslated for a msgid the .po does not have yet (private-use characters).
NEW_OPEN, NEW_CLOSE = "\ue000", "\ue001"
INNERMOST_NEW = re.compile(f"{NEW_OPEN}[^{NEW_OPEN}{NEW_CLOSE}]*{NEW_CLOSE}")


class VisibleText(HTMLParser):
    """The text a person sees (or a screen reader reads): every text node outside scripts, styles and templates."""

    HIDDEN = frozenset({"script", "style", "template"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


@cache
def catalogue_keys() -> frozenset[str]:
    """The msgids of the .po as gettext looks them up ("context\x04msgid" for one with a context)."""
    return frozenset(
        f"{entry.msgctxt}{CONTEXT_SEPARATOR}{entry.msgid}" if entry.msgctxt else entry.msgid
        for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete
    )


@pytest.fixture
def new_strings_marked(monkeypatch):
    """While pages render in Indonesian, what gettext returns untranslated for a msgid that the .po does not have
    (a string new since the last `make messages`) comes back between NEW_OPEN and NEW_CLOSE."""
    keys = catalogue_keys()
    plain_gettext, plain_ngettext = DjangoTranslation.gettext, DjangoTranslation.ngettext
    plain_pgettext = trans_real.pgettext

    def new(text: str) -> str:
        return f"{NEW_OPEN}{text}{NEW_CLOSE}"

    def gettext(self, message):
        result = plain_gettext(self, message)
        if self.language() == "id" and result == message and message not in keys \
                and CONTEXT_SEPARATOR not in message:
            return new(result)
        return result

    def ngettext(self, singular, plural, number):
        result = plain_ngettext(self, singular, plural, number)
        untranslated = self.language() == "id" and result in (singular, plural) and singular not in keys
        return new(result) if untranslated else result

    def pgettext(context, message):
        result = plain_pgettext(context, message)
        untranslated = translation.get_language() == "id" and result == message \
            and f"{context}{CONTEXT_SEPARATOR}{message}" not in keys
        return new(result) if untranslated else result

    monkeypatch.setattr(DjangoTranslation, "gettext", gettext)
    monkeypatch.setattr(DjangoTranslation, "ngettext", ngettext)
    # django.utils.translation reads trans_real's functions through a proxy that keeps them once read.
    monkeypatch.setattr(translation._trans, "pgettext", pgettext)


def visible_tokens(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(" ".join(parser.parts).split())
    for fixture_text in FIXTURE_TEXT:
        text = text.replace(fixture_text, " ")
    while NEW_OPEN in text:  # innermost first: a new string may hold another
        text, removed = INNERMOST_NEW.subn(" ", text)
        if not removed:
            break
    return TOKEN.findall(ADDRESS.sub(" ", text))


def _indonesian_text(catalogue: polib.POFile) -> str:
    """Every Indonesian msgstr, and the Indonesian of the national questionnaires (their options say "full time"),
    as tokens between spaces (one line each), to look fragments up in."""
    from tracer.questionnaires import CORE, EMPLOYER_ASPECTS

    texts = []
    for entry in catalogue:
        texts.append(entry.msgstr)
        texts.extend(entry.msgstr_plural.values())
    for question in CORE:
        texts += [question["text"], question.get("help", "")]
        texts += [label for _value, label, _english in question.get("options", ())]
    texts += [label for _code, label, _english in EMPLOYER_ASPECTS]
    return "\n".join(" " + " ".join(TOKEN.findall(PLACEHOLDER.sub(" ", text))) + " " for text in texts if text)


@cache
def english_fragments() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """{first token: [(fragment tokens, msgid)]} of the English fragments (the text between placeholders) of every
    msgid whose Indonesian differs or is missing, less the fragments that the Indonesian catalogue uses as well."""
    catalogue = polib.pofile(str(CATALOGUE))
    indonesian = _indonesian_text(catalogue)
    index = defaultdict(list)
    for entry in catalogue:
        if entry.obsolete:
            continue
        translated = not entry.fuzzy and (entry.msgstr or any(entry.msgstr_plural.values()))
        english = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        shown = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
        for text in english:
            if translated and text in shown:
                continue  # the same in both languages
            for part in PLACEHOLDER.split(text):
                tokens = tuple(TOKEN.findall(part))
                words = [token for token in tokens if token[0].isalpha()]
                if len(words) < 2 and not (tokens == (text.strip(),) and len(text.strip()) >= 4):
                    continue  # one word between placeholders, or a short one ("to", "of"): no evidence alone
                if f" {' '.join(tokens)} " in indonesian:
                    continue  # Indonesian uses these words too
                index[tokens[0]].append((tokens, entry.msgid))
    return dict(index)


@cache
def raw_choice_values() -> dict[str, str]:
    """{value: "app.Model.field" (or several)} of every code-like choice value of the project's models whose
    label differs from it, less values that are Indonesian words too."""
    catalogue = polib.pofile(str(CATALOGUE))
    indonesian = _indonesian_text(catalogue)
    values = {}
    with translation.override("id"):
        for model in apps.get_models():
            if model._meta.app_label not in PROJECT_APPS:
                continue
            for field in model._meta.concrete_fields:
                for value, label in field.flatchoices if field.choices else ():
                    if isinstance(value, str) and CODE.fullmatch(value) and str(label) != value \
                            and f" {value} " not in indonesian:
                        values.setdefault(value, set()).add(f"{model._meta.label}.{field.name}")
    return {value: " and ".join(sorted(fields)) for value, fields in values.items()}


def findings(html: str) -> list[str]:
    tokens = visible_tokens(html)
    fragments = english_fragments()
    codes = raw_choice_values()
    found = []
    for i, token in enumerate(tokens):
        for fragment, msgid in fragments.get(token, ()):
            if tuple(tokens[i:i + len(fragment)]) == fragment:
                found.append(f"English {' '.join(fragment)!r} (msgid {msgid!r})")
        if token in codes:
            found.append(f"raw value {token!r} of {codes[token]}")
    return sorted(set(found))


def html_pages(persona: str, objects: dict):  # noqa: F811  (the matrix's fixture, passed in)
    """(url, reverse name) of every page the matrix lets `persona` open with a GET (200)."""
    for name, (method, arg, expected) in MATRIX.items():
        if method != "get" or expected[persona] != 200:
            continue
        value = objects[arg] if arg else None
        query = ""
        if isinstance(value, tuple):
            *args, query = value
        else:
            args = [] if value is None else [value if isinstance(value, str) else value.pk]
        yield reverse(name, args=args) + query, name


@pytest.fixture
def activity(objects, alumnus_a, prodi_x):  # noqa: F811
    """Entries the staff activity list shows: a consent (its purpose and decision are codes in the entry) and a
    job at a state-owned enterprise (a choice with a label)."""
    version = privacy.CONSENT_WORDING[Consent.Purpose.FUNDRAISING][0]
    privacy.consent_record(user=alumnus_a, purpose=Consent.Purpose.FUNDRAISING, granted=True,
                           wording_version=version)
    job = objects["job_a"]
    job.employer_kind = Employment.EmployerKind.STATE_OWNED
    job.save(update_fields=["employer_kind"])
    return objects


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_in_indonesian_shows_no_english_and_no_raw_codes(persona, activity, new_strings_marked, request):
    fixture = {"anonymous": "anonymous", "pending": "pending_person"}.get(persona, persona)
    user = request.getfixturevalue(fixture)
    if user is not None:
        User.objects.filter(pk=user.pk).update(language="id")
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    checked, problems = 0, []
    for url, name in html_pages(persona, activity):
        response = client.get(url)
        assert response.status_code == 200, f"{persona} GET {url}"
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        checked += 1
        problems += [f"{persona} {name} {url}: {finding}" for finding in findings(response.content.decode())]
    assert checked >= 5, f"only {checked} pages checked for {persona}"
    assert not problems, f"{len(problems)} finding(s) on {checked} pages:\n" + "\n".join(problems)


def test_the_check_sees_english_and_raw_codes():
    """The checker itself: it finds what it is meant to find and passes Indonesian."""
    assert findings("<p>Ekspor <code>donations</code></p>") == [
        "English 'donations' (msgid 'donations')"]
    assert findings("<td>state_owned</td>") == [f"raw value 'state_owned' of {raw_choice_values()['state_owned']}"]
    assert findings("<script>var x = 'state_owned donations';</script><p>Donasi BUMN/BUMD</p>") == []
    # "Answers" is a msgid of its own; "Answer" inside it is not reported twice.
    assert findings("<th>Answers</th>") == ["English 'Answers' (msgid 'Answers')"]
    # What gettext marked as new (not in the .po yet) is left out, nested or not.
    assert findings(f"<p>{NEW_OPEN}Export {NEW_OPEN}donations{NEW_CLOSE} now{NEW_CLOSE} state_owned</p>") == [
        f"raw value 'state_owned' of {raw_choice_values()['state_owned']}"]


def test_new_strings_are_marked_and_known_ones_are_not(new_strings_marked):
    # Held in variables: makemessages (which scans tests/) must not put these into the catalogue.
    sentence, thing, things, something = "A sentence no catalogue has", "%(n)s new thing", "%(n)s new things", (
        "Something new")
    with translation.override("id"):
        assert translation.gettext("donations") == "donasi"
        assert translation.gettext(sentence) == f"{NEW_OPEN}{sentence}{NEW_CLOSE}"
        assert translation.ngettext(thing, things, 2).startswith(NEW_OPEN)
        assert translation.pgettext("nowhere", something) == f"{NEW_OPEN}{something}{NEW_CLOSE}"
    with translation.override("en"):
        assert translation.gettext(sentence) == sentence
