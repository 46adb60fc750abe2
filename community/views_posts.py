"""Pages of the posts part of community: writing a post (or an announcement), a post with its comments, editing and
deleting one's own post, pinning, comments, the pictures, reporting (posts, comments, and the help part's questions
and answers through the same address with their target type) and moderating (hide / show with the history).

Doors: a post is read by the group's active members and its moderators (community.access.can_read_threads); a
person who sees the group but not its threads gets a 403, one who does not see the group a 404; pending people and
employer contacts a 403. Who may write, edit, pin, report or moderate is the services' rule (services_posts,
community.moderation): a refusal there is a 403, a ValidationError a message on the page, nothing is written.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access import scope_for
from core.confirm import is_confirmed
from core.forms import add_service_errors
from core.images import image_content_type

from . import access, moderation, selectors_moderation, selectors_posts, services_posts
from .forms_posts import CommentForm, ModerateForm, PostForm, ReportForm
from .models import (
    Comment,
    Group,
    HelpAnswer,
    HelpRequest,
    ModerationAction,
    Post,
    PostImage,
    Report,
    Target,
    Visibility,
)


def _require_community(request: HttpRequest):
    scope = scope_for(request.user)
    if not (scope.is_member or scope.is_staff or scope.is_admin):
        raise PermissionDenied(_("Groups are for verified alumni, students and staff."))
    return scope


def _readable_group(request: HttpRequest, group: Group):
    """The scope of a person who reads the group's threads; else 403 (sees the group) or 404 (does not)."""
    scope = _require_community(request)
    if not access.can_read_threads(scope, request.user, group):
        if access.can_see_group(scope, group):
            raise PermissionDenied(_("Posts of a group are for its members."))
        raise Http404
    return scope


def _post(request: HttpRequest, pk) -> tuple:
    post = get_object_or_404(Post.objects.select_related("group", "group__study_program", "author"), pk=pk)
    return _readable_group(request, post.group), post


def _item_url(target) -> str:
    if isinstance(target, Post):
        return reverse("community:post_detail", args=[target.pk])
    if isinstance(target, Comment):
        return reverse("community:post_detail", args=[target.post_id]) + f"#comment-{target.pk}"
    if isinstance(target, HelpRequest):
        return reverse("community:question_detail", args=[target.pk])
    if isinstance(target, HelpAnswer):
        return reverse("community:question_detail", args=[target.request_id]) + f"#answer-{target.pk}"
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def post_new(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group.objects.select_related("study_program"), slug=slug)
    scope = _readable_group(request, group)
    if not access.can_post(scope, request.user, group):
        raise PermissionDenied(_("Only the group's members write in it."))
    admin = access.is_group_admin(request.user, group)
    form = PostForm(request.POST if request.method == "POST" else None, request.FILES or None,
                    announcements=admin)
    limit = moderation.posting_allowed(request.user, group)
    if request.method == "POST" and form.is_valid():
        try:
            post = services_posts.post_create(group=group, by=request.user, body=form.cleaned_data["body"],
                                              images=form.images(),
                                              announcement=bool(form.cleaned_data.get("announcement")))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your announcement is pinned at the top of the group.")
                             if post.pinned else _("Your post is published."))
            return redirect("community:group_detail", group.slug)
    return render(request, "community/posts_form.html", {"group": group, "form": form, "mode": "create",
                                                         "limit": limit})


