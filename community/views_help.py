"""Pages of help requests ("Tanya & konsultasi"): a group's questions (open and solved), asking, one question with
its answers, answering, marking the answer that solved it, closing and reopening; the skills a member lists; the
help categories staff keep.

Who: a group's questions are read by its members and moderators (access.can_read_threads); members write; the
asker alone marks, closes and reopens. Skills: members (verified alumni and students). Categories: staff and
institution admins. Everyone else gets 403 (visitors: the login page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alumni.scope import scope_for

from . import access, selectors_help, services_help
from .digest import digest_consent_granted
from .forms_help import AnswerForm, CategoryForm, QuestionForm, SkillsForm
from .models import Group, HelpAnswer, HelpCategory, HelpRequest, MemberSkill, Target, Visibility

TABS = selectors_help.TABS


def _url_or_empty(name: str, args: list) -> str:
    """A URL of another part of community (reports and moderation belong to the moderation part): empty while
    that part does not offer it."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def moderation_urls(target_type: str, pk) -> dict:
    return {
        "report_url": _url_or_empty("community:report", [target_type, pk]),
        "moderate_url": _url_or_empty("community:moderate", [target_type, pk]),
    }


def group_url(group: Group) -> str:
    """The group's page (the groups part), empty while it is not wired."""
    return _url_or_empty("community:group_detail", [group.slug]) or _url_or_empty("community:group", [group.slug])


def _form_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _group_or_404(slug: str) -> Group:
    return get_object_or_404(Group, slug=slug)


def _readable_group(request: HttpRequest, slug: str) -> tuple[Group, bool]:
    group = _group_or_404(slug)
    scope = scope_for(request.user)
    if not access.can_read_threads(scope, request.user, group):
        raise PermissionDenied(_("The questions of a group are for its members."))
    return group, access.can_moderate(scope, request.user, group)


# --- A group's questions -----------------------------------------------------------------------------------------


@login_required
def questions(request: HttpRequest, slug: str) -> HttpResponse:
    group, moderator = _readable_group(request, slug)
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "open"
    page, counts = selectors_help.questions_page(group, user=request.user, moderator=moderator, tab=tab,
                                                 page_number=request.GET.get("page") or 1)
    helped = selectors_help.helped_counts(
        {q.solved_by_answer.author_id for q in page.object_list if q.solved_by_answer_id})
    for question in page.object_list:
        question.helper_helped = helped.get(question.solved_by_answer.author_id) if question.solved_by_answer_id \
            else None
    scope = scope_for(request.user)
    return render(request, "community/help_questions.html", {
        "group": group, "group_url": group_url(group), "page": page, "counts": counts, "tab": tab, "tabs": TABS,
        "moderator": moderator, "can_ask": scope.is_member and access.can_post(scope, request.user, group),
    })


