"""Help requests ("Tanya & konsultasi"): the categories staff keep, the skills members list, asking, answering,
marking the answer that solved a question, closing and reopening.

Who may do what (community.access is the door):
- categories: staff of any study program and institution admins (one list for the portal);
- skills and the "helped solve" setting: members (verified alumni and students);
- asking and answering: active members of an active group (`access.can_post`), within the new members' rate limit
  (`moderation.posting_allowed`); a question's category must be offered; answers go to open questions only;
- marking solved, closing, reopening: the asker alone; the solving answer is someone else's, visible, of that
  question; a question is solved once.

Every refusal raises ValidationError (bad input) or PermissionDenied (not theirs) before anything is written; the
writes of one call are one transaction with an audit entry (`community.help.*`). The demo seeder calls
`skills_add`, `question_ask`, `question_answer` and `question_mark_solved`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from alumni.scope import scope_for
from core.audit import audit_log

from . import access, moderation
from .models import TEXT_MAX, CommunitySettings, Group, HelpAnswer, HelpCategory, HelpRequest, MemberSkill, Visibility

TITLE_MAX = 150
CATEGORY_NAME_MAX = 100

ACTION_CATEGORY_SAVED = "community.help.category_saved"
ACTION_SKILLS_SAVED = "community.help.skills_saved"
ACTION_ASKED = "community.help.asked"
ACTION_ANSWERED = "community.help.answered"
ACTION_SOLVED = "community.help.solved"
ACTION_CLOSED = "community.help.closed"
ACTION_REOPENED = "community.help.reopened"
ACTION_ESCALATED = "community.help.escalated"

S = HelpRequest.Status


# --- Categories --------------------------------------------------------------------------------------------------


# The categories a new portal starts with (installed by migration 0002_help_categories, which keeps its own copy):
# (code, English name). `default_categories_ensure` puts back the missing ones (the demo seeder; a test database
# that a transactional test flushed).
DEFAULT_CATEGORIES = [
    ("instalasi-slims", "SLiMS installation"),
    ("migrasi-data", "Data migration"),
    ("katalogisasi", "Cataloguing"),
    ("otomasi-perpustakaan", "Library automation"),
    ("repositori-ojs", "Repository and OJS"),
]


def default_categories_ensure() -> dict[str, HelpCategory]:
    """{code: category} of the default categories, made when missing (staff's changes to them are kept)."""
    return {code: HelpCategory.objects.get_or_create(code=code, defaults={"name": name})[0]
            for code, name in DEFAULT_CATEGORIES}


def may_keep_categories(user) -> bool:
    scope = scope_for(user)
    return scope.is_staff or scope.is_admin


def help_category_save(*, by, name: str, code: str = "", active: bool = True,
                       category: HelpCategory | None = None) -> HelpCategory:
    """Add a category (code from the name when empty) or rename / offer / withdraw one. Staff and admins only."""
    if not may_keep_categories(by):
        raise PermissionDenied(_("Only staff and institution admins keep the help categories."))
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Give the category a name.")})
    if len(name) > CATEGORY_NAME_MAX:
        raise ValidationError({"name": _("A category's name has at most %(n)d characters.") % {"n": CATEGORY_NAME_MAX}})
    with transaction.atomic():
        if category is None:
            code = slugify(code or name)[:60]
            if not code:
                raise ValidationError({"code": _("Give the category a code of letters and digits.")})
            if HelpCategory.objects.filter(code=code).exists():
                raise ValidationError({"code": _("A category with this code exists already.")})
            category = HelpCategory.objects.create(code=code, name=name, active=bool(active))
            created = True
        else:
            category = HelpCategory.objects.select_for_update().get(pk=category.pk)
            category.name, category.active = name, bool(active)
            category.save(update_fields=["name", "active"])
            created = False
        audit_log(actor=by, action=ACTION_CATEGORY_SAVED, target=category,
                  data={"created": created, "active": category.active})
    return category


# --- Skills and settings -----------------------------------------------------------------------------------------


def may_list_skills(user) -> bool:
    return scope_for(user).is_member


def settings_for(user) -> CommunitySettings | None:
    """The person's community settings row, or None (defaults: helped count hidden)."""
    if user is None or not getattr(user, "pk", None):
        return None
    return CommunitySettings.objects.filter(user_id=user.pk).first()


@transaction.atomic
def skills_save(*, user, category_ids, show_helped_count: bool) -> list[int]:
    """Replace the person's skills with the offered categories among `category_ids`; save the helped-count choice.
    Returns the ids kept."""
    if not may_list_skills(user):
        raise PermissionDenied(_("Skills are for verified alumni and students."))
    wanted = set(HelpCategory.objects.filter(pk__in=[int(i) for i in category_ids or ()], active=True)
                 .values_list("pk", flat=True))
    current = set(MemberSkill.objects.filter(user=user).values_list("category_id", flat=True))
    # A category staff withdrew stays on a person's list until they untick it (it just offers nothing new).
    withdrawn = set(HelpCategory.objects.filter(pk__in=current, active=False).values_list("pk", flat=True))
    keep = wanted | (current & withdrawn & {int(i) for i in category_ids or ()})
    MemberSkill.objects.filter(user=user).exclude(category_id__in=keep).delete()
    MemberSkill.objects.bulk_create([MemberSkill(user=user, category_id=pk) for pk in sorted(keep - current)],
                                    ignore_conflicts=True)
    CommunitySettings.objects.update_or_create(user=user, defaults={"show_helped_count": bool(show_helped_count)})
    audit_log(actor=user, action=ACTION_SKILLS_SAVED, target=user,
              data={"skills": sorted(keep), "show_helped_count": bool(show_helped_count)})
    return sorted(keep)


def skills_add(*, user, categories) -> None:
    """Add skills (HelpCategory objects or codes) to the person's list, keeping the others (the demo seeder)."""
    codes = [c for c in categories if isinstance(c, str)]
    ids = {c.pk for c in categories if isinstance(c, HelpCategory)}
    ids |= set(HelpCategory.objects.filter(code__in=codes).values_list("pk", flat=True))
    MemberSkill.objects.bulk_create([MemberSkill(user=user, category_id=pk) for pk in sorted(ids)],
                                    ignore_conflicts=True)


# --- Questions and answers ---------------------------------------------------------------------------------------


def _may_write(user, group: Group) -> None:
    scope = scope_for(user)
    if not (scope.is_member and access.can_post(scope, user, group)):
        raise PermissionDenied(_("Only the group's members can ask and answer questions in it."))
    limit = moderation.posting_allowed(user, group)
    if limit:
        raise ValidationError(limit)


def _clean_text(value: str, *, field: str, maximum: int, required: bool, empty: str) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: empty})
    if len(value) > maximum:
        raise ValidationError({field: _("At most %(n)d characters, please.") % {"n": maximum}})
    return value