@login_required
def post_detail(request: HttpRequest, pk) -> HttpResponse:
    scope, post = _post(request, pk)
    group = post.group
    moderator = access.can_moderate(scope, request.user, group)
    post.shown = moderator or post.visibility == Visibility.VISIBLE or post.author_id == request.user.pk
    comments = selectors_posts.comments_of(post, user=request.user, moderator=moderator)
    if moderator:
        selectors_posts.attach_history([post], Target.POST)
        selectors_posts.attach_history(comments, Target.COMMENT)
    return render(request, "community/posts_detail.html", {
        "group": group, "post": post, "comments": comments, "moderator": moderator,
        "images": list(post.images.all()) if post.shown else [],
        "can_comment": access.can_post(scope, request.user, group) and post.visibility == Visibility.VISIBLE,
        "is_group_admin": access.is_group_admin(request.user, group) or access.oversees(scope, group),
        "comment_form": CommentForm(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk) -> HttpResponse:
    _scope, post = _post(request, pk)
    if post.author_id != request.user.pk:
        raise PermissionDenied(_("Only its author edits a post."))
    form = PostForm(request.POST if request.method == "POST" else None, initial={"body": post.body},
                    with_images=False)
    if request.method == "POST" and form.is_valid():
        try:
            services_posts.post_edit(post=post, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The post was saved."))
            return redirect("community:post_detail", post.pk)
    return render(request, "community/posts_form.html", {"group": post.group, "form": form, "mode": "edit",
                                                         "post": post})


@login_required
@require_http_methods(["GET", "POST"])
def post_delete(request: HttpRequest, pk) -> HttpResponse:
    _scope, post = _post(request, pk)
    if post.author_id != request.user.pk:
        raise PermissionDenied(_("Only its author deletes a post."))
    if not is_confirmed(request):
        return render(request, "community/posts_delete.html", {"post": post, "group": post.group})
    group = post.group
    try:
        services_posts.post_delete(post=post, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("community:post_detail", post.pk)
    messages.success(request, _("The post was deleted."))
    return redirect("community:group_detail", group.slug)


@login_required
@require_POST
def post_pin(request: HttpRequest, pk) -> HttpResponse:
    _scope, post = _post(request, pk)
    try:
        services_posts.post_pin(post=post, by=request.user, pinned=request.POST.get("pinned") == "1")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Pinned at the top of the group.") if post.pinned else _("Unpinned."))
    return redirect("community:post_detail", post.pk)


@login_required
@require_POST
def comment_new(request: HttpRequest, pk) -> HttpResponse:
    scope, post = _post(request, pk)
    if not access.can_post(scope, request.user, post.group):
        raise PermissionDenied(_("Only the group's members write in it."))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services_posts.comment_create(post=post, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your comment is posted."))
            return redirect(reverse("community:post_detail", args=[post.pk]) + f"#comment-{comment.pk}")
    moderator = access.can_moderate(scope, request.user, post.group)
    post.shown = moderator or post.visibility == Visibility.VISIBLE or post.author_id == request.user.pk
    return render(request, "community/posts_detail.html", {
        "group": post.group, "post": post, "moderator": moderator,
        "comments": selectors_posts.comments_of(post, user=request.user, moderator=moderator),
        "images": list(post.images.all()) if post.shown else [], "can_comment": True,
        "is_group_admin": access.is_group_admin(request.user, post.group), "comment_form": form,
    })


@login_required
@require_POST
def comment_delete(request: HttpRequest, pk) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("post__group"), pk=pk)
    _readable_group(request, comment.post.group)
    try:
        services_posts.comment_delete(comment=comment, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The comment was deleted."))
    return redirect("community:post_detail", comment.post_id)


@login_required
def post_image(request: HttpRequest, pk: int) -> HttpResponse:
    """A post's picture, for those who read the post (never a public /media address)."""
    image = get_object_or_404(PostImage.objects.select_related("post__group"), pk=pk)
    scope = _readable_group(request, image.post.group)
    post = image.post
    if not (post.visibility == Visibility.VISIBLE or post.author_id == request.user.pk
            or access.can_moderate(scope, request.user, post.group)):
        raise PermissionDenied(_("This post is hidden by a moderator."))
    content_type = image_content_type(image.image)
    if content_type is None:
        raise Http404
    response = FileResponse(image.image.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _target(target_type: str, pk):
    target = moderation.load_target(target_type, pk)
    if target is None:
        raise Http404
    return target


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, target_type: str, pk) -> HttpResponse:
    """Report a post, comment, question or answer (once per person)."""
    target = _target(target_type, pk)
    group = moderation.group_of(target)
    _readable_group(request, group)
    back = _item_url(target)
    already = Report.objects.filter(target_type=target_type, target_id=target.pk,
                                               reporter=request.user).exists()
    if already:
        messages.info(request, _("You have already reported this; the group's moderators will look at it."))
        return redirect(back)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.report(target, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you: the group's moderators will look at it."))
            return redirect(back)
    return render(request, "community/posts_report.html", {"target": target, "target_type": target_type,
                                                           "group": group, "form": form, "back": back})


@login_required
@require_http_methods(["GET", "POST"])
def moderate(request: HttpRequest, target_type: str, pk) -> HttpResponse:
    """A moderator reads the item in full with its history and reports, and hides it or shows it again."""
    target = _target(target_type, pk)
    group = moderation.group_of(target)
    scope = _readable_group(request, group)
    if not access.can_moderate(scope, request.user, group):
        raise PermissionDenied(_("Only the group's admins, the study program's staff and institution admins "
                                 "moderate this group."))
    form = ModerateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        if action not in (ModerationAction.Action.HIDE, ModerationAction.Action.SHOW):
            form.add_error(None, _("Choose hide or show."))
        else:
            decide = moderation.hide if action == ModerationAction.Action.HIDE else moderation.show
            try:
                decide(target, by=request.user, scope=scope, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Hidden. Members see “hidden by a moderator”; the history is kept.")
                                 if action == ModerationAction.Action.HIDE else _("Shown again."))
                return redirect(_item_url(target))
    reports = list(Report.objects.filter(target_type=target_type, target_id=target.pk)
                   .order_by("-created_at"))
    return render(request, "community/posts_moderate.html", {
        "target": target, "target_type": target_type, "group": group, "form": form, "back": _item_url(target),
        "history": list(moderation.history(target)), "reports": reports,
        "text": getattr(target, "title", "") or target.body,
    })


@login_required
def moderation_queue(request: HttpRequest) -> HttpResponse:
    """What waits for a moderator: the reported items of the groups this person moderates, most reported first."""
    scope = scope_for(request.user)
    if not (scope.is_member or scope.is_staff or scope.is_admin):
        raise PermissionDenied(_("Groups are for verified alumni, students and staff."))
    queue, groups = selectors_moderation.moderation_queue(scope=scope, user=request.user)
    return render(request, "community/posts_moderation_queue.html", {"queue": queue, "groups": groups})


urlpatterns = [
    path("moderation/", moderation_queue, name="moderation_queue"),
    path("groups/<slug:slug>/posts/new/", post_new, name="post_new"),
    path("posts/<uuid:pk>/", post_detail, name="post_detail"),
    path("posts/<uuid:pk>/edit/", post_edit, name="post_edit"),
    path("posts/<uuid:pk>/delete/", post_delete, name="post_delete"),
    path("posts/<uuid:pk>/pin/", post_pin, name="post_pin"),
    path("posts/<uuid:pk>/comments/", comment_new, name="comment_new"),
    path("comments/<uuid:pk>/delete/", comment_delete, name="comment_delete"),
    path("pictures/<int:pk>/", post_image, name="post_image"),
    path("report/<str:target_type>/<uuid:pk>/", report, name="report"),
    path("moderate/<str:target_type>/<uuid:pk>/", moderate, name="moderate"),
]
