"""The demo mentoring: twelve mentors, eight students, the last round published with its matches (and two
unmatched, each with a reason), the next round open, a request waiting, an ended mentorship with feedback; loaded
once."""

import pytest
from django.core.management import call_command

from mentoring.models import (
    Feedback,
    MatchingRound,
    Meeting,
    MentorProfile,
    Mentorship,
    MentorshipRequest,
    RoundApplication,
    Topic,
)


@pytest.mark.django_db
def test_demo_mentoring_has_mentors_a_running_round_with_matches_and_loads_once(provinces):
    call_command("seed_demo")
    counts = (MentorProfile.objects.count(), Mentorship.objects.count(), Meeting.objects.count())
    call_command("seed_demo")
    assert (MentorProfile.objects.count(), Mentorship.objects.count(), Meeting.objects.count()) == counts

    assert MentorProfile.objects.filter(paused=False).count() == 12
    assert Topic.objects.filter(active=True).count() == 8
    rounds = dict(MatchingRound.objects.values_list("title", "status"))
    assert rounds == {"Mentoring Riset Skripsi 2026/2": "published", "Mentoring Riset Skripsi 2027/1": "open"}
    published = MatchingRound.objects.get(status="published")
    matched = RoundApplication.objects.filter(round=published, matched_mentor__isnull=False)
    assert matched.count() == 4
    assert all(a.score and a.reasons for a in matched)
    unmatched = RoundApplication.objects.filter(round=published, matched_mentor__isnull=True)
    assert unmatched.count() == 2 and all(a.unmatched_reason for a in unmatched)
    assert Mentorship.objects.filter(round=published, status="active").count() == 4
    assert Meeting.objects.filter(mentorship__round=published).count() == 8
    # Siti (capacity 3, two places in the round) mentors two students.
    assert Mentorship.objects.filter(round=published, mentor__email="siti.rahmawati@demo.ac.id").count() == 2

    waiting = MentorshipRequest.objects.get(status="open")
    assert (waiting.mentee.email, waiting.mentor.email) == ("annisa.fitri@demo.ac.id", "budi.santoso@demo.ac.id")
    ended = Mentorship.objects.get(status="ended")
    assert sorted(Feedback.objects.filter(mentorship=ended).values_list("rating", flat=True)) == [4, 5]
