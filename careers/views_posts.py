"""Job-post pages: the job list (members and staff), my posts (every state, with each study program's decision),
writing a post (with the paste-a-WhatsApp-message step), editing, closing early, "I applied", reporting, the post
itself, and the public teaser a shared link opens.

Doors: every post comes through `JobPost.objects.visible_to(user)` then get_object_or_404 (a post the person may
not see is a 404); the teaser through `JobPost.objects.shareable()`. Who may do what is the services' rule
(`services_posts`): a refusal there is a 403, a ValidationError a message on the page, and nothing is written.
Who gets the list: verified members and staff; an approved employer contact is sent to their own posts, a pending
person to their profile, an account without a record to the profile form (as the directory does); a visitor to the
login page. Writing a post is refused (403) to anyone the posting rule leaves out, pending people included."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alumni.models import Province
from alumni.scope import scope_for
from core.confirm import is_confirmed
from core.forms import add_service_errors

from . import selectors_posts, services_posts
from .forms_posts import PASTE_LABELS, PasteForm, PostFilterForm, PostForm, ReportForm, initial_from_paste
from .models import Application, EmployerContact, JobPost, JobPostTarget, JobReport
from .paste import parse_vacancy
from .selectors_organisations import alumni_at

PAGE_SIZE = 20
S = JobPost.Status


def _visible_post(request: HttpRequest, pk) -> JobPost:
    return get_object_or_404(
        JobPost.objects.visible_to(request.user).select_related("organisation", "province", "posted_by"), pk=pk
    )


def teaser_url(post: JobPost) -> str:
    return f"{settings.SITE_URL}{reverse('careers:post_teaser', args=[post.pk])}"


def whatsapp_link(post: JobPost) -> str:
    """https://wa.me/?text=<title and the public teaser's address>, every reserved character encoded."""
    return "https://wa.me/?text=" + quote(f"{post.title} {teaser_url(post)}", safe="")


# --- the list and my posts -------------------------------------------------------------------------------------


@login_required
def post_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.is_member or scope.is_staff):
        # As the directory does: a pending person is sent to their profile (where their request stands), someone
        # without a record to make one; an approved employer contact to the posts they wrote.
        if EmployerContact.objects.filter(user=request.user, status=EmployerContact.Status.APPROVED).exists():
            return redirect("careers:my_posts")
        if scope.is_pending:
            messages.info(request, _("The job list opens once your record is verified."))
            return redirect("alumni:my_profile")
        messages.info(request, _("Complete your alumni profile to see the job list."))
        return redirect("alumni:profile_create")
    form = PostFilterForm(request.GET or None)
    qs = selectors_posts.post_list(viewer=request.user, filters=form.filters())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "careers/post_list.html", {
        "form": form, "page": page, "querystring": query.urlencode(), "filters_open": form.any_folded(),
        "can_post": services_posts.may_post(request.user), "today": timezone.localdate(),
    })


@login_required
def my_posts(request: HttpRequest) -> HttpResponse:
    posts = list(selectors_posts.my_posts(user=request.user))
    return render(request, "careers/post_mine.html", {
        "posts": posts, "can_post": services_posts.may_post(request.user),
    })


# --- writing and editing ---------------------------------------------------------------------------------------


def _paste_note(vacancy) -> dict:
    found = [str(PASTE_LABELS.get(name, name)) for name in getattr(vacancy, "found", []) if name != "phone"]
    return {"filled": ", ".join(found), "phone": getattr(vacancy, "phone", "") or ""}


@login_required
@require_http_methods(["GET", "POST"])
def post_create(request: HttpRequest) -> HttpResponse:
    rights = services_posts.poster_rights(request.user)
    if rights is None:
        raise PermissionDenied(_("Only verified alumni, study-program staff and approved employers can post jobs."))
    today = timezone.localdate()
    paste_form = PasteForm(prefix="paste")
    paste_note = None
    if request.method == "POST" and request.POST.get("step") == "paste":
        # The paste step fills the form in (initial data): nothing is saved until the person publishes.
        paste_form = PasteForm(request.POST, prefix="paste")
        initial = {}
        if paste_form.is_valid():
            vacancy = parse_vacancy(paste_form.cleaned_data["pasted"], today=today)
            code = getattr(vacancy, "province_code", "") or ""
            provinces = {p.code: p for p in Province.objects.filter(code=code)} if code else {}
            initial = initial_from_paste(vacancy, provinces=provinces)
            paste_note = _paste_note(vacancy)
        form = PostForm(rights=rights, today=today, initial=initial)
    elif request.method == "POST":
        form = PostForm(request.POST, rights=rights, today=today)
        if form.is_valid():
            try:
                post = services_posts.post_create(by=request.user, data=form.post_data(),
                                                  program_ids=form.program_ids(), today=today)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                pending = post.targets.filter(state=JobPostTarget.State.PENDING).count()
                if pending:
                    messages.success(request, _("Your job post is published. Staff of %(n)s other study program(s) "
                                                "check it before their members see it.") % {"n": pending})
                else:
                    messages.success(request, _("Your job post is published."))
                return redirect("careers:post_detail", pk=post.pk)
    else:
        form = PostForm(rights=rights, today=today)
    return render(request, "careers/post_form.html", {
        "form": form, "paste_form": paste_form, "paste_note": paste_note, "mode": "create",
    })


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk) -> HttpResponse:
    post = _visible_post(request, pk)
    if not services_posts.can_edit(post, request.user):
        raise PermissionDenied(_("You may not edit this job post."))
    today = timezone.localdate()
    form = PostForm(request.POST or None, today=today, closing_date_was=post.closing_date,
                    initial=PostForm.initial_from(post))
    if request.method == "POST" and form.is_valid():
        try:
            services_posts.post_update(post=post, by=request.user, data=form.post_data(), today=today)
        except ValidationError as exc:
            post.refresh_from_db()
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The job post was saved."))
            return redirect("careers:post_detail", pk=post.pk)
    return render(request, "careers/post_form.html", {
        "form": form, "mode": "edit", "post": post, "targets": selectors_posts.post_targets(post=post),
    })


