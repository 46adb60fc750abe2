"""What the mentoring pages of a member read: the mentors a mentee can find (ranked by mentoring.scoring), one
mentor's card, and a member's own mentoring page. Fixed numbers of queries, whatever the number of mentors.

Never a contact: the cards carry name, study program, cohort, topics, tags, formats, languages, province, the short
text and free places, never an email or a phone (those pass only inside an accepted mentorship)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Q

from alumni.models import AlumniProfile

from . import scoring
from .models import Format, Language, MentorProfile, Mentorship, MentorshipRequest, Topic

FIND_PAGE_SIZE = 20


def listed_mentors():
    """Profiles a mentee can find: not paused, of an active account whose record is verified. Stable order."""
    return (
        MentorProfile.objects.listed()
        .filter(user__is_active=True, user__alumni_profile__verification=AlumniProfile.Verification.VERIFIED)
        .order_by("created_at", "pk")
    )


def active_topics():
    return Topic.objects.filter(active=True).order_by("name")


@dataclass
class MentorCard:
    profile: MentorProfile
    name: str
    study_program: str
    entry_year: int | None
    topics: list[str]
    tags: list[str]
    formats: list[str]
    languages: list[str]
    province: str
    free: int
    reasons: str = ""
    points: int = 0
    format_codes: list[str] = field(default_factory=list)


def _labels(codes, choices) -> list[str]:
    names = dict(choices)
    return [str(names.get(c, c)) for c in codes or []]


def _card(profile: MentorProfile, free: int) -> MentorCard:
    record = getattr(profile.user, "alumni_profile", None)
    return MentorCard(
        profile=profile,
        name=(record.full_name if record else "") or profile.user.full_name,
        study_program=record.study_program.name if record and record.study_program_id else "",
        entry_year=record.entry_year if record else None,
        topics=[t.name for t in profile.topics.all()],
        tags=list(profile.tags or []),
        formats=_labels(profile.formats, Format.choices),
        format_codes=list(profile.formats or []),
        languages=_labels(profile.languages, Language.choices),
        province=profile.province.name if profile.province_id else "",
        free=free,
    )


def cards_for(profile_ids: list[int], free: dict[int, int]) -> list[MentorCard]:
    """The cards of these profiles in this order: 2 queries (profiles with record, study program and province;
    their topics)."""
    if not profile_ids:
        return []
    profiles = {
        p.pk: p
        for p in MentorProfile.objects.filter(pk__in=profile_ids)
        .select_related("user__alumni_profile__study_program", "province").prefetch_related("topics")
    }
    return [_card(profiles[pk], free.get(pk, 0)) for pk in profile_ids if pk in profiles]


@dataclass
class FindResult:
    page: object
    cards: list[MentorCard]
    total: int


def find_mentors(*, user, topic_ids, tags, format: str, page_number=1) -> FindResult:
    """Mentors for `user`, best first (scoring.rank: paused, full and oneself left out), one page of cards with
    the reasons. Queries: 1 (needs) + 2 (facts) + 2 (cards of the page), whatever the number of mentors."""
    needs = scoring.needs_for(user, topic_ids, tags, format)
    ranked = scoring.rank(needs, scoring.mentor_facts(listed_mentors()))
    paginator = Paginator(ranked, FIND_PAGE_SIZE)
    page = paginator.get_page(page_number)
    on_page = list(page.object_list)
    cards = cards_for([f.profile_id for f, _s in on_page], {f.profile_id: f.free for f, _s in on_page})
    for card, (_facts, scored) in zip(cards, on_page, strict=False):
        card.reasons, card.points = scored.text, scored.points
    return FindResult(page=page, cards=cards, total=paginator.count)


def free_places(profile: MentorProfile) -> int:
    active = Mentorship.objects.filter(mentor_id=profile.user_id, status=Mentorship.Status.ACTIVE).count()
    return max(0, profile.capacity - active)


def mentor_card(pk: int) -> MentorCard | None:
    """One listed mentor's card (None when not listed: paused, unverified or unknown). 3 queries."""
    profile = (
        listed_mentors().filter(pk=pk).select_related("user__alumni_profile__study_program", "province")
        .prefetch_related("topics").first()
    )
    if profile is None:
        return None
    return _card(profile, free_places(profile))


@dataclass
class Home:
    profile: MentorProfile | None
    free: int
    received: list
    sent: list
    active: list
    ended: list
    topics: list[str] = field(default_factory=list)


def home_for(user) -> Home:
    """A member's mentoring page: own mentor profile, requests received and sent, mentorships. 6 queries."""
    profile = (
        MentorProfile.objects.filter(user=user).annotate(
            _active=Count("user__mentorships_as_mentor", filter=Q(
                user__mentorships_as_mentor__status=Mentorship.Status.ACTIVE))
        ).first()
    )
    topics = list(profile.topics.values_list("name", flat=True)) if profile else []
    requests = list(
        MentorshipRequest.objects.filter(Q(mentee=user) | Q(mentor=user))
        .select_related("mentee__alumni_profile", "mentor__alumni_profile").order_by("-created_at")[:100]
    )
    open_first = sorted(requests, key=lambda r: r.status != MentorshipRequest.Status.OPEN)
    mentorships = list(
        Mentorship.objects.filter(Q(mentee=user) | Q(mentor=user))
        .select_related("mentee__alumni_profile", "mentor__alumni_profile").order_by("-started_on", "-created_at")
    )
    return Home(
        profile=profile,
        free=max(0, profile.capacity - profile._active) if profile else 0,
        received=[r for r in open_first if r.mentor_id == user.pk],
        sent=[r for r in open_first if r.mentee_id == user.pk],
        active=[m for m in mentorships if m.status == Mentorship.Status.ACTIVE],
        ended=[m for m in mentorships if m.status == Mentorship.Status.ENDED],
        topics=topics,
    )


def person_name(user) -> str:
    """A name for pages that never falls back to the email (get_full_name does)."""
    record = getattr(user, "alumni_profile", None) if user is not None else None
    return (record.full_name if record else "") or getattr(user, "full_name", "") or "—"
