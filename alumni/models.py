"""Institutions, study programs, staff roles, users and alumni profiles.

The permission door lives here: every model has a queryset method `visible_to(user)` (what a person may read)
and, where staff edit rows, `managed_by(user)`. Views, exports and the Django admin call only these.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import scope_for


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Accounts: a person sees their own; staff and admins see the accounts behind the profiles they manage."""
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        return self.filter(
            Q(pk=scope.user_id) | Q(alumni_profile__study_program_id__in=scope.staff_program_ids)
        ).distinct()


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A login. Email is the identifier; a person's alumni data lives in AlumniProfile."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=8, default="id", choices=[("id", "Bahasa Indonesia"), ("en", "English")]
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name or self.email).split(" ")[0]


class InstitutionQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Institution, faculty and study-program names are public: they appear on the home page and in filters.
        return self.all()

    def managed_by(self, user):
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        return self.filter(pk__in=scope.admin_institution_ids)


class Institution(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return self.name


class FacultyQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.all()

    def managed_by(self, user):
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        return self.filter(institution_id__in=scope.admin_institution_ids)


class Faculty(models.Model):
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="faculties", verbose_name=_("institution")
    )
    name = models.CharField(_("name"), max_length=200)

    objects = FacultyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("faculty")
        verbose_name_plural = _("faculties")
        constraints = [models.UniqueConstraint(fields=["institution", "name"], name="faculty_unique_name")]

    def __str__(self) -> str:
        return self.name


class StudyProgramQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.all()

    def managed_by(self, user):
        """The study programs whose data this person may run: staff of the program, admins of its institution."""
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        return self.filter(pk__in=scope.staff_program_ids)


class StudyProgram(models.Model):
    class Level(models.TextChoices):
        D3 = "D3", _("Diploma Three (D3)")
        D4 = "D4", _("Applied Bachelor (D4)")
        S1 = "S1", _("Bachelor (S1)")
        S2 = "S2", _("Master (S2)")
        S3 = "S3", _("Doctorate (S3)")

    faculty = models.ForeignKey(
        Faculty, on_delete=models.PROTECT, related_name="study_programs", verbose_name=_("faculty")
    )
    code = models.CharField(
        _("code"), max_length=20, unique=True, help_text=_("The study program code (kode prodi) used by PDDikti.")
    )
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=2, choices=Level.choices, default=Level.S1)

    objects = StudyProgramQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("study program")
        verbose_name_plural = _("study programs")

    def __str__(self) -> str:
        return f"{self.get_level_display_short()} {self.name}"

    def get_level_display_short(self) -> str:
        return self.level


class RoleQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        return self.filter(
            Q(user_id=scope.user_id)
            | Q(institution_id__in=scope.admin_institution_ids)
        )

    managed_by = visible_to


class Role(models.Model):
    """A staff right. Staff roles name one study program; an admin role covers a whole institution."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Study-program staff")
        ADMIN = "admin", _("Institution admin")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("user"))
    kind = models.CharField(_("role"), max_length=10, choices=Kind.choices)
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="roles", verbose_name=_("institution")
    )
    study_program = models.ForeignKey(
        StudyProgram,
        on_delete=models.CASCADE,
        related_name="roles",
        null=True,
        blank=True,
        verbose_name=_("study program"),
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("granted by")
    )

    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "study_program"], name="role_unique_staff_program",
                condition=Q(study_program__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "institution"], name="role_unique_admin_institution",
                condition=Q(study_program__isnull=True),
            ),
            models.CheckConstraint(
                condition=(Q(kind="staff", study_program__isnull=False) | Q(kind="admin", study_program__isnull=True)),
                name="role_staff_has_program_admin_has_none",
            ),
        ]

    def __str__(self) -> str:
        where = self.study_program or self.institution
        return f"{self.user} · {self.get_kind_display()} · {where}"


class Province(models.Model):
    code = models.CharField(_("code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class Visibility(models.TextChoices):
    ALUMNI = "alumni", _("Logged-in alumni")
    STAFF = "staff", _("Study-program staff only")
    PRIVATE = "private", _("Only me")


# Profile parts whose visibility the owner chooses. Name, study program and cohort are always shown in the
# directory to those who may see the profile at all.
VISIBLE_PARTS = ("email", "phone", "location", "graduation", "career", "bio", "photo")


def visibility_field(label):
    return models.CharField(label, max_length=10, choices=Visibility.choices, default=Visibility.STAFF)


class AlumniProfileQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Profiles a person may see at all.

        - staff see every record of their study programs (claimed or not), admins every record of their institution;
        - a member (someone with a claimed profile) sees other members who are listed in the directory;
        - everyone sees their own; anonymous visitors see none.
        """
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        return self.filter(profile_visible_q(user))

    def managed_by(self, user):
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        return self.filter(study_program_id__in=scope.staff_program_ids)

    def awaiting_vouch_by(self, user):
        """Pending requests this person may vouch for: they are a verified member, and the request names the same
        study program and entry cohort as their own record; not their own, and not answered by them yet. A person
        sees no one else's request (staff-only accounts and pending people see none)."""
        scope = scope_for(user)
        if not scope.is_member:
            return self.none()
        own = AlumniProfile.objects.filter(user_id=scope.user_id, verification=AlumniProfile.Verification.VERIFIED)
        return (
            self.filter(
                verification=AlumniProfile.Verification.PENDING,
                user__isnull=False,
                user__is_active=True,
                study_program_id=Subquery(own.values("study_program_id")[:1]),
                entry_year=Subquery(own.values("entry_year")[:1]),
            )
            .exclude(user_id=scope.user_id)
            .exclude(vouches__voucher_id=scope.user_id)
        )


