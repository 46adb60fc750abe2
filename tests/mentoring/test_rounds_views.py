"""Rounds through the pages: opening with bad input (re-rendered with the message, nothing written), applying and
offering, the staff page with reasons and the unmatched, moves, publish and cancel by POST, what a mentee sees
after publishing; and the queries of the rounds list and the staff round page at two sizes (same bound)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditLog
from mentoring import services_rounds as services
from mentoring.models import MatchingRound, RoundApplication, RoundMentor

from ..conftest import client_for
from .rounds_support import after_deadline, make_mentor, member, mentoring_program, open_round, topics

pytestmark = pytest.mark.django_db
R = MatchingRound.Status


def _local(dt: datetime.datetime) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def _new_round_data(program, **kw):
    data = {"program": str(program.pk), "title": "Mentoring Riset Skripsi 2027/1", "description": "",
            "deadline": _local(timezone.now() + datetime.timedelta(days=10)), "mentorship_months": "3"}
    data.update(kw)
    return data


def test_staff_open_a_round_on_the_page(prodi_x, staff_x):
    t = topics()
    program = mentoring_program(prodi_x)
    client = client_for(staff_x)
    page = client.get(reverse("mentoring:round_new"))
    assert page.status_code == 200 and program.title in page.content.decode()
    response = client.post(reverse("mentoring:round_new"), {**_new_round_data(program), "topics": [t["riset"].pk]})
    round_ = MatchingRound.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("mentoring:round_detail",
                                                                           args=[round_.pk])
    assert list(round_.topics.all()) == [t["riset"]]


@pytest.mark.parametrize("case", ["past", "other_prodi", "wrong_category", "months"])
def test_opening_with_bad_input_shows_the_message_and_writes_nothing(case, prodi_x, prodi_y, staff_x):
    program = mentoring_program(prodi_x)
    data, message = _new_round_data(program), ""
    if case == "past":
        data["deadline"], message = _local(timezone.now() - datetime.timedelta(hours=1)), \
            "The deadline must be in the future."
    elif case == "other_prodi":
        data["program"], message = str(mentoring_program(prodi_y).pk), "Select a valid choice."
    elif case == "wrong_category":
        data["program"], message = str(mentoring_program(prodi_x, category="training").pk), "Select a valid choice."
    elif case == "months":
        data["mentorship_months"], message = "0", "Ensure this value is greater than or equal to 1."
    response = client_for(staff_x).post(reverse("mentoring:round_new"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert MatchingRound.objects.count() == 0


def test_a_student_applies_once_on_the_page(prodi_x, staff_x, student):
    t = topics()
    round_ = open_round(staff_x, prodi_x, [t["riset"]])
    client = client_for(student)
    detail = client.get(reverse("mentoring:round_detail", args=[round_.pk])).content.decode()
    assert reverse("mentoring:round_apply", args=[round_.pk]) in detail
    url = reverse("mentoring:round_apply", args=[round_.pk])
    empty = client.post(url, {"help_with": "", "format": ""})
    assert "Choose at least one topic." in empty.content.decode()
    response = client.post(url, {"topics": [t["riset"].pk], "help_with": "Metode penelitian", "format": "online"})
    assert response.status_code == 302
    again = client.get(url).content.decode()
    assert "You have already applied to this round." in again
    response = client.post(url, {"topics": [t["riset"].pk], "help_with": "lagi", "format": ""})
    assert response.status_code == 200
    assert RoundApplication.objects.count() == 1


@pytest.mark.parametrize("capacity", ["0", "11"])
def test_offering_a_capacity_out_of_range_shows_the_message(prodi_x, staff_x, alumnus_a, capacity):
    t = topics()
    make_mentor(alumnus_a, [t["riset"]])
    round_ = open_round(staff_x, prodi_x, [t["riset"]])
    response = client_for(alumnus_a).post(reverse("mentoring:round_offer", args=[round_.pk]), {"capacity": capacity})
    assert response.status_code == 200
    assert "Ensure this value is" in response.content.decode()
    assert RoundMentor.objects.count() == 0
    ok = client_for(alumnus_a).post(reverse("mentoring:round_offer", args=[round_.pk]), {"capacity": "2"})
    assert ok.status_code == 302 and RoundMentor.objects.get().capacity == 2


def test_a_member_without_a_mentor_profile_is_sent_to_make_one(prodi_x, staff_x, alumnus_a):
    round_ = open_round(staff_x, prodi_x, [topics()["riset"]])
    page = client_for(alumnus_a).get(reverse("mentoring:round_offer", args=[round_.pk])).content.decode()
    assert reverse("mentoring:mentor_edit") in page


def _filled_round(prodi, staff, mentors: int, mentees: int, t, tag="r"):
    round_ = open_round(staff, prodi, [t["riset"], t["slims"]])
    for i in range(mentors):
        person = member(prodi, f"Mentor {tag}{i}")
        make_mentor(person, [t["riset"]] if i % 2 else [t["slims"]])
        services.round_offer(round_=round_, mentor=person, capacity=2)
    for i in range(mentees):
        person = member(prodi, f"Mentee {tag}{i}", graduated=False)
        services.round_apply(round_=round_, mentee=person, topic_ids=[t["riset"].pk if i % 3 else t["slims"].pk],
                             help_with=f"Tolong {i}")
    return round_


def test_the_staff_page_shows_pairs_reasons_and_the_unmatched_and_audits_the_read(prodi_x, staff_x):
    t = topics()
    round_ = open_round(staff_x, prodi_x, [t["riset"], t["slims"]])
    mentor = member(prodi_x, "Budi Mentor")
    make_mentor(mentor, [t["riset"]])
    services.round_offer(round_=round_, mentor=mentor, capacity=1)
    for name, topic in (("Dewi", "riset"), ("Eka", "riset"), ("Gita", "slims")):
        services.round_apply(round_=round_, mentee=member(prodi_x, f"{name} Mentee", graduated=False),
                             topic_ids=[t[topic].pk], help_with="Tolong")
    services.round_propose(round_=round_, by=None, now=after_deadline(round_))
    page = client_for(staff_x).get(reverse("mentoring:round_detail", args=[round_.pk])).content.decode()
    assert "1 shared topic · same study program" in page
    assert "Eka Mentee: all suitable mentors are full" in page
    assert "Gita Mentee: no mentor shares a topic" in page
    assert "3 mentees applied: 1 matched, 2 unmatched, total score 5." in page
    summary = AuditLog.objects.get(action="mentoring.round.read", subject__isnull=True)
    assert summary.data["people"] == 3


def test_staff_move_publish_and_the_mentee_sees_the_match(prodi_x, staff_x):
    t = topics()
    round_ = open_round(staff_x, prodi_x, [t["riset"]])
    budi, citra = member(prodi_x, "Budi Mentor"), member(prodi_x, "Citra Mentor")
    for m in (budi, citra):
        make_mentor(m, [t["riset"]])
        services.round_offer(round_=round_, mentor=m, capacity=1)
    dewi = member(prodi_x, "Dewi Mentee", graduated=False)
    services.round_apply(round_=round_, mentee=dewi, topic_ids=[t["riset"].pk], help_with="Tolong")
    client = client_for(staff_x)
    early = client.post(reverse("mentoring:round_propose", args=[round_.pk]), follow=True).content.decode()
    assert "the matching is proposed after it" in early
    services.round_propose(round_=round_, by=None, now=after_deadline(round_))
    application = RoundApplication.objects.get()
    other = citra if application.matched_mentor_id == budi.pk else budi
    client.post(reverse("mentoring:round_adjust", args=[round_.pk]),
                {"application": application.pk, "mentor": other.pk})
    application.refresh_from_db()
    assert (application.matched_mentor_id, application.adjusted_by_staff) == (other.pk, True)
    client.post(reverse("mentoring:round_publish", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.status == R.PUBLISHED
    again = client.post(reverse("mentoring:round_publish", args=[round_.pk]), follow=True).content.decode()
    assert "This round was already published." in again
    page = client_for(dewi).get(reverse("mentoring:round_detail", args=[round_.pk])).content.decode()
    assert f"Your mentor: {other.full_name}." in page


def test_cancelling_then_publishing_says_why(prodi_x, staff_x):
    round_ = open_round(staff_x, prodi_x, [topics()["riset"]])
    client = client_for(staff_x)
    client.post(reverse("mentoring:round_cancel", args=[round_.pk]), {"reason": "Mentor kurang"})
    round_.refresh_from_db()
    assert round_.status == R.CANCELLED
    page = client.post(reverse("mentoring:round_publish", args=[round_.pk]), follow=True).content.decode()
    assert "This round was cancelled; it cannot be published." in page


def test_members_see_open_rounds_of_their_study_program_only(prodi_x, prodi_y, staff_x, staff_y, alumnus_a):
    t = topics()
    mine = open_round(staff_x, prodi_x, [t["riset"]], title="Ronde X")
    other = open_round(staff_y, prodi_y, [t["riset"]], title="Ronde Y")
    page = client_for(alumnus_a).get(reverse("mentoring:rounds")).content.decode()
    assert "Ronde X" in page and "Ronde Y" not in page
    assert client_for(alumnus_a).get(reverse("mentoring:round_detail", args=[other.pk])).status_code == 404
    make_mentor(alumnus_a, [t["riset"]])  # a mentor sees every open round, to offer places
    page = client_for(alumnus_a).get(reverse("mentoring:rounds")).content.decode()
    assert "Ronde X" in page and "Ronde Y" in page
    assert mine.pk


@pytest.mark.parametrize("size", [(2, 3), (12, 30)])
def test_the_rounds_list_queries_do_not_grow(size, prodi_x, staff_x, django_assert_max_num_queries):
    t = topics()
    for i in range(size[0]):
        round_ = _filled_round(prodi_x, staff_x, 1, size[1] // size[0], t, tag=f"r{i}x")
        MatchingRound.objects.filter(pk=round_.pk).update(title=f"Ronde {i}")
    client = client_for(staff_x)
    client.get(reverse("mentoring:rounds"))
    with django_assert_max_num_queries(5):
        page = client.get(reverse("mentoring:rounds"))
    assert page.status_code == 200
    assert page.content.decode().count("mentoring/rounds/") >= size[0]


@pytest.mark.parametrize("size", [(2, 4), (10, 40)])
def test_the_staff_round_page_queries_do_not_grow(size, prodi_x, staff_x, django_assert_max_num_queries):
    t = topics()
    round_ = _filled_round(prodi_x, staff_x, size[0], size[1], t)
    services.round_propose(round_=round_, by=None, now=after_deadline(round_))
    client = client_for(staff_x)
    client.get(reverse("mentoring:round_detail", args=[round_.pk]))
    with django_assert_max_num_queries(11):
        page = client.get(reverse("mentoring:round_detail", args=[round_.pk]))
    assert page.status_code == 200
    assert page.content.decode().count('name="application"') == size[1]