@login_required
@require_http_methods(["GET", "POST"])
def post_close(request: HttpRequest, pk) -> HttpResponse:
    """GET (or a POST without the confirmation flag): what closing does, and a confirm button; a confirmed POST
    closes the post."""
    post = _visible_post(request, pk)
    if post.posted_by_id != request.user.pk and not services_posts.is_moderator(post, request.user):
        raise PermissionDenied(_("Only the poster can close this job post."))
    if post.status != S.OPEN:
        messages.info(request, _("This job post is not open any more."))
        return redirect("careers:post_detail", pk=post.pk)
    if not is_confirmed(request):
        return render(request, "careers/post_close_confirm.html", {"post": post})
    try:
        services_posts.post_close(post=post, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The job post is closed. It is no longer listed; you can still read it."))
    return redirect("careers:post_detail", pk=post.pk)


@login_required
@require_POST
def post_apply(request: HttpRequest, pk) -> HttpResponse:
    post = _visible_post(request, pk)
    try:
        _application, created = services_posts.application_mark(post=post, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if created:
            messages.success(request, _("Noted: you applied. Good luck!"))
    return redirect("careers:post_detail", pk=post.pk)


@login_required
@require_http_methods(["GET", "POST"])
def post_report(request: HttpRequest, pk) -> HttpResponse:
    post = _visible_post(request, pk)
    if not services_posts.may_report(post, request.user):
        raise PermissionDenied(_("You may not report this job post."))
    if JobReport.objects.filter(post=post, reporter=request.user).exists():
        messages.info(request, _("You already reported this job post; staff will look at it."))
        return redirect("careers:post_detail", pk=post.pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_posts.post_report(post=post, by=request.user, reason=form.cleaned_data["reason"],
                                       note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you: staff of the study program will look at this post."))
            return redirect("careers:post_detail", pk=post.pk)
    return render(request, "careers/post_report.html", {"post": post, "form": form})


# --- the post and its teaser -----------------------------------------------------------------------------------


@login_required
def post_detail(request: HttpRequest, pk) -> HttpResponse:
    post = _visible_post(request, pk)
    user = request.user
    scope = scope_for(user)
    is_poster = post.posted_by_id == user.pk
    targets = selectors_posts.post_targets(post=post)
    moderator = scope.is_superuser or any(scope.manages_program(t.study_program_id) for t in targets)
    shareable = post.status == S.OPEN and any(t.state == JobPostTarget.State.APPROVED for t in targets)
    reported = JobReport.objects.filter(post=post, reporter=user).exists()
    context = {
        "post": post,
        "organisation": post.organisation,
        "is_poster": is_poster,
        "is_moderator": moderator,
        # The per-program state is the poster's and staff's business; staff act on their own programs only.
        "targets": targets if (is_poster or moderator) else [],
        "decidable": {t.pk for t in targets if t.state == JobPostTarget.State.PENDING
                      and scope.manages_program(t.study_program_id)},
        "can_edit": services_posts.can_edit(post, user),
        "can_close": post.status == S.OPEN and (is_poster or moderator),
        "can_apply": scope.is_member and post.status == S.OPEN and not is_poster,
        "applied": Application.objects.filter(post=post, user=user).exists(),
        "can_report": not reported and post.status == S.OPEN and services_posts.may_report(post, user),
        "reported": reported,
        "report_form": ReportForm(),
        "shareable": shareable,
        "whatsapp_link": whatsapp_link(post) if shareable else "",
        "teaser_url": teaser_url(post),
        "people_here": alumni_at(organisation=post.organisation, viewer=user),
        "can_ask_introduction": scope.is_member,
        "today": timezone.localdate(),
    }
    return render(request, "careers/post_detail.html", context)


def post_teaser(request: HttpRequest, pk) -> HttpResponse:
    """For anyone, signed in or not: what a shared link shows outside the portal. Title, organisation, place,
    closing date and kind only: never a contact, an application link or address, nor the poster's name."""
    post = get_object_or_404(JobPost.objects.shareable().select_related("organisation", "province"), pk=pk)
    return render(request, "careers/post_teaser.html", {
        "post": post, "full_url": reverse("careers:post_detail", args=[post.pk]),
        "page_url": teaser_url(post),
    })


urlpatterns = [
    path("jobs/", post_list, name="post_list"),
    path("jobs/mine/", my_posts, name="my_posts"),
    path("jobs/new/", post_create, name="post_create"),
    path("jobs/<uuid:pk>/", post_detail, name="post_detail"),
    path("jobs/<uuid:pk>/edit/", post_edit, name="post_edit"),
    path("jobs/<uuid:pk>/close/", post_close, name="post_close"),
    path("jobs/<uuid:pk>/applied/", post_apply, name="post_apply"),
    path("jobs/<uuid:pk>/report/", post_report, name="post_report"),
    path("j/<uuid:pk>/", post_teaser, name="post_teaser"),
]
