"""The careers network: employers (organisations with aliases), job posts with moderation per study program and
reports, job alerts, introductions to alumni at an employer, and what came of them (outcomes).

Who may see a post is one rule, `JobPost.objects.visible_to(user)`:
- a post is *listed* for a study program when it is open and that program's target is approved;
- verified members (alumni and students) see the posts listed for their own study program;
- staff see every post that names one of their study programs (any state: they moderate them);
- the poster sees their own posts in every state (a closed or refused post stays readable for them);
- pending people, employer contacts (for other people's posts) and visitors see none; the public teaser page
  (`JobPost.objects.shareable()`) shows a listed post's title, organisation, city and closing date only.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alumni.models import AlumniProfile, Employment, Province, StudyProgram
from alumni.scope import scope_for

# A closing date at most this many days ahead (issue: "required, at most 90 days ahead").
MAX_OPEN_DAYS = 90
# Reports that hide a post until staff look at it.
HIDE_AFTER_REPORTS = 3
# Open introduction requests a person may receive at once, unless they chose fewer.
DEFAULT_MAX_OPEN_INTRODUCTIONS = 5
# Days an unanswered introduction request stays open.
INTRODUCTION_EXPIRY_DAYS = 14
# Days after an application or an accepted introduction when the member is asked what came of it.
OUTCOME_ASK_DAYS = 30

TITLE_MAX = 150
TEXT_MAX = 5000
NOTE_MAX = 500

# Legal forms and filler words that do not tell two employers apart ("PT Bank X (Persero) Tbk" = "Bank X").
_LEGAL_WORDS = {
    "pt", "cv", "tbk", "persero", "perseroan", "terbatas", "ud", "pd", "fa", "inc", "ltd", "llc", "co", "corp",
    "company", "limited", "the", "plc", "gmbh", "bv", "sdn", "bhd", "perum", "perumda", "koperasi", "kop",
}


def normalise_name(name: str) -> str:
    """The comparable form of an organisation's name: lower case, accents and punctuation gone, legal forms ("PT",
    "(Persero)", "Tbk") dropped, spaces collapsed. "PT. Bank Rakyat Indonesia (Persero), Tbk." ->
    "bank rakyat indonesia"."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w and w not in _LEGAL_WORDS]
    return " ".join(words)[:200]


