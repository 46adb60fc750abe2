"""Communities: groups (a cohort, a region, an interest community), their members and admins, posts with comments
and pictures, pinned announcements, the group's own programs, help requests ("Tanya & konsultasi") with answers,
the skills members list, reports and the moderation history.

Who may see what (the one door is `community.access`):
- a group's page (name, kind, description, member count) is seen by verified members; an interest group waiting for
  staff approval only by its creator and the staff of its study program (and institution admins);
- posts, comments, questions and answers of a group are seen by its active members, by the staff of the group's
  study program (moderation) and institution admins; pending people, employer contacts and visitors see none;
- a hidden item stays in the database with its moderation history (ModerationAction) and the audit trail; its
  author, the group's admins and staff still see it marked hidden; other members do not.
- No private messages: people reach each other through introductions (careers), mentorships and group threads.
"""

from __future__ import annotations

import re
import unicodedata
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alumni.models import Institution, Province, StudyProgram
from programs.models import Program

# A post carries at most this many pictures, each at most this many bytes as sent (re-encoded on the way in).
MAX_POST_IMAGES = 4
MAX_IMAGE_BYTES = 5 * 1024 * 1024
# Reports that hide an item until a group admin or staff look at it.
HIDE_AFTER_REPORTS = 3
# A help request nobody answered after this many days is raised to the group's admins.
ESCALATE_AFTER_DAYS = 3
# New members (joined the group fewer than NEW_MEMBER_DAYS ago) write at most NEW_MEMBER_POSTS_PER_DAY posts,
# comments, questions and answers together per day in that group.
NEW_MEMBER_DAYS = 7
NEW_MEMBER_POSTS_PER_DAY = 5

NAME_MAX = 120
TEXT_MAX = 5000
COMMENT_MAX = 2000


def name_key(name: str) -> str:
    """The comparable form of a group's name: "Komunitas  SLiMS — Kediri Raya" = "komunitas slims kediri raya"."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    return " ".join(w for w in re.split(r"[^a-z0-9]+", text) if w)[:NAME_MAX]


class Group(models.Model):
    class Kind(models.TextChoices):
        COHORT = "cohort", _("Cohort")
        REGION = "region", _("Region")
        INTEREST = "interest", _("Interest community")

    class JoinPolicy(models.TextChoices):
        OPEN = "open", _("Anyone who is a member of the portal may join")
        REQUEST = "request", _("Join by request (the group's admins approve)")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for staff approval")
        ACTIVE = "active", _("Active")
        REFUSED = "refused", _("Refused")
        ARCHIVED = "archived", _("Archived")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=NAME_MAX)
    name_key = models.CharField(_("comparable name"), max_length=NAME_MAX, unique=True, editable=False)
    slug = models.SlugField(_("address"), max_length=140, unique=True)
    description = models.TextField(_("description"), max_length=TEXT_MAX, blank=True)
    # Cohort: the study program of the cohort. Interest: the study program whose staff approve and oversee it.
    # Region: empty (one group per province, or per province and institution).
    study_program = models.ForeignKey(
        StudyProgram, on_delete=models.PROTECT, null=True, blank=True, related_name="groups",
        verbose_name=_("study program"),
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, null=True, blank=True, related_name="groups",
        verbose_name=_("institution"),
    )
    entry_year = models.PositiveSmallIntegerField(_("entry cohort (angkatan)"), null=True, blank=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    join_policy = models.CharField(_("joining"), max_length=10, choices=JoinPolicy.choices, default=JoinPolicy.OPEN)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    refusal_reason = models.TextField(_("reason for refusal"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("approved or refused by"),
    )
    decided_at = models.DateTimeField(_("approved or refused"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        indexes = [models.Index(fields=["kind", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["study_program", "entry_year"], condition=Q(kind="cohort"), name="community_one_cohort_group"
            ),
            models.UniqueConstraint(
                fields=["province"], condition=Q(kind="region", institution__isnull=True),
                name="community_one_region_group",
            ),
            models.UniqueConstraint(
                fields=["province", "institution"], condition=Q(kind="region", institution__isnull=False),
                name="community_one_region_group_per_institution",
            ),
            models.CheckConstraint(
                condition=~Q(kind="cohort") | Q(study_program__isnull=False, entry_year__isnull=False),
                name="community_cohort_has_program_and_year",
            ),
            models.CheckConstraint(
                condition=~Q(kind="region") | Q(province__isnull=False), name="community_region_has_province"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        ADMIN = "admin", _("Group admin")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Member")
        REQUESTED = "requested", _("Asked to join")
        LEFT = "left", _("Left")
        REFUSED = "refused", _("Request refused")
        REMOVED = "removed", _("Removed")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        indexes = [models.Index(fields=["user", "status"]), models.Index(fields=["group", "status", "role"])]
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="community_membership_once")]

    def __str__(self) -> str:
        return f"{self.user} in {self.group}"


class GroupProgram(models.Model):
    """A program a group organises: it runs through programs (sessions, reminders, health) like any other; this row
    says which group it belongs to."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="group_programs")
    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="community_group")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("group program")
        verbose_name_plural = _("group programs")

    def __str__(self) -> str:
        return f"{self.group}: {self.program}"


