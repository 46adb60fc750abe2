"""Employer ratings with an aspect left blank (issue 14): an empty cell is an aspect the employer did not rate, not an
error; a value other than 1–4 stays one; Ref 8.e.2 computes each aspect over the responses that rated it."""

import datetime
from decimal import Decimal as D

import pytest
from django.utils import translation

from tracer import national
from tracer.lkps import lkps_tables
from tracer.models import Answer, Response

from ..factories import AlumniProfileFactory

HEADER = ("nim,study_program,employer,respondent_name,respondent_position,date,etika,keahlian,bahasa_asing,"
          "teknologi_informasi,komunikasi,kerjasama,pengembangan_diri,saran\n")
GRADES = ("sangat_baik", "baik", "cukup", "kurang")


@pytest.fixture
def grads(prodi_x):
    return [
        AlumniProfileFactory(user=None, study_program=prodi_x, nim=f"2071000{i}", full_name=f"Lulusan {i}",
                             graduation_date=datetime.date(2021, 9, 1))
        for i in range(3)
    ]


def rows(*lines: str) -> bytes:
    return (HEADER + "".join(f"{line}\n" for line in lines)).encode()


def test_a_blank_aspect_is_not_rated_and_the_file_imports(grads):
    source = rows(
        f"{grads[0].nim},71201,PT Buku,Andi,Manajer,2024-05-02,4,4,,4,4,4,4,",  # no rating of foreign languages
        f"{grads[1].nim},71201,PT Buku,Budi,Manajer,02/05/2024,3,3,3,,,3,3,Magang",  # two aspects blank; day first
    )
    outcome = national.import_employer_responses(source)
    assert outcome.ok, outcome.issues
    assert (outcome.created, outcome.answers) == (2, 6 + 6)
    first = Response.objects.get(profile=grads[0])
    assert not first.answers.filter(code="bahasa_asing").exists()
    assert first.answers.filter(value_int__isnull=False).count() == 6
    second = Response.objects.get(profile=grads[1])
    assert sorted(second.answers.filter(value_int__isnull=False).values_list("code", flat=True)) == [
        "bahasa_asing", "etika", "keahlian", "kerjasama", "pengembangan_diri"]
    assert second.response_date == datetime.date(2024, 5, 2)


def test_values_other_than_one_to_four_stay_errors_and_nothing_is_saved(grads):
    source = rows(
        f"{grads[0].nim},71201,X,Y,Z,,5,4,,4,4,4,4,",
        f"{grads[1].nim},71201,X,Y,Z,,0,4,4,4,4,4,baik,",
        f"{grads[2].nim},71201,X,Y,Z,,,,,,,,,Tidak menilai",  # nothing rated at all
    )
    with translation.override("en"):
        outcome = national.import_employer_responses(source)
    assert [(i.row, i.column) for i in outcome.issues] == [
        (2, "etika"), (3, "etika"), (3, "pengembangan_diri"), (4, "")]
    assert outcome.issues[-1].message == (
        "This row rates no aspect: give at least one rating from 1 to 4, or delete the row.")
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_each_aspect_is_computed_over_the_responses_that_rated_it(grads, prodi_x):
    """Three employers: all rate ethics (4, 4, 3); only two rate foreign languages (2, 3); one rates IT (1)."""
    source = rows(
        f"{grads[0].nim},71201,A,A,A,,4,4,2,1,4,4,4,",
        f"{grads[1].nim},71201,B,B,B,,4,4,3,,4,4,4,",
        f"{grads[2].nim},71201,C,C,C,,3,4,,,4,4,4,",
    )
    assert national.import_employer_responses(source).ok
    table = lkps_tables(study_program=prodi_x, ts=2025)["8.e.2"]
    by_code = {row["code"]: row for row in table["rows"]}
    assert [by_code["etika"][g] for g in GRADES] == [D("66.67"), D("33.33"), D("0.00"), D("0.00")]
    assert by_code["etika"]["rated"] == 3
    # Two ratings, not three: the blank is no "kurang" and no zero in the share.
    assert [by_code["bahasa_asing"][g] for g in GRADES] == [D("0.00"), D("50.00"), D("50.00"), D("0.00")]
    assert by_code["bahasa_asing"]["rated"] == 2
    assert [by_code["teknologi_informasi"][g] for g in GRADES] == [D("0.00"), D("0.00"), D("0.00"), D("100.00")]
    assert by_code["teknologi_informasi"]["rated"] == 1
    # Every aspect's shares add up to 100 over its own raters; Ref 8.e.2 counts the three responses.
    for row in table["rows"]:
        assert sum(row[g] for g in GRADES) in (D("100.00"), D("100.01"), D("99.99"))
    ref = lkps_tables(study_program=prodi_x, ts=2025)["Ref 8.e.2"]
    assert ref["total"]["employer_responses"] == 3
