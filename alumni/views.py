from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import audit_log
from core.images import image_content_type

from . import preview, selectors, services
from .directory_pages import directory_results
from .extensions import PROFILE_SECTIONS
from .forms import DirectoryFilterForm, EmploymentForm, ProfileCreateForm, ProfileForm
from .models import AlumniProfile, Employment
from .scope import scope_for


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if scope.is_pending and not scope.is_staff:
        # Not a member until verified: their own profile shows where their request stands.
        messages.info(request, _("The directory opens once your record is verified."))
        return redirect("alumni:my_profile")
    if not (scope.is_member or scope.is_staff):
        messages.info(request, _("Complete your alumni profile to use the directory."))
        return redirect("alumni:profile_create")
    form = DirectoryFilterForm(request.GET or None, viewer=request.user)
    filters = selectors.DirectoryFilters()
    if form.is_valid():
        filters = form.filters()
    query = request.GET.copy()
    query.pop("page", None)
    querystring = query.urlencode()
    # Not an exact COUNT over the whole visible set on every page: the count of the viewer's visibility class and
    # these filters, cached for a minute (selectors.directory_counts).
    shared, own_extra = selectors.directory_counts(viewer=request.user, filters=filters)

    def render_results() -> tuple[str, list[int | None]]:
        paginator = Paginator(selectors.directory_search(viewer=request.user, filters=filters),
                              settings.DIRECTORY_PAGE_SIZE)
        paginator.count = shared + own_extra
        page = paginator.get_page(request.GET.get("page"))
        rows = [(profile, profile.visible_parts(viewer=request.user)) for profile in page.object_list]
        html = render_to_string("alumni/_directory_results.html",
                                {"page": page, "rows": rows, "querystring": querystring})
        return html, [profile.user_id for profile, _parts in rows]

    # The cards, shared by the viewer's visibility class for a minute unless a record changed (directory_pages).
    results = directory_results(scope=scope, querystring=querystring, page=request.GET.get("page"),
                                own_extra=own_extra, render=render_results)
    return render(
        request,
        "alumni/directory.html",
        {
            "form": form,
            "results": mark_safe(results),  # noqa: S308 (our template's)
            "querystring": querystring,
            # The cities of the chosen province this viewer's class may see: cached, a query on a miss only.
            "city_options": selectors.city_suggestions(viewer=request.user, province=filters.province),
        },
    )


@login_required
def profile_detail(request: HttpRequest, pk) -> HttpResponse:
    try:
        profile = selectors.profile_detail(viewer=request.user, pk=pk)
    except AlumniProfile.DoesNotExist:
        raise Http404 from None
    _audit_staff_view(request, profile)
    return render(request, "alumni/profile_detail.html", _profile_context(profile, viewer=request.user))


def _profile_context(profile: AlumniProfile, *, viewer) -> dict:
    """What the profile page shows `viewer`: the one place that decides it, for real viewers and for the stand-ins
    of "view my profile as others see it" (profile_preview)."""
    parts = profile.visible_parts(viewer=viewer)
    is_own = profile.user_id == viewer.pk
    context = {
        "profile": profile,
        "parts": parts,
        "is_own": is_own,
        # Staff of the record's study program correct the academic record on its own page.
        "can_edit_record": profile.study_program_id in scope_for(viewer).staff_program_ids,
        "employments": list(profile.employments.all()) if parts["career"] else [],
        "verification": selectors.verification_status(profile) if is_own else {},
        "preview_kinds": list(preview.KINDS.items()) if is_own else [],
        # The sections of the apps above this one (programs: involvement), registered in their ready().
        "profile_section_templates": [template for _section, template in PROFILE_SECTIONS],
    }
    for section, _template in PROFILE_SECTIONS:
        context.update(section(profile, viewer))
    return context


