"""The transparent score of a mentor for a mentee: a few points per thing they share, each with the short reason
the pages show ("2 shared topics · same study program · Jawa Barat").

The weights (module constants, the only place they live):

- TOPIC_POINTS (3) per topic from the staff's list that both name: the topic is what the mentee asks help with,
  so it weighs most;
- TAG_POINTS (1) per free tag both name (lower case, trimmed): free tags are unchecked, so they weigh less;
- SAME_PROGRAM_POINTS (2) when both belong to the same study program (knows its curriculum and lecturers);
- SAME_FIELD_POINTS (1) when the mentee's field of work equals the mentor's (careers.Field). alumni.Employment
  records no field of work, so a mentee's field is the one they state on a mentor profile of their own, if any;
- SAME_PROVINCE_POINTS (2) when the mentee wants to meet in person, the mentor offers "in person" and both live
  in the same province (a mentor who does not meet in person gets no province points);
- FREE_PLACES_POINTS (1) when the mentor has at least FREE_PLACES_FROM (2) free places (spreads the load).

A mentor who is paused, has no free place, or is the mentee themself is never suggested (`rank`). `fits` says why
a mentor cannot take a mentee at all (no shared topic or tag, or a format the mentor does not offer): matching
rounds never pair those.

`mentor_facts` reads everything the score needs for any number of profiles in a fixed number of queries (2).

The reasons have two forms: `reason_codes` gives language-neutral codes (what matching rounds store, e.g.
[["topics", 2], ["tags", 1], ["program"], ["field"], ["province", "Jawa Barat"], ["free"]]) and `reasons_text`
turns codes into short phrases in the active language (a page or email translates them for its reader). `score`
gives both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, ngettext

from alumni.models import AlumniProfile

from .models import Format, MentorProfile, Mentorship

TOPIC_POINTS = 3
TAG_POINTS = 1
SAME_PROGRAM_POINTS = 2
SAME_FIELD_POINTS = 1
SAME_PROVINCE_POINTS = 2
FREE_PLACES_POINTS = 1
FREE_PLACES_FROM = 2

REASON_JOINER = " · "
IN_PERSON = Format.IN_PERSON.value


@dataclass
class MenteeNeeds:
    user_id: int | None
    study_program_id: int | None
    topic_ids: set[int]
    tags: set[str]
    format: str
    province_id: int | None
    field_id: str | None

    def __post_init__(self):
        self.tags = clean_tags(self.tags)
        self.topic_ids = set(self.topic_ids)


@dataclass
class MentorFacts:
    profile_id: int | None
    user_id: int
    study_program_id: int | None
    topic_ids: set[int]
    tags: set[str]
    formats: list[str]
    province_id: int | None
    province_name: str
    field_id: str | None
    free: int
    paused: bool = False

    def __post_init__(self):
        self.tags = clean_tags(self.tags)
        self.topic_ids = set(self.topic_ids)
        self.in_person = IN_PERSON in (self.formats or [])


@dataclass
class Scored:
    points: int
    reasons: list[str] = field(default_factory=list)  # in the active language when scored
    codes: list[list] = field(default_factory=list)  # the same, language-neutral (see reason_codes)

    @property
    def text(self) -> str:
        return REASON_JOINER.join(self.reasons)


def clean_tags(tags) -> set[str]:
    """Free tags as compared: lower case, trimmed, empty ones dropped."""
    return {str(t).strip().lower() for t in (tags or []) if str(t).strip()}


def points(needs: MenteeNeeds, mentor: MentorFacts) -> int:
    """The score's points alone (what the matching optimises; no reasons, no translation: fast)."""
    total = TOPIC_POINTS * len(needs.topic_ids & mentor.topic_ids) + TAG_POINTS * len(needs.tags & mentor.tags)
    if needs.study_program_id and needs.study_program_id == mentor.study_program_id:
        total += SAME_PROGRAM_POINTS
    if needs.field_id and needs.field_id == mentor.field_id:
        total += SAME_FIELD_POINTS
    if needs.format == IN_PERSON and mentor.in_person and needs.province_id \
            and needs.province_id == mentor.province_id:
        total += SAME_PROVINCE_POINTS
    if mentor.free >= FREE_PLACES_FROM:
        total += FREE_PLACES_POINTS
    return total


def reason_codes(needs: MenteeNeeds, mentor: MentorFacts) -> list[list]:
    """The reasons as language-neutral codes, in the order of the weights above: ["topics", n], ["tags", n],
    ["program"], ["field"], ["province", name] (["province"] when the name is unknown), ["free"]. JSON-ready."""
    codes: list[list] = []
    topics = len(needs.topic_ids & mentor.topic_ids)
    if topics:
        codes.append(["topics", topics])
    tags = len(needs.tags & mentor.tags)
    if tags:
        codes.append(["tags", tags])
    if needs.study_program_id and needs.study_program_id == mentor.study_program_id:
        codes.append(["program"])
    if needs.field_id and needs.field_id == mentor.field_id:
        codes.append(["field"])
    if needs.format == IN_PERSON and mentor.in_person and needs.province_id \
            and needs.province_id == mentor.province_id:
        codes.append(["province", mentor.province_name] if mentor.province_name else ["province"])
    if mentor.free >= FREE_PLACES_FROM:
        codes.append(["free"])
    return codes


