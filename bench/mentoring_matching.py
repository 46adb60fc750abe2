"""A mentoring round at scale: 2,000 mentees and 500 mentors matched in memory (no database).

    .venv/bin/python bench/mentoring_matching.py [--mentees 2000] [--mentors 500] [--topics 12] [--seed 16]

Builds seeded random mentees and mentors: each mentor offers 1–4 of `--topics` topics, maybe a few free tags, 1–3
formats, one of 38 provinces, one of 10 study programs, a field of work, and a round capacity of 1–5 (about 1,500
places for 2,000 mentees, so some mentees must stay unmatched); each mentee asks for 1–2 topics, a format, and has
a province and a study program. Then it times, separately:

1. facts: building the MenteeNeeds and MentorFacts (what `mentoring.services_rounds` reads from the database in a
   fixed number of queries; here the dataclasses alone);
2. score: every mentee × mentor pair through `scoring.suitable` and `scoring.points` (1,000,000 pairs);
3. propose: `matching.propose` end to end (scores again, builds the capacity-expanded cost matrix and solves the
   assignment with scipy's linear_sum_assignment).

It prints seconds, the peak Python memory of each step (tracemalloc; numpy's matrix is counted: numpy reports its
allocations to tracemalloc), the number of matched mentees, the total score, and how many stayed unmatched for
which reason; and, for comparison, the total that greedy (best pair first, which is what mentee-proposing stable
matching gives when both sides rank by one score) reaches on the same round.
"""

import argparse
import os
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alumni_portal.settings.test")


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(mentees: int, mentors: int, topics: int, seed: int):
    import random

    from mentoring.models import Format
    from mentoring.scoring import MenteeNeeds, MentorFacts

    rng = random.Random(seed)
    provinces = list(range(1, 39))
    programs = list(range(1, 11))
    fields = ["library", "education", "ict", "business", "humanities", None]
    tags = ["slims", "dspace", "akreditasi", "koha", "repositori", "literasi", "arsip", "metadata"]
    formats = [Format.ONLINE, Format.IN_PERSON, Format.CHAT]
    mentor_facts = [
        MentorFacts(
            profile_id=j, user_id=100_000 + j, study_program_id=rng.choice(programs),
            topic_ids=set(rng.sample(range(topics), rng.randint(1, 4))),
            tags=set(rng.sample(tags, rng.randint(0, 2))), formats=rng.sample(formats, rng.randint(1, 3)),
            province_id=rng.choice(provinces), province_name="Provinsi", field_id=rng.choice(fields),
            free=rng.randint(1, 5),
        )
        for j in range(mentors)
    ]
    needs = [
        MenteeNeeds(
            user_id=i, study_program_id=rng.choice(programs),
            topic_ids=set(rng.sample(range(topics), rng.randint(1, 2))), tags=set(rng.sample(tags, rng.randint(0, 1))),
            format=rng.choice(formats), province_id=rng.choice(provinces), field_id=rng.choice(fields),
        )
        for i in range(mentees)
    ]
    return needs, mentor_facts


def timed(label: str, fn):
    """Runs `fn` twice: once timed, once under tracemalloc for the peak (tracemalloc slows Python down)."""
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    fn()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<10} {seconds:8.2f} s   peak {peak / 1e6:8.1f} MB")
    return result


def greedy_total(needs, mentors) -> tuple[int, int]:
    from mentoring.scoring import points, suitable

    pairs = sorted(
        ((points(n, m), i, j) for i, n in enumerate(needs) for j, m in enumerate(mentors) if suitable(n, m)),
        key=lambda t: -t[0],
    )
    free = [m.free for m in mentors]
    taken, total = set(), 0
    for value, i, j in pairs:
        if i not in taken and free[j] > 0:
            taken.add(i)
            free[j] -= 1
            total += value
    return len(taken), total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentees", type=int, default=2000)
    parser.add_argument("--mentors", type=int, default=500)
    parser.add_argument("--topics", type=int, default=12)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    _django()
    from django.utils import translation

    from mentoring.matching import propose
    from mentoring.scoring import points, suitable

    translation.activate("en")
    print(f"{args.mentees} mentees × {args.mentors} mentors, {args.topics} topics, seed {args.seed}")
    needs, mentors = timed("facts", lambda: build(args.mentees, args.mentors, args.topics, args.seed))
    print(f"           places offered: {sum(m.free for m in mentors)}")
    eligible = timed("score", lambda: sum(1 for n in needs for m in mentors if suitable(n, m)
                                          and points(n, m) >= 0))
    print(f"           suitable pairs: {eligible} of {len(needs) * len(mentors)}")
    proposal = timed("propose", lambda: propose(needs, mentors))
    print(f"           matched: {len(proposal.matched)}   total score: {proposal.total}")
    for reason, n in Counter(m.reason for m in proposal.unmatched).most_common():
        print(f"           unmatched, {reason}: {n}")
    matched, total = greedy_total(needs, mentors)
    print(f"greedy / stable matching for comparison: matched {matched}, total score {total}")


if __name__ == "__main__":
    main()
