"""Rounds store why a pair was matched (or nobody) as language-neutral codes, and every page, email and export says
them in its reader's language, whatever language was active when the matching was proposed (Indonesian staff, or
the beat tick). Reasons stored as text before the codes are shown as they are."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from mentoring import privacy_rounds
from mentoring import services_rounds as services
from mentoring.matching import UNMATCHED_REASONS, unmatched_text
from mentoring.models import Format, RoundApplication

from ..conftest import client_for
from .rounds_support import after_deadline, make_mentor, member, open_round, topics

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed_in_indonesian(prodi_x, staff_x):
    """Staff propose while Indonesian is active. Dewi (riset) gets Budi; Gita (slims, in person) nobody."""
    t = topics()
    round_ = open_round(staff_x, prodi_x, [t["riset"], t["slims"]])
    budi = member(prodi_x, "Budi Mentor")
    make_mentor(budi, [t["riset"], t["slims"]])
    services.round_offer(round_=round_, mentor=budi, capacity=1)
    dewi = member(prodi_x, "Dewi Mentee", graduated=False)
    gita = member(prodi_x, "Gita Mentee", graduated=False)
    services.round_apply(round_=round_, mentee=dewi, topic_ids=[t["riset"].pk, t["slims"].pk], help_with="Riset",
                         format=Format.ONLINE)
    services.round_apply(round_=round_, mentee=gita, topic_ids=[t["slims"].pk], help_with="SLiMS",
                         format=Format.IN_PERSON)
    with translation.override("id"):
        services.round_propose(round_=round_, by=staff_x, now=after_deadline(round_))
    return {"round": round_, "budi": budi, "dewi": dewi, "gita": gita}


def _set_language(user, language):
    user.language = language
    user.save(update_fields=["language"])


def test_the_database_keeps_codes_not_the_proposers_words(proposed_in_indonesian):
    stored = {a.mentee.full_name: (a.reasons, a.unmatched_reason)
              for a in RoundApplication.objects.select_related("mentee")}
    assert stored == {"Dewi Mentee": ([["topics", 2], ["program"]], ""), "Gita Mentee": ([], "no_format")}


@pytest.mark.parametrize(("language", "reasons", "unmatched"), [
    ("en", "2 shared topics · same study program", "Gita Mentee: no mentor sharing a topic offers this format"),
    ("id", "2 topik yang sama · program studi yang sama",
     "Gita Mentee: tidak ada mentor dengan topik yang sama yang menawarkan format ini"),
])
def test_the_staff_page_speaks_the_readers_language(proposed_in_indonesian, staff_x, language, reasons, unmatched):
    _set_language(staff_x, language)
    page = client_for(staff_x).get(reverse("mentoring:round_detail", args=[proposed_in_indonesian["round"].pk]))
    text = page.content.decode()
    assert reasons in text
    assert unmatched in text


def test_a_mentee_reads_the_published_match_in_their_language(proposed_in_indonesian, staff_x):
    round_ = proposed_in_indonesian["round"]
    services.round_publish(round_=round_, by=staff_x)
    dewi, gita = proposed_in_indonesian["dewi"], proposed_in_indonesian["gita"]
    url = reverse("mentoring:round_detail", args=[round_.pk])
    assert "2 shared topics · same study program" in client_for(dewi).get(url).content.decode()
    assert "No mentor this time: no mentor sharing a topic offers this format." in \
        client_for(gita).get(url).content.decode()
    _set_language(dewi, "id")
    assert "2 topik yang sama · program studi yang sama" in client_for(dewi).get(url).content.decode()


def test_each_publish_email_goes_out_in_its_recipients_language(proposed_in_indonesian, staff_x,
                                                                django_capture_on_commit_callbacks):
    dewi, gita = proposed_in_indonesian["dewi"], proposed_in_indonesian["gita"]
    _set_language(dewi, "id")  # Gita keeps English
    mail.outbox.clear()
    with translation.override("id"), django_capture_on_commit_callbacks(execute=True):  # the publisher's language
        services.round_publish(round_=proposed_in_indonesian["round"], by=staff_x)
    to_dewi = next(m for m in mail.outbox if m.to == [dewi.email])
    to_gita = next(m for m in mail.outbox if m.to == [gita.email])
    assert "Alasan: 2 topik yang sama · program studi yang sama." in to_dewi.body
    assert "shared topics" not in to_dewi.body
    assert "The reason: no mentor sharing a topic offers this format." in to_gita.body


def test_the_export_says_the_reasons_in_the_readers_language(proposed_in_indonesian, staff_x):
    services.round_publish(round_=proposed_in_indonesian["round"], by=staff_x)
    dewi, gita = proposed_in_indonesian["dewi"], proposed_in_indonesian["gita"]
    assert privacy_rounds.export_rounds(dewi)["applications"][0]["reasons"] == ["2 shared topics",
                                                                                "same study program"]
    assert privacy_rounds.export_rounds(gita)["applications"][0]["unmatched_reason"] == \
        "no mentor sharing a topic offers this format"
    with translation.override("id"):
        assert privacy_rounds.export_rounds(dewi)["applications"][0]["reasons"] == ["2 topik yang sama",
                                                                                    "program studi yang sama"]


def test_staff_unmatching_and_old_free_text_rows(proposed_in_indonesian, staff_x):
    round_ = proposed_in_indonesian["round"]
    dewi = RoundApplication.objects.get(mentee=proposed_in_indonesian["dewi"])
    with translation.override("id"):
        services.round_adjust(round_=round_, application=dewi, mentor_id=None, by=staff_x)
    dewi.refresh_from_db()
    assert dewi.unmatched_reason == "staff"
    # A row written before the codes holds the proposer's words: shown as they are.
    RoundApplication.objects.filter(mentee=proposed_in_indonesian["gita"]).update(
        unmatched_reason="semua mentor yang cocok sudah penuh")
    page = client_for(staff_x).get(reverse("mentoring:round_detail", args=[round_.pk])).content.decode()
    assert "Dewi Mentee: unmatched by staff" in page
    assert "Gita Mentee: semua mentor yang cocok sudah penuh" in page


def test_every_unmatched_code_has_its_words():
    assert set(UNMATCHED_REASONS) == {"late", "no_mentors", "no_topic", "no_format", "full", "staff"}
    assert unmatched_text("late") == "applied after the deadline"
    assert unmatched_text("") == ""
    assert unmatched_text("something staff typed") == "something staff typed"
    with translation.override("id"):
        assert unmatched_text("staff") == "dilepas oleh staf"