@login_required
def profile_preview(request: HttpRequest, kind: str) -> HttpResponse:
    """The person's own profile as a member, staff of their study program, or the public sees it: the real page's
    selector and context (_profile_context) run for a stand-in viewer with exactly those rights (alumni.preview).
    Nothing is audited: nobody else read anything."""
    own = selectors.own_profile(user=request.user)
    if own is None:
        return redirect("alumni:profile_create")
    if kind not in preview.KINDS:
        raise Http404
    viewer = preview.preview_viewer(kind, own)
    try:
        profile = selectors.profile_detail(viewer=viewer, pk=own.pk)
    except AlumniProfile.DoesNotExist:
        context = {"profile": own, "hidden": True}
    else:
        context = _profile_context(profile, viewer=viewer)
    context.update(preview=kind, preview_kinds=list(preview.KINDS.items()))
    return render(request, "alumni/profile_detail.html", context)


def _audit_staff_view(request: HttpRequest, profile: AlumniProfile) -> None:
    """Staff of the record's study program read more of it than members do: each such view is audited, and the
    person finds it among "reads of my data" (alumni.privacy.reads_of_my_data)."""
    scope = scope_for(request.user)
    if profile.user_id != request.user.pk and profile.study_program_id in scope.staff_program_ids:
        audit_log(actor=request.user, action="alumni.profile.viewed", target=profile,
                  study_program=profile.study_program, subject=profile.user_id)


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    profile = selectors.own_profile(user=request.user)
    if profile is None:
        return redirect("alumni:profile_create")
    return redirect(profile)


@login_required
def profile_create(request: HttpRequest) -> HttpResponse:
    if selectors.own_profile(user=request.user):
        return redirect("alumni:my_profile")
    form = ProfileCreateForm(
        request.POST or None, viewer=request.user, initial={"full_name": request.user.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("nim", exc)
        else:
            # The same answer whether or not the NIM is known: staff or classmates verify the request.
            messages.success(request, _("Thank you. Your request waits for verification; your profile shows where "
                                        "it stands."))
            return redirect("alumni:my_profile")
    return render(request, "alumni/profile_create.html", {"form": form})


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = selectors.own_profile(user=request.user)
    if profile is None:
        return redirect("alumni:profile_create")
    form = ProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        if data.get("photo") is False:  # "clear" ticked
            data["photo"] = ""
        services.profile_update(profile=profile, by=request.user, data=data)
        messages.success(request, _("Your profile was saved."))
        return redirect("alumni:profile_edit")
    employments = profile.employments.select_related("province").order_by("-start_date")
    return render(
        request, "alumni/profile_edit.html", {"form": form, "profile": profile, "employments": employments}
    )


def _own_employment(request: HttpRequest, pk) -> Employment:
    return get_object_or_404(
        Employment.objects.filter(profile__user=request.user).select_related("profile__study_program"), pk=pk
    )


@login_required
def employment_edit(request: HttpRequest, pk=None) -> HttpResponse:
    # Someone else's job is a 404 before anything else.
    employment = _own_employment(request, pk) if pk else None
    profile = employment.profile if employment else selectors.own_profile(user=request.user)
    if profile is None:
        return redirect("alumni:profile_create")
    form = EmploymentForm(request.POST or None, instance=employment)
    if request.method == "POST" and form.is_valid():
        try:
            services.employment_save(profile=profile, by=request.user, data=form.cleaned_data, employment=employment)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your career was saved."))
            return redirect("alumni:profile_edit")
    return render(request, "alumni/employment_form.html", {"form": form, "employment": employment})


@login_required
@require_POST
def employment_delete(request: HttpRequest, pk) -> HttpResponse:
    employment = _own_employment(request, pk)
    services.employment_delete(employment=employment, by=request.user)
    messages.success(request, _("The job was removed from your career."))
    return redirect("alumni:profile_edit")


@login_required
def profile_photo(request: HttpRequest, pk) -> HttpResponse:
    """Photos are served through the permission door, never as public media files."""
    profile = get_object_or_404(AlumniProfile.objects.visible_to(request.user), pk=pk)
    if not profile.photo or not profile.can_see("photo", viewer=request.user):
        raise Http404
    try:
        content_type = image_content_type(profile.photo)
    except FileNotFoundError:
        raise Http404 from None
    if content_type is None:  # a file stored before photos were re-encoded that is no picture: never shown
        raise Http404
    response = FileResponse(profile.photo.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
