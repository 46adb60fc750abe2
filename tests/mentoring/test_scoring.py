"""The mentor score on hand-built cases: every weight, the reasons' words, ties, and who `rank` leaves out."""

import datetime

import pytest
from django.utils import translation

from mentoring import scoring
from mentoring.models import Format, MentorProfile, Mentorship, Topic
from mentoring.scoring import MenteeNeeds, MentorFacts, Scored, fits, mentor_facts, needs_for, rank, score
from tests.factories import AlumniProfileFactory, UserFactory

JABAR, JATIM = 9, 15


def needs(**kw) -> MenteeNeeds:
    base = dict(user_id=1, study_program_id=10, topic_ids={1, 2}, tags={"slims"}, format=Format.ONLINE,
                province_id=JABAR, field_id=None)
    base.update(kw)
    return MenteeNeeds(**base)


def mentor(user_id=100, **kw) -> MentorFacts:
    base = dict(profile_id=user_id, user_id=user_id, study_program_id=20, topic_ids=set(), tags=set(),
                formats=[Format.ONLINE], province_id=JATIM, province_name="Jawa Timur", field_id=None, free=1)
    base.update(kw)
    return MentorFacts(**base)


def test_weights_are_documented_constants():
    assert (scoring.TOPIC_POINTS, scoring.TAG_POINTS, scoring.SAME_PROGRAM_POINTS, scoring.SAME_FIELD_POINTS,
            scoring.SAME_PROVINCE_POINTS, scoring.FREE_PLACES_POINTS) == (3, 1, 2, 1, 2, 1)
    for name in ("TOPIC_POINTS", "TAG_POINTS", "SAME_PROGRAM_POINTS", "SAME_FIELD_POINTS", "SAME_PROVINCE_POINTS",
                 "FREE_PLACES_POINTS"):
        assert name in scoring.__doc__


def test_nothing_shared_scores_zero():
    assert score(needs(), mentor()) == Scored(0, [])


def test_every_weight_adds_up_with_its_reason():
    n = needs(topic_ids={1, 2, 3}, tags={"SLiMS ", "dspace"}, format=Format.IN_PERSON, field_id="library")
    m = mentor(topic_ids={1, 2, 9}, tags={"slims"}, study_program_id=10, formats=[Format.IN_PERSON],
               province_id=JABAR, province_name="Jawa Barat", field_id="library", free=2)
    s = score(n, m)
    assert s.points == 2 * 3 + 1 + 2 + 1 + 2 + 1
    assert s.reasons == ["2 shared topics", "1 shared tag", "same study program", "same field of work",
                         "Jawa Barat", "has free places"]
    assert s.text == "2 shared topics · 1 shared tag · same study program · same field of work · Jawa Barat · " \
                     "has free places"


def test_reasons_as_codes_and_their_words_in_each_language():
    n = needs(topic_ids={1, 2, 3}, tags={"dspace"}, format=Format.IN_PERSON, field_id="library")
    m = mentor(topic_ids={1, 2}, tags={"dspace"}, study_program_id=10, formats=[Format.IN_PERSON],
               province_id=JABAR, province_name="Jawa Barat", field_id="library", free=2)
    codes = [["topics", 2], ["tags", 1], ["program"], ["field"], ["province", "Jawa Barat"], ["free"]]
    assert scoring.reason_codes(n, m) == codes == score(n, m).codes
    assert scoring.reasons_text(codes) == score(n, m).reasons
    assert scoring.reasons_text([["province"], ["topics", 1]]) == ["same province", "1 shared topic"]
    # Reasons stored as text before the codes are shown as they are.
    assert scoring.reasons_line(["2 shared topics", "same study program"]) == "2 shared topics · same study program"
    assert scoring.reasons_text(None) == []
    with translation.override("id"):
        assert scoring.reasons_text([["topics", 2], ["program"]]) == ["2 topik yang sama", "program studi yang sama"]


def test_one_shared_topic_is_singular():
    assert score(needs(), mentor(topic_ids={2})).reasons == ["1 shared topic"]


@pytest.mark.parametrize(("wants", "offers", "points"), [
    (Format.IN_PERSON, [Format.IN_PERSON, Format.ONLINE], 2),
    (Format.IN_PERSON, [Format.ONLINE], 0),  # a mentor who does not meet in person: no province points
    (Format.ONLINE, [Format.IN_PERSON], 0),  # the mentee does not want to meet: the province does not matter
])
def test_province_counts_only_for_in_person(wants, offers, points):
    m = mentor(formats=offers, province_id=JABAR, province_name="Jawa Barat")
    assert score(needs(format=wants), m).points == points


