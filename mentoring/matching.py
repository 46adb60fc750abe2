"""The matching a mentoring round proposes: each mentee gets at most one mentor, each mentor at most the number
of mentees they offered for the round, and the sum of the pairs' scores (mentoring.scoring) is as high as it can be.
Mentees nobody fits stay unmatched, each with the reason.

Why an assignment solver, not mentee-proposing stable matching
--------------------------------------------------------------
Stable matching (Gale–Shapley) needs each side's own ranking and guarantees that no mentee and mentor would both
rather leave their partners for each other. Here both sides are ranked by one shared, transparent score: with a
common score the stable matching is the greedy one (take the best-scoring pair, then the best of the rest…), and
greedy can waste a lot. Mentee A fits mentor X (score 10) and Y (9); mentee B fits X (9) and Y (1); each mentor
takes one. Stable/greedy gives A–X and B–Y: 11 points, B with a mentor who shares almost nothing. The assignment
solver gives A–Y and B–X: 18 points, both well served. A round is a program the study program runs for all its
mentees at once, and staff look at (and may adjust) the proposal before anyone sees it, so the portal proposes
the best total fit rather than a "nobody would swap" guarantee that nobody asked for.

The problem is a maximum-weight bipartite matching with capacities. It is solved exactly with
`scipy.optimize.linear_sum_assignment` (a shortest-augmenting-path Hungarian method) on capacity-expanded columns:
a mentor with capacity k appears as k identical columns (never more than the mentees who fit them), and every
mentee has a column "unmatched" of cost 0, so a mentee is matched only when a suitable mentor is left. A pair that
does not fit (`scoring.fits`: no shared topic or tag, a format the mentor does not offer, oneself) is forbidden: no
mentee is ever given an unsuitable mentor. Costs are −(score × SCALE + 1) with SCALE above the number of mentees,
so among matchings of the same total score the one that matches more mentees wins. Deterministic: the same
mentees and mentors in the same order give the same pairs. 2,000 mentees × 500 mentors: see bench/mentoring_matching.py.

Why a mentee stays unmatched (`Match.reason`, a language-neutral code that rounds store; `unmatched_text` says it
in the reader's language): "late" applied after the deadline; "no_mentors" no mentor in the round; "no_topic" no
mentor shares a topic; "no_format" no mentor sharing a topic offers the format asked; "full" all suitable mentors
are full (they went to others, for a higher total); "staff" (set by round_adjust) unmatched by staff.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext_lazy as _
from scipy.optimize import linear_sum_assignment

from .scoring import MenteeNeeds, MentorFacts, Scored, points, score, shares_topic, suitable

# Why a mentee is unmatched: the codes stored, and their text (same msgids as ever; translated when shown).
LATE, NO_MENTORS, NO_TOPIC, NO_FORMAT, FULL, STAFF = "late", "no_mentors", "no_topic", "no_format", "full", "staff"
UNMATCHED_REASONS = {
    LATE: _("applied after the deadline"),
    NO_MENTORS: _("no mentor offered places in this round"),
    NO_TOPIC: _("no mentor shares a topic"),
    NO_FORMAT: _("no mentor sharing a topic offers this format"),
    FULL: _("all suitable mentors are full"),
    STAFF: _("unmatched by staff"),
}


def unmatched_text(code: str) -> str:
    """Why unmatched, in the active language. A value that is not a known code (a reason stored as text before
    the codes) is shown as it is."""
    text = UNMATCHED_REASONS.get(code or "")
    return str(text) if text is not None else (code or "")


# A forbidden pair's cost: far above any real cost, never chosen while the mentee's "unmatched" column (0) exists.
FORBIDDEN = 1e12


@dataclass
class Match:
    mentee_id: int
    mentor_id: int | None = None
    scored: Scored | None = None
    reason: str = ""  # why unmatched, a code of UNMATCHED_REASONS (empty when matched)

    @property
    def points(self) -> int:
        return self.scored.points if self.scored else 0

    @property
    def reason_text(self) -> str:
        return unmatched_text(self.reason)


@dataclass
class Proposal:
    matches: list[Match] = field(default_factory=list)  # one per mentee, in the mentees' order

    @property
    def total(self) -> int:
        return sum(m.points for m in self.matches)

    @property
    def matched(self) -> list[Match]:
        return [m for m in self.matches if m.mentor_id is not None]

    @property
    def unmatched(self) -> list[Match]:
        return [m for m in self.matches if m.mentor_id is None]

    def pairs(self) -> dict[int, int | None]:
        return {m.mentee_id: m.mentor_id for m in self.matches}


def _why_nobody(needs: MenteeNeeds, mentors: list[MentorFacts]) -> str:
    if not mentors:
        return NO_MENTORS
    sharing = [m for m in mentors if m.free > 0 and m.user_id != needs.user_id and shares_topic(needs, m)]
    if not sharing:
        return NO_TOPIC
    return NO_FORMAT


def propose(mentees: list[MenteeNeeds], mentors: list[MentorFacts], *, late: Collection[int] = ()) -> Proposal:
    """The matching of maximum total score (see the module docstring). `mentor.free` is the mentor's capacity in
    the round; mentees whose user id is in `late` applied after the deadline and are not matched."""
    late = set(late)
    candidates: list[int] = []  # indexes of mentees who fit at least one mentor
    eligible: list[dict[int, int]] = []  # per candidate: mentor index -> points
    reasons: dict[int, str] = {}
    for i, needs in enumerate(mentees):
        if needs.user_id in late:
            reasons[i] = LATE
            continue
        fitting = {j: points(needs, m) for j, m in enumerate(mentors) if m.free > 0 and suitable(needs, m)}
        if fitting:
            candidates.append(i)
            eligible.append(fitting)
        else:
            reasons[i] = _why_nobody(needs, mentors)

    chosen: dict[int, tuple[int, Scored]] = {}
    if candidates:
        # Capacity-expanded columns: mentor j appears min(free, mentees who fit j) times.
        fans = [0] * len(mentors)
        for fitting in eligible:
            for j in fitting:
                fans[j] += 1
        columns: list[int] = []
        for j, m in enumerate(mentors):
            columns.extend([j] * min(m.free, fans[j]))
        first_column: dict[int, int] = {}
        for c, j in enumerate(columns):
            first_column.setdefault(j, c)
        n, k = len(candidates), len(columns)
        scale = n + 1
        cost = np.full((n, k + n), FORBIDDEN)
        cost[:, k:] = 0.0  # each mentee's "unmatched" columns
        for row, fitting in enumerate(eligible):
            for j, value in fitting.items():
                start = first_column[j]
                cost[row, start:start + min(mentors[j].free, fans[j])] = -(value * scale + 1)
        rows, cols = linear_sum_assignment(cost)
        for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
            if col < k and cost[row, col] < FORBIDDEN:
                j = columns[col]
                chosen[candidates[row]] = (j, score(mentees[candidates[row]], mentors[j]))
        for i in candidates:
            if i not in chosen:
                reasons[i] = FULL

    matches = []
    for i, needs in enumerate(mentees):
        if i in chosen:
            j, scored = chosen[i]
            matches.append(Match(mentee_id=needs.user_id, mentor_id=mentors[j].user_id, scored=scored))
        else:
            matches.append(Match(mentee_id=needs.user_id, reason=reasons[i]))
    return Proposal(matches)