def question_ask(*, user, group: Group, category: HelpCategory, title: str, body: str = "") -> HelpRequest:
    """A member asks the group. The skill emails go out from the help tick (community.ticks_help)."""
    title = " ".join((title or "").split())
    title = _clean_text(title, field="title", maximum=TITLE_MAX, required=True,
                        empty=_("Write your question in a short sentence."))
    body = _clean_text(body, field="body", maximum=TEXT_MAX, required=False, empty="")
    if category is None or not category.active:
        raise ValidationError({"category": _("Choose one of the offered categories.")})
    with transaction.atomic():
        _may_write(user, group)
        question = HelpRequest.objects.create(group=group, asker=user, category=category, title=title, body=body)
        audit_log(actor=user, action=ACTION_ASKED, target=question, data={"group": str(group.pk),
                                                                          "category": category.code})
    return question


def _locked(question: HelpRequest) -> HelpRequest:
    return HelpRequest.objects.select_for_update(of=("self",)).select_related("group").get(pk=question.pk)


def question_answer(*, user, question: HelpRequest, body: str) -> HelpAnswer:
    body = _clean_text(body, field="body", maximum=TEXT_MAX, required=True, empty=_("Write your answer."))
    with transaction.atomic():
        question = _locked(question)
        _may_write(user, question.group)
        if question.visibility != Visibility.VISIBLE:
            raise ValidationError(_("This question is hidden by a moderator: it takes no answers."))
        if question.status != S.OPEN:
            raise ValidationError(_("This question is no longer open: it takes no answers."))
        answer = HelpAnswer.objects.create(request=question, author=user, body=body)
        audit_log(actor=user, action=ACTION_ANSWERED, target=answer, data={"question": str(question.pk)})
    return answer


def _asker_only(user, question: HelpRequest) -> None:
    if question.asker_id is None or question.asker_id != getattr(user, "pk", None):
        raise PermissionDenied(_("Only the person who asked can do this."))


def question_mark_solved(*, user, question: HelpRequest, answer: HelpAnswer) -> HelpRequest:
    """The asker marks the one answer that solved the question (someone else's visible answer to it)."""
    with transaction.atomic():
        question = _locked(question)
        _asker_only(user, question)
        if question.status == S.SOLVED:
            raise ValidationError(_("This question is marked solved already."))
        if question.status != S.OPEN:
            raise ValidationError(_("Reopen the question before marking an answer."))
        answer = HelpAnswer.objects.filter(pk=getattr(answer, "pk", None), request=question).first()
        if answer is None or answer.visibility != Visibility.VISIBLE:
            raise ValidationError(_("Choose one of the answers to this question."))
        if answer.author_id == question.asker_id:
            raise ValidationError(_("Your own answer cannot be the one that solved your question."))
        question.status, question.solved_at, question.solved_by_answer = S.SOLVED, timezone.now(), answer
        question.save(update_fields=["status", "solved_at", "solved_by_answer"])
        audit_log(actor=user, action=ACTION_SOLVED, target=question,
                  data={"answer": str(answer.pk), "helper": answer.author_id})
    return question


def question_close(*, user, question: HelpRequest) -> HelpRequest:
    with transaction.atomic():
        question = _locked(question)
        _asker_only(user, question)
        if question.status != S.OPEN:
            raise ValidationError(_("Only an open question can be closed."))
        question.status = S.CLOSED
        question.save(update_fields=["status"])
        audit_log(actor=user, action=ACTION_CLOSED, target=question)
    return question


def question_reopen(*, user, question: HelpRequest) -> HelpRequest:
    with transaction.atomic():
        question = _locked(question)
        _asker_only(user, question)
        if question.status != S.CLOSED:
            raise ValidationError(_("Only a closed question can be reopened."))
        if not access.is_member(user, question.group):
            raise PermissionDenied(_("Only the group's members can ask and answer questions in it."))
        question.status = S.OPEN
        question.save(update_fields=["status"])
        audit_log(actor=user, action=ACTION_REOPENED, target=question)
    return question
