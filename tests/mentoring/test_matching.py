"""The round matching on hand-built cases, with the expected pairs written out: the optimum where greedy (= the
stable matching under one shared score) is worse, capacities, ties, and mentees nobody fits, each with its reason;
and small random cases against brute force."""

import itertools
import random

from mentoring.matching import propose
from mentoring.models import Format
from mentoring.scoring import MenteeNeeds, MentorFacts, fits, score


def mentee(user_id, topics=(), tags=(), program=None, field=None, fmt=Format.ONLINE, province=None):
    return MenteeNeeds(user_id=user_id, study_program_id=program, topic_ids=set(topics), tags=set(tags), format=fmt,
                       province_id=province, field_id=field)


def mentor(user_id, topics=(), tags=(), program=None, field=None, free=1, formats=(Format.ONLINE,), province=None):
    return MentorFacts(profile_id=user_id, user_id=user_id, study_program_id=program, topic_ids=set(topics),
                       tags=set(tags), formats=list(formats), province_id=province, province_name="Jawa Barat",
                       field_id=field, free=free)


A, B, C, D = 1, 2, 3, 4
X, Y, Z = 101, 102, 103


def greedy(mentees, mentors):
    """Best pair first: the outcome of mentee-proposing stable matching when both sides rank by one score."""
    free = {m.user_id: m.free for m in mentors}
    pairs = sorted(
        ((score(n, m).points, n.user_id, m.user_id) for n in mentees for m in mentors if fits(n, m) is None),
        key=lambda t: -t[0],
    )
    taken, total = {}, 0
    for points, n, m in pairs:
        if n not in taken and free[m] > 0:
            taken[n], free[m], total = m, free[m] - 1, total + points
    return taken, total


def test_the_optimum_beats_greedy_and_stable_matching():
    x = mentor(X, topics={1, 2, 3}, program=10, field="library")
    y = mentor(Y, topics={1, 2}, tags={"dspace"}, program=20)
    a = mentee(A, topics={1, 2, 3}, program=30)
    b = mentee(B, topics={3}, tags={"dspace"}, program=10, field="library")
    # A–X 9, A–Y 6, B–X 3+2+1 = 6, B–Y 1.
    assert [score(a, x).points, score(a, y).points, score(b, x).points, score(b, y).points] == [9, 6, 6, 1]
    assert greedy([a, b], [x, y]) == ({A: X, B: Y}, 10)

    proposal = propose([a, b], [x, y])
    assert proposal.pairs() == {A: Y, B: X}
    assert proposal.total == 12
    assert proposal.unmatched == []
    assert proposal.matches[1].scored.reasons == ["1 shared topic", "same study program", "same field of work"]
    assert proposal.matches[1].scored.codes == [["topics", 1], ["program"], ["field"]]


def test_capacities_are_respected_and_the_bigger_mentor_takes_two():
    x = mentor(X, topics={1}, free=2)  # 3 + 1 (free places)
    y = mentor(Y, topics={1, 2}, free=1)
    people = [mentee(A, topics={1, 2}), mentee(B, topics={1}), mentee(C, topics={1}), mentee(D, topics={1})]
    proposal = propose(people, [x, y])
    counts = {}
    for m in proposal.matched:
        counts[m.mentor_id] = counts.get(m.mentor_id, 0) + 1
    assert counts == {X: 2, Y: 1}
    assert proposal.pairs()[A] == Y  # A–Y is 6, A–X 4
    assert proposal.total == 6 + 4 + 4
    assert [(m.reason, m.reason_text) for m in proposal.unmatched] == [("full", "all suitable mentors are full")]


def test_ties_are_broken_the_same_way_every_time():
    people = [mentee(A, topics={1}), mentee(B, topics={1}), mentee(C, topics={1})]
    mentors = [mentor(X, topics={1}), mentor(Y, topics={1})]
    first = propose(people, mentors).pairs()
    assert first == {A: X, B: Y, C: None}
    for _ in range(5):
        assert propose(people, mentors).pairs() == first


