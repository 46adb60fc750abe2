from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from alumni import privacy
from alumni import selectors as alumni_selectors
from alumni.models import AlumniProfile, Employment, Institution, Role, StudyProgram
from alumni.scope import scope_for

from .models import AuditLog


def home(request: HttpRequest) -> HttpResponse:
    """The front page for visitors: what the portal is, and figures anyone may see (counts, not people)."""
    # Self-declared records waiting for verification are nobody's graduates yet.
    stats = AlumniProfile.objects.filter(verification=AlumniProfile.Verification.VERIFIED).aggregate(
        alumni=Count("pk"),
        members=Count("pk", filter=Q(user__is_active=True)),
        programs=Count("study_program", distinct=True),
    )
    institution = Institution.objects.first()
    return render(request, "home.html", {"stats": stats, "institution": institution})


def _program_cards(user, scope) -> dict:
    """Programs on the dashboard: invitations to a program team waiting for this person's answer, the sessions
    they are registered or waitlisted for, and for staff a summary of their programs' health and the proposals
    waiting (four queries at most)."""
    from django.utils import timezone

    from programs import selectors as program_selectors
    from programs.models import Participation, Program, Session, TeamInvitation

    cards: dict = {
        "team_invitations": list(
            TeamInvitation.objects.for_invitee(user).open().select_related("program").order_by("created_at")[:5]
        ),
        "my_sessions": list(
            Participation.objects.filter(
                user=user, session__isnull=False, session__status=Session.Status.SCHEDULED,
                session__end__gte=timezone.now(),
            )
            .current()
            .select_related("session__program")
            .order_by("session__start")[:5]
        )
    }
    if scope.is_staff:
        rows = program_selectors.program_health(viewer=user)
        cards["program_health"] = {
            "watched": len(rows),
            "overdue": sum(1 for _p, h in rows if h.days_overdue),
            "lapsed": sum(1 for p, _h in rows if p.status == Program.Status.LAPSED),
            "due_soon": sum(1 for _p, h in rows if h.due_soon),
            "worst": [(p, h) for p, h in rows[:3] if h.days_overdue],
        }
        cards["proposals_waiting"] = (
            Program.objects.managed_by(user).filter(status=Program.Status.PROPOSED).count()
        )
    return cards


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """One page per role: what this person should look at first."""
    user = request.user
    scope = scope_for(user)
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
    context["consent_undecided"] = bool(privacy.consent_undecided(user=user))
    context.update(_program_cards(user, scope))
    context.update(_giving_card(user, scope))
    context.update(_verification_card(user, scope, profile))
    context["has_programs"] = StudyProgram.objects.exists()
    if scope.is_staff:
        # The academic-record work waiting for this person's study programs (two counts).
        from alumni.models import ImportConflict, RecordCorrection

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
    return render(request, "dashboard.html", context)


def _giving_card(user, scope) -> dict:
    """Giving at a glance: the person's unpaid instalments, and for those who run campaigns the donations waiting
    for verification (2 queries)."""
    from donations.models import Donation, Instalment, Pledge

    card = {
        "instalments_due": list(
            Instalment.objects.unpaid().filter(pledge__donor=user)
            .exclude(pledge__status=Pledge.Status.PAUSED)
            .select_related("pledge__campaign").order_by("due_on")[:3]
        ),
    }
    if scope.is_staff or scope.is_admin:  # as the giving pages: admins alone run institution-wide campaigns
        card["donations_pending"] = Donation.objects.managed_by(user).filter(status=Donation.Status.PENDING).count()
    return card


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


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, plus: a signed-in person's choice is saved for the pages and emails they get."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in {"id", "en"} and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    if not isinstance(response, HttpResponseRedirect) or not url_has_allowed_host_and_scheme(
        response.url, allowed_hosts={request.get_host()}
    ):
        return HttpResponseRedirect("/")
    return response


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    """Which reminders this person gets: one checkbox per optional kind (account emails are not listed)."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from .models import OPTIONAL_KINDS
    from .services import notification_preferences as preferences_of
    from .services import notification_preferences_save

    if request.method == "POST":
        notification_preferences_save(user=request.user, enabled=request.POST.getlist("enabled"))
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notification_preferences")
    current = preferences_of(user=request.user)
    kinds = [
        {"code": code, "label": label, "help": help_text, "enabled": current[code]}
        for code, (label, help_text) in OPTIONAL_KINDS.items()
    ]
    return render(request, "notifications/preferences.html", {"kinds": kinds})
