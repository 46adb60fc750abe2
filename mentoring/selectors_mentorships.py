"""What the mentorship pages read: one mentorship for its pair, and the staff overview of the study programs a
staff member runs (counts, per-mentor rows, a chart per year). Staff never read meeting notes or feedback texts;
a mentor's average rating appears only from RATINGS_SHOWN_FROM ratings on."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from alumni.models import StudyProgram
from alumni.scope import scope_for

from .models import RATINGS_SHOWN_FROM, Feedback, Meeting, MentorProfile, Mentorship, MentorshipRequest

# Mentor rows on the staff page at most (the busiest first), and the most recent mentorships listed.
STAFF_MENTOR_ROWS = 500
STAFF_MENTORSHIP_ROWS = 100


def mentorship_for(*, user, pk) -> Mentorship | None:
    """The mentorship when `user` is one of its pair; None for anyone else (staff included)."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user), pk=pk)
        .select_related("mentor__alumni_profile__study_program", "mentee__alumni_profile__study_program",
                        "request").first()
    )


@dataclass
class MentorRow:
    user_id: int
    name: str
    study_program: str
    capacity: int | None
    paused: bool
    active: int = 0
    ended: int = 0
    meetings: int = 0
    ratings: int = 0
    average: float | None = None

    @property
    def rating_shown(self) -> bool:
        return self.ratings >= RATINGS_SHOWN_FROM


@dataclass
class Overview:
    programs: list
    program: StudyProgram | None
    mentors: int = 0
    active: int = 0
    ended: int = 0
    requests_open: int = 0
    requests_expired: int = 0
    meetings: int = 0
    rows: list[MentorRow] = field(default_factory=list)
    # The most recent mentorships: who, since when, state, how many meetings (never notes or feedback).
    mentorships: list = field(default_factory=list)
    chart: dict = field(default_factory=dict)
    shown_from: int = RATINGS_SHOWN_FROM


def staff_programs(viewer):
    scope = scope_for(viewer)
    if scope.is_superuser:
        return StudyProgram.objects.order_by("name")
    return StudyProgram.objects.filter(pk__in=scope.staff_program_ids).order_by("name")


def staff_overview(*, viewer, program_id=None) -> Overview:
    """The figures of the study programs `viewer` runs (or the one chosen among them). Fixed number of queries."""
    programs = list(staff_programs(viewer))
    chosen = next((p for p in programs if str(p.pk) == str(program_id or "")), None)
    ids = [chosen.pk] if chosen else [p.pk for p in programs]
    overview = Overview(programs=programs, program=chosen)
    mentorships = Mentorship.objects.filter(study_program_id__in=ids)
    profiles = MentorProfile.objects.filter(user__alumni_profile__study_program_id__in=ids)
    requests = MentorshipRequest.objects.filter(mentee__alumni_profile__study_program_id__in=ids)
    overview.mentors = profiles.count()
    counts = mentorships.aggregate(
        active=Count("pk", filter=Q(status=Mentorship.Status.ACTIVE)),
        ended=Count("pk", filter=Q(status=Mentorship.Status.ENDED)),
    )
    overview.active, overview.ended = counts["active"], counts["ended"]
    req = requests.aggregate(open=Count("pk", filter=Q(status=MentorshipRequest.Status.OPEN)),
                             expired=Count("pk", filter=Q(status=MentorshipRequest.Status.EXPIRED)))
    overview.requests_open, overview.requests_expired = req["open"], req["expired"]
    meetings = Meeting.objects.filter(mentorship__study_program_id__in=ids)
    overview.meetings = meetings.count()

    per_mentor = {
        r["mentor_id"]: r for r in mentorships.order_by().values("mentor_id").annotate(
            active=Count("pk", filter=Q(status=Mentorship.Status.ACTIVE), distinct=True),
            ended=Count("pk", filter=Q(status=Mentorship.Status.ENDED), distinct=True),
            meetings=Count("meetings", distinct=True),
        )
    }
    ratings = {
        r["mentorship__mentor_id"]: r for r in Feedback.objects.filter(
            side=Feedback.Side.MENTEE, mentorship__study_program_id__in=ids,
        ).order_by().values("mentorship__mentor_id").annotate(n=Count("pk"), avg=Avg("rating"))
    }
    mentor_ids = set(per_mentor) | set(profiles.values_list("user_id", flat=True))
    people = (
        get_user_model().objects.filter(pk__in=mentor_ids)
        .select_related("alumni_profile__study_program", "mentor_profile")
    )
    rows = []
    for person in people:
        record = getattr(person, "alumni_profile", None)
        profile = getattr(person, "mentor_profile", None)
        counted = per_mentor.get(person.pk, {})
        rated = ratings.get(person.pk, {})
        row = MentorRow(
            user_id=person.pk, name=(record.full_name if record else "") or person.full_name,
            study_program=record.study_program.name if record and record.study_program_id else "",
            capacity=profile.capacity if profile else None, paused=bool(profile and profile.paused),
            active=counted.get("active", 0), ended=counted.get("ended", 0), meetings=counted.get("meetings", 0),
            ratings=rated.get("n", 0),
        )
        if row.rating_shown:
            row.average = round(float(rated["avg"]), 1)
        rows.append(row)
    rows.sort(key=lambda r: (-r.active, -r.ended, r.name))
    overview.rows = rows[:STAFF_MENTOR_ROWS]
    overview.mentorships = list(
        mentorships.select_related("mentor__alumni_profile", "mentee__alumni_profile")
        .annotate(meeting_count=Count("meetings")).order_by("-started_on", "-created_at")[:STAFF_MENTORSHIP_ROWS]
    )
    overview.chart = _chart(mentorships, meetings, requests)
    return overview


def _chart(mentorships, meetings, requests) -> dict:
    """Per calendar year: mentorships started, meetings logged, requests sent (3 queries)."""
    series = {
        "started": dict(mentorships.annotate(y=ExtractYear("started_on")).order_by().values("y")
                        .annotate(n=Count("pk")).values_list("y", "n")),
        "meetings": dict(meetings.annotate(y=ExtractYear("date")).order_by().values("y")
                         .annotate(n=Count("pk")).values_list("y", "n")),
        "requests": dict(requests.annotate(y=ExtractYear("created_at")).order_by().values("y")
                         .annotate(n=Count("pk")).values_list("y", "n")),
    }
    years = sorted({y for s in series.values() for y in s if y})
    labels = {"started": _("Mentorships started"), "meetings": _("Meetings logged"), "requests": _("Requests sent")}
    return {
        "labels": [str(y) for y in years],
        "datasets": [{"label": str(labels[k]), "data": [s.get(y, 0) for y in years]} for k, s in series.items()],
    }
