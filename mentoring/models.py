"""Mentoring: mentors who opt in, requests that a mentor accepts or declines, mentorships (goals, meetings,
feedback), and matching rounds that a study program's staff run for a mentoring program.

Who may see what (the one door is `mentoring.access`):
- a mentor profile that is not paused is found by verified members and students (`MentorProfile.objects.listed()`);
  the search shows name, study program, cohort, topics, formats, languages, province, the short text and free
  places. Never an email or a phone: contact passes only inside an accepted mentorship;
- a request is seen by its two people; a mentorship, its meetings and notes by its two people only; staff of the
  mentee's study program see that a mentorship exists (who, since when, how many meetings) for their reports, never
  the meeting notes; a mentor's ratings reach staff only as an average over at least RATINGS_SHOWN_FROM ratings;
- a round is run by staff of its study program; mentees and mentors see their own application and their match.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alumni.models import Province, StudyProgram
from careers.models import Field
from programs.models import Program

# Days a mentor has to answer a request; reminded once, REMIND_AFTER_DAYS after it was sent.
REQUEST_ANSWER_DAYS = 14
REMIND_AFTER_DAYS = 7
# A mentorship's agreed end when the pair does not choose one.
DEFAULT_MENTORSHIP_MONTHS = 3
# Mentees a mentor may take at once.
MAX_CAPACITY = 10
# Staff see a mentor's average rating only from this many ratings on.
RATINGS_SHOWN_FROM = 5

NOTE_MAX = 1000
TEXT_MAX = 2000


class Format(models.TextChoices):
    ONLINE = "online", _("Online (video call)")
    IN_PERSON = "in_person", _("In person")
    CHAT = "chat", _("By chat")


class Language(models.TextChoices):
    INDONESIAN = "id", _("Indonesian")
    ENGLISH = "en", _("English")
    JAVANESE = "jv", _("Javanese")
    SUNDANESE = "su", _("Sundanese")
    ARABIC = "ar", _("Arabic")


class Topic(models.Model):
    """One subject mentors offer and mentees ask for ("riset skripsi", "otomasi perpustakaan/SLiMS"). Staff keep
    the list; mentors add free tags beside it."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("offered"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mentoring topic")
        verbose_name_plural = _("mentoring topics")

    def __str__(self) -> str:
        return self.name


class MentorProfileQuerySet(models.QuerySet):
    def listed(self):
        """Mentors a mentee can find: not paused, and still a verified member (checked by the selectors)."""
        return self.filter(paused=False)


