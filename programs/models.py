"""Programs, their sessions, who takes part, and the history of every status change.

The rhythm rule lives in one place, `Program.health()`: the last session held plus the cadence gives the next
session due; with no upcoming session scheduled, the days past that date are the days overdue, and more than
`grace_days` of them make a running program lapse.
"""

from __future__ import annotations

import datetime
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alumni.models import StudyProgram
from alumni.scope import scope_for

# A program that has this many days left before its next session is due gets its "no session yet" reminder.
DUE_SOON_DAYS = 7


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus whole months, clamped to the end of a shorter month (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


class ProgramQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Public programs for everyone; members see every program that is past the proposal stage; staff see
        everything of their study programs; proposers see their own proposals."""
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        public = Q(audience=Program.Audience.PUBLIC, status__in=Program.LISTED_STATUSES)
        if not scope.is_authenticated:
            return self.filter(public)
        visible = public | Q(study_program_id__in=scope.staff_program_ids) | Q(proposed_by_id=scope.user_id)
        visible |= Q(pic_id=scope.user_id)
        if scope.is_member:
            visible |= Q(status__in=Program.LISTED_STATUSES)
        return self.filter(visible)

    def managed_by(self, user):
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        return self.filter(study_program_id__in=scope.staff_program_ids)


class Program(models.Model):
    class Kind(models.TextChoices):
        ACADEMIC = "academic", _("Academic")
        NON_ACADEMIC = "non_academic", _("Non-academic")

    class Category(models.TextChoices):
        MENTORING = "mentoring", _("Mentoring")
        GUEST_LECTURE = "guest_lecture", _("Guest lecture")
        TRAINING = "training", _("Training")
        CONSULTING = "consulting", _("Consulting")
        PARTNERSHIP = "partnership", _("Partnership / MoU")
        PUBLICATION = "publication", _("Publication")
        REUNION = "reunion", _("Reunion")
        SPORT = "sport", _("Sport")
        COMMUNITY_SERVICE = "community_service", _("Community service")
        FUNDRAISING = "fundraising", _("Fundraising")
        OTHER = "other", _("Other")

    class Organiser(models.TextChoices):
        ALUMNI_ASSOCIATION = "alumni_association", _("Alumni association")
        STUDENTS = "students", _("Students")
        STUDY_PROGRAM = "study_program", _("Study program")
        JOINT = "joint", _("Joint")

    class Audience(models.TextChoices):
        ALUMNI = "alumni", _("Alumni")
        STUDENTS = "students", _("Students")
        BOTH = "both", _("Alumni and students")
        PUBLIC = "public", _("Public")

    class Cadence(models.TextChoices):
        ONE_OFF = "one_off", _("One-off")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        YEARLY = "yearly", _("Yearly")
        EVERY_N_YEARS = "every_n_years", _("Every N years")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")
        LAPSED = "lapsed", _("Lapsed")

    # Statuses shown in the public list: decided, not withdrawn.
    LISTED_STATUSES = (Status.APPROVED, Status.RUNNING, Status.COMPLETED, Status.LAPSED)
    # Statuses whose rhythm is watched.
    ACTIVE_STATUSES = (Status.APPROVED, Status.RUNNING, Status.LAPSED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    study_program = models.ForeignKey(
        StudyProgram, on_delete=models.PROTECT, related_name="programs", verbose_name=_("study program")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    organiser = models.CharField(_("organiser"), max_length=30, choices=Organiser.choices)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.BOTH)
    cadence = models.CharField(_("cadence"), max_length=20, choices=Cadence.choices)
    cadence_years = models.PositiveSmallIntegerField(
        _("every how many years"), null=True, blank=True, help_text=_("Only for “every N years”, e.g. 3.")
    )
    grace_days = models.PositiveSmallIntegerField(
        _("grace days"), default=14,
        help_text=_("How many days a session may be late before the program counts as lapsed."),
    )
    pic = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="programs_led",
        verbose_name=_("person in charge (PIC)"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="programs_proposed", verbose_name=_("proposed by"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    # When the current status began: the anchor of the rhythm for a program that has held no session yet.
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        indexes = [models.Index(fields=["study_program", "status"]), models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(cadence="every_n_years", cadence_years__isnull=False, cadence_years__gte=2)
                | ~Q(cadence="every_n_years"),
                name="program_every_n_years_has_n",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programs:detail", args=[self.pk])

    def is_visible_to(self, user) -> bool:
        """Python twin of Program.objects.visible_to(user) for this loaded row (no query: the scope is cached).
        tests/programs/test_program_page_fast.py holds the two together for every persona, status and audience."""
        scope = scope_for(user)
        if scope.is_superuser:
            return True
        listed = self.status in self.LISTED_STATUSES
        if self.audience == self.Audience.PUBLIC and listed:
            return True
        if not scope.is_authenticated:
            return False
        return (
            self.study_program_id in scope.staff_program_ids
            or (self.proposed_by_id is not None and self.proposed_by_id == scope.user_id)
            or (self.pic_id is not None and self.pic_id == scope.user_id)
            or (scope.is_member and listed)
        )

    def clean(self):
        if self.cadence == self.Cadence.EVERY_N_YEARS:
            if not self.cadence_years:
                raise ValidationError(
                    {"cadence_years": _("Say every how many years the program runs (for example 3).")}
                )
            if self.cadence_years < 2:
                raise ValidationError(
                    {"cadence_years": _("“Every N years” needs N of 2 or more; for every year choose Yearly.")}
                )

    def cadence_label(self) -> str:
        if self.cadence == self.Cadence.EVERY_N_YEARS and self.cadence_years:
            return str(_("Every %(n)s years") % {"n": self.cadence_years})
        return str(self.get_cadence_display())

    def next_due_after(self, day: datetime.date) -> datetime.date | None:
        """The date the session after one held on `day` is due; None for a one-off program."""
        if self.cadence == self.Cadence.WEEKLY:
            return day + datetime.timedelta(days=7)
        months = {
            self.Cadence.MONTHLY: 1, self.Cadence.QUARTERLY: 3, self.Cadence.YEARLY: 12,
            self.Cadence.EVERY_N_YEARS: 12 * (self.cadence_years or 1),
        }.get(self.cadence)
        return add_months(day, months) if months else None

    def health(self, *, today: datetime.date, last_held: datetime.datetime | None,
               next_scheduled: datetime.datetime | None) -> Health:
        """The rhythm of this program on `today`, given its last session held and its next scheduled one
        (both read by `selectors.program_health` in one query for many programs)."""
        watched = self.status in self.ACTIVE_STATUSES
        if not watched:
            return Health(last_held, next_scheduled, None, 0, False, False)
        if next_scheduled is not None:
            due = timezone.localdate(next_scheduled)
            return Health(last_held, next_scheduled, due, 0, False, False)
        if self.cadence == self.Cadence.ONE_OFF:
            # A one-off program that has held its session is done; before that it is due once it is running.
            due = None if last_held else timezone.localdate(self.status_changed_at) + datetime.timedelta(days=30)
        else:
            anchor = timezone.localdate(last_held) if last_held else timezone.localdate(self.status_changed_at)
            due = self.next_due_after(anchor)
        if due is None:
            return Health(last_held, None, None, 0, False, False)
        overdue = max(0, (today - due).days)
        return Health(
            last_held, None, due, overdue,
            due_soon=overdue == 0 and (due - today).days <= DUE_SOON_DAYS,
            should_lapse=self.status == self.Status.RUNNING and overdue > self.grace_days,
        )


@dataclass(frozen=True)
class Health:
    last_held: datetime.datetime | None
    next_scheduled: datetime.datetime | None
    next_due: datetime.date | None
    days_overdue: int
    due_soon: bool
    should_lapse: bool

    @property
    def risk(self) -> int:
        """Sort key: the more overdue, the higher; due soon above on schedule."""
        if self.days_overdue:
            return 1000 + self.days_overdue
        return 1 if self.due_soon else 0


class ProgramTransition(models.Model):
    """One status change: who, when, why. The program page shows these as its history."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=20, choices=Program.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Program.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("by")
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.program}: {self.from_status or '∅'} → {self.to_status}"


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(program__in=Program.objects.visible_to(user))

    def managed_by(self, user):
        return self.filter(program__in=Program.objects.managed_by(user))

    def active(self):
        return self.exclude(status=Session.Status.CANCELLED)