def test_mentees_nobody_fits_get_the_reason():
    x = mentor(X, topics={1}, formats=[Format.ONLINE])
    people = [
        mentee(A, topics={2}),                           # nobody shares a topic
        mentee(B, topics={1}, fmt=Format.IN_PERSON),     # X shares a topic but does not meet in person
        mentee(C, topics={1}),                           # late
        mentee(D, topics={1}),                           # fits: matched
        mentee(X, topics={1}),                           # the mentor themself applied: not matched to themself
    ]
    proposal = propose(people, [x], late={C})
    assert proposal.pairs() == {A: None, B: None, C: None, D: X, X: None}
    assert {m.mentee_id: m.reason for m in proposal.unmatched} == {A: "no_topic", B: "no_format", C: "late",
                                                                    X: "no_topic"}
    assert {m.mentee_id: m.reason_text for m in proposal.unmatched} == {
        A: "no mentor shares a topic",
        B: "no mentor sharing a topic offers this format",
        C: "applied after the deadline",
        X: "no mentor shares a topic",
    }


def test_no_mentors_and_no_mentees():
    assert propose([], []).matches == []
    proposal = propose([mentee(A, topics={1})], [])
    assert proposal.unmatched[0].reason == "no_mentors"
    assert proposal.unmatched[0].reason_text == "no mentor offered places in this round"


def test_a_mentor_without_places_takes_nobody():
    proposal = propose([mentee(A, topics={1})], [mentor(X, topics={1}, free=0)])
    assert proposal.pairs() == {A: None}


def test_score_ties_prefer_matching_more_mentees():
    # X alone for A (6), or A–Y (3) and B–X (3): same total, two mentees served.
    x = mentor(X, topics={1, 2})
    y = mentor(Y, topics={1})
    a, b = mentee(A, topics={1, 2}), mentee(B, topics={2}, tags=set())
    assert (score(a, x).points, score(a, y).points, score(b, x).points) == (6, 3, 3)
    proposal = propose([a, b], [x, y])
    assert proposal.total == 6
    assert proposal.pairs() == {A: Y, B: X}


def _brute_force(mentees, mentors):
    best = 0
    options = [[None] + [j for j, m in enumerate(mentors) if fits(n, m) is None] for n in mentees]
    for choice in itertools.product(*options):
        used = [0] * len(mentors)
        total = 0
        for n, j in zip(mentees, choice, strict=True):
            if j is not None:
                used[j] += 1
                total += score(n, mentors[j]).points
        if all(u <= m.free for u, m in zip(used, mentors, strict=True)):
            best = max(best, total)
    return best


def test_the_total_is_the_brute_force_optimum_on_random_small_rounds():
    rng = random.Random(16)
    for _ in range(60):
        mentors = [mentor(100 + j, topics=set(rng.sample(range(5), rng.randint(1, 3))), free=rng.randint(0, 2),
                          program=rng.choice([1, 2]), formats=rng.choice([[Format.ONLINE], [Format.IN_PERSON],
                                                                          [Format.ONLINE, Format.IN_PERSON]]),
                          province=rng.choice([1, 2]))
                   for j in range(3)]
        mentees = [mentee(i, topics=set(rng.sample(range(5), rng.randint(1, 2))), program=rng.choice([1, 2]),
                          fmt=rng.choice([Format.ONLINE, Format.IN_PERSON]), province=rng.choice([1, 2]))
                   for i in range(5)]
        proposal = propose(mentees, mentors)
        assert proposal.total == _brute_force(mentees, mentors)
        used = {}
        for m in proposal.matched:
            used[m.mentor_id] = used.get(m.mentor_id, 0) + 1
            needs = next(n for n in mentees if n.user_id == m.mentee_id)
            assert fits(needs, next(f for f in mentors if f.user_id == m.mentor_id)) is None
        assert all(used.get(f.user_id, 0) <= f.free for f in mentors)
