"""The moderation queue: the posts, comments, questions and answers with open reports in the groups a person
moderates (the groups they are an admin of; all groups of the study programs they run as staff; all groups of the
institutions they administer), most reported first, each with its reasons, whether it is hidden already, and the
page it is on. A fixed number of queries whatever the number of reports: the groups (2), the open reports (1) and
one per kind of item reported (at most 4)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from .models import Comment, Group, HelpAnswer, HelpRequest, Membership, Post, Report, Target, Visibility

# Reported items shown at most (the most reported first); reasons shown per item.
QUEUE_LIMIT = 100
REASONS_SHOWN = 3
SNIPPET = 160


@dataclass
class QueueItem:
    target_type: str
    target_id: str
    group: Group
    reports: int = 0
    reasons: list[str] = field(default_factory=list)
    latest: object = None
    text: str = ""
    hidden: bool = False
    link: str = ""

    @property
    def target_label(self) -> str:
        return Target(self.target_type).label


def moderated_groups(*, scope, user):
    """The groups this person moderates (see the module docstring)."""
    if scope.is_superuser:
        return Group.objects.all()
    admin_of = Membership.objects.filter(user_id=user.pk, status=Membership.Status.ACTIVE,
                                         role=Membership.Role.ADMIN).values("group_id")
    condition = Q(pk__in=admin_of) | Q(study_program_id__in=scope.staff_program_ids)
    if scope.admin_institution_ids:
        condition |= Q(institution_id__in=scope.admin_institution_ids)
    return Group.objects.filter(condition)


def _targets(kind: str, ids: list) -> dict:
    """{id: (text, hidden, link)} of the reported items of one kind (one query)."""
    if kind == Target.POST:
        rows = Post.objects.filter(pk__in=ids).only("pk", "body", "visibility")
        return {r.pk: (r.body, r.visibility == Visibility.HIDDEN, reverse("community:post_detail", args=[r.pk]))
                for r in rows}
    if kind == Target.COMMENT:
        rows = Comment.objects.filter(pk__in=ids).only("pk", "body", "visibility", "post_id")
        return {r.pk: (r.body, r.visibility == Visibility.HIDDEN,
                       reverse("community:post_detail", args=[r.post_id]) + f"#comment-{r.pk}") for r in rows}
    if kind == Target.QUESTION:
        rows = HelpRequest.objects.filter(pk__in=ids).only("pk", "title", "visibility")
        return {r.pk: (r.title, r.visibility == Visibility.HIDDEN,
                       reverse("community:question_detail", args=[r.pk])) for r in rows}
    rows = HelpAnswer.objects.filter(pk__in=ids).only("pk", "body", "visibility", "request_id")
    return {r.pk: (r.body, r.visibility == Visibility.HIDDEN,
                   reverse("community:question_detail", args=[r.request_id]) + f"#answer-{r.pk}") for r in rows}


def moderation_queue(*, scope, user) -> tuple[list[QueueItem], int]:
    """(the reported items, most reported first, at most QUEUE_LIMIT; the number of groups moderated)."""
    groups = {g.pk: g for g in moderated_groups(scope=scope, user=user).only("pk", "name", "slug")}
    if not groups:
        return [], 0
    items: dict[tuple[str, object], QueueItem] = {}
    for report in (Report.objects.filter(group_id__in=list(groups), resolved_at__isnull=True)
                   .order_by("-created_at")[:QUEUE_LIMIT * 10]):
        key = (report.target_type, report.target_id)
        item = items.get(key)
        if item is None:
            item = items[key] = QueueItem(target_type=report.target_type, target_id=str(report.target_id),
                                          group=groups[report.group_id], latest=report.created_at)
        item.reports += 1
        if len(item.reasons) < REASONS_SHOWN:
            item.reasons.append(report.reason)
    ranked = sorted(items.values(), key=lambda i: (-i.reports, -i.latest.timestamp()))[:QUEUE_LIMIT]
    by_kind: dict[str, list] = defaultdict(list)
    for item in ranked:
        by_kind[item.target_type].append(item.target_id)
    found = {}
    for kind, ids in by_kind.items():
        found.update({(kind, str(pk)): value for pk, value in _targets(kind, ids).items()})
    queue = []
    for item in ranked:
        if (item.target_type, item.target_id) not in found:
            continue  # deleted by its author since it was reported
        text, item.hidden, item.link = found[item.target_type, item.target_id]
        item.text = text if len(text) <= SNIPPET else text[:SNIPPET - 1] + "…"
        queue.append(item)
    return queue, len(groups)
