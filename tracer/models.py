"""The tracer-study engine: versioned surveys of coded questions, waves of personal invitations, responses.

Answers are stored one row per *upload column* (`f8`, `f502`, `f401` … `f415`, `f1761` …), with the official
value, never a display index. So the national upload layout is a plain projection of the answers, and
results are GROUP BY queries on (code, value).
"""

from __future__ import annotations

import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from alumni.models import AboutProfileQuerySet, AlumniProfile, StudyProgram
from alumni.scope import scope_for

from .questionnaires import EMPLOYER_ASPECTS


def new_token() -> str:
    """An unguessable token (192 random bits), not derived from any id or NIM."""
    return secrets.token_urlsafe(24)


def _bilingual(indonesian: str, english: str) -> str:
    return english if (get_language() or "id").startswith("en") and english else indonesian


class SurveyQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Questionnaires are not secret: the national one is public, and staff read them to interpret results.
        return self.all()


class Survey(models.Model):
    class Kind(models.TextChoices):
        ALUMNI = "alumni", _("Graduates (tracer study)")
        EMPLOYER = "employer", _("Employers of graduates")

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    title = models.CharField(_("title (Indonesian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ALUMNI)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _bilingual(self.title, self.title_en)

    def latest_version(self) -> SurveyVersion | None:
        return self.versions.order_by("-number").first()


class SurveyVersion(models.Model):
    """An ordered list of questions. Frozen once a wave has used it: editing then makes a new version."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions", verbose_name=_("survey"))
    number = models.PositiveSmallIntegerField(_("version"))
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["survey", "number"]
        verbose_name = _("survey version")
        verbose_name_plural = _("survey versions")
        constraints = [models.UniqueConstraint(fields=["survey", "number"], name="one_number_per_survey")]

    def __str__(self) -> str:
        return f"{self.survey.slug} v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Question(models.Model):
    class Type(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        INTEGER = "integer", _("Whole number")
        MONEY = "money", _("Amount of money (rupiah)")
        TEXT = "text", _("Text")
        DATE = "date", _("Date")
        SCALE = "scale", _("Scale")
        GRID = "grid", _("Grid of scales")

    version = models.ForeignKey(
        SurveyVersion, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey version")
    )
    # The stable code: the upload column for single-valued types; for MULTIPLE the prefix of one 0/1 column per
    # option (`f4` → f401 … f415); for GRID each row carries its own column code.
    code = models.CharField(_("code"), max_length=20)
    position = models.PositiveIntegerField(_("position"))
    page = models.PositiveSmallIntegerField(_("page"), default=1)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    text = models.TextField(_("question (Indonesian)"))
    text_en = models.TextField(_("question (English)"), blank=True)
    help = models.TextField(_("help (Indonesian)"), blank=True)
    help_en = models.TextField(_("help (English)"), blank=True)
    required = models.BooleanField(_("required"), default=False)
    min_value = models.BigIntegerField(_("minimum"), null=True, blank=True)
    max_value = models.BigIntegerField(_("maximum"), null=True, blank=True)
    # Conditions that must all hold for the question to be shown: [{"code": "f8", "in": [1, 3]}].
    show_if = models.JSONField(_("show if"), default=list, blank=True)
    # GRID rows: [{"code": "f1761", "label": "Etika", "label_en": "Ethics"}].
    rows = models.JSONField(_("grid rows"), default=list, blank=True)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="one_code_per_version")]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:60]}"

    @property
    def label(self) -> str:
        return _bilingual(self.text, self.text_en)

    @property
    def help_label(self) -> str:
        return _bilingual(self.help, self.help_en)

    def column_codes(self) -> list[str]:
        """The upload columns this question fills."""
        if self.type == self.Type.GRID:
            return [row["code"] for row in self.rows]
        if self.type == self.Type.MULTIPLE:
            return [self.option_column(option.value) for option in self.options.all()]
        return [self.code]

    def option_column(self, value: int) -> str:
        return f"{self.code}{value:02d}"


class Option(models.Model):
    """A choice with its official stored value (not its display position)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    value = models.IntegerField(_("stored value"))
    label_id = models.CharField(_("label (Indonesian)"), max_length=300)
    label_en = models.CharField(_("label (English)"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("display position"))

    class Meta:
        ordering = ["question", "position"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [models.UniqueConstraint(fields=["question", "value"], name="one_value_per_question")]

    def __str__(self) -> str:
        return f"{self.value} {self.label_id}"

    @property
    def label(self) -> str:
        return _bilingual(self.label_id, self.label_en)


class WaveQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see the waves that cover one of their study programs; admins run them."""
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        return self.filter(study_programs__in=scope.staff_program_ids).distinct()

    managed_by = visible_to


class Wave(models.Model):
    """One run of a survey version for chosen graduation years of chosen study programs."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="waves", verbose_name=_("survey"))
    title = models.CharField(_("title"), max_length=200)
    study_programs = models.ManyToManyField(StudyProgram, related_name="tracer_waves", verbose_name=_("study programs"))
    graduation_years = models.JSONField(_("graduation years"), default=list)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    # Days after the invitation at which non-respondents are reminded, and how many reminders at most.
    reminder_days = models.JSONField(_("reminder days"), default=list, blank=True)
    max_reminders = models.PositiveSmallIntegerField(_("maximum reminders"), default=3)
    launched_at = models.DateTimeField(_("launched"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = WaveQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("tracer wave")
        verbose_name_plural = _("tracer waves")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="wave_closes_after_opening")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("tracer:wave", args=[self.pk])

    def is_open(self, *, now=None) -> bool:
        now = now or timezone.now()
        return self.launched_at is not None and self.opens_at <= now < self.closes_at


class AboutGraduateQuerySet(AboutProfileQuerySet):
    """Rows about one graduate (`profile`): the graduate sees their own, staff those of their study programs."""


class InvitationQuerySet(AboutGraduateQuerySet):
    pass


class Invitation(models.Model):
    """A personal link to answer one survey: a graduate about themself, or an employer about a graduate."""

    class Respondent(models.TextChoices):
        GRADUATE = "graduate", _("Graduate")
        EMPLOYER = "employer", _("Employer (supervisor)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="invitations")
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations")
    # The graduate the answers are about.
    profile = models.ForeignKey(AlumniProfile, on_delete=models.CASCADE, related_name="tracer_invitations")
    respondent = models.CharField(max_length=20, choices=Respondent.choices, default=Respondent.GRADUATE)
    # For employer invitations: the supervisor named by the graduate (or by staff).
    name = models.CharField(_("name"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    nominated_in = models.ForeignKey(
        "Response", on_delete=models.SET_NULL, null=True, blank=True, related_name="employer_invitations"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "profile"], condition=Q(respondent="graduate"), name="one_graduate_invitation_per_wave"
            )
        ]
        indexes = [models.Index(fields=["wave", "respondent"])]

    def __str__(self) -> str:
        return f"{self.get_respondent_display()} · {self.profile}"

    # Deliberately no get_absolute_url: the admin's "View on site" and any page that lists invitations would turn it
    # into a link to the respondent's token. The answer link goes only into the email sent to the respondent.
    def answer_path(self) -> str:
        return reverse("tracer:answer", args=[self.token])


class ResponseQuerySet(AboutGraduateQuerySet):
    def submitted(self):
        return self.filter(status=Response.Status.SUBMITTED)

    def latest_submitted_pk(self, versions):
        """A subquery: the pk of the graduate's (OuterRef "profile") latest submitted response to one of
        `versions`. When a graduate answered several waves, this is the one that counts. Latest by submission
        time (a missing time sorts last on every database), then start, then pk."""
        return (
            self.filter(profile=OuterRef("profile"), status=Response.Status.SUBMITTED, version__in=versions)
            .order_by(models.F("submitted_at").desc(nulls_last=True), "-started_at", "-pk")
            .values("pk")[:1]
        )


class Response(models.Model):
    """One filled questionnaire. At most one per invitation; imported ones have no invitation."""

    class Status(models.TextChoices):
        PARTIAL = "partial", _("Started")
        SUBMITTED = "submitted", _("Submitted")

    class Source(models.TextChoices):
        WEB = "web", _("Web form")
        IMPORT = "import", _("Imported file")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, null=True, blank=True, related_name="response"
    )
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="responses")
    profile = models.ForeignKey(AlumniProfile, on_delete=models.CASCADE, related_name="tracer_responses")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PARTIAL)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.WEB)
    page = models.PositiveSmallIntegerField(_("page reached"), default=1)
    # Employer responses: who answered, about the graduate in `profile`.
    respondent_name = models.CharField(_("respondent"), max_length=200, blank=True)
    respondent_position = models.CharField(_("respondent's position"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    response_date = models.DateField(_("date"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        # Not "answer": the admin lists both models, and Indonesian has one word for both ("jawaban").
        verbose_name = _("questionnaire response")
        verbose_name_plural = _("questionnaire responses")
        indexes = [models.Index(fields=["version", "status"]), models.Index(fields=["profile", "status"])]

    def __str__(self) -> str:
        return f"{self.version} · {self.profile} · {self.get_status_display()}"


class Answer(models.Model):
    """One upload column of one response, with the official value."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    code = models.CharField(_("code"), max_length=20)
    value_int = models.BigIntegerField(_("number"), null=True, blank=True)
    value_text = models.TextField(_("text"), blank=True)
    value_date = models.DateField(_("date"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer to one question")
        verbose_name_plural = _("answers to single questions")
        constraints = [models.UniqueConstraint(fields=["response", "code"], name="one_answer_per_column")]
        indexes = [models.Index(fields=["code", "value_int"])]

    def __str__(self) -> str:
        return f"{self.code}={self.value}"

    @property
    def value(self):
        if self.value_int is not None:
            return self.value_int
        if self.value_date is not None:
            return self.value_date
        return self.value_text


class MinimumWage(models.Model):
    """A province's minimum wage (rupiah per month) for a year, entered by admins; IKU-1 needs it."""

    province = models.ForeignKey(
        "alumni.Province", on_delete=models.CASCADE, related_name="minimum_wages", verbose_name=_("province")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.BigIntegerField(_("amount (rupiah)"))

    class Meta:
        ordering = ["province", "year"]
        verbose_name = _("minimum wage")
        verbose_name_plural = _("minimum wages")
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="one_minimum_wage_per_province_year")]

    def __str__(self) -> str:
        return f"{self.province} {self.year}: {self.amount}"


class FollowUpPlan(models.Model):
    """Rencana Tindak Lanjut (LKPS table 8.e.2): staff's plan per study program, reporting year TS and aspect."""

    study_program = models.ForeignKey(
        StudyProgram, on_delete=models.CASCADE, related_name="follow_up_plans", verbose_name=_("study program")
    )
    ts = models.PositiveSmallIntegerField(_("reporting year (TS)"))
    aspect = models.CharField(
        _("aspect"), max_length=30, choices=[(code, label) for code, label, _en in EMPLOYER_ASPECTS]
    )
    text = models.TextField(_("follow-up plan"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["study_program", "ts", "aspect"]
        verbose_name = _("follow-up plan")
        verbose_name_plural = _("follow-up plans")
        constraints = [
            models.UniqueConstraint(fields=["study_program", "ts", "aspect"], name="one_follow_up_plan_per_aspect")
        ]

    def __str__(self) -> str:
        return f"{self.study_program} {self.ts} {self.aspect}"


class IkuTarget(models.Model):
    """The IKU-1 figure a study program's staff aim for (tracer.iku: default 80 %, and how the report colours the
    figure against it). One row per study program once staff set it; none means the default."""

    study_program = models.OneToOneField(
        StudyProgram, on_delete=models.CASCADE, related_name="iku_target", verbose_name=_("study program")
    )
    percent = models.DecimalField(
        _("IKU-1 target (%)"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(100))],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("IKU-1 target")
        verbose_name_plural = _("IKU-1 targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=1) & Q(percent__lte=100), name="iku_target_between_1_and_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.study_program} · {self.percent}%"