def profile_visible_q(user, *, own: bool = True) -> Q:
    """SQL condition behind `AlumniProfileQuerySet.visible_to` for a signed-in person. With `own=False`, without
    "the person's own record": what everyone of the same visibility class (member or not, staff of the same study
    programs) sees, which the directory's cached count is shared by (alumni.selectors.directory_count)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Q()
    q = Q(study_program_id__in=scope.staff_program_ids)
    if own and scope.user_id:
        q = Q(user_id=scope.user_id) | q
    if scope.is_member:
        q |= Q(
            user__isnull=False, user__is_active=True, listed_in_directory=True,
            verification=AlumniProfile.Verification.VERIFIED,
        )
    return q


def part_visible_q(part: str, user, prefix: str = "", *, own: bool = True) -> Q:
    """SQL condition: the viewer may see this part of the profile. Used to filter and search, so that a hidden
    field can never be used to find someone. `own=False` leaves out the viewer's own record (see
    profile_visible_q)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Q()
    field = f"{prefix}vis_{part}"
    q = Q(**{f"{prefix}user_id": scope.user_id}) if (own and scope.user_id) else Q(pk__in=[])
    q |= Q(**{
        f"{field}__in": [Visibility.ALUMNI, Visibility.STAFF],
        f"{prefix}study_program_id__in": scope.staff_program_ids,
    })
    if scope.is_member:
        q |= Q(**{field: Visibility.ALUMNI})
    return q