def test_province_needs_both_known():
    m = mentor(formats=[Format.IN_PERSON], province_id=None)
    assert score(needs(format=Format.IN_PERSON, province_id=None), m).points == 0


def test_free_places_point_from_two():
    assert score(needs(), mentor(free=1)).points == 0
    assert score(needs(), mentor(free=2)).points == 1


def test_field_needs_a_field():
    assert score(needs(field_id=None), mentor(field_id=None)).points == 0
    assert score(needs(field_id="ict"), mentor(field_id="library")).points == 0


def test_rank_best_first_ties_keep_order_and_leaves_out_the_unsuitable():
    a = mentor(101, topic_ids={1})            # 3
    b = mentor(102, topic_ids={1, 2})         # 6
    c = mentor(103, topic_ids={2})            # 3, tie with a: after a (input order)
    full = mentor(104, topic_ids={1, 2}, free=0)
    paused = mentor(105, topic_ids={1, 2}, paused=True)
    me = mentor(1, topic_ids={1, 2})
    ranked = rank(needs(), [a, b, full, c, paused, me])
    assert [(f.user_id, s.points) for f, s in ranked] == [(102, 6), (101, 3), (103, 3)]


def test_fits_says_why_not():
    assert fits(needs(), mentor(topic_ids={1})) is None
    assert fits(needs(), mentor(tags={"slims"})) is None
    assert fits(needs(), mentor()) == "no shared topic"
    assert fits(needs(format=Format.IN_PERSON), mentor(topic_ids={1})) == "does not offer this format"
    assert fits(needs(format=""), mentor(topic_ids={1})) is None
    assert fits(needs(user_id=100), mentor(100, topic_ids={1})) == "is the mentee"


@pytest.mark.django_db
def test_mentor_facts_and_needs_from_the_database(prodi_x, prodi_y, provinces, django_assert_num_queries):
    jabar = provinces.get(name="Jawa Barat")
    t1, t2 = Topic.objects.create(code="riset", name="Riset skripsi"), Topic.objects.create(code="slims", name="SLiMS")

    def make_mentor(email, prodi, capacity, active):
        user = UserFactory(email=email)
        AlumniProfileFactory(user=user, study_program=prodi)
        profile = MentorProfile.objects.create(user=user, capacity=capacity, formats=[Format.IN_PERSON],
                                               province=jabar, field="library", tags=["SLiMS"])
        for _ in range(active):
            Mentorship.objects.create(mentor=user, mentee=UserFactory(), ends_on=datetime.date(2030, 1, 1))
        Mentorship.objects.create(mentor=user, mentee=UserFactory(), ends_on=datetime.date(2030, 1, 1),
                                  status=Mentorship.Status.ENDED)
        return profile

    p1 = make_mentor("m1@example.org", prodi_x, 3, 1)
    p1.topics.set([t1, t2])
    p2 = make_mentor("m2@example.org", prodi_y, 2, 3)
    with django_assert_num_queries(2):
        facts = mentor_facts(MentorProfile.objects.order_by("pk"))
    assert [(f.user_id, f.study_program_id, f.topic_ids, f.free, f.province_name, f.field_id, f.tags)
            for f in facts] == [
        (p1.user_id, prodi_x.pk, {t1.pk, t2.pk}, 2, "Jawa Barat", "library", {"slims"}),
        (p2.user_id, prodi_y.pk, set(), 0, "Jawa Barat", "library", {"slims"}),
    ]
    assert mentor_facts(MentorProfile.objects.none()) == []

    mentee = UserFactory(email="mentee@example.org")
    AlumniProfileFactory(user=mentee, study_program=prodi_x, province=jabar)
    n = needs_for(mentee, [str(t1.pk)], ["SLiMS"], Format.IN_PERSON)
    assert (n.study_program_id, n.province_id, n.topic_ids, n.tags, n.field_id) == (
        prodi_x.pk, jabar.pk, {t1.pk}, {"slims"}, None)
    ranked = rank(n, facts)
    assert [(f.user_id, s.text) for f, s in ranked] == [
        (p1.user_id, "1 shared topic · 1 shared tag · same study program · Jawa Barat · has free places")]
