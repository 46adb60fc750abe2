"""Round applications and mentor places in "Download my data" and "Delete my account"; and `round_seed`, the
demo seeder's one call for a whole round."""

import pytest

from alumni import privacy
from mentoring import privacy_rounds, services_rounds
from mentoring.models import MatchingRound, Mentorship, RoundApplication, RoundMentor

from .rounds_support import make_mentor, member, mentoring_program, open_round, topics

pytestmark = pytest.mark.django_db


def test_registered_with_the_personal_data_of_the_portal():
    assert "mentoring_rounds" in privacy.PROVIDERS


def test_export_and_delete(prodi_x, staff_x):
    t = topics()
    mentor, mentee = member(prodi_x, "Budi Mentor"), member(prodi_x, "Dewi Mentee", graduated=False)
    make_mentor(mentor, [t["riset"]])
    published = services_rounds.round_seed(
        by=staff_x, program=mentoring_program(prodi_x), title="Ronde lama", topic_ids=[t["riset"].pk],
        mentors=[(mentor, 2)], mentees=[(mentee, [t["riset"].pk], "Metode penelitian", "online")],
    )
    open_ = open_round(staff_x, prodi_x, [t["riset"]], title="Ronde baru")
    services_rounds.round_apply(round_=open_, mentee=mentee, topic_ids=[t["riset"].pk], help_with="Lagi")
    services_rounds.round_offer(round_=open_, mentor=mentor, capacity=1)

    data = privacy_rounds.export_rounds(mentee)
    assert [(a["round"], a["help_with"], a["matched_mentor"]) for a in data["applications"]] == [
        ("Ronde lama", "Metode penelitian", "Budi Mentor"), ("Ronde baru", "Lagi", None)]
    assert [(o["round"], o["capacity"]) for o in privacy_rounds.export_rounds(mentor)["mentor_places"]] == [
        ("Ronde lama", 2), ("Ronde baru", 1)]

    privacy_rounds.anonymise_rounds(mentee, "x")
    privacy_rounds.anonymise_rounds(mentor, "x")
    assert list(RoundApplication.objects.values_list("round__title", "help_with")) == [("Ronde lama", "")]
    assert list(RoundMentor.objects.values_list("round__title", flat=True)) == ["Ronde lama"]
    assert published.status == MatchingRound.Status.PUBLISHED


def test_round_seed_runs_a_whole_round(prodi_x, staff_x):
    t = topics()
    mentors = [member(prodi_x, f"Mentor {i}") for i in range(2)]
    for m in mentors:
        make_mentor(m, [t["riset"], t["slims"]])
    mentees = [member(prodi_x, f"Mentee {i}", graduated=False) for i in range(3)]
    proposed = services_rounds.round_seed(
        by=staff_x, program=mentoring_program(prodi_x), title="Ronde demo", topic_ids=[t["riset"].pk, t["slims"].pk],
        mentors=[(m, 1) for m in mentors], publish=False,
        mentees=[(m, [t["riset"].pk], "Tolong", "") for m in mentees],
    )
    assert proposed.status == MatchingRound.Status.PROPOSED
    assert RoundApplication.objects.filter(matched_mentor__isnull=False).count() == 2
    assert RoundApplication.objects.get(matched_mentor__isnull=True).unmatched_reason == "full"
    assert Mentorship.objects.count() == 0