@login_required
@require_http_methods(["GET", "POST"])
def question_new(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group_or_404(slug)
    scope = scope_for(request.user)
    if not (scope.is_member and access.can_post(scope, request.user, group)):
        raise PermissionDenied(_("Only the group's members can ask questions in it."))
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            try:
                question = services_help.question_ask(user=request.user, group=group, **form.cleaned_data)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Your question is posted. Members with this skill will hear of it."))
                return redirect("community:question_detail", question.pk)
    else:
        form = QuestionForm(initial={"category": request.GET.get("category")})
    return render(request, "community/help_question_form.html", {"group": group, "group_url": group_url(group),
                                                                 "form": form})


# --- One question ------------------------------------------------------------------------------------------------


def _question_or_403(request: HttpRequest, pk) -> tuple[HelpRequest, bool]:
    found = selectors_help.question_for(pk, user=request.user)
    if found is None:
        if not HelpRequest.objects.filter(pk=pk).exists():
            raise Http404
        raise PermissionDenied(_("The questions of a group are for its members."))
    return found


def _detail(request: HttpRequest, question: HelpRequest, moderator: bool, *, answer_form=None,
            status: int = 200) -> HttpResponse:
    user = request.user
    answers = selectors_help.answers_of(question, user=user, moderator=moderator)
    helped = selectors_help.helped_counts({a.author_id for a in answers})
    scope = scope_for(user)
    can_answer = (question.status == HelpRequest.Status.OPEN and question.visibility == Visibility.VISIBLE
                  and scope.is_member and access.can_post(scope, user, question.group))
    is_asker = question.asker_id == user.pk
    rows = [
        {"answer": a, "helped": helped.get(a.author_id), "solved": a.pk == question.solved_by_answer_id,
         "may_mark": is_asker and question.status == HelpRequest.Status.OPEN and a.author_id != user.pk
         and a.visibility == Visibility.VISIBLE,
         "own": a.author_id == user.pk, **moderation_urls(Target.ANSWER, a.pk)}
        for a in answers
    ]
    return render(request, "community/help_question_detail.html", {
        "question": question, "group": question.group, "group_url": group_url(question.group), "answers": rows,
        "moderator": moderator,
        "is_asker": is_asker, "can_answer": can_answer,
        "answer_form": answer_form or (AnswerForm() if can_answer else None),
        **moderation_urls(Target.QUESTION, question.pk),
    }, status=status)


@login_required
def question_detail(request: HttpRequest, pk) -> HttpResponse:
    question, moderator = _question_or_403(request, pk)
    return _detail(request, question, moderator)


@login_required
@require_POST
def answer_new(request: HttpRequest, pk) -> HttpResponse:
    question, moderator = _question_or_403(request, pk)
    scope = scope_for(request.user)
    if not (scope.is_member and access.can_post(scope, request.user, question.group)):
        raise PermissionDenied(_("Only the group's members can answer questions in it."))
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services_help.question_answer(user=request.user, question=question, body=form.cleaned_data["body"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Your answer is posted."))
            return redirect("community:question_detail", question.pk)
    return _detail(request, question, moderator, answer_form=form)


def _asker_action(request: HttpRequest, pk, action, done: str) -> HttpResponse:
    question, _moderator = _question_or_403(request, pk)
    if question.asker_id != request.user.pk:
        raise PermissionDenied(_("Only the person who asked can do this."))
    try:
        action(question)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("community:question_detail", question.pk)


@login_required
@require_POST
def question_solved(request: HttpRequest, pk) -> HttpResponse:
    def mark(question):
        try:
            answer = HelpAnswer.objects.filter(pk=request.POST.get("answer"), request=question).first()
        except (ValueError, ValidationError):
            answer = None
        services_help.question_mark_solved(user=request.user, question=question, answer=answer)

    return _asker_action(request, pk, mark, _("Marked solved. Thank you for saying what helped."))


@login_required
@require_POST
def question_close(request: HttpRequest, pk) -> HttpResponse:
    return _asker_action(request, pk, lambda q: services_help.question_close(user=request.user, question=q),
                         _("Your question is closed."))


@login_required
@require_POST
def question_reopen(request: HttpRequest, pk) -> HttpResponse:
    return _asker_action(request, pk, lambda q: services_help.question_reopen(user=request.user, question=q),
                         _("Your question is open again."))


# --- Skills and categories ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def skills(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not services_help.may_list_skills(user):
        raise PermissionDenied(_("Skills are for verified alumni and students."))
    settings_row = services_help.settings_for(user)
    if request.method == "POST":
        form = SkillsForm(request.POST)
        if form.is_valid():
            services_help.skills_save(user=user, category_ids=[c.pk for c in form.cleaned_data["categories"]],
                                      show_helped_count=form.cleaned_data["show_helped_count"])
            messages.success(request, _("Your skills are saved."))
            return redirect("community:skills")
    else:
        form = SkillsForm(initial={
            "categories": list(MemberSkill.objects.filter(user=user).values_list("category_id", flat=True)),
            "show_helped_count": bool(settings_row and settings_row.show_helped_count),
        })
    return render(request, "community/help_skills.html", {
        "form": form, "helped": selectors_help.helped_count(user),
        "consent_granted": digest_consent_granted(user=user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def help_categories(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not services_help.may_keep_categories(user):
        raise PermissionDenied(_("Only staff and institution admins keep the help categories."))
    form = CategoryForm()
    if request.method == "POST":
        toggle = request.POST.get("toggle")
        if toggle:
            category = HelpCategory.objects.filter(pk=toggle if str(toggle).isdigit() else None).first()
            if category is None:
                raise Http404
            services_help.help_category_save(by=user, category=category, name=category.name,
                                             active=not category.active)
            messages.success(request, _("The category is saved."))
            return redirect("community:help_categories")
        form = CategoryForm(request.POST)
        if form.is_valid():
            try:
                services_help.help_category_save(by=user, **form.cleaned_data)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("The category is added."))
                return redirect("community:help_categories")
    categories = HelpCategory.objects.order_by("-active", "name")
    return render(request, "community/help_categories.html", {"categories": categories, "form": form})


urlpatterns = [
    path("groups/<slug:slug>/questions/", questions, name="questions"),
    path("groups/<slug:slug>/questions/new/", question_new, name="question_new"),
    path("questions/<uuid:pk>/", question_detail, name="question_detail"),
    path("questions/<uuid:pk>/answer/", answer_new, name="answer_new"),
    path("questions/<uuid:pk>/solved/", question_solved, name="question_solved"),
    path("questions/<uuid:pk>/close/", question_close, name="question_close"),
    path("questions/<uuid:pk>/reopen/", question_reopen, name="question_reopen"),
    path("help/skills/", skills, name="skills"),
    path("help/categories/", help_categories, name="help_categories"),
]