def profile_photo_path(instance: AlumniProfile, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"photos/{instance.pk}/{uuid.uuid4().hex}.{ext}"


class AlumniProfile(models.Model):
    """One graduate or student of one study program. Imported records have no user until someone claims them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alumni_profile",
        verbose_name=_("account"),
    )
    study_program = models.ForeignKey(
        StudyProgram, on_delete=models.PROTECT, related_name="alumni", verbose_name=_("study program")
    )
    nim = models.CharField(_("student number (NIM)"), max_length=30)
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email"), blank=True, db_index=True)
    entry_year = models.PositiveSmallIntegerField(_("entry cohort (angkatan)"))
    graduation_date = models.DateField(_("graduation date"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    province = models.ForeignKey(
        Province, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    city = models.CharField(_("city/regency"), max_length=100, blank=True)
    photo = models.ImageField(_("photo"), upload_to=profile_photo_path, blank=True)
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    # Opt-in (UU PDP 27/2022): nobody is listed until they say so on the consent screen or in their privacy page.
    listed_in_directory = models.BooleanField(_("listed in the alumni directory"), default=False)

    class Verification(models.TextChoices):
        VERIFIED = "verified", _("Verified")
        PENDING = "pending", _("Waiting for verification")
        REFUSED = "refused", _("Not verified")

    class VerifiedVia(models.TextChoices):
        IMPORT = "import", _("Imported record")
        CLAIM = "claim", _("Email matches an imported record")
        STAFF = "staff", _("Approved by study-program staff")
        VOUCH = "vouch", _("Vouched for by two classmates")

    # Imported records are the study program's own data: verified from the start. A record someone registers
    # for themselves is pending until staff approve it or two verified classmates vouch for it; until then its
    # owner is no member (alumni.scope) and sees nothing of other members.
    verification = models.CharField(
        _("verification"), max_length=10, choices=Verification.choices, default=Verification.VERIFIED, db_index=True
    )
    verified_via = models.CharField(_("verified through"), max_length=10, choices=VerifiedVia.choices, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("verified by")
    )
    verification_note = models.TextField(_("verification note"), blank=True)

    vis_email = visibility_field(_("who sees my email"))
    vis_phone = visibility_field(_("who sees my phone"))
    vis_location = visibility_field(_("who sees my city and province"))
    vis_graduation = visibility_field(_("who sees my graduation date"))
    vis_career = visibility_field(_("who sees my career"))
    vis_bio = visibility_field(_("who sees my bio"))
    vis_photo = visibility_field(_("who sees my photo"))

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AlumniProfileQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("alumni profile")
        verbose_name_plural = _("alumni profiles")
        constraints = [
            # A NIM is unique among the study program's verified records only: a person may declare a NIM that an
            # imported record carries (their request then waits for staff, who see both side by side), and the
            # registration form says nothing about which NIMs exist.
            models.UniqueConstraint(
                fields=["study_program", "nim"], condition=Q(verification="verified"), name="profile_unique_nim"
            )
        ]
        indexes = [
            models.Index(fields=["study_program", "entry_year"]),
            models.Index(fields=["full_name"]),
            # The directory sorted by cohort (alumni.selectors.DIRECTORY_ORDERS) reads the rows in this order.
            models.Index(fields=["entry_year", "full_name", "id"], name="alumni_profile_cohort_order"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.nim})"

    def get_absolute_url(self) -> str:
        return reverse("alumni:profile", args=[self.pk])

    def get_short_name(self) -> str:
        """The greeting of an email to the record's address (someone without an account), like User's."""
        return (self.full_name or self.email).split(" ")[0]

    @property
    def is_verified(self) -> bool:
        return self.verification == self.Verification.VERIFIED

    @property
    def is_student(self) -> bool:
        return self.graduation_date is None

    def can_see(self, part: str, *, viewer) -> bool:
        """Python twin of part_visible_q for one loaded row (no query: the scope is cached on the viewer)."""
        scope = scope_for(viewer)
        level = getattr(self, f"vis_{part}")
        if scope.is_superuser or (scope.user_id and self.user_id == scope.user_id):
            return True
        if self.study_program_id in scope.staff_program_ids:
            return level != Visibility.PRIVATE
        return scope.is_member and level == Visibility.ALUMNI

    def visible_parts(self, *, viewer) -> dict[str, bool]:
        return {part: self.can_see(part, viewer=viewer) for part in VISIBLE_PARTS}


class EmploymentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(
            profile__in=AlumniProfile.objects.visible_to(user)
        ).filter(part_visible_q("career", user, prefix="profile__"))


class Employment(models.Model):
    """One job in a person's career. The current job has no end date."""

    class EmployerKind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        PRIVATE = "private", _("Private company")
        STATE_OWNED = "state_owned", _("State-owned enterprise (BUMN/BUMD)")
        NGO = "ngo", _("Non-profit / NGO")
        EDUCATION = "education", _("Education institution")
        SELF_EMPLOYED = "self_employed", _("Self-employed / own business")

    class Scope(models.TextChoices):
        LOCAL = "local", _("Local / regional")
        NATIONAL = "national", _("National")
        MULTINATIONAL = "multinational", _("Multinational / international")

    class Relevance(models.IntegerChoices):
        # Same codes as the tracer question f14.
        VERY_CLOSE = 1, _("Very closely related to my field")
        CLOSE = 2, _("Closely related")
        FAIRLY = 3, _("Fairly related")
        LESS = 4, _("Loosely related")
        NONE = 5, _("Not related at all")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(
        AlumniProfile, on_delete=models.CASCADE, related_name="employments", verbose_name=_("profile")
    )
    employer = models.CharField(_("employer"), max_length=200)
    employer_kind = models.CharField(_("kind of employer"), max_length=20, choices=EmployerKind.choices)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    position = models.CharField(_("position"), max_length=200)
    field_relevance = models.PositiveSmallIntegerField(
        _("relevance to my field of study"), choices=Relevance.choices, null=True, blank=True
    )
    province = models.ForeignKey(
        Province, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    city = models.CharField(_("city/regency"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("Leave empty for your current job."))

    objects = EmploymentQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="employment_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["profile", "end_date"])]

    def __str__(self) -> str:
        return f"{self.position}, {self.employer}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class ConsentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A person sees their own consent history; staff see that of the people of their study programs."""
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        return self.filter(
            Q(user_id=scope.user_id) | Q(user__alumni_profile__study_program_id__in=scope.staff_program_ids)
        )


class Consent(models.Model):
    """One decision of one person about one purpose (UU PDP 27/2022): granted or withdrawn, when, and which
    wording they saw. Rows are never changed; the latest row per (user, purpose) is in force.

    Someone without an account (a graduate known only by the address on their record, a supervisor) can object
    from an email: that row has no `user` but the `email` (lower case) it holds for, and stays in force for that
    address until an account verifies the address and adopts the row (alumni.privacy.consent_adopt_address)."""

    class Purpose(models.TextChoices):
        TRACER = "tracer", _("Tracer study invitations and reminders")
        FUNDRAISING = "fundraising", _("Fundraising and donation contact")
        DIRECTORY = "directory", _("Listing in the alumni directory")
        CAREER = "career", _("Job alerts and introductions")
        COMMUNITY = "community", _("Group digests and help requests in my skills")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="consents", verbose_name=_("person")
    )
    # Set on a decision made without an account (the address the email went to, lower case); blank otherwise.
    email = models.EmailField(_("email address"), blank=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    granted = models.BooleanField(_("granted"))
    wording_version = models.CharField(_("wording version"), max_length=20)
    at = models.DateTimeField(_("when"), default=timezone.now)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["user", "purpose", "-at"]), models.Index(fields=["email", "purpose"])]
        constraints = [
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(email=""), name="consent_user_or_email"),
        ]

    def __str__(self) -> str:
        # Starts with the person: alumni.audit_targets reads it from the audit trail's copy of this text.
        decision = _("granted") if self.granted else _("withdrawn")
        return f"{self.user or self.email} · {self.get_purpose_display()}: {decision} ({self.wording_version})"


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        if not scope.is_staff:
            return self.none()
        return self.filter(created_by_id=scope.user_id)