class Organisation(models.Model):
    """One employer. People type its name in many ways: the aliases (OrganisationAlias) and `normalised` match
    them to this row."""

    # The kinds of employer of jobs on profiles, so that careers and tracer figures line up.
    Kind = Employment.EmployerKind

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    normalised = models.CharField(_("comparable name"), max_length=200, unique=True, editable=False)
    kind = models.CharField(_("kind of employer"), max_length=20, choices=Kind.choices, blank=True)
    website = models.URLField(_("website"), blank=True)
    province = models.ForeignKey(
        Province, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    city = models.CharField(_("city/regency"), max_length=100, blank=True)
    description = models.TextField(_("about"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class OrganisationAlias(models.Model):
    """Another name of an organisation ("Bank BRI" for "PT Bank Rakyat Indonesia (Persero) Tbk"). Staff edit the
    list; a merge turns the merged organisation's names into aliases of the one kept."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("organisation")
    )
    name = models.CharField(_("alias"), max_length=200)
    normalised = models.CharField(_("comparable name"), max_length=200, unique=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation alias")
        verbose_name_plural = _("organisation aliases")

    def __str__(self) -> str:
        return self.name


class EmploymentOrganisation(models.Model):
    """Which organisation a job on someone's profile (alumni.Employment, a lower layer that knows nothing of
    careers) is at, kept by careers when the job is saved or an organisation's names change."""

    employment = models.OneToOneField(
        Employment, on_delete=models.CASCADE, primary_key=True, related_name="careers_link",
        verbose_name=_("employment"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="employment_links", verbose_name=_("organisation")
    )

    class Meta:
        verbose_name = _("employment at an organisation")
        verbose_name_plural = _("employments at organisations")

    def __str__(self) -> str:
        return f"{self.employment_id} @ {self.organisation_id}"


class EmployerContact(models.Model):
    """An external person who recruits for an organisation. They sign up like anyone, then ask a study program to
    approve them; once its staff approve, they may post vacancies (queued for staff)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employer_contact",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("organisation")
    )
    study_program = models.ForeignKey(
        StudyProgram, on_delete=models.CASCADE, related_name="employer_contacts",
        verbose_name=_("study program asked"),
    )
    position = models.CharField(_("position"), max_length=200)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("employer contact")
        verbose_name_plural = _("employer contacts")

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"


class Field(models.TextChoices):
    """Broad fields of work (after the ISCED-F 2013 broad fields), which posts and alerts share."""

    EDUCATION = "education", _("Education and teaching")
    LIBRARY = "library", _("Library, archives and information")
    ARTS_HUMANITIES = "humanities", _("Arts, languages and humanities")
    SOCIAL = "social", _("Social sciences, journalism and media")
    BUSINESS = "business", _("Business, administration and finance")
    LAW = "law", _("Law")
    SCIENCE = "science", _("Natural sciences and mathematics")
    ICT = "ict", _("Information and communication technology")
    ENGINEERING = "engineering", _("Engineering and manufacturing")
    AGRICULTURE = "agriculture", _("Agriculture, forestry and fisheries")
    HEALTH = "health", _("Health and welfare")
    SERVICES = "services", _("Services, tourism and hospitality")
    RELIGION = "religion", _("Religion and Islamic studies")
    OTHER = "other", _("Other")


class JobPostQuerySet(models.QuerySet):
    def listed(self):
        """Open and not hidden by reports (a closing date still ahead is kept by the closing task)."""
        return self.filter(status=JobPost.Status.OPEN)

    def visible_to(self, user):
        """The one door of every page that shows a post (see the module's docstring)."""
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        q = Q(posted_by_id=scope.user_id)
        if scope.staff_program_ids:
            q |= Q(Exists(JobPostTarget.objects.filter(post=OuterRef("pk"),
                                                       study_program_id__in=scope.staff_program_ids)))
        if scope.is_member:
            own_program = AlumniProfile.objects.filter(user_id=scope.user_id).values("study_program_id")[:1]
            q |= Q(status=JobPost.Status.OPEN) & Q(Exists(JobPostTarget.objects.filter(
                post=OuterRef("pk"), state=JobPostTarget.State.APPROVED, study_program_id=Subquery(own_program),
            )))
        return self.filter(q)

    def listed_for(self, user):
        """What the job list shows this person: open posts listed for their study program (members), or naming one
        of their study programs (staff: approved there). Closed, hidden and queued posts are not listed."""
        scope = scope_for(user)
        if not scope.is_authenticated:
            return self.none()
        qs = self.listed()
        if scope.is_superuser:
            return qs.filter(Exists(JobPostTarget.objects.filter(post=OuterRef("pk"),
                                                                 state=JobPostTarget.State.APPROVED)))
        q = Q(pk__in=[])
        if scope.staff_program_ids:
            q |= Q(Exists(JobPostTarget.objects.filter(
                post=OuterRef("pk"), state=JobPostTarget.State.APPROVED,
                study_program_id__in=scope.staff_program_ids)))
        if scope.is_member:
            own_program = AlumniProfile.objects.filter(user_id=scope.user_id).values("study_program_id")[:1]
            q |= Q(Exists(JobPostTarget.objects.filter(
                post=OuterRef("pk"), state=JobPostTarget.State.APPROVED, study_program_id=Subquery(own_program))))
        return qs.filter(q)

    def shareable(self):
        """Posts whose public teaser opens for anyone: open, and approved for at least one study program."""
        return self.listed().filter(Exists(JobPostTarget.objects.filter(
            post=OuterRef("pk"), state=JobPostTarget.State.APPROVED)))

    def moderated_by(self, user):
        """Posts naming one of the person's study programs: the staff queue and the staff edit door."""
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        if not scope.staff_program_ids:
            return self.none()
        return self.filter(Exists(JobPostTarget.objects.filter(post=OuterRef("pk"),
                                                               study_program_id__in=scope.staff_program_ids)))


class JobPost(models.Model):
    """One vacancy."""

    class Kind(models.TextChoices):
        FULL_TIME = "full_time", _("Full-time")
        PART_TIME = "part_time", _("Part-time")
        CONTRACT = "contract", _("Contract")
        INTERNSHIP = "internship", _("Internship")
        FREELANCE = "freelance", _("Freelance")
        VOLUNTEER = "volunteer", _("Volunteer")

    class PosterKind(models.TextChoices):
        MEMBER = "member", _("Alumni")
        STAFF = "staff", _("Study-program staff")
        EMPLOYER = "employer", _("Employer")

    class Apply(models.TextChoices):
        URL = "url", _("Apply through a link")
        EMAIL = "email", _("Apply by email")
        ASK = "ask", _("Ask the poster")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        HIDDEN = "hidden", _("Hidden after reports, waiting for review")
        CLOSED = "closed", _("Closed")
        REMOVED = "removed", _("Removed by staff")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("job title"), max_length=TITLE_MAX)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="posts", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind of work"), max_length=12, choices=Kind.choices)
    field = models.CharField(_("field"), max_length=12, choices=Field.choices)
    tags = models.CharField(_("tags"), max_length=200, blank=True, help_text=_("Words separated by commas."))
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    city = models.CharField(_("city/regency"), max_length=100, blank=True)
    remote = models.BooleanField(_("remote work"), default=False)
    salary_min = models.PositiveBigIntegerField(_("salary from (Rp per month)"), null=True, blank=True)
    salary_max = models.PositiveBigIntegerField(_("salary up to (Rp per month)"), null=True, blank=True)
    description = models.TextField(_("description"), max_length=TEXT_MAX, blank=True)
    requirements = models.TextField(_("requirements"), max_length=TEXT_MAX, blank=True)
    apply_how = models.CharField(_("how to apply"), max_length=5, choices=Apply.choices, default=Apply.URL)
    apply_url = models.URLField(_("application link"), max_length=500, blank=True)
    apply_email = models.EmailField(_("application email"), blank=True)
    closing_date = models.DateField(_("closing date"))
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_posts", verbose_name=_("posted by")
    )
    poster_kind = models.CharField(_("posted by"), max_length=10, choices=PosterKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    report_count = models.PositiveSmallIntegerField(_("open reports"), default=0)
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = JobPostQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("job post")
        verbose_name_plural = _("job posts")
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["status", "closing_date"]),
            models.Index(fields=["posted_by", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True) | Q(salary_max__isnull=True)
                | Q(salary_max__gte=models.F("salary_min")),
                name="jobpost_salary_range_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.organisation}"

    @property
    def is_listed(self) -> bool:
        return self.status == self.Status.OPEN

    def days_left(self, *, today: datetime.date | None = None) -> int:
        return (self.closing_date - (today or timezone.localdate())).days

    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]


class JobPostTarget(models.Model):
    """A study program a post suits, and whether it is listed for that program's members: approved at once for
    the poster's own program (a member's) or the programs they run (staff's), queued for the others' staff."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for staff")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    post = models.ForeignKey(JobPost, on_delete=models.CASCADE, related_name="targets", verbose_name=_("job post"))
    study_program = models.ForeignKey(
        StudyProgram, on_delete=models.CASCADE, related_name="job_targets", verbose_name=_("study program")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), max_length=1000, blank=True)

    class Meta:
        ordering = ["study_program__name"]
        verbose_name = _("study program of a job post")
        verbose_name_plural = _("study programs of job posts")
        constraints = [
            models.UniqueConstraint(fields=["post", "study_program"], name="jobtarget_once_per_program"),
        ]
        indexes = [models.Index(fields=["study_program", "state"])]

    def __str__(self) -> str:
        return f"{self.post_id} → {self.study_program_id} ({self.state})"


class JobReport(models.Model):
    """A verified person says a post is wrong. HIDE_AFTER_REPORTS open reports hide it until staff review it."""

    class Reason(models.TextChoices):
        SCAM = "scam", _("Looks like a scam")
        EXPIRED = "expired", _("No longer open")
        WRONG = "wrong", _("Wrong or misleading")

    post = models.ForeignKey(JobPost, on_delete=models.CASCADE, related_name="reports", verbose_name=_("job post"))
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_reports", verbose_name=_("reported by")
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    note = models.TextField(_("note"), max_length=NOTE_MAX, blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    # Set when staff reviewed the post (kept it or removed it): the report no longer counts.
    resolved_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report on a job post")
        verbose_name_plural = _("reports on job posts")
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="jobreport_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.post_id}"


class Application(models.Model):
    """A member says "I applied" to a post: counted for the staff figures, and asked about a month later."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_applications", verbose_name=_("person")
    )
    post = models.ForeignKey(
        JobPost, on_delete=models.CASCADE, related_name="applications", verbose_name=_("job post")
    )
    created_at = models.DateTimeField(_("applied at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="application_once_per_post")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.post_id}"


class JobAlert(models.Model):
    """What a member wants to hear about, and how often. Empty lists mean "any"."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly digest")
        NEVER = "never", _("Never")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_alert", verbose_name=_("person")
    )
    fields = models.JSONField(_("fields"), default=list, blank=True)
    province_codes = models.JSONField(_("provinces"), default=list, blank=True)
    kinds = models.JSONField(_("kinds of work"), default=list, blank=True)
    remote_only = models.BooleanField(_("remote work only"), default=False)
    frequency = models.CharField(_("delivery"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("job alert")
        verbose_name_plural = _("job alerts")
        indexes = [models.Index(fields=["frequency"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.frequency}"


class CareerSettings(models.Model):
    """A person's choices about introductions: whether they take requests, how many open at once, and which
    contact they give when they accept (email always; phone/WhatsApp only if they allow it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="career_settings", verbose_name=_("person")
    )
    introductions_open = models.BooleanField(_("I accept introduction requests"), default=True)
    max_open_introductions = models.PositiveSmallIntegerField(
        _("open requests at most"), default=DEFAULT_MAX_OPEN_INTRODUCTIONS
    )
    share_phone = models.BooleanField(_("Share my phone/WhatsApp when I accept"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("career settings")
        verbose_name_plural = _("career settings")

    def __str__(self) -> str:
        return str(self.user_id)


class IntroductionQuerySet(models.QuerySet):
    def involving(self, user):
        """The door of every introduction page: only its two people (and nobody else, staff included: staff
        see counts, not the notes)."""
        scope = scope_for(user)
        if not scope.is_authenticated:
            return self.none()
        return self.filter(Q(requester_id=scope.user_id) | Q(recipient_id=scope.user_id))

    def open(self):
        return self.filter(status=Introduction.Status.REQUESTED)


class Introduction(models.Model):
    """A member asks an alumnus who works at an organisation to talk. Nothing of either person's contact is shown
    before the alumnus accepts; on acceptance both get the other's chosen contact by email."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired without an answer")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="introductions_asked",
        verbose_name=_("asked by"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="introductions_received",
        verbose_name=_("asked to"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="introductions",
        verbose_name=_("organisation"),
    )
    post = models.ForeignKey(
        JobPost, on_delete=models.SET_NULL, null=True, blank=True, related_name="introductions",
        verbose_name=_("job post"),
    )
    note = models.TextField(_("what you are asking"), max_length=NOTE_MAX)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = IntroductionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        constraints = [
            models.CheckConstraint(condition=~Q(requester=models.F("recipient")), name="introduction_not_to_self"),
        ]
        indexes = [
            models.Index(fields=["recipient", "status"]),
            models.Index(fields=["status", "expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.requester_id} → {self.recipient_id} ({self.status})"


class Outcome(models.Model):
    """What came of an application or an accepted introduction, asked once about a month later (a claimed
    notification) and answered by the member."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="career_outcomes", verbose_name=_("person")
    )
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="outcome",
        verbose_name=_("application"),
    )
    introduction = models.OneToOneField(
        Introduction, on_delete=models.CASCADE, null=True, blank=True, related_name="outcome",
        verbose_name=_("introduction"),
    )
    applied = models.BooleanField(_("applied"), null=True, blank=True)
    interviewed = models.BooleanField(_("interviewed"), null=True, blank=True)
    hired = models.BooleanField(_("hired"), null=True, blank=True)
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-asked_at"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.CheckConstraint(
                condition=Q(application__isnull=False, introduction__isnull=True)
                | Q(application__isnull=True, introduction__isnull=False),
                name="outcome_of_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.applied}/{self.interviewed}/{self.hired}"
