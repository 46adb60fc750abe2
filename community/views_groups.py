"""Pages of the groups part of community: the groups page (mine and to discover), proposing a community or making a
region group, the staff queue and decision, a group's page, joining, leaving, the members page (requests, admins),
and linking a program to a group.

Doors: `community.access` (can_see_group / can_read_threads / can_moderate); who may do what beyond that is the
services' rule (`services_groups`): a refusal there is a 403, a ValidationError a message on the page, and nothing
is written. Who gets the groups pages at all: verified members (alumni and students), staff and institution admins;
pending people and employer contacts get a 403, visitors the login page. A group the person may not see is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alumni.models import AlumniProfile, Institution, StudyProgram
from core.access import scope_for
from core.audit import audit_reads
from core.forms import add_service_errors

from . import access, selectors_groups, selectors_help, services_groups
from .forms_groups import (
    DecideForm,
    GroupEditForm,
    GroupSearchForm,
    InterestGroupForm,
    LeaveForm,
    ProgramLinkForm,
    RegionGroupForm,
)
from .models import Group, GroupProgram, Membership

M = Membership


def _require_community(request: HttpRequest):
    """The scope of a person who may use the groups pages at all (members, staff, admins); else 403."""
    scope = scope_for(request.user)
    if not (scope.is_member or scope.is_staff or scope.is_admin):
        if scope.is_pending:
            raise PermissionDenied(_("Groups open once your record is verified."))
        raise PermissionDenied(_("Groups are for verified alumni, students and staff."))
    return scope


def _visible_group(request: HttpRequest, slug: str):
    scope = scope_for(request.user)
    group = get_object_or_404(Group.objects.select_related("study_program", "province", "institution",
                                                           "created_by"), slug=slug)
    if not access.can_see_group(scope, group):
        _require_community(request)  # pending people and employer contacts: 403
        raise Http404
    return scope, group


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    scope = _require_community(request)
    form = GroupSearchForm(request.GET or None)
    q, kind = form.values()
    page = selectors_groups.groups_page(scope=scope, user=request.user, q=q, kind=kind)
    return render(request, "community/groups_list.html", {
        "form": form, "page": page, "can_propose": scope.is_member,
        "can_make_region": scope.is_staff or scope.is_admin,
        "can_decide": scope.is_staff or scope.is_admin,
    })


def _own_programs(request: HttpRequest):
    profile = AlumniProfile.objects.filter(user=request.user).values_list("study_program_id", flat=True).first()
    return profile


def _institutions_for(scope):
    if scope.is_superuser:
        return Institution.objects.all()
    ids = set(scope.admin_institution_ids) | set(
        StudyProgram.objects.filter(pk__in=scope.staff_program_ids).values_list("faculty__institution_id", flat=True)
    )
    return Institution.objects.filter(pk__in=ids)


@login_required
@require_http_methods(["GET", "POST"])
def group_new(request: HttpRequest) -> HttpResponse:
    """A member proposes a community (?kind=interest, the default for members); staff and institution admins make
    a region group (?kind=region, their default)."""
    scope = _require_community(request)
    staff = scope.is_staff or scope.is_admin
    kind = request.GET.get("kind") or (Group.Kind.INTEREST if scope.is_member else Group.Kind.REGION)
    if kind == Group.Kind.REGION and not staff:
        raise PermissionDenied(_("Only study-program staff and institution admins make region groups."))
    if kind == Group.Kind.INTEREST and not scope.is_member:
        raise PermissionDenied(_("Only verified members propose a community."))
    if kind not in (Group.Kind.REGION, Group.Kind.INTEREST):
        raise PermissionDenied(_("Cohort groups are made by the portal."))
    data = request.POST if request.method == "POST" else None
    if kind == Group.Kind.REGION:
        form = RegionGroupForm(data, institutions=_institutions_for(scope))
    else:
        own = _own_programs(request)
        form = InterestGroupForm(data, programs=StudyProgram.objects.select_related("faculty").order_by("name"),
                                 initial={"study_program": own})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if kind == Group.Kind.REGION:
                group = services_groups.region_group_create(
                    by=request.user, province=d["province"], institution=d["institution"], name=d["name"],
                    description=d["description"], join_policy=d["join_policy"])
                messages.success(request, _("The region group is open."))
            else:
                group = services_groups.interest_group_create(
                    by=request.user, name=d["name"], description=d["description"], study_program=d["study_program"],
                    join_policy=d["join_policy"])
                messages.success(request, _("Thank you: staff of the study program will look at your community. "
                                            "You are its admin once it is approved."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("community:group_detail", group.slug)
    return render(request, "community/groups_form.html", {"form": form, "kind": kind})


@login_required
def group_queue(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.is_staff or scope.is_admin):
        raise PermissionDenied(_("This page is for study-program staff and institution admins."))
    return render(request, "community/groups_queue.html", {"groups": selectors_groups.queue(scope=scope),
                                                           "form": DecideForm()})


@login_required
@require_http_methods(["GET", "POST"])
def group_decide(request: HttpRequest, slug: str) -> HttpResponse:
    scope = scope_for(request.user)
    group = get_object_or_404(Group.objects.select_related("study_program", "created_by"), slug=slug)
    if not access.oversees(scope, group):
        raise PermissionDenied(_("Only the staff of the group's study program and institution admins decide."))
    form = DecideForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services_groups.group_decide(group=group, by=request.user,
                                         approve=form.cleaned_data["decision"] == "approve",
                                         reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Decided: the creator is told."))
            return redirect("community:group_queue")
    return render(request, "community/groups_decide.html", {"group": group, "form": form})


@login_required
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    scope, group = _visible_group(request, slug)
    page = selectors_groups.group_page(group, scope=scope, user=request.user)
    member = page.membership is not None and page.membership.status == M.Status.ACTIVE
    context = {
        "group": group, "page": page, "member": member,
        "requested": page.membership is not None and page.membership.status == M.Status.REQUESTED,
        "can_join": access.can_join(scope, group) and not member and (
            page.membership is None or page.membership.status in (M.Status.LEFT, M.Status.REFUSED)),
        "can_post": access.can_post(scope, request.user, group),
        "is_group_admin": access.is_group_admin(request.user, group),
        "oversees": access.oversees(scope, group),
        "can_link": services_groups.may_link_programs(scope, request.user, group),
        "help_panel": selectors_help.group_panel(group, request.user) if group.status == Group.Status.ACTIVE
        else None,
    }
    context["can_edit"] = context["is_group_admin"] or context["oversees"]
    return render(request, "community/groups_detail.html", context)


@login_required
@require_POST
def group_join(request: HttpRequest, slug: str) -> HttpResponse:
    scope, group = _visible_group(request, slug)
    try:
        row = services_groups.group_join(group=group, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if row.status == M.Status.ACTIVE:
            messages.success(request, _("Welcome: you are a member of this group."))
        else:
            messages.success(request, _("You asked to join; the group's admins will answer."))
    return redirect("community:group_detail", group.slug)


@login_required
@require_http_methods(["GET", "POST"])
def group_leave(request: HttpRequest, slug: str) -> HttpResponse:
    scope, group = _visible_group(request, slug)
    row = access.membership(request.user, group)
    if row is None or row.status not in (M.Status.ACTIVE, M.Status.REQUESTED):
        raise PermissionDenied(_("You are not a member of this group."))
    last_admin = row.role == M.Role.ADMIN and row.status == M.Status.ACTIVE and not group.memberships.filter(
        status=M.Status.ACTIVE, role=M.Role.ADMIN).exclude(user=request.user).exists()
    members = get_user_model().objects.filter(
        group_memberships__group=group, group_memberships__status=M.Status.ACTIVE
    ).exclude(pk=request.user.pk).order_by("full_name")
    form = LeaveForm(request.POST if request.method == "POST" else None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            services_groups.group_leave(group=group, user=request.user, successor=form.cleaned_data["successor"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("You left the group."))
            return redirect("community:groups")
    return render(request, "community/groups_leave.html", {"group": group, "form": form, "last_admin": last_admin,
                                                           "membership": row})


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The group's admins (and the staff above them) change its description and how people join."""
    scope, group = _visible_group(request, slug)
    if not (access.is_group_admin(request.user, group) or access.oversees(scope, group)):
        raise PermissionDenied(_("Only the group's admins change it."))
    form = GroupEditForm(request.POST if request.method == "POST" else None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            services_groups.group_update(group=group, by=request.user, description=form.cleaned_data["description"],
                                         join_policy=form.cleaned_data.get("join_policy"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The group is saved."))
            return redirect("community:group_detail", group.slug)
    return render(request, "community/groups_edit.html", {"form": form, "group": group})


@login_required
@require_http_methods(["GET", "POST"])
def group_members(request: HttpRequest, slug: str) -> HttpResponse:
    """The group's members and open requests. Everyone who reads the group sees the members; its admins (and the
    staff above them) answer requests and make admins."""
    scope, group = _visible_group(request, slug)
    if not access.can_read_threads(scope, request.user, group):
        raise PermissionDenied(_("The members list is for the group's members."))
    manager = access.is_group_admin(request.user, group) or access.oversees(scope, group)
    if request.method == "POST":
        if not manager:
            raise PermissionDenied(_("Only the group's admins manage its members."))
        action = request.POST.get("action", "")
        row = Membership.objects.filter(group=group, pk=request.POST.get("membership") or 0).select_related(
            "user").first() if (request.POST.get("membership") or "").isdigit() else None
        if row is None or action not in ("approve", "refuse", "admin"):
            messages.error(request, _("Choose a member and what to do."))
        else:
            try:
                if action == "admin":
                    services_groups.member_make_admin(group=group, by=request.user, membership=row)
                    messages.success(request, _("%(name)s is now an admin of the group.")
                                     % {"name": row.user.get_full_name()})
                else:
                    services_groups.membership_decide(group=group, by=request.user, membership=row,
                                                      approve=action == "approve")
                    messages.success(request, _("Answered: %(name)s is told.") % {"name": row.user.get_full_name()})
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                return redirect("community:group_members", group.slug)
    members, requests = selectors_groups.members_page(group)
    if not access.is_member(request.user, group) and scope.is_staff:
        audit_reads(actor=request.user, action="community.members.read", target=group,
                    subject_ids=[m.user_id for m in members + requests], study_program=group.study_program)
    return render(request, "community/groups_members.html", {
        "group": group, "members": members, "requests": requests if manager else [], "manager": manager,
    })


@login_required
@require_http_methods(["GET", "POST"])
def group_program_link(request: HttpRequest, slug: str) -> HttpResponse:
    """A group admin links a program they lead or proposed; staff any program of their study programs; unlinking
    is a POST with `unlink` = the link's id."""
    scope, group = _visible_group(request, slug)
    if not services_groups.may_link_programs(scope, request.user, group):
        raise PermissionDenied(_("Only the group's admins and staff link programs to a group."))
    programs = services_groups.linkable_programs(group=group, by=request.user).select_related("study_program")
    form = ProgramLinkForm(request.POST if request.method == "POST" and "unlink" not in request.POST else None,
                           programs=programs)
    if request.method == "POST" and "unlink" in request.POST:
        link = get_object_or_404(GroupProgram.objects.select_related("group", "program"), group=group,
                                 pk=request.POST["unlink"] if request.POST["unlink"].isdigit() else 0)
        services_groups.group_program_unlink(link=link, by=request.user)
        messages.success(request, _("The program no longer belongs to this group."))
        return redirect("community:group_program_link", group.slug)
    if request.method == "POST" and form.is_valid():
        try:
            services_groups.group_program_link(group=group, program=form.cleaned_data["program"], by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The program now belongs to this group: its sessions show on the group's "
                                        "page."))
            return redirect("community:group_detail", group.slug)
    links = list(group.group_programs.select_related("program", "program__study_program").order_by("program__title"))
    return render(request, "community/groups_programs.html", {"group": group, "form": form, "links": links,
                                                              "has_choices": programs.exists()})


urlpatterns = [
    path("groups/", group_list, name="groups"),
    path("groups/new/", group_new, name="group_new"),
    path("groups/queue/", group_queue, name="group_queue"),
    path("groups/<slug:slug>/", group_detail, name="group_detail"),
    path("groups/<slug:slug>/decide/", group_decide, name="group_decide"),
    path("groups/<slug:slug>/join/", group_join, name="group_join"),
    path("groups/<slug:slug>/leave/", group_leave, name="group_leave"),
    path("groups/<slug:slug>/edit/", group_edit, name="group_edit"),
    path("groups/<slug:slug>/members/", group_members, name="group_members"),
    path("groups/<slug:slug>/programs/", group_program_link, name="group_program_link"),
]