class Session(models.Model):
    """One occurrence of a program: a lecture, a match, a reunion day."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("program"))
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("Leave empty to use the program's."))
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Empty: no limit."))
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["program", "start"]), models.Index(fields=["start"])]
        constraints = [models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="session_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.display_title} · {timezone.localtime(self.start):%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("programs:session", args=[self.pk])

    @property
    def display_title(self) -> str:
        return self.title or self.program.title

    def registration_open(self, *, now: datetime.datetime) -> bool:
        if self.status != self.Status.SCHEDULED or now >= self.start:
            return False
        return self.registration_deadline is None or now <= self.registration_deadline


class ParticipationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A person sees their own involvement; staff see their programs'; otherwise the involvement in programs
        one may see, except waitlists and attendance, which stay between the person and staff (see views)."""
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        return self.filter(
            Q(user_id=scope.user_id) | Q(program__study_program_id__in=scope.staff_program_ids)
        )

    def current(self):
        return self.exclude(status=Participation.Status.CANCELLED)


class Participation(models.Model):
    """A person's part in a program (committee, mentor…) or in one session (participant, speaker…)."""

    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        SPEAKER = "speaker", _("Speaker")
        COMMITTEE = "committee", _("Committee")
        MENTOR = "mentor", _("Mentor")
        VOLUNTEER = "volunteer", _("Volunteer")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="participations", verbose_name=_("program")
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="participations",
        verbose_name=_("session"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED)
    # Waitlist order: the earliest queued is promoted first (re-registering queues again).
    queued_at = models.DateTimeField(_("queued"), default=timezone.now)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["queued_at", "pk"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user", "role"], condition=Q(session__isnull=False), name="one_role_per_session"
            ),
            models.UniqueConstraint(
                fields=["program", "user", "role"], condition=Q(session__isnull=True), name="one_role_per_program"
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.session or self.program}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A secret URL per person that calendar apps poll for that person's sessions."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user}"


