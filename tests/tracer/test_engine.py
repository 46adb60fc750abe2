"""The answering engine on the national questionnaire (installed by migration): branching, validation per type,
saving pages, submitting, refusals."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from tracer import engine
from tracer.models import Answer, Invitation, Response, Survey, Wave

from ..factories import AlumniProfileFactory

WORKING_PAGE_1 = {
    "f8": "1", "f504": "1", "f502": "3", "f505": "4.500.000", "f5a1": "010000", "f5a2": "Jakarta Pusat",
    "f1101": "3", "f5b": "Perpustakaan Nasional", "f5d": "2",
}
PAGE_2 = {"f1201": "1"}
PAGE_3_WORKING = {
    "f14": "1", "f15": "2",
    **{f"f{1761 + 2 * i}": "4" for i in range(7)},
    **{f"f{1762 + 2 * i}": "5" for i in range(7)},
}


def core_version():
    return Survey.objects.get(slug="dikti-core").latest_version()


def open_wave(version=None, **extra):
    now = timezone.now()
    return Wave.objects.create(
        version=version or core_version(), title="Tracer 2025", opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30), launched_at=now - datetime.timedelta(days=1), **extra,
    )


def invite(profile=None, wave=None):
    wave = wave or open_wave()
    return Invitation.objects.create(version=wave.version, wave=wave, profile=profile or AlumniProfileFactory())


@pytest.fixture(autouse=True)
def english():
    # Messages are compared in their source language (Django's catalog translates some, e.g. "Enter a whole number.").
    with translation.override("en"):
        yield


@pytest.fixture
def version(db):
    return core_version()


@pytest.fixture
def response(db):
    return engine.response_for(invite())


def codes(questions):
    return {q.code for q in questions}


# --- branching -----------------------------------------------------------------------------------------------


def test_working_shows_employment_questions(version):
    shown = codes(engine.visible_questions(version, {"f8": 1}))
    assert {"f504", "f502", "f505", "f5a1", "f1101", "f5b", "f5d", "f14", "f15", "f17b"} <= shown
    assert not shown & {"f18a", "f18b", "f18c", "f18d", "f5c", "f1102"}


def test_self_employed_also_sees_position(version):
    assert "f5c" in codes(engine.visible_questions(version, {"f8": 3}))


def test_further_study_shows_f18_and_hides_employment(version):
    shown = codes(engine.visible_questions(version, {"f8": 4}))
    assert {"f18a", "f18b", "f18c", "f18d", "f17a"} <= shown
    assert not shown & {"f504", "f502", "f505", "f5b", "f14", "f17b"}


def test_other_employer_type_requires_f1102(version):
    assert "f1102" in codes(engine.visible_questions(version, {"f8": 1, "f1101": 5}))
    _clean, errors = engine.validate_page(version, 1, {**WORKING_PAGE_1, "f1101": "5"})
    assert errors == {"f1102": "This question is required."}
    clean, errors = engine.validate_page(version, 1, {**WORKING_PAGE_1, "f1101": "5", "f1102": "Koperasi"})
    assert not errors and clean["f1102"] == "Koperasi"


def test_a_chain_breaks_when_its_middle_is_hidden(version):
    # f1102 depends on f1101, which is only asked of working graduates.
    assert "f1102" not in codes(engine.visible_questions(version, {"f8": 4, "f1101": 5}))


def test_multiple_choice_option_15_shows_f416(version):
    assert "f416" not in codes(engine.visible_questions(version, {"f401": 1, "f415": 0}))
    assert "f416" in codes(engine.visible_questions(version, {"f401": 0, "f415": 1}))


def test_changing_status_removes_stale_employment_answers(response):
    assert engine.response_save_page(response=response, page=1, data=WORKING_PAGE_1) == {}
    assert engine.response_save_page(response=response, page=2, data=PAGE_2) == {}
    assert engine.response_save_page(response=response, page=3, data=PAGE_3_WORKING) == {}
    assert {"f505", "f5b", "f14", "f1762"} <= set(engine.answers_of(response))

    assert engine.response_save_page(response=response, page=1, data={"f8": "4"}) == {}
    answers = engine.answers_of(response)
    assert answers["f8"] == 4
    # Employment answers on page 1 and on page 3 (f14, f15, the f17b column) are gone; f17a stays.
    assert not set(answers) & {"f504", "f502", "f505", "f5a1", "f5a2", "f1101", "f5b", "f5d", "f14", "f15", "f1762"}
    assert answers["f1761"] == 4 and answers["f1201"] == 1


# --- validation per type ---------------------------------------------------------------------------------------


def test_required_only_when_visible(version):
    _clean, errors = engine.validate_page(version, 1, {"f8": "5"})
    assert errors == {}
    _clean, errors = engine.validate_page(version, 1, {"f8": "1"})
    assert set(errors) == {"f504", "f502", "f505", "f5a1", "f1101", "f5b", "f5d"}
    assert errors["f504"] == "This question is required."


def test_integer_range(version):
    _clean, errors = engine.validate_page(version, 1, {**WORKING_PAGE_1, "f502": "121"})
    assert errors == {"f502": "Enter a number between 0 and 120."}
    _clean, errors = engine.validate_page(version, 1, {**WORKING_PAGE_1, "f502": "-1"})
    assert errors == {"f502": "Enter a number between 0 and 120."}
    _clean, errors = engine.validate_page(version, 1, {**WORKING_PAGE_1, "f502": "tiga"})
    assert errors == {"f502": "Enter a whole number."}
    clean, _errors = engine.validate_page(version, 1, {**WORKING_PAGE_1, "f502": "0"})
    assert clean["f502"] == 0


def test_money_accepts_indonesian_writing(version):
    for raw in ("4500000", "4.500.000", "Rp 4.500.000", "4.500.000,00"):
        clean, errors = engine.validate_page(version, 1, {**WORKING_PAGE_1, "f505": raw})
        assert not errors and clean["f505"] == 4_500_000, raw
    _clean, errors = engine.validate_page(version, 1, {**WORKING_PAGE_1, "f505": "4,5 juta"})
    assert errors == {"f505": "Enter an amount in rupiah using digits only, e.g. 4500000."}
    _clean, errors = engine.validate_page(version, 1, {**WORKING_PAGE_1, "f505": "20000000000"})
    assert errors["f505"].startswith("Enter a number between 0 and 10")


def test_date_format(version):
    study = {"f1201": "1", "f18a": "2", "f18b": "Universitas Indonesia", "f18c": "Magister Ilmu Perpustakaan"}
    existing = {"f8": 4}
    clean, errors = engine.validate_page(version, 2, {**study, "f18d": "2024-08-31"}, existing=existing)
    assert not errors and clean["f18d"] == datetime.date(2024, 8, 31)
    for bad in ("31/08/2024", "2024-02-30", "2024-8-1"):
        _clean, errors = engine.validate_page(version, 2, {**study, "f18d": bad}, existing=existing)
        assert errors == {"f18d": "Enter a date as YYYY-MM-DD, e.g. 2024-08-31."}, bad


def test_single_choice_only_official_values(version):
    # 8 is no official f1101 value (1–7); 6 is, though it is shown after 3.
    _clean, errors = engine.validate_page(version, 1, {**WORKING_PAGE_1, "f1101": "8"})
    assert errors == {"f1101": "Choose one of the options."}
    clean, errors = engine.validate_page(version, 1, {**WORKING_PAGE_1, "f1101": "6"})
    assert not errors and clean["f1101"] == 6


def test_multiple_choice_stores_one_column_per_option(version):
    clean, errors = engine.validate_page(version, 4, {"f4": ["4", "15"], "f416": "Komunitas"}, existing={"f8": 1})
    assert not errors
    assert clean["f404"] == 1 and clean["f415"] == 1 and clean["f401"] == 0
    assert len([c for c in clean if c.startswith("f4") and len(c) == 4]) == 16  # f401…f415 and f416
    _clean, errors = engine.validate_page(version, 4, {"f4": ["16"]}, existing={"f8": 1})
    assert errors == {"f4": "Choose only from the options."}


def test_grid_needs_every_row_when_required(version):
    data = {**PAGE_3_WORKING}
    del data["f1765"]
    _clean, errors = engine.validate_page(version, 3, data, existing={"f8": 1})
    assert errors == {"f17a": "Answer every row (still missing: English)."}
    _clean, errors = engine.validate_page(version, 3, {**PAGE_3_WORKING, "f1765": "9"}, existing={"f8": 1})
    assert errors == {"f17a": "Choose one of the options in every row."}


def test_partial_save_skips_required_but_not_invalid(version):
    clean, errors = engine.validate_page(version, 1, {"f8": "1", "f502": "7"}, partial=True)
    assert not errors and clean == {"f8": 1, "f502": 7}
    _clean, errors = engine.validate_page(version, 1, {"f8": "1", "f502": "700"}, partial=True)
    assert set(errors) == {"f502"}


# --- saving and submitting ---------------------------------------------------------------------------------------


def test_save_moves_the_page_forward_and_resumes(response):
    engine.response_save_page(response=response, page=1, data=WORKING_PAGE_1)
    response.refresh_from_db()
    assert response.page == 2
    engine.response_save_page(response=response, page=2, data={}, partial=True, advance=False)
    response.refresh_from_db()
    assert response.page == 2
    # Going back to page 1 and continuing does not move the page reached backwards.
    engine.response_save_page(response=response, page=1, data=WORKING_PAGE_1)
    response.refresh_from_db()
    assert response.page == 2


def test_invalid_page_stores_nothing(response):
    errors = engine.response_save_page(response=response, page=1, data={**WORKING_PAGE_1, "f502": "500"})
    assert errors == {"f502": "Enter a number between 0 and 120."}
    assert not Answer.objects.filter(response=response).exists()


def test_saving_a_page_takes_the_same_queries_however_many_answers(response):
    engine.response_save_page(response=response, page=1, data={"f8": "5"})  # warm: questions cached per version
    with CaptureQueriesContext(connection) as few:
        engine.response_save_page(response=response, page=4, data={"f301": "3"})
    many_data = {"f301": "1", "f302": "2", "f4": [str(v) for v in range(1, 16)], "f416": "x", "f6": "10",
                 "f7": "4", "f7a": "2", "f1001": "5", "f1002": "y", **{f"f2{i}": "2" for i in range(1, 8)}}
    with CaptureQueriesContext(connection) as many:
        engine.response_save_page(response=response, page=4, data=many_data)
    assert len(engine.answers_of(response)) > 30
    assert len(many) == len(few) <= 8, [q["sql"][:80] for q in many.captured_queries]


def complete(response):
    for page, data in ((1, WORKING_PAGE_1), (2, PAGE_2), (3, PAGE_3_WORKING), (4, {})):
        assert engine.response_save_page(response=response, page=page, data=data) == {}


def test_submit_checks_every_page_again(response):
    engine.response_save_page(response=response, page=1, data=WORKING_PAGE_1)
    with pytest.raises(engine.SubmitRefused) as refused:
        engine.response_submit(response=response)
    assert refused.value.page == 2 and set(refused.value.errors) == {"f1201"}
    assert "page 2 of 4" in refused.value.messages[0]
    complete(response)
    engine.response_submit(response=response)
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED and response.submitted_at
    # Submitted is read-only.
    with pytest.raises(engine.AnswerRefused):
        engine.response_save_page(response=response, page=1, data={"f8": "4"})
    with pytest.raises(engine.AnswerRefused):
        engine.response_submit(response=response)
    assert engine.answers_of(response)["f8"] == 1


@pytest.mark.parametrize("when", ["closed", "not_launched", "not_yet_open"])
def test_closed_wave_refuses_changes(db, when):
    now = timezone.now()
    wave = open_wave()
    if when == "closed":
        wave.opens_at, wave.closes_at = now - datetime.timedelta(days=60), now - datetime.timedelta(days=1)
    elif when == "not_launched":
        wave.launched_at = None
    else:
        wave.opens_at, wave.closes_at = now + datetime.timedelta(days=1), now + datetime.timedelta(days=30)
    wave.save()
    response = engine.response_for(invite(wave=wave))
    with pytest.raises(engine.AnswerRefused) as refused:
        engine.response_save_page(response=response, page=1, data={"f8": "5"})
    assert isinstance(refused.value, ValidationError)
    with pytest.raises(engine.AnswerRefused):
        engine.response_submit(response=response)
    assert not Answer.objects.filter(response=response).exists()


def test_one_response_per_invitation(db):
    invitation = invite()
    assert engine.response_for(invitation).pk == engine.response_for(invitation).pk
    assert Response.objects.filter(invitation=invitation).count() == 1


def test_nomination_creates_one_employer_invitation_and_one_email(response, mailoutbox,
                                                                  django_capture_on_commit_callbacks):
    complete(response)
    nominee = {"name": "Dr. Sri Wahyuni", "position": "Kepala Perpustakaan", "organisation": "Perpusnas",
               "email": "sri@perpusnas.example"}
    with django_capture_on_commit_callbacks(execute=True):
        engine.response_submit(response=response, nominee=nominee)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(engine.AnswerRefused):
        engine.response_submit(response=response, nominee=nominee)
    employer = Invitation.objects.get(respondent=Invitation.Respondent.EMPLOYER)
    assert employer.nominated_in == response
    assert employer.profile == response.profile and employer.wave == response.invitation.wave
    assert employer.version == Survey.objects.get(slug="dikti-employer").latest_version()
    assert (employer.name, employer.email) == ("Dr. Sri Wahyuni", "sri@perpusnas.example")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["sri@perpusnas.example"]
    assert "Survei Kepuasan Pengguna Lulusan" in mail.subject
    assert employer.answer_path() in mail.body and "Terima kasih" in mail.body


def test_employer_answers_the_employer_survey(db):
    graduate = engine.response_for(invite())
    complete(graduate)
    engine.response_submit(response=graduate, nominee={"name": "Sri", "email": "sri@example.org"})
    employer = engine.response_for(Invitation.objects.get(respondent=Invitation.Respondent.EMPLOYER))
    ratings = {"etika": "4", "keahlian": "3", "bahasa_asing": "2", "teknologi_informasi": "4", "komunikasi": "3",
               "kerjasama": "4", "pengembangan_diri": "1"}
    errors = engine.response_save_page(response=employer, page=1, data={**ratings, "etika": "5"})
    assert errors == {"etika": "Choose one of the options."}
    errors = engine.response_save_page(response=employer, page=1, data={**ratings, "saran": "Perbanyak magang."},
                                       respondent={"respondent_name": "Sri", "respondent_position": "Kepala",
                                                   "organisation": "Perpusnas"})
    assert errors == {}
    engine.response_submit(response=employer)
    employer.refresh_from_db()
    assert employer.status == Response.Status.SUBMITTED and employer.profile == graduate.profile
    assert (employer.respondent_name, employer.organisation) == ("Sri", "Perpusnas")
    assert employer.response_date == timezone.localdate()
    assert engine.answers_of(employer)["etika"] == 4
