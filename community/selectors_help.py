"""Reading help requests: a group's open and solved questions, one question with its answers, the group page's
panel, and how many questions a person helped solve.

What a viewer sees of a group's questions: everyone who reads the group's threads (access.can_read_threads) sees
the visible questions and answers; moderators (access.can_moderate) also the hidden ones, marked; an asker or
author sees their own hidden items, marked. Each function runs a fixed number of queries whatever the number of
questions and answers (tests/community/test_help_views.py pins the list at two sizes).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from alumni.scope import scope_for

from . import access
from .models import CommunitySettings, Group, HelpAnswer, HelpRequest, Visibility

QUESTIONS_PER_PAGE = 20
PANEL_LATEST = 3
TABS = ("open", "solved")

S = HelpRequest.Status


def _visible_q(user, *, moderator: bool, author_field: str) -> Q:
    if moderator:
        return Q()
    own = Q(**{f"{author_field}_id": user.pk}) if getattr(user, "pk", None) else Q(pk__in=[])
    return Q(visibility=Visibility.VISIBLE) | own


def questions_of(group: Group, *, user, moderator: bool) -> QuerySet[HelpRequest]:
    return HelpRequest.objects.filter(group=group).filter(_visible_q(user, moderator=moderator,
                                                                     author_field="asker"))


def visible_answers_count() -> Count:
    return Count("answers", filter=Q(answers__visibility=Visibility.VISIBLE))


def questions_page(group: Group, *, user, moderator: bool, tab: str, page_number=1) -> tuple[Page, dict]:
    """The page of open (then closed) or solved questions, newest first, with answer counts, asker, category and
    the helper of a solved one; and the counts of the tabs. Queries: 1 for the counts, 1 count of the tab, 1 page."""
    base = questions_of(group, user=user, moderator=moderator)
    counts = base.aggregate(open=Count("pk", filter=Q(status=S.OPEN)), solved=Count("pk", filter=Q(status=S.SOLVED)),
                            closed=Count("pk", filter=Q(status=S.CLOSED)))
    qs = (
        base.select_related("asker", "category", "solved_by_answer__author")
        .annotate(answer_count=visible_answers_count())
    )
    if tab == "solved":
        qs = qs.filter(status=S.SOLVED).order_by("-solved_at", "pk")
    else:
        # Open ones first, then those their askers closed without an answer.
        qs = qs.filter(status__in=[S.OPEN, S.CLOSED]).order_by("-status", "-created_at", "pk")
    page = Paginator(qs, QUESTIONS_PER_PAGE).get_page(page_number)
    return page, counts


def question_for(pk, *, user) -> tuple[HelpRequest, bool] | None:
    """The question (with group, asker, category) and whether the viewer moderates its group, or None when the
    viewer may not read it (not found, not a reader of the group, hidden from them)."""
    question = HelpRequest.objects.select_related("group", "asker", "category", "solved_by_answer").filter(
        pk=pk).first()
    if question is None:
        return None
    scope = scope_for(user)
    if not access.can_read_threads(scope, user, question.group):
        return None
    moderator = access.can_moderate(scope, user, question.group)
    if question.visibility != Visibility.VISIBLE and not moderator and question.asker_id != user.pk:
        return None
    return question, moderator


def answers_of(question: HelpRequest, *, user, moderator: bool) -> list[HelpAnswer]:
    return list(
        question.answers.filter(_visible_q(user, moderator=moderator, author_field="author"))
        .select_related("author").order_by("created_at", "pk")
    )


# --- Helped count ------------------------------------------------------------------------------------------------


def helped_counts(user_ids, *, shown_only: bool = True) -> dict[int, int]:
    """{user id: questions their answer solved} for the people among `user_ids` (only those who allow it shown,
    when `shown_only`). One query (two with shown_only)."""
    ids = {i for i in user_ids if i}
    if not ids:
        return {}
    if shown_only:
        ids = set(CommunitySettings.objects.filter(user_id__in=ids, show_helped_count=True)
                  .values_list("user_id", flat=True))
        if not ids:
            return {}
    rows = (
        HelpRequest.objects.filter(status=S.SOLVED, solved_by_answer__author_id__in=ids)
        .values("solved_by_answer__author_id").annotate(n=Count("pk")).values_list("solved_by_answer__author_id", "n")
    )
    return dict(rows)


def helped_count(user) -> int:
    """All questions the person's answers solved (for themselves: whether shown or not)."""
    return helped_counts([user.pk], shown_only=False).get(user.pk, 0)


def helped_section(profile, viewer) -> dict:
    """The profile page's line (alumni.extensions profile section): "Helped solve N questions in groups", shown
    when the person allows it (to themselves always, with whether others see it). Two queries at most."""
    if profile.user_id is None or not getattr(viewer, "is_authenticated", False):
        return {"community_helped": None}
    own = profile.user_id == viewer.pk
    settings_row = CommunitySettings.objects.filter(user_id=profile.user_id).first()
    shown = bool(settings_row and settings_row.show_helped_count)
    if not (own or shown):
        return {"community_helped": None}
    count = helped_counts([profile.user_id], shown_only=False).get(profile.user_id, 0)
    if not count and not own:
        return {"community_helped": None}
    return {"community_helped": {"count": count, "shown": shown, "own": own}}


# --- The group page's panel --------------------------------------------------------------------------------------


@dataclass
class GroupPanel:
    open_count: int
    solved_count: int
    latest: list
    can_ask: bool
    readable: bool


def group_panel(group: Group, user) -> GroupPanel:
    """What the group page shows of its questions (community/help_group_panel.html): the open and solved counts,
    the latest few questions, whether the viewer may ask. Two queries (plus the memoised membership)."""
    scope = scope_for(user)
    if not access.can_read_threads(scope, user, group):
        return GroupPanel(0, 0, [], False, False)
    moderator = access.can_moderate(scope, user, group)
    base = questions_of(group, user=user, moderator=moderator)
    counts = base.aggregate(open=Count("pk", filter=Q(status=S.OPEN)), solved=Count("pk", filter=Q(status=S.SOLVED)))
    latest = list(base.filter(status__in=[S.OPEN, S.SOLVED]).select_related("category")
                  .annotate(answer_count=visible_answers_count()).order_by("-created_at", "pk")[:PANEL_LATEST])
    return GroupPanel(open_count=counts["open"], solved_count=counts["solved"], latest=latest,
                      can_ask=scope.is_member and access.can_post(scope, user, group), readable=True)