def reason_text(code) -> str:
    """One reason code as a short phrase in the active language. A plain string (a reason stored as text before
    the codes) is shown as it is; an unknown code as its name."""
    if isinstance(code, str):
        return code
    if not code:
        return ""
    name, args = str(code[0]), list(code[1:])
    if name == "topics":
        n = int(args[0]) if args else 0
        return ngettext("%(n)d shared topic", "%(n)d shared topics", n) % {"n": n}
    if name == "tags":
        n = int(args[0]) if args else 0
        return ngettext("%(n)d shared tag", "%(n)d shared tags", n) % {"n": n}
    if name == "program":
        return gettext("same study program")
    if name == "field":
        return gettext("same field of work")
    if name == "province":
        return str(args[0]) if args and args[0] else gettext("same province")
    if name == "free":
        return gettext("has free places")
    return name


def reasons_text(codes) -> list[str]:
    """Reason codes (see reason_codes) as short phrases in the active language; empty ones left out."""
    return [text for text in (reason_text(c) for c in (codes or [])) if text]


def reasons_line(codes) -> str:
    """The reasons as the pages and emails show them: "2 shared topics · same study program · Jawa Barat"."""
    return REASON_JOINER.join(reasons_text(codes))


def score(needs: MenteeNeeds, mentor: MentorFacts) -> Scored:
    """The points and the reasons: as codes and in the active language, in the order of the weights above."""
    codes = reason_codes(needs, mentor)
    return Scored(points(needs, mentor), reasons_text(codes), codes)


def shares_topic(needs: MenteeNeeds, mentor: MentorFacts) -> bool:
    return not (needs.topic_ids.isdisjoint(mentor.topic_ids) and needs.tags.isdisjoint(mentor.tags))


def offers_format(needs: MenteeNeeds, mentor: MentorFacts) -> bool:
    """A mentee with no preference, or a mentor who named no format, fits any."""
    return not needs.format or not mentor.formats or needs.format in mentor.formats


def suitable(needs: MenteeNeeds, mentor: MentorFacts) -> bool:
    """`fits(...) is None` without building the reason (fast: the matching asks it for every pair)."""
    return (needs.user_id is None or needs.user_id != mentor.user_id) and shares_topic(needs, mentor) \
        and offers_format(needs, mentor)


def fits(needs: MenteeNeeds, mentor: MentorFacts) -> str | None:
    """None when this mentor could mentor this mentee; else the short reason why not (for matching rounds)."""
    if needs.user_id is not None and needs.user_id == mentor.user_id:
        return gettext("is the mentee")
    if not shares_topic(needs, mentor):
        return gettext("no shared topic")
    if not offers_format(needs, mentor):
        return gettext("does not offer this format")
    return None


def rank(needs: MenteeNeeds, facts: list[MentorFacts]) -> list[tuple[MentorFacts, Scored]]:
    """Mentors for this mentee, best first; ties keep the order of `facts` (the sort is stable). Paused mentors,
    mentors without a free place and the mentee themself are left out."""
    scored = [
        (f, score(needs, f))
        for f in facts
        if not f.paused and f.free > 0 and not (needs.user_id is not None and f.user_id == needs.user_id)
    ]
    scored.sort(key=lambda pair: -pair[1].points)
    return scored


def mentor_facts(profiles_qs) -> list[MentorFacts]:
    """The facts of each profile of `profiles_qs`, in its order: 2 queries whatever the number of profiles
    (profiles with study program, province and active mentorships; their topics). free = capacity − active
    mentorships, never below 0."""
    active = (
        Mentorship.objects.filter(mentor_id=OuterRef("user_id"), status=Mentorship.Status.ACTIVE)
        .order_by().values("mentor_id").annotate(n=Count("pk")).values("n")
    )
    rows = list(
        profiles_qs.annotate(
            _active=Coalesce(Subquery(active, output_field=IntegerField()), 0),
        ).values(
            "pk", "user_id", "user__alumni_profile__study_program_id", "tags", "formats", "province_id",
            "province__name", "field", "capacity", "paused", "_active",
        )
    )
    topics: dict[int, set[int]] = {}
    if rows:
        through = MentorProfile.topics.through
        for profile_id, topic_id in through.objects.filter(
            Q(mentorprofile_id__in=[r["pk"] for r in rows])
        ).values_list("mentorprofile_id", "topic_id"):
            topics.setdefault(profile_id, set()).add(topic_id)
    return [
        MentorFacts(
            profile_id=r["pk"], user_id=r["user_id"], study_program_id=r["user__alumni_profile__study_program_id"],
            topic_ids=topics.get(r["pk"], set()), tags=clean_tags(r["tags"]), formats=list(r["formats"] or []),
            province_id=r["province_id"], province_name=r["province__name"] or "", field_id=r["field"] or None,
            free=max(0, r["capacity"] - r["_active"]), paused=r["paused"],
        )
        for r in rows
    ]


def needs_for(user, topic_ids, tags, format: str) -> MenteeNeeds:
    """The mentee's side: study program and province from their record, field of work from their own mentor
    profile (if they have one). One query."""
    record = (
        AlumniProfile.objects.filter(user_id=user.pk)
        .values("study_program_id", "province_id", "user__mentor_profile__field").first()
        if user is not None and user.pk else None
    ) or {}
    return MenteeNeeds(
        user_id=getattr(user, "pk", None), study_program_id=record.get("study_program_id"),
        topic_ids={int(t) for t in (topic_ids or [])}, tags=clean_tags(tags), format=format or "",
        province_id=record.get("province_id"), field_id=record.get("user__mentor_profile__field") or None,
    )
