"""Staff pages of job posts: the moderation queue (the study-program targets waiting for them, and the posts hidden
after reports that name one of their programs), approving or refusing a post for one study program, and the review
of a hidden post (keep it, or remove it with a reason). Staff edit a post on its own edit page (views_posts).

Doors: a study program's target is looked up among the programs this person runs (anyone else: 404, staff of
another program included); a hidden post through `JobPost.objects.moderated_by(user)` (404 otherwise). The
services decide and audit; the poster is told by email."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alumni.scope import require_staff, scope_for
from core.forms import add_service_errors

from . import selectors_posts, services_posts
from .forms_posts import ReasonForm
from .models import JobPost, JobPostTarget, JobReport

S = JobPost.Status


def _own_target(request: HttpRequest, pk, program_id: int) -> JobPostTarget:
    """The target of post `pk` for study program `program_id`, if this person runs that program (404 otherwise)."""
    scope = scope_for(request.user)
    if not scope.manages_program(program_id):
        raise Http404
    return get_object_or_404(
        JobPostTarget.objects.select_related("post__organisation", "post__posted_by", "study_program"),
        post_id=pk, study_program_id=program_id,
    )


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    pending, hidden = selectors_posts.moderation_queue(viewer=request.user)
    return render(request, "careers/moderation.html", {"pending": pending, "hidden": hidden})


@login_required
@require_POST
def target_approve(request: HttpRequest, pk, program_id: int) -> HttpResponse:
    target = _own_target(request, pk, program_id)
    try:
        services_posts.target_approve(target=target, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("“%(title)s” is now listed for %(program)s; the poster was told.")
                         % {"title": target.post.title, "program": target.study_program})
    return redirect("careers:moderation")


@login_required
@require_http_methods(["GET", "POST"])
def target_refuse(request: HttpRequest, pk, program_id: int) -> HttpResponse:
    target = _own_target(request, pk, program_id)
    if target.state != JobPostTarget.State.PENDING:
        messages.info(request, _("This study program's decision on the post was already made."))
        return redirect("careers:moderation")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_posts.target_refuse(target=target, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("“%(title)s” was refused for %(program)s; the poster was told why.")
                             % {"title": target.post.title, "program": target.study_program})
            return redirect("careers:moderation")
    return render(request, "careers/moderation_refuse.html", {"target": target, "post": target.post, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def post_review(request: HttpRequest, pk) -> HttpResponse:
    """A post hidden after reports (or any post of theirs staff want to remove): its open reports, a button to
    keep it (open again, reports set aside) and a form to remove it with a reason for the poster."""
    post = get_object_or_404(
        JobPost.objects.moderated_by(request.user).select_related("organisation", "posted_by"), pk=pk
    )
    form = ReasonForm(request.POST if request.POST.get("decision") == "remove" else None)
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "keep":
                services_posts.post_keep(post=post, by=request.user)
                messages.success(request, _("The job post is open again; its reports were set aside."))
                return redirect("careers:moderation")
            if request.POST.get("decision") == "remove" and form.is_valid():
                services_posts.post_remove(post=post, by=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, _("The job post was removed; the poster was told why."))
                return redirect("careers:moderation")
        except ValidationError as exc:
            if request.POST.get("decision") == "remove":
                add_service_errors(form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
    reports = list(JobReport.objects.filter(post=post).select_related("reporter").order_by("-created_at"))
    return render(request, "careers/moderation_review.html", {
        "post": post, "form": form, "reports": reports,
        "can_keep": post.status == S.HIDDEN, "can_remove": post.status in (S.HIDDEN, S.OPEN),
    })


urlpatterns = [
    path("jobs/moderation/", moderation, name="moderation"),
    path("jobs/<uuid:pk>/approve/<int:program_id>/", target_approve, name="target_approve"),
    path("jobs/<uuid:pk>/refuse/<int:program_id>/", target_refuse, name="target_refuse"),
    path("jobs/<uuid:pk>/review/", post_review, name="post_review"),
]