class ImportJob(models.Model):
    """One uploaded alumni file: its preview (dry run), then its import, with progress for the UI."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        PREVIEWING = "previewing", _("Checking")
        PREVIEWED = "previewed", _("Checked, waiting for confirmation")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="import_jobs", verbose_name=_("by")
    )
    # Kept outside any public URL: MEDIA_ROOT/imports is never served.
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows done"), default=0)
    # {"new": n, "updated": n, "unchanged": n, "invalid": n}
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    # [{"row": 7, "column": "email", "message": "…"}], the first few hundred
    errors = models.JSONField(_("errors"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Written by the running check or import every batch (outside the import's transaction): a job whose heartbeat
    # stopped for IMPORT_HEARTBEAT_TIMEOUT_MINUTES is failed by alumni.importing.jobs.jobs_fail_stalled.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("alumni import")
        verbose_name_plural = _("alumni imports")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))


class AboutProfileQuerySet(models.QuerySet):
    """Rows about one graduate record (a `profile` foreign key): staff of the record's study program see and
    manage them; the person named by `owner_path` sees their own too (None: staff only). One rule for every
    such model — corrections, import conflicts, sign-up invitations, vouches, tracer invitations and responses."""

    owner_path: str | None = "profile__user_id"

    def managed_by(self, user):
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        return self.filter(profile__study_program_id__in=scope.staff_program_ids)

    def visible_to(self, user):
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        q = Q(profile__study_program_id__in=scope.staff_program_ids)
        if self.owner_path:
            q |= Q(**{self.owner_path: scope.user_id})
        return self.filter(q)


class SignupInvitationQuerySet(AboutProfileQuerySet):
    owner_path = None  # staff's outbox: the invited graduate has no account yet


class SignupInvitation(models.Model):
    """An email inviting the graduate of an imported record without an account to sign up: signing up with that
    address claims the record (alumni/adapters.py).

    `key` (`invitation:<profile id>`) is unique: inserting the row is the claim, so nobody is invited twice,
    whichever import, rerun or second click asks. Not a Notification: those need a recipient account, and an
    unclaimed record has none.
    """

    key = models.CharField(_("key"), max_length=100, unique=True)
    profile = models.ForeignKey(
        AlumniProfile, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("alumni profile")
    )
    email = models.EmailField(_("email"))
    job = models.ForeignKey(
        ImportJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations",
        verbose_name=_("alumni import"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # A delivery attempt leases the row until this time, so two workers never send the same invitation at once.
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    objects = SignupInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("signup invitation")
        verbose_name_plural = _("signup invitations")

    def __str__(self) -> str:
        return f"{self.email} ({self.key})"


class VouchQuerySet(AboutProfileQuerySet):
    owner_path = "voucher_id"  # a voucher sees their own decisions, not what others said of the same request


class Vouch(models.Model):
    """A verified member's word about a pending classmate: "I know this person from my cohort" (vouch) or "I do
    not" (decline, which only hides the request from that member). Two vouches verify the record."""

    class Decision(models.TextChoices):
        VOUCH = "vouch", _("I know this person")
        DECLINE = "decline", _("I do not know this person")

    profile = models.ForeignKey(
        AlumniProfile, on_delete=models.CASCADE, related_name="vouches", verbose_name=_("alumni profile")
    )
    voucher = models.ForeignKey(User, on_delete=models.CASCADE, related_name="vouches_given", verbose_name=_("by"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    objects = VouchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("vouch")
        verbose_name_plural = _("vouches")
        constraints = [models.UniqueConstraint(fields=["profile", "voucher"], name="vouch_once_per_person")]

    def __str__(self) -> str:
        return f"{self.voucher} → {self.profile}: {self.decision}"


class RecordCorrectionQuerySet(AboutProfileQuerySet):
    pass


class RecordCorrection(models.Model):
    """A graduate's request to correct what the academic record holds (name, entry cohort, graduation date).
    The LKPS tables count by these, so only staff of the study program change them, by accepting a request."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for staff")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(
        AlumniProfile, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("alumni profile")
    )
    requested_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("requested by")
    )
    # What the record held when the request was made, and what the person asks for (only the fields they change).
    current = models.JSONField(_("record at the time"), default=dict)
    requested = models.JSONField(_("requested values"), default=dict)
    reason = models.TextField(_("reason"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note from staff"), blank=True)

    objects = RecordCorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("record correction")
        verbose_name_plural = _("record corrections")
        constraints = [
            models.UniqueConstraint(
                fields=["profile"], condition=Q(status="pending"), name="correction_one_pending_per_profile"
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile} ({self.get_status_display()})"


class ImportConflictQuerySet(AboutProfileQuerySet):
    owner_path = None  # a staff decision about the file and the record


class ImportConflict(models.Model):
    """An import row that would change the name, email or dates of a record claimed by an account with another
    email. The import leaves the record as it is; staff decide, one conflict at a time, whether the file or the
    record is right (the file may hold an impostor's claim being corrected, or a typo)."""

    class Status(models.TextChoices):
        OPEN = "open", _("To decide")
        KEPT = "kept", _("Record kept")
        APPLIED = "applied", _("File applied")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    job = models.ForeignKey(
        ImportJob, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("alumni import")
    )
    profile = models.ForeignKey(
        AlumniProfile, on_delete=models.CASCADE, related_name="import_conflicts", verbose_name=_("alumni profile")
    )
    row_number = models.PositiveIntegerField(_("row"))
    # {"full_name": ["record value", "file value"], ...}: only the protected fields that differ.
    differences = models.JSONField(_("differences"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("resolved by")
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    objects = ImportConflictQuerySet.as_manager()

    class Meta:
        ordering = ["row_number"]
        verbose_name = _("import conflict")
        verbose_name_plural = _("import conflicts")
        constraints = [models.UniqueConstraint(fields=["job", "profile"], name="import_conflict_once_per_job")]

    def __str__(self) -> str:
        return f"{self.job} row {self.row_number}: {self.profile}"