# How long a team invitation can be accepted.
TEAM_INVITATION_DAYS = 30


def team_invitation_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=TEAM_INVITATION_DAYS)


class TeamInvitationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The invited person sees their own invitations; staff and the PIC see those of the programs they run."""
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        return self.filter(
            self._invitee_q(user)
            | Q(program__study_program_id__in=scope.staff_program_ids)
            | Q(program__pic_id=scope.user_id)
        )

    def managed_by(self, user):
        return self.filter(program__in=Program.objects.managed_by(user))

    @staticmethod
    def _invitee_q(user) -> Q:
        # An invitation to an address without an account waits for that address: the account that signs up with
        # it (allauth verifies the email before anyone can log in) is the invited person.
        return Q(user_id=user.pk) | Q(user__isnull=True, email=(user.email or "").strip().lower())

    def for_invitee(self, user):
        """Only the invited person's own invitations (the accept and decline pages: anyone else gets 404)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(self._invitee_q(user))

    def open(self, *, now: datetime.datetime | None = None):
        """Waiting for an answer and not expired."""
        return self.filter(status=TeamInvitation.Status.PENDING, expires_at__gt=now or timezone.now())


class TeamInvitation(models.Model):
    """An invitation to join a program's team, sent to an email address.

    Staff and the PIC give an email and get the same answer whether or not an account has it: the portal neither
    confirms that someone has an account nor shows their name. The invited person accepts or declines; only on
    acceptance do they join the team. An address without an account is told to sign up with it, and the
    invitation waits (until it expires) for the account that does.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="team_invitations", verbose_name=_("program")
    )
    # An invitation to speak (or help) at one session; empty: a role in the whole program.
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="team_invitations",
        verbose_name=_("session"),
    )
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=20, choices=Participation.Role.choices)
    # The account that had this email when the invitation was sent; empty until someone signs up with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="team_invitations",
        verbose_name=_("invited person"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("invited by"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), default=team_invitation_expiry)
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # Set by a conditional update just before the email to an address without an account goes out: sent once.
    email_sent_at = models.DateTimeField(_("email sent"), null=True, blank=True)

    objects = TeamInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("team invitation")
        verbose_name_plural = _("team invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "email", "role"], condition=Q(status="pending", session__isnull=True),
                name="one_pending_team_invitation",
            ),
            models.UniqueConstraint(
                fields=["session", "email", "role"], condition=Q(status="pending", session__isnull=False),
                name="one_pending_session_invitation",
            ),
        ]
        indexes = [models.Index(fields=["email", "status"])]

    def __str__(self) -> str:
        # Only what the inviter typed: never the name of an account.
        return f"{self.email} · {self.get_role_display()} · {self.session or self.program}"

    def get_absolute_url(self) -> str:
        return reverse("programs:invitation", args=[self.pk])

    def is_open(self, *, now: datetime.datetime | None = None) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > (now or timezone.now())

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at <= timezone.now()