class Visibility(models.TextChoices):
    """Moderation state of a post, comment, question or answer."""

    VISIBLE = "visible", _("Visible")
    HIDDEN = "hidden", _("Hidden")


class Post(models.Model):
    class Kind(models.TextChoices):
        POST = "post", _("Post")
        ANNOUNCEMENT = "announcement", _("Announcement")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.POST)
    body = models.TextField(_("text"), max_length=TEXT_MAX)
    pinned = models.BooleanField(_("pinned"), default=False)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.VISIBLE)
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    class Meta:
        ordering = ["-pinned", "-created_at"]
        verbose_name = _("group post")
        verbose_name_plural = _("group posts")
        indexes = [models.Index(fields=["group", "visibility", "-pinned", "-created_at"])]

    def __str__(self) -> str:
        return self.body[:60]


def post_image_path(instance, filename: str) -> str:
    return f"community/posts/{instance.post_id}/{filename}"


class PostImage(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("picture"), upload_to=post_image_path)
    position = models.PositiveSmallIntegerField(default=0)
    alt = models.CharField(_("description of the picture"), max_length=200, blank=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("post picture")
        verbose_name_plural = _("post pictures")

    def __str__(self) -> str:
        return self.image.name


class Comment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("comment"), max_length=COMMENT_MAX)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.VISIBLE)
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:60]


class HelpCategory(models.Model):
    """A kind of help members ask for and offer ("instalasi SLiMS", "migrasi data", "katalogisasi"). Staff keep the
    list; members list the ones they can help with (MemberSkill)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("help category")
        verbose_name_plural = _("help categories")

    def __str__(self) -> str:
        return self.name


class MemberSkill(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_skills")
    category = models.ForeignKey(HelpCategory, on_delete=models.CASCADE, related_name="skilled")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints = [models.UniqueConstraint(fields=["user", "category"], name="community_skill_once")]

    def __str__(self) -> str:
        return f"{self.user}: {self.category}"


class CommunitySettings(models.Model):
    """A person's choices about the community pages."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_settings"
    )
    # "Helped solve N questions" on the person's profile, for other members: off until the person turns it on.
    show_helped_count = models.BooleanField(_("show how many questions I helped solve on my profile"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("community settings")
        verbose_name_plural = _("community settings")

    def __str__(self) -> str:
        return str(self.user)


class HelpRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SOLVED = "solved", _("Solved")
        CLOSED = "closed", _("Closed without an answer")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="help_requests")
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("asked by")
    )
    category = models.ForeignKey(
        HelpCategory, on_delete=models.PROTECT, related_name="requests", verbose_name=_("category")
    )
    title = models.CharField(_("question"), max_length=200)
    body = models.TextField(_("details"), max_length=TEXT_MAX, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    solved_by_answer = models.OneToOneField(
        "HelpAnswer", on_delete=models.SET_NULL, null=True, blank=True, related_name="solved", editable=False
    )
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.VISIBLE)
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    solved_at = models.DateTimeField(_("solved"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("raised to the group's admins"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        indexes = [
            models.Index(fields=["group", "status", "-created_at"]), models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class HelpAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("answer"), max_length=TEXT_MAX)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.VISIBLE)
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    created_at = models.DateTimeField(_("answered"), default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["author", "created_at"])]

    def __str__(self) -> str:
        return self.body[:60]


class Target(models.TextChoices):
    """What a report or a moderation action is about."""

    POST = "post", _("Post")
    COMMENT = "comment", _("Comment")
    QUESTION = "question", _("Question")
    ANSWER = "answer", _("Answer")


class Report(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="reports")
    target_type = models.CharField(_("reported"), max_length=10, choices=Target.choices)
    target_id = models.UUIDField()
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["group", "resolved_at"])]
        constraints = [
            models.UniqueConstraint(fields=["target_type", "target_id", "reporter"], name="community_report_once")
        ]

    def __str__(self) -> str:
        return f"{self.target_type} {self.target_id}"


class ModerationAction(models.Model):
    """The history of a post, comment, question or answer: hidden, shown again, with who, in which capacity, why."""

    class Action(models.TextChoices):
        HIDE = "hide", _("Hidden")
        SHOW = "show", _("Shown again")
        AUTO_HIDE = "auto_hide", _("Hidden after reports")

    class As(models.TextChoices):
        GROUP_ADMIN = "group_admin", _("Group admin")
        STAFF = "staff", _("Study-program staff")
        INSTITUTION_ADMIN = "admin", _("Institution admin")
        REPORTS = "reports", _("Members' reports")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="moderation_actions")
    target_type = models.CharField(max_length=10, choices=Target.choices)
    target_id = models.UUIDField()
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="+")
    acting_as = models.CharField(_("as"), max_length=15, choices=As.choices)
    reason = models.TextField(_("reason"), max_length=1000, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type} {self.target_id}"

    @property
    def reason_text(self) -> str:
        """The reason in the reader's language: an automatic hiding keeps only the number of reports."""
        if self.action == self.Action.AUTO_HIDE and self.reason.isdigit():
            n = int(self.reason)
            return ngettext("Hidden after %(n)d report.", "Hidden after %(n)d reports.", n) % {"n": n}
        return self.reason
