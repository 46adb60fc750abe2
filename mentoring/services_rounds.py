"""Mentoring rounds: staff of a study program open a round of one of its mentoring programs, mentees apply by the
deadline, mentors say how many mentees they take, the portal proposes a matching (mentoring.matching) at the
deadline, staff adjust it and publish it, and publishing makes the mentorships and tells everyone once.

Rules (each refusal is a ValidationError with a message in the user's language, and nothing is written):
- a round is opened by someone who runs its study program (staff of it, an admin of its institution), for a
  program of category "mentoring" of that same study program, with a deadline in the future, a title and 1–12
  months of mentoring;
- a mentee is a verified member or student of the round's study program; applies once, while the round is open
  and before its deadline, with at least one topic (from the round's topics when it names some) and what they
  want help with;
- a mentor is a verified member with a mentor profile (not paused); states 1..MAX_CAPACITY mentees for the round
  while it is open (again to change it); never in a round they applied to as a mentee;
- the matching is proposed once the deadline has passed: by the tick (`rounds_tick`, exactly once however many
  ticks run: the round row is locked with SKIP LOCKED and its status checked again) or by staff (again, to start
  over after adjustments, until published). Proposing before the deadline is refused;
- staff move a proposed mentee to another mentor of the round (within that mentor's capacity) or unmatch them;
- publishing (a proposed round only; a cancelled one is refused; a published one again does nothing) creates one
  Mentorship per pair (request=None, round=round, ends_on = today + the round's months) and claims one email per
  mentee (matched or not, with the reason) and per matched mentor, each under its own key: exactly once;
- a round is cancelled while open or proposed.

Demo data (the lead's seeder) goes through the same functions: `round_create`, `round_apply`, `round_offer`,
`round_propose`, `round_publish`; `round_seed` runs them in order for a round whose applications have closed.
"""

from __future__ import annotations

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alumni.models import AlumniProfile
from alumni.scope import scope_for
from core.audit import audit_log
from core.notifications import ClaimItem, notifications_claim_many
from programs.models import Program

from . import matching
from .models import (
    MAX_CAPACITY,
    TEXT_MAX,
    Format,
    MatchingRound,
    MentorProfile,
    Mentorship,
    RoundApplication,
    RoundMentor,
    Topic,
)
from .scoring import MenteeNeeds, mentor_facts, score

R = MatchingRound.Status

KIND_PROPOSED = "mentoring_round_proposed"  # to the staff member who opened the round
KIND_MATCHED = "mentoring_round_matched"  # to a matched mentee
KIND_MENTEES = "mentoring_round_mentees"  # to a matched mentor: their mentees
KIND_UNMATCHED = "mentoring_round_unmatched"  # to a mentee nobody fits, with the reason
TEMPLATE = "mentoring/email/{kind}"
# Rounds one tick proposes at most (the next tick takes the rest).
TICK_BATCH = 50


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _require_manager(round_or_program_prodi_id: int, by) -> None:
    if not scope_for(by).manages_program(round_or_program_prodi_id):
        raise ValidationError(_("Only staff of this study program can run its mentoring rounds."))


# --- Opening, applying, offering -----------------------------------------------------------------------------


def round_create(*, by, program: Program, title: str, deadline: datetime.datetime, topic_ids=(),
                 mentorship_months: int = 3, description: str = "", now=None) -> MatchingRound:
    now = now or timezone.now()
    _require_manager(program.study_program_id, by)
    if program.category != Program.Category.MENTORING:
        raise ValidationError(_("Choose a program of the category “Mentoring”."))
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Give the round a title."))
    if deadline is None or deadline <= now:
        raise ValidationError(_("The deadline must be in the future."))
    if not 1 <= int(mentorship_months) <= 12:
        raise ValidationError(_("Mentoring lasts between 1 and 12 months."))
    topics = list(Topic.objects.filter(pk__in=list(topic_ids), active=True))
    if len(topics) != len(set(topic_ids)):
        raise ValidationError(_("Choose topics from the list."))
    with transaction.atomic():
        round_ = MatchingRound.objects.create(
            study_program_id=program.study_program_id, program=program, title=title[:200],
            description=(description or "")[:TEXT_MAX], deadline=deadline, mentorship_months=int(mentorship_months),
            created_by=by,
        )
        round_.topics.set(topics)
        audit_log(actor=by, action="mentoring.round.opened", target=round_, study_program=round_.study_program,
                  data={"program": str(program.pk), "deadline": deadline.isoformat()})
    return round_


