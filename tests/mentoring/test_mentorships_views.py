"""Mentorships: goals and end, the meeting log and feedback with their bad inputs (re-rendered, nothing written),
ending, the pair-only page, the staff overview (own study programs only, ratings only from five on, audited,
fixed queries at two sizes), and the mentoring personal data."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from alumni import privacy
from core.models import AuditLog
from mentoring import services_mentorships as services
from mentoring.models import Feedback, Meeting, MentorProfile, Mentorship, MentorshipRequest
from tests.conftest import client_for

from .support_profiles import member, mentor, mentorship, topic

pytestmark = pytest.mark.django_db

# Session, user, scope, programs, 4 counts, 2 per-mentor aggregates, mentor ids, names, 3 chart series, 2 audit
# inserts, the recent mentorships (and a little slack).
STAFF_QUERIES = 21


@pytest.fixture
def pair(alumnus_b, student, prodi_x):
    mentor(alumnus_b, topics=[topic("Riset skripsi")], capacity=3)
    return mentorship(alumnus_b, student, prodi=prodi_x, started=timezone.localdate() - datetime.timedelta(days=10))


def test_the_pair_logs_a_meeting_and_staff_never_open_the_page(pair, student, staff_x, admin_user):
    response = client_for(student).post(reverse("mentoring:meeting_add", args=[pair.pk]), {
        "date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(), "minutes": 45, "format": "online",
        "notes": "Membahas <b>bab 1</b>",
    })
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.minutes, meeting.logged_by_id) == (45, student.pk)
    page = client_for(pair.mentor).get(reverse("mentoring:mentorship_detail", args=[pair.pk])).content.decode()
    assert "Membahas &lt;b&gt;bab 1&lt;/b&gt;" in page and "1 meeting, 45 minutes in all." in page
    for reader in (staff_x, admin_user):
        assert client_for(reader).get(reverse("mentoring:mentorship_detail", args=[pair.pk])).status_code == 404


@pytest.mark.parametrize(("data", "message"), [
    ({"date": "+1", "minutes": 30}, "The date cannot be in the future."),
    ({"date": "-11", "minutes": 30}, "The date cannot be before the mentorship began."),
    ({"date": "", "minutes": 30}, "Choose the date of the meeting."),
    ({"date": "-1", "minutes": 4}, "Between 5 and 600 minutes."),
    ({"date": "-1", "minutes": 601}, "Between 5 and 600 minutes."),
    ({"date": "-1", "minutes": 30, "format": "smoke signals"}, "Select a valid choice."),
])
def test_bad_meetings_rerender_with_the_message_and_write_nothing(pair, student, data, message):
    if data["date"]:
        data = {**data, "date": (timezone.localdate() + datetime.timedelta(days=int(data["date"]))).isoformat()}
    response = client_for(student).post(reverse("mentoring:meeting_add", args=[pair.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Meeting.objects.count() == 0


def test_goals_and_end_are_edited_by_the_pair(pair, alumnus_b):
    client = client_for(alumnus_b)
    end = pair.started_on + datetime.timedelta(days=60)
    assert client.post(reverse("mentoring:mentorship_update", args=[pair.pk]),
                       {"goals": "Seminar proposal", "ends_on": end.isoformat()}).status_code == 302
    pair.refresh_from_db()
    assert (pair.goals, pair.ends_on) == ("Seminar proposal", end)
    too_far = pair.started_on + datetime.timedelta(days=400)
    bad = client.post(reverse("mentoring:mentorship_update", args=[pair.pk]),
                      {"goals": "x", "ends_on": too_far.isoformat()})
    assert bad.status_code == 200 and "At most 12 months after the start." in bad.content.decode()
    pair.refresh_from_db()
    assert pair.goals == "Seminar proposal"


def test_feedback_after_the_end_once_per_side_with_bad_input_rerendered(pair, student, alumnus_b, alumnus_a):
    with pytest.raises(ValidationError, match="once the mentorship has ended"):
        services.feedback_give(mentorship=pair, by=student, rating=5)
    with pytest.raises(PermissionDenied):
        services.mentorship_end(mentorship=pair, by=alumnus_a)
    client_for(student).post(reverse("mentoring:mentorship_end", args=[pair.pk]))
    pair.refresh_from_db()
    assert pair.status == Mentorship.Status.ENDED
    client = client_for(student)
    for rating in ("", "0", "6", "abc"):
        bad = client.post(reverse("mentoring:feedback_give", args=[pair.pk]), {"rating": rating, "text": "x"})
        assert bad.status_code == 200 and "Choose a rating from 1 to 5." in bad.content.decode()
    assert Feedback.objects.count() == 0
    assert client.post(reverse("mentoring:feedback_give", args=[pair.pk]), {"rating": "4", "text": "Bagus"}
                       ).status_code == 302
    with pytest.raises(ValidationError, match="You gave your feedback already."):
        services.feedback_give(mentorship=pair, by=student, rating=5)
    services.feedback_give(mentorship=pair, by=alumnus_b, rating=5, text="Rajin")
    assert sorted(Feedback.objects.values_list("side", "rating")) == [("mentee", 4), ("mentor", 5)]
    with pytest.raises(ValidationError, match="has ended already"):
        services.mentorship_end(mentorship=pair, by=student)


# --- Staff overview ----------------------------------------------------------------------------------------------


def _rated(mentor_user, prodi, ratings):
    for i, rating in enumerate(ratings):
        m = mentorship(mentor_user, member(prodi, f"Mentee {mentor_user.pk}-{i}"), prodi=prodi,
                       status=Mentorship.Status.ENDED)
        Feedback.objects.create(mentorship=m, side=Feedback.Side.MENTEE, rating=rating, by=m.mentee, text="Rahasia")
        Meeting.objects.create(mentorship=m, date=m.started_on, minutes=30, notes="Catatan pribadi")


def test_staff_see_the_average_only_from_five_ratings_and_only_their_program(prodi_x, prodi_y, staff_x, staff_y,
                                                                              alumnus_a, alumnus_b, student):
    mentor(alumnus_a, topics=[topic("Riset skripsi")])
    mentor(alumnus_b, topics=[topic("Riset skripsi")])
    _rated(alumnus_a, prodi_x, [5, 4, 4, 5, 3])  # five ratings: 4.2
    _rated(alumnus_b, prodi_x, [1, 1, 2, 1])  # four: hidden
    MentorshipRequest.objects.create(mentee=student, mentor=alumnus_a, help_with="A")
    html = client_for(staff_x).get(reverse("mentoring:staff")).content.decode()
    assert "4.2 of 5 (5 ratings)" in html
    assert "fewer than 5 ratings" in html
    assert "1.2" not in html and "1.25" not in html
    assert "Rahasia" not in html and "Catatan pribadi" not in html
    assert 'id="count-mentors">2<' in html and 'id="count-ended">9<' in html
    assert 'id="count-open">1<' in html and 'id="count-meetings">9<' in html
    # The mentors and the nine mentees listed are each told of the read.
    reads = AuditLog.objects.filter(action="mentoring.staff.viewed", actor=staff_x, subject__isnull=False)
    assert reads.count() == 11
    assert 'id="mentorship-rows"' in html and f"Mentee {alumnus_a.pk}-0" in html
    other = client_for(staff_y).get(reverse("mentoring:staff")).content.decode()
    assert "Ani Lestari" not in other and 'id="count-ended">0<' in other
    mentee_page = client_for(alumnus_a).get(reverse("mentoring:home")).content.decode()
    assert "4.2" not in mentee_page


def test_the_staff_page_runs_a_fixed_number_of_queries_at_two_sizes(prodi_x, staff_x, admin_user,
                                                                    django_assert_max_num_queries):
    clients = [client_for(reader) for reader in (staff_x, admin_user)]
    for client in clients:
        client.get(reverse("mentoring:staff"))
    for size in (2, 15):
        for i in range(size):
            m = member(prodi_x, f"Mentor {size}-{i}")
            mentor(m, topics=[topic("Riset skripsi")])
            _rated(m, prodi_x, [4, 5])
        for client in clients:
            with django_assert_max_num_queries(STAFF_QUERIES):
                assert client.get(reverse("mentoring:staff")).status_code == 200


# --- Personal data -----------------------------------------------------------------------------------------------


def test_export_and_erasure_of_mentoring_data(pair, student, alumnus_b):
    MentorshipRequest.objects.create(mentee=student, mentor=alumnus_b, help_with="Tolong", note="Catatan",
                                     status=MentorshipRequest.Status.DECLINED)
    services.meeting_add(mentorship=pair, by=student, date=timezone.localdate(), minutes=30, notes="Notulen")
    providers = privacy.PROVIDERS
    assert {"mentor_profile", "mentoring_requests", "mentorships"} <= set(providers)
    sent = providers["mentoring_requests"].export(student)["sent"]
    assert sent[0]["help_with"] == "Tolong" and sent[0]["with"] == "Bagus Pratama"
    assert providers["mentorships"].export(student)[0]["meetings"][0]["notes"] == "Notulen"
    assert providers["mentor_profile"].export(alumnus_b)["capacity"] == 3
    for provider in ("mentoring_requests", "mentorships"):
        providers[provider].anonymise(student, "x")
    assert MentorshipRequest.objects.get().help_with == ""
    pair.refresh_from_db()
    assert pair.status == Mentorship.Status.ENDED
    assert Meeting.objects.get().notes == ""
    providers["mentor_profile"].anonymise(alumnus_b, "x")
    assert not MentorProfile.objects.filter(user=alumnus_b).exists()
    assert Mentorship.objects.filter(pk=pair.pk).exists()