class MentorProfile(models.Model):
    """A verified member who offers mentoring."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profile", verbose_name=_("mentor")
    )
    topics = models.ManyToManyField(Topic, related_name="mentors", blank=True, verbose_name=_("topics"))
    # Free tags beside the staff's list, lower case, comma separated in the form ("dspace, akreditasi").
    tags = models.JSONField(_("other topics"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("mentees at once"), default=2, validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    formats = models.JSONField(_("formats"), default=list, blank=True)  # [Format]
    languages = models.JSONField(_("languages"), default=list, blank=True)  # [Language]
    province = models.ForeignKey(
        Province, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    field = models.CharField(_("field of my current work"), max_length=20, choices=Field.choices, blank=True)
    about = models.TextField(_("about my mentoring"), max_length=TEXT_MAX, blank=True)
    paused = models.BooleanField(_("paused"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MentorProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentor profile")
        verbose_name_plural = _("mentor profiles")
        indexes = [models.Index(fields=["paused"])]

    def __str__(self) -> str:
        return str(self.user)


class MentorshipRequest(models.Model):
    """A mentee asks one mentor. Open until the mentor answers, the mentee withdraws, or REQUEST_ANSWER_DAYS pass."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for the mentor")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired without an answer")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_requests_sent",
        verbose_name=_("mentee"),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_requests_received",
        verbose_name=_("mentor"),
    )
    topics = models.ManyToManyField(Topic, related_name="+", blank=True, verbose_name=_("topics"))
    help_with = models.TextField(_("what I want help with"), max_length=TEXT_MAX)
    note = models.TextField(_("note to the mentor"), max_length=NOTE_MAX, blank=True)
    format = models.CharField(_("preferred format"), max_length=20, choices=Format.choices, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    decline_reason = models.TextField(_("reason"), max_length=NOTE_MAX, blank=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("answer by"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mentoring request")
        verbose_name_plural = _("mentoring requests")
        indexes = [models.Index(fields=["status", "expires_at"]), models.Index(fields=["mentor", "status"])]
        constraints = [
            models.CheckConstraint(condition=~Q(mentee=models.F("mentor")), name="mentoring_request_not_self"),
            models.UniqueConstraint(
                fields=["mentee", "mentor"], condition=Q(status="open"), name="mentoring_one_open_request_per_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} → {self.mentor}"

    def save(self, *args, **kwargs):
        if not self.expires_at:
            self.expires_at = (self.created_at or timezone.now()) + datetime.timedelta(days=REQUEST_ANSWER_DAYS)
        super().save(*args, **kwargs)


class MatchingRound(models.Model):
    """A round of a study program's mentoring program: mentees apply by the deadline, mentors say how many they
    take, the portal proposes a matching, staff adjust and publish it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for applications")
        PROPOSED = "proposed", _("Matching proposed")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    study_program = models.ForeignKey(
        StudyProgram, on_delete=models.PROTECT, related_name="mentoring_rounds", verbose_name=_("study program")
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="mentoring_rounds", verbose_name=_("program"),
        limit_choices_to={"category": Program.Category.MENTORING},
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=TEXT_MAX, blank=True)
    topics = models.ManyToManyField(Topic, related_name="+", blank=True, verbose_name=_("topics"))
    deadline = models.DateTimeField(_("applications close"))
    mentorship_months = models.PositiveSmallIntegerField(
        _("months of mentoring"), default=DEFAULT_MENTORSHIP_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("opened by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    proposed_at = models.DateTimeField(_("matching proposed"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        ordering = ["-deadline"]
        verbose_name = _("mentoring round")
        verbose_name_plural = _("mentoring rounds")
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return self.title


class RoundMentor(models.Model):
    """A mentor taking part in a round, with the number of mentees they take in it."""

    round = models.ForeignKey(MatchingRound, on_delete=models.CASCADE, related_name="mentors")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    capacity = models.PositiveSmallIntegerField(
        _("mentees in this round"), validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mentor of a round")
        verbose_name_plural = _("mentors of a round")
        constraints = [models.UniqueConstraint(fields=["round", "mentor"], name="mentoring_round_mentor_once")]

    def __str__(self) -> str:
        return f"{self.round}: {self.mentor} ({self.capacity})"


class RoundApplication(models.Model):
    """A mentee's application to a round, and (once proposed) the mentor the matching gives them, with the score
    and its reasons, or why nobody fits."""

    round = models.ForeignKey(MatchingRound, on_delete=models.CASCADE, related_name="applications")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topics = models.ManyToManyField(Topic, related_name="+", blank=True, verbose_name=_("topics"))
    help_with = models.TextField(_("what I want help with"), max_length=TEXT_MAX)
    format = models.CharField(_("preferred format"), max_length=20, choices=Format.choices, blank=True)
    created_at = models.DateTimeField(_("applied"), auto_now_add=True)
    matched_mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("matched mentor"),
    )
    score = models.PositiveIntegerField(_("score"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    unmatched_reason = models.CharField(_("why unmatched"), max_length=300, blank=True)
    adjusted_by_staff = models.BooleanField(_("changed by staff"), default=False)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("round application")
        verbose_name_plural = _("round applications")
        constraints = [models.UniqueConstraint(fields=["round", "mentee"], name="mentoring_round_apply_once")]

    def __str__(self) -> str:
        return f"{self.round}: {self.mentee}"


class Mentorship(models.Model):
    """A pair working together: from an accepted request or a published round."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_mentor",
        verbose_name=_("mentor"),
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_mentee",
        verbose_name=_("mentee"),
    )
    # The mentee's study program when it began (staff scoping, accreditation evidence); the round's for a round.
    study_program = models.ForeignKey(
        StudyProgram, on_delete=models.SET_NULL, null=True, blank=True, related_name="mentorships",
        verbose_name=_("study program"),
    )
    request = models.OneToOneField(
        MentorshipRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="mentorship"
    )
    round = models.ForeignKey(
        MatchingRound, on_delete=models.SET_NULL, null=True, blank=True, related_name="mentorships"
    )
    goals = models.TextField(_("goals"), max_length=TEXT_MAX, blank=True)
    started_on = models.DateField(_("started"), default=datetime.date.today)
    ends_on = models.DateField(_("agreed end"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        indexes = [models.Index(fields=["status", "ends_on"]), models.Index(fields=["study_program", "started_on"])]
        constraints = [
            models.CheckConstraint(condition=~Q(mentee=models.F("mentor")), name="mentorship_not_self"),
            models.UniqueConstraint(
                fields=["mentor", "mentee"], condition=Q(status="active"), name="mentorship_one_active_per_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} ↔ {self.mentee}"


class Meeting(models.Model):
    """One meeting of a pair. The notes are the pair's only."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    format = models.CharField(_("format"), max_length=20, choices=Format.choices, blank=True)
    notes = models.TextField(_("notes"), max_length=TEXT_MAX, blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.mentorship} {self.date}"


class Feedback(models.Model):
    """What each side says when a mentorship ends: 1–5 and a text. The mentee's rating of the mentor is never
    shown to anyone but staff, as an average over at least RATINGS_SHOWN_FROM ratings."""

    class Side(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        MENTEE = "mentee", _("Mentee")

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="feedback")
    side = models.CharField(_("from"), max_length=10, choices=Side.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(_("comments"), max_length=TEXT_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mentoring feedback")
        verbose_name_plural = _("mentoring feedback")
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "side"], name="mentoring_feedback_once_per_side"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="mentoring_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.mentorship} ({self.side}: {self.rating})"
