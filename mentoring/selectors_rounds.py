"""What the rounds pages read, in fixed numbers of queries.

Who sees which round (`rounds_visible_to`):
- staff of its study program and admins of its institution (scope.manages_program): every round, every state,
  with the applications, the proposal and the reasons (a read of personal data, audited by the view);
- a verified member or student: the open rounds of their own study program (to apply), every open round when they
  have a mentor profile (to offer places), and any round they applied to or mentor in (their own application,
  offer and, once published, their match);
- anyone else (pending, employer contacts, anonymous): none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from alumni.models import AlumniProfile
from alumni.scope import scope_for

from .models import MatchingRound, MentorProfile, RoundApplication, RoundMentor

R = MatchingRound.Status


def rounds_visible_to(user):
    scope = scope_for(user)
    if scope.is_superuser:
        return MatchingRound.objects.all()
    if not scope.is_authenticated:
        return MatchingRound.objects.none()
    q = Q(study_program_id__in=scope.staff_program_ids)
    if scope.is_member:
        own = AlumniProfile.objects.filter(user_id=user.pk, verification=AlumniProfile.Verification.VERIFIED)
        q |= Q(status=R.OPEN, study_program_id__in=own.values("study_program_id"))
        if MentorProfile.objects.filter(user_id=user.pk).exists():
            q |= Q(status=R.OPEN)
        q |= Exists(RoundApplication.objects.filter(round=OuterRef("pk"), mentee_id=user.pk))
        q |= Exists(RoundMentor.objects.filter(round=OuterRef("pk"), mentor_id=user.pk))
    return MatchingRound.objects.filter(q)


def rounds_list(user):
    """The rounds this person sees, newest deadline first, with their counts (one query)."""
    applications = RoundApplication.objects.filter(round=OuterRef("pk")).order_by().values("round")
    mentors = RoundMentor.objects.filter(round=OuterRef("pk")).order_by().values("round")
    return list(
        rounds_visible_to(user)
        .select_related("program", "study_program")
        .annotate(
            n_applications=Coalesce(Subquery(applications.annotate(n=Count("pk")).values("n"),
                                             output_field=IntegerField()), 0),
            n_mentors=Coalesce(Subquery(mentors.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0),
            n_places=Coalesce(Subquery(mentors.annotate(n=Sum("capacity")).values("n"), output_field=IntegerField()),
                              0),
        )
        .order_by("-deadline", "pk")
    )


@dataclass
class MentorLoad:
    offer: RoundMentor
    name: str
    taken: int = 0
    mentees: list = field(default_factory=list)

    @property
    def free(self) -> int:
        return max(0, self.offer.capacity - self.taken)


@dataclass
class StaffView:
    applications: list[RoundApplication]
    mentors: list[MentorLoad]
    matched: list[RoundApplication]
    unmatched: list[RoundApplication]
    total: int


def staff_view(round_: MatchingRound) -> StaffView:
    """Applications (with mentee, matched mentor, topics) and mentors (with their load): three queries."""
    applications = list(
        round_.applications.select_related("mentee", "matched_mentor").prefetch_related("topics")
        .order_by("created_at", "pk")
    )
    offers = list(round_.mentors.select_related("mentor").order_by("mentor__full_name", "pk"))
    loads = {o.mentor_id: MentorLoad(offer=o, name=o.mentor.get_full_name()) for o in offers}
    for a in applications:
        load = loads.get(a.matched_mentor_id)
        if load is not None:
            load.taken += 1
            load.mentees.append(a)
    matched = [a for a in applications if a.matched_mentor_id]
    return StaffView(
        applications=applications, mentors=list(loads.values()), matched=matched,
        unmatched=[a for a in applications if not a.matched_mentor_id], total=sum(a.score or 0 for a in matched),
    )


@dataclass
class OwnView:
    application: RoundApplication | None
    offer: RoundMentor | None
    my_mentees: list[RoundApplication]


def own_view(round_: MatchingRound, user) -> OwnView:
    """This person's application and offer; once published, their match (a mentor's mentees): three queries."""
    application = (round_.applications.select_related("matched_mentor").prefetch_related("topics")
                   .filter(mentee_id=user.pk).first())
    offer = round_.mentors.filter(mentor_id=user.pk).first()
    mentees = []
    if offer is not None and round_.status == R.PUBLISHED:
        mentees = list(round_.applications.select_related("mentee").filter(matched_mentor_id=user.pk)
                       .order_by("created_at", "pk"))
    return OwnView(application=application, offer=offer, my_mentees=mentees)