def may_apply(user, round_: MatchingRound) -> bool:
    """A verified member or student of the round's study program (the page shows the form only to them)."""
    scope = scope_for(user)
    if not scope.is_member:
        return False
    return AlumniProfile.objects.filter(user_id=user.pk, study_program_id=round_.study_program_id,
                                        verification=AlumniProfile.Verification.VERIFIED).exists()


def _open_for_changes(round_: MatchingRound, now) -> None:
    if round_.status != R.OPEN:
        raise ValidationError(_("This round no longer takes applications or offers."))
    if round_.deadline <= now:
        raise ValidationError(_("The deadline of this round has passed."))


def round_apply(*, round_: MatchingRound, mentee, topic_ids, help_with: str, format: str = "",
                now=None) -> RoundApplication:
    now = now or timezone.now()
    if not may_apply(mentee, round_):
        raise ValidationError(_("Only verified members and students of this study program can apply."))
    _open_for_changes(round_, now)
    help_with = (help_with or "").strip()
    if not help_with:
        raise ValidationError(_("Say what you want help with."))
    if len(help_with) > TEXT_MAX:
        raise ValidationError(_("Say it in at most %(n)d characters.") % {"n": TEXT_MAX})
    if format and format not in Format.values:
        raise ValidationError(_("Choose a format from the list."))
    wanted = {int(t) for t in topic_ids or []}
    allowed = set(round_.topics.values_list("pk", flat=True)) or set(
        Topic.objects.filter(active=True).values_list("pk", flat=True))
    if not wanted:
        raise ValidationError(_("Choose at least one topic."))
    if not wanted <= allowed:
        raise ValidationError(_("Choose topics of this round."))
    if RoundMentor.objects.filter(round=round_, mentor=mentee).exists():
        raise ValidationError(_("You offered to mentor in this round; you cannot also apply as a mentee."))
    try:
        with transaction.atomic():
            application = RoundApplication.objects.create(round=round_, mentee=mentee, help_with=help_with,
                                                          format=format or "")
            application.topics.set(sorted(wanted))
            audit_log(actor=mentee, action="mentoring.round.applied", target=round_,
                      study_program=round_.study_program, subject=mentee)
    except IntegrityError as exc:
        raise ValidationError(_("You have already applied to this round.")) from exc
    return application


def round_offer(*, round_: MatchingRound, mentor, capacity: int, now=None) -> RoundMentor:
    """Take part as a mentor with `capacity` mentees (again: change the number)."""
    now = now or timezone.now()
    if not scope_for(mentor).is_member:
        raise ValidationError(_("Only verified members can mentor."))
    profile = MentorProfile.objects.filter(user=mentor).first()
    if profile is None:
        raise ValidationError(_("Make your mentor profile first."))
    if profile.paused:
        raise ValidationError(_("Your mentoring is paused. Resume it on your mentor profile first."))
    try:
        capacity = int(capacity)
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("Give a number of mentees.")) from exc
    if not 1 <= capacity <= MAX_CAPACITY:
        raise ValidationError(_("Take between 1 and %(max)d mentees.") % {"max": MAX_CAPACITY})
    _open_for_changes(round_, now)
    if RoundApplication.objects.filter(round=round_, mentee=mentor).exists():
        raise ValidationError(_("You applied to this round as a mentee; you cannot also mentor in it."))
    with transaction.atomic():
        offer, _created = RoundMentor.objects.update_or_create(round=round_, mentor=mentor,
                                                               defaults={"capacity": capacity})
        audit_log(actor=mentor, action="mentoring.round.offered", target=round_,
                  study_program=round_.study_program, data={"capacity": capacity})
    return offer


# --- Proposing -------------------------------------------------------------------------------------------------


