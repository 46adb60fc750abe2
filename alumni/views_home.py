"""The front page for visitors and the dashboard of every signed-in person.

The dashboard shows this app's own cards (profile completeness, verification, the staff's study programs, roles)
and the cards that the apps above it register (alumni.extensions.register_dashboard_card): this app never imports
them.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.models import AuditLog

from . import counters, dashboard_cache, privacy
from . import selectors as alumni_selectors
from .extensions import DASHBOARD_CARDS
from .models import AlumniProfile, Employment, ImportConflict, RecordCorrection, Role
from .reference import reference_choices
from .scope import scope_for


def home(request: HttpRequest) -> HttpResponse:
    """The front page for visitors: what the portal is, and figures anyone may see (counts, not people)."""
    # From the cache once warm: no full-table aggregate per request (alumni.counters).
    stats = counters.public_stats()
    return render(request, "home.html", {"stats": stats, "institution_name": stats["institution"]})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """One page per role: what this person should look at first. A member's own dashboard comes from the cache
    until something it shows changes (alumni.dashboard_cache); staff see theirs live."""
    user = request.user
    scope = scope_for(user)
    if dashboard_cache.cacheable(scope):
        def build(csrf_token: str) -> str:
            context = {**_dashboard_context(user, scope), "user": user, "csrf_token": csrf_token}
            return render_to_string("_dashboard_body.html", context)

        return render(request, "dashboard.html", {"body": dashboard_cache.dashboard_body(request, build)})
    return render(request, "dashboard.html", _dashboard_context(user, scope))


def _dashboard_context(user, scope) -> dict:
    context: dict = {"scope": scope}
    profile = (
        AlumniProfile.objects.filter(user=user)
        .select_related("study_program", "province")
        .prefetch_related(alumni_selectors.current_jobs_prefetch())
        .first()
    )
    context["profile"] = profile
    if profile is not None:
        checks = {
            "phone": bool(profile.phone),
            "location": bool(profile.province_id and profile.city),
            "graduation": bool(profile.graduation_date) or profile.is_student,
            "career": bool(profile.current_jobs) or profile.is_student,
            "bio": bool(profile.bio),
            "photo": bool(profile.photo),
        }
        context["completeness"] = round(100 * sum(checks.values()) / len(checks))
        context["missing"] = [k for k, ok in checks.items() if not ok]
    if scope.is_staff:
        programs = alumni_selectors.program_summaries(viewer=user)
        employed = alumni_selectors.employed_share(viewer=user)
        for program in programs:
            program.alumni_employed = employed.get(program.pk, 0)
        context["programs"] = programs
        context["cohorts"] = alumni_selectors.cohort_counts(
            viewer=user, study_program_ids=[p.pk for p in programs]
        )
        # Reads of one person's data (AuditLog.subject) are for that person's privacy page, not the activity list.
        context["recent_activity"] = list(
            AuditLog.objects.visible_to(user).filter(subject__isnull=True).select_related("actor")[:10]
        )
    if scope.is_staff:
        context["chart_labels"] = {
            "records": _("Records"),
            "accounts": _("With account"),
            "jobs": _("Current jobs"),
            "kinds": dict(Employment.EmployerKind.choices),
        }
    if scope.is_admin:
        context["roles"] = list(
            Role.objects.visible_to(user)
            .select_related("user", "study_program")
            .order_by("kind", "study_program__name")
        )
        context["employer_kinds"] = list(
            Employment.objects.filter(end_date__isnull=True, profile__in=AlumniProfile.objects.managed_by(user))
            .values("employer_kind")
            .annotate(n=Count("pk"))
            .order_by("-n")
        )
    # Purposes this person has not decided on yet: a card links to the consent screen (UU PDP).
    context["consent_undecided"] = bool(privacy.consent_undecided(user=user, has_profile=profile is not None))
    context.update(_verification_card(user, scope, profile))
    # The cards of the apps above this one (programs, giving, …), registered in their AppConfig.ready().
    for card in DASHBOARD_CARDS:
        context.update(card(user, scope, profile))
    context["has_programs"] = bool(reference_choices("study_program")["study_program"])  # cached, no query
    if scope.is_staff:
        # The academic-record work waiting for this person's study programs (two counts).
        context["corrections_pending"] = (
            RecordCorrection.objects.managed_by(user).filter(status=RecordCorrection.Status.PENDING).count()
        )
        context["import_conflicts_open"] = (
            ImportConflict.objects.managed_by(user).filter(status=ImportConflict.Status.OPEN).count()
        )
    context["unclaimed_with_email"] = (
        scope.is_staff
        and AlumniProfile.objects.managed_by(user)
        .filter(user__isnull=True)
        .exclude(email="")
        .count()
    )
    return context


def _verification_card(user, scope, profile) -> dict:
    """Verified membership at a glance: the state of this person's own request, the pending classmates they may
    vouch for (name, cohort and the NIM they gave), and for staff the requests waiting (one query each)."""
    card: dict = {"verification": {}, "vouch_requests": [], "verification_waiting": 0}
    if profile is not None and not profile.is_verified:
        card["verification"] = alumni_selectors.verification_status(profile)
    if scope.is_member:
        card["vouch_requests"] = list(
            AlumniProfile.objects.awaiting_vouch_by(user).only("id", "full_name", "entry_year", "nim")
            .order_by("created_at")[:10]
        )
    if scope.is_staff:
        card["verification_waiting"] = (
            AlumniProfile.objects.managed_by(user).filter(verification=AlumniProfile.Verification.PENDING).count()
        )
    return card
