"""Careers views: organisations. Members and staff find an employer and see its page (open posts listed for them,
the alumni who work there as they may see them, and, for staff, the tracer figures of their study programs); staff
edit organisations, their aliases, and merge duplicates (organisations are institution-wide: staff of any study
program may). Pending people get 403; an approved employer contact sees their own organisation's page only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alumni.scope import scope_for
from core.confirm import is_confirmed

from . import organisations as services
from .forms_organisations import AliasForm, MergeForm, OrganisationForm, OrganisationSearchForm
from .models import EmployerContact, JobPost, Organisation, OrganisationAlias
from .selectors_organisations import (
    alumni_at,
    organisation_tracer_figures,
    organisations_search,
    organisations_visible_to,
)

PAGE_SIZE = 30
POSTS_ON_PAGE = 50


def _require_member_or_staff(request: HttpRequest):
    scope = scope_for(request.user)
    if not (scope.is_member or scope.is_staff or scope.is_admin):
        raise PermissionDenied(_("Organisations are for verified members and staff."))
    return scope


def _require_organisation_staff(request: HttpRequest):
    scope = scope_for(request.user)
    if not (scope.is_staff or scope.is_admin):
        raise PermissionDenied(_("This page is for study-program staff."))
    return scope


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    """Organisations by name, searched by any of their names, with the posts listed for the viewer at each. A fixed
    number of queries whatever the number of organisations."""
    _require_member_or_staff(request)
    form = OrganisationSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(organisations_search(viewer=request.user, q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "careers/organisation_list.html", {
        "form": form, "page": page, "organisations": list(page.object_list), "q": q,
        "query": urlencode({"q": q}) if q else "",
    })


@login_required
def organisation_detail(request: HttpRequest, pk) -> HttpResponse:
    scope = scope_for(request.user)
    is_employer = EmployerContact.objects.filter(
        user_id=scope.user_id, status=EmployerContact.Status.APPROVED
    ).exists() if scope.is_authenticated and not (scope.is_member or scope.is_staff or scope.is_admin) else False
    if not (scope.is_member or scope.is_staff or scope.is_admin or is_employer):
        raise PermissionDenied(_("Organisations are for verified members and staff."))
    organisation = get_object_or_404(organisations_visible_to(request.user).select_related("province"), pk=pk)
    posts = list(
        JobPost.objects.listed_for(request.user).filter(organisation=organisation)
        .select_related("province").order_by("closing_date", "pk")[:POSTS_ON_PAGE]
    )
    can_manage = scope.is_staff or scope.is_admin
    return render(request, "careers/organisation_detail.html", {
        "organisation": organisation,
        "posts": posts,
        "people_here": alumni_at(organisation=organisation, viewer=request.user),
        "can_ask_introduction": scope.is_member,
        "figures": organisation_tracer_figures(organisation=organisation, viewer=request.user) if can_manage else None,
        "can_manage": can_manage,
    })


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk) -> HttpResponse:
    _require_organisation_staff(request)
    organisation = get_object_or_404(organisations_visible_to(request.user), pk=pk)
    form = OrganisationForm(request.POST or None, instance=Organisation.objects.get(pk=organisation.pk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.organisation_update(
                organisation=organisation, by=request.user, name=data["name"], kind=data["kind"],
                website=data["website"], city=data["city"].strip(), description=data["description"].strip(),
                province=data["province"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect("careers:organisation_detail", organisation.pk)
    return render(request, "careers/organisation_form.html", {"organisation": organisation, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_aliases(request: HttpRequest, pk) -> HttpResponse:
    """The other names of an organisation: POST `name` adds one, POST `remove` (an alias id) removes one."""
    _require_organisation_staff(request)
    organisation = get_object_or_404(organisations_visible_to(request.user), pk=pk)
    form = AliasForm(request.POST if request.method == "POST" and "remove" not in request.POST else None)
    if request.method == "POST" and "remove" in request.POST:
        remove = request.POST.get("remove", "")
        alias = (OrganisationAlias.objects.filter(organisation=organisation, pk=int(remove)).first()
                 if remove.isdigit() else None)
        if alias is None:
            messages.error(request, _("That alias no longer exists."))
        else:
            services.organisation_alias_remove(alias=alias, by=request.user)
            messages.success(request, _("“%(name)s” is no longer a name of this organisation.") % {"name": alias.name})
        return redirect("careers:organisation_aliases", organisation.pk)
    if request.method == "POST" and form.is_valid():
        try:
            alias = services.organisation_alias_add(organisation=organisation, name=form.cleaned_data["name"],
                                                    by=request.user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("“%(name)s” now means this organisation.") % {"name": alias.name})
            return redirect("careers:organisation_aliases", organisation.pk)
    return render(request, "careers/organisation_aliases.html", {
        "organisation": organisation, "form": form,
        "aliases": list(OrganisationAlias.objects.filter(organisation=organisation).order_by("name")),
    })


@login_required
@require_http_methods(["GET", "POST"])
def organisation_merge(request: HttpRequest, pk) -> HttpResponse:
    """Merge a duplicate into this organisation. GET: search the duplicate; GET ?duplicate=<id>, or a POST without
    the confirmation flag: what the merge moves, and a confirm button; a confirmed POST merges."""
    _require_organisation_staff(request)
    keep = get_object_or_404(organisations_visible_to(request.user), pk=pk)
    data = request.POST if request.method == "POST" else (request.GET if "duplicate" in request.GET else None)
    form = MergeForm(data, keep=keep)
    if data is not None and form.is_valid():
        duplicate = form.cleaned_data["duplicate"]
        if is_confirmed(request):
            try:
                summary = services.organisation_merge(keep=keep, duplicate=duplicate, by=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("%(duplicate)s was merged into %(keep)s: %(posts)s posts, %(contacts)s "
                                            "employer contacts and %(jobs)s jobs on profiles moved.") % {
                    "duplicate": duplicate.name, "keep": keep.name, "posts": summary.posts,
                    "contacts": summary.contacts, "jobs": summary.employments})
            return redirect("careers:organisation_detail", keep.pk)
        return render(request, "careers/organisation_merge_confirm.html", {
            "keep": keep, "duplicate": duplicate,
            "summary": services.organisation_merge_summary(keep=keep, duplicate=duplicate),
            "action": reverse("careers:organisation_merge", args=[keep.pk]),
        })
    search = OrganisationSearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    candidates = list(organisations_search(viewer=request.user, q=q).exclude(pk=keep.pk)[:PAGE_SIZE]) if q else []
    return render(request, "careers/organisation_merge.html", {
        "keep": keep, "form": form if data is not None else None, "search": search, "q": q,
        "candidates": candidates,
    })


urlpatterns = [
    path("organisations/", organisation_list, name="organisations"),
    path("organisations/<uuid:pk>/", organisation_detail, name="organisation_detail"),
    path("organisations/<uuid:pk>/edit/", organisation_edit, name="organisation_edit"),
    path("organisations/<uuid:pk>/aliases/", organisation_aliases, name="organisation_aliases"),
    path("organisations/<uuid:pk>/merge/", organisation_merge, name="organisation_merge"),
]