def _round_inputs(round_: MatchingRound):
    """Mentees' needs (application order) and the round's mentors with their round capacity as free places:
    five queries whatever the numbers."""
    applications = list(
        round_.applications.select_related("mentee__alumni_profile", "mentee__mentor_profile")
        .prefetch_related("topics").order_by("created_at", "pk")
    )
    offers = {o.mentor_id: o.capacity for o in round_.mentors.all()}
    facts = mentor_facts(MentorProfile.objects.filter(user_id__in=list(offers)).order_by("user_id"))
    for f in facts:
        f.free, f.paused = offers[f.user_id], False
    needs = []
    for a in applications:
        record = getattr(a.mentee, "alumni_profile", None)
        profile = getattr(a.mentee, "mentor_profile", None)
        needs.append(MenteeNeeds(
            user_id=a.mentee_id, study_program_id=record.study_program_id if record else None,
            topic_ids={t.pk for t in a.topics.all()}, tags=set(), format=a.format,
            province_id=record.province_id if record else None, field_id=(profile.field or None) if profile else None,
        ))
    return applications, needs, facts


def round_propose(*, round_: MatchingRound, by=None, now=None) -> matching.Proposal | None:
    """Propose the matching (see the module docstring). `by` None: the tick. Returns None when another tick holds
    the round or it is no longer open (tick), the proposal otherwise."""
    now = now or timezone.now()
    if by is not None:
        _require_manager(round_.study_program_id, by)
    with transaction.atomic():
        locked = MatchingRound.objects.select_for_update(skip_locked=by is None).filter(pk=round_.pk).first()
        if locked is None:
            return None
        allowed = (R.OPEN,) if by is None else (R.OPEN, R.PROPOSED)
        if locked.status not in allowed:
            if by is None:
                return None
            raise ValidationError(_("Only an open or proposed round can be matched."))
        if locked.deadline > now:
            raise ValidationError(_("Applications are open until the deadline; the matching is proposed after it."))
        applications, needs, facts = _round_inputs(locked)
        late = {a.mentee_id for a in applications if a.created_at > locked.deadline}
        proposal = matching.propose(needs, facts, late=late)
        for application, match in zip(applications, proposal.matches, strict=True):
            application.matched_mentor_id = match.mentor_id
            application.score = match.points if match.mentor_id else None
            application.reasons = match.scored.codes if match.scored else []
            application.unmatched_reason = match.reason[:300]  # a code: pages and emails translate it
            application.adjusted_by_staff = False
        RoundApplication.objects.bulk_update(
            applications, ["matched_mentor", "score", "reasons", "unmatched_reason", "adjusted_by_staff"],
            batch_size=1000,
        )
        first = locked.status == R.OPEN
        locked.status, locked.proposed_at = R.PROPOSED, now
        locked.save(update_fields=["status", "proposed_at"])
        audit_log(actor=by, action="mentoring.round.proposed", target=locked, study_program=locked.study_program,
                  data={"matched": len(proposal.matched), "unmatched": len(proposal.unmatched),
                        "total": proposal.total})
        if first and locked.created_by_id:
            notifications_claim_many([ClaimItem(
                key=f"{KIND_PROPOSED}:{locked.pk}", kind=KIND_PROPOSED, recipient=locked.created_by,
                template=TEMPLATE.format(kind="round_proposed"),
                context={"round": locked, "matched": len(proposal.matched), "unmatched": len(proposal.unmatched)},
                link=reverse("mentoring:round_detail", args=[locked.pk]),
            )])
    round_.status, round_.proposed_at = locked.status, locked.proposed_at
    return proposal


def rounds_tick(*, now=None) -> int:
    """Propose the matching of every open round whose deadline has passed. Returns how many this call proposed;
    safe to run twice or concurrently (each round is proposed, and its opener told, once)."""
    now = now or timezone.now()
    due = list(MatchingRound.objects.filter(status=R.OPEN, deadline__lte=now).order_by("deadline", "pk")
               [:TICK_BATCH])
    done = 0
    for round_ in due:
        if round_propose(round_=round_, by=None, now=now) is not None:
            done += 1
    return done


# --- Adjusting, publishing, cancelling --------------------------------------------------------------------------


