"""Pages of the profiles part of mentoring: a member's mentoring page, the mentor profile (opt in, edit, pause),
finding a mentor (ranked by mentoring.scoring, with the reasons), a mentor's card, and the staff's topic list.

Doors: the member pages are for verified members and students (`scope.is_member`: 403 for pending members,
employer contacts and staff without a record of their own); the home page also opens for staff (links to their
pages); the topic list is for staff and institution admins (403 for others). A paused or unknown mentor is 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alumni.scope import scope_for

from . import selectors_profiles, services_profiles
from .forms_profiles import FindForm, MentorProfileForm, TopicForm
from .forms_requests import errors_to_form
from .models import MAX_CAPACITY, MentorProfile, Topic


def require_member(user):
    scope = scope_for(user)
    if not scope.is_member:
        raise PermissionDenied(_("Mentoring is for verified members and students."))
    return scope


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.is_member or scope.is_staff or scope.is_admin):
        raise PermissionDenied(_("Mentoring is for verified members and students."))
    data = selectors_profiles.home_for(request.user) if scope.is_member else None
    return render(request, "mentoring/profiles_home.html", {
        "home": data, "scope": scope, "is_member": scope.is_member,
        "is_staff": scope.is_staff or scope.is_admin,
    })


@login_required
def mentor_edit(request: HttpRequest) -> HttpResponse:
    require_member(request.user)
    profile = MentorProfile.objects.filter(user=request.user).first()
    initial = {}
    if profile is not None:
        initial = {
            "topics": list(profile.topics.values_list("pk", flat=True)), "tags": ", ".join(profile.tags or []),
            "capacity": profile.capacity, "formats": profile.formats, "languages": profile.languages,
            "province": profile.province_id, "field": profile.field, "about": profile.about,
        }
    form = MentorProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_profiles.mentor_profile_save(
                user=request.user, topics=list(data["topics"]), tags=data["tags"], capacity=data["capacity"],
                formats=data["formats"], languages=data["languages"], province=data["province"],
                field=data["field"], about=data["about"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            if profile is not None and profile.paused:
                messages.success(request, _("Your mentor profile was saved. It stays paused until you resume it."))
            else:
                messages.success(request, _("Your mentor profile was saved. Mentees can find you now."))
            return redirect("mentoring:home")
    return render(request, "mentoring/profiles_edit.html", {
        "form": form, "profile": profile, "max_capacity": MAX_CAPACITY,
    })


@login_required
@require_POST
def mentor_pause(request: HttpRequest) -> HttpResponse:
    require_member(request.user)
    paused = request.POST.get("paused", "1") != "0"
    try:
        services_profiles.mentor_pause(user=request.user, paused=paused)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Paused: mentees do not find you and cannot send you requests. Your running "
                                    "mentorships go on.") if paused else _("Welcome back: mentees can find you."))
    return redirect("mentoring:home")


@login_required
def find(request: HttpRequest) -> HttpResponse:
    """The mentee's wishes and the mentors ranked for them, with the reasons."""
    require_member(request.user)
    topics = list(selectors_profiles.active_topics())
    form = FindForm(request.GET or None, topics=topics)
    result = None
    wishes = {"topic_ids": [], "tags": [], "format": ""}
    if form.is_bound and form.is_valid():
        wishes = {"topic_ids": form.cleaned_data["topics"], "tags": form.cleaned_data["tags"],
                  "format": form.cleaned_data["format"]}
    if not form.is_bound or form.is_valid():
        result = selectors_profiles.find_mentors(user=request.user, page_number=request.GET.get("page"), **wishes)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "mentoring/profiles_find.html", {
        "form": form, "result": result, "query": query.urlencode(),
    })


@login_required
def mentor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_member(request.user)
    card = selectors_profiles.mentor_card(pk)
    if card is None:
        raise Http404
    return render(request, "mentoring/profiles_detail.html", {
        "card": card, "is_self": card.profile.user_id == request.user.pk, "query": request.GET.urlencode(),
    })


@login_required
def topics(request: HttpRequest) -> HttpResponse:
    """The staff's topic list: add, deactivate, offer again."""
    if not services_profiles.can_keep_topics(request.user):
        raise PermissionDenied(_("The topic list is kept by staff."))
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services_profiles.topic_add(by=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Topic added: %(name)s.") % {"name": topic.name})
            return redirect("mentoring:topics")
    return render(request, "mentoring/profiles_topics.html", {
        "form": form, "topics": Topic.objects.order_by("-active", "name"),
    })


@login_required
@require_POST
def topic_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    if not services_profiles.can_keep_topics(request.user):
        raise PermissionDenied(_("The topic list is kept by staff."))
    topic = get_object_or_404(Topic, pk=pk)
    services_profiles.topic_set_active(by=request.user, topic=topic, active=not topic.active)
    messages.success(request, _("“%(name)s” is offered again.") % {"name": topic.name} if topic.active
                     else _("“%(name)s” is no longer offered.") % {"name": topic.name})
    return redirect("mentoring:topics")


urlpatterns = [
    path("", home, name="home"),
    path("mentor/", mentor_edit, name="mentor_edit"),
    path("mentor/pause/", mentor_pause, name="mentor_pause"),
    path("find/", find, name="find"),
    path("mentors/<int:pk>/", mentor_detail, name="mentor_detail"),
    path("topics/", topics, name="topics"),
    path("topics/<int:pk>/toggle/", topic_toggle, name="topic_toggle"),
]