def round_adjust(*, round_: MatchingRound, application: RoundApplication, mentor_id: int | None,
                 by) -> RoundApplication:
    """Move a mentee to another mentor of the round (None: unmatch them), within that mentor's capacity."""
    _require_manager(round_.study_program_id, by)
    with transaction.atomic():
        locked = MatchingRound.objects.select_for_update().get(pk=round_.pk)
        if locked.status != R.PROPOSED:
            raise ValidationError(_("Only a proposed matching can be changed."))
        application = RoundApplication.objects.select_for_update().get(pk=application.pk, round=locked)
        if mentor_id is None:
            application.matched_mentor_id, application.score, application.reasons = None, None, []
            application.unmatched_reason = matching.STAFF
        else:
            offer = RoundMentor.objects.filter(round=locked, mentor_id=mentor_id).first()
            if offer is None:
                raise ValidationError(_("Choose a mentor of this round."))
            if mentor_id == application.mentee_id:
                raise ValidationError(_("Nobody can mentor themself."))
            taken = (RoundApplication.objects.filter(round=locked, matched_mentor_id=mentor_id)
                     .exclude(pk=application.pk).count())
            if taken >= offer.capacity:
                raise ValidationError(_("This mentor takes %(n)d mentees in this round and has no place left.")
                                      % {"n": offer.capacity})
            scored = score(*_needs_and_facts(locked, application, mentor_id))
            application.matched_mentor_id, application.score = mentor_id, scored.points
            application.reasons, application.unmatched_reason = scored.codes, ""
        application.adjusted_by_staff = True
        application.save(update_fields=["matched_mentor", "score", "reasons", "unmatched_reason",
                                        "adjusted_by_staff"])
        audit_log(actor=by, action="mentoring.round.adjusted", target=locked, study_program=locked.study_program,
                  subject=application.mentee, data={"mentor": mentor_id})
    return application


def _needs_and_facts(round_: MatchingRound, application: RoundApplication, mentor_id: int):
    """The needs of one application and the facts of one mentor of the round, for a score after a move."""
    offer = round_.mentors.get(mentor_id=mentor_id)
    facts = mentor_facts(MentorProfile.objects.filter(user_id=mentor_id))
    fact = facts[0] if facts else None
    if fact is None:
        raise ValidationError(_("Choose a mentor of this round."))
    fact.free, fact.paused = offer.capacity, False
    record = AlumniProfile.objects.filter(user_id=application.mentee_id).first()
    profile = MentorProfile.objects.filter(user_id=application.mentee_id).first()
    needs = MenteeNeeds(
        user_id=application.mentee_id, study_program_id=record.study_program_id if record else None,
        topic_ids=set(application.topics.values_list("pk", flat=True)), tags=set(), format=application.format,
        province_id=record.province_id if record else None, field_id=(profile.field or None) if profile else None,
    )
    return needs, fact


def round_publish(*, round_: MatchingRound, by, now=None) -> int:
    """Publish the proposed matching: the mentorships, and one email to each person. Returns how many mentorships
    this call created (0 when the round was already published)."""
    now = now or timezone.now()
    _require_manager(round_.study_program_id, by)
    with transaction.atomic():
        locked = MatchingRound.objects.select_for_update(of=("self",)).select_related("study_program").get(pk=round_.pk)
        if locked.status == R.PUBLISHED:
            return 0
        if locked.status == R.CANCELLED:
            raise ValidationError(_("This round was cancelled; it cannot be published."))
        if locked.status != R.PROPOSED:
            raise ValidationError(_("Propose the matching before publishing it."))
        applications = list(locked.applications.select_related("mentee", "matched_mentor").order_by("created_at",
                                                                                                     "pk"))
        pairs = [a for a in applications if a.matched_mentor_id]
        today = timezone.localdate(now)
        ends_on = add_months(today, locked.mentorship_months)
        busy = set(Mentorship.objects.filter(
            status=Mentorship.Status.ACTIVE,
            mentor_id__in={a.matched_mentor_id for a in pairs}, mentee_id__in={a.mentee_id for a in pairs},
        ).values_list("mentor_id", "mentee_id"))
        created = Mentorship.objects.bulk_create([
            Mentorship(mentor_id=a.matched_mentor_id, mentee_id=a.mentee_id, study_program_id=locked.study_program_id,
                       request=None, round=locked, started_on=today, ends_on=ends_on)
            for a in pairs if (a.matched_mentor_id, a.mentee_id) not in busy
        ])
        locked.status, locked.published_at, locked.published_by = R.PUBLISHED, now, by
        locked.save(update_fields=["status", "published_at", "published_by"])
        audit_log(actor=by, action="mentoring.round.published", target=locked, study_program=locked.study_program,
                  data={"mentorships": len(created), "unmatched": len(applications) - len(pairs)})
        notifications_claim_many(_publish_items(locked, applications))
    round_.status, round_.published_at = locked.status, locked.published_at
    return len(created)


def _publish_items(round_: MatchingRound, applications: list[RoundApplication]) -> list[ClaimItem]:
    """The emails of publishing. Reasons go into the context as stored (codes): the templates translate them
    (`mentoring_rounds` filters) while core.notifications renders each email in its recipient's language."""
    link = reverse("mentoring:round_detail", args=[round_.pk])
    items = []
    by_mentor: dict[int, list[RoundApplication]] = {}
    for a in applications:
        if a.matched_mentor_id:
            by_mentor.setdefault(a.matched_mentor_id, []).append(a)
            items.append(ClaimItem(
                key=f"{KIND_MATCHED}:{round_.pk}:{a.mentee_id}", kind=KIND_MATCHED, recipient=a.mentee,
                template=TEMPLATE.format(kind="round_matched"),
                context={"round": round_, "mentor_name": a.matched_mentor.get_full_name(),
                         "reasons": a.reasons or [], "months": round_.mentorship_months},
                link=link,
            ))
        else:
            items.append(ClaimItem(
                key=f"{KIND_UNMATCHED}:{round_.pk}:{a.mentee_id}", kind=KIND_UNMATCHED, recipient=a.mentee,
                template=TEMPLATE.format(kind="round_unmatched"),
                context={"round": round_, "reason": a.unmatched_reason}, link=link,
            ))
    for mentor_id, mine in by_mentor.items():
        items.append(ClaimItem(
            key=f"{KIND_MENTEES}:{round_.pk}:{mentor_id}", kind=KIND_MENTEES, recipient=mine[0].matched_mentor,
            template=TEMPLATE.format(kind="round_mentees"),
            context={"round": round_, "mentees": [{"name": a.mentee.get_full_name(), "help_with": a.help_with}
                                                  for a in mine], "months": round_.mentorship_months},
            link=link,
        ))
    return items


def round_cancel(*, round_: MatchingRound, by, reason: str = "") -> MatchingRound:
    _require_manager(round_.study_program_id, by)
    with transaction.atomic():
        locked = MatchingRound.objects.select_for_update().get(pk=round_.pk)
        if locked.status not in (R.OPEN, R.PROPOSED):
            raise ValidationError(_("Only an open or proposed round can be cancelled."))
        locked.status = R.CANCELLED
        locked.save(update_fields=["status"])
        audit_log(actor=by, action="mentoring.round.cancelled", target=locked, study_program=locked.study_program,
                  data={"reason": (reason or "")[:500]})
    round_.status = locked.status
    return locked



def round_seed(*, by, program: Program, title: str, topic_ids, mentors, mentees, months: int = 3,
               publish: bool = True, description: str = "") -> MatchingRound:
    """A whole round for demo data, through the services above: opened by `by`, `mentors` [(user, capacity)]
    offer places, `mentees` [(user, topic ids, help with, format)] apply; then the deadline is moved to now (the
    applications came before it), the matching is proposed and, with `publish`, published (mentorships, emails)."""
    round_ = round_create(by=by, program=program, title=title, topic_ids=topic_ids, mentorship_months=months,
                          deadline=timezone.now() + datetime.timedelta(hours=1), description=description)
    for user, capacity in mentors:
        round_offer(round_=round_, mentor=user, capacity=capacity)
    for user, wanted, help_with, format in mentees:
        round_apply(round_=round_, mentee=user, topic_ids=wanted, help_with=help_with, format=format)
    closed = timezone.now()
    MatchingRound.objects.filter(pk=round_.pk).update(deadline=closed)
    round_.deadline = closed
    round_propose(round_=round_, by=by, now=closed + datetime.timedelta(seconds=1))
    if publish:
        round_publish(round_=round_, by=by)
    round_.refresh_from_db()
    return round_
