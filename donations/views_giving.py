"""Giving pages of a donor: pledge, donate (optionally paying a pledge instalment), "my giving", a pledge and a
donation, the donation's proof and its receipt. Every lookup starts from a scoped queryset: someone else's pledge
or donation is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alumni.privacy import CONSENT_WORDING, Purpose, consent_in_force, consent_record
from core.audit import audit_log

from . import services
from .forms_giving import DonationForm, PledgeForm, add_errors
from .models import Campaign, Donation, Instalment, Pledge
from .money import rupiah
from .receipts import receipt_filename, receipt_pdf
from .uploads import stream


def _open_campaign(request: HttpRequest, pk) -> Campaign:
    return get_object_or_404(Campaign.objects.visible_to(request.user).select_related("institution"), pk=pk)


def _closed(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    messages.error(request, _("This campaign does not take gifts now."))
    return redirect(campaign.get_absolute_url())


@login_required
def pledge_create(request: HttpRequest, pk) -> HttpResponse:
    campaign = _open_campaign(request, pk)
    if not campaign.accepts_gifts() or campaign.is_in_kind:
        return _closed(request, campaign)
    consented = consent_in_force(user=request.user, purpose=Purpose.FUNDRAISING)
    form = PledgeForm(request.POST or None, consented=consented)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                pledge = services.pledge_create(donor=request.user, campaign=campaign, terms=form.terms())
                if form.wants_reminders:
                    consent_record(user=request.user, purpose=Purpose.FUNDRAISING, granted=True,
                                   wording_version=CONSENT_WORDING[Purpose.FUNDRAISING][0])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Thank you! Your pledge is recorded."))
            return redirect(pledge.get_absolute_url())
    return render(request, "donations/giving_pledge_form.html", {"campaign": campaign, "form": form})


@login_required
def donate(request: HttpRequest, pk) -> HttpResponse:
    campaign = _open_campaign(request, pk)
    if not campaign.accepts_gifts():
        return _closed(request, campaign)
    instalment = None
    if request.GET.get("instalment"):
        try:
            instalment = get_object_or_404(
                Instalment.objects.unpaid().select_related("pledge"),
                pk=request.GET["instalment"], pledge__donor=request.user, pledge__campaign=campaign,
            )
        except ValidationError:  # not a UUID
            raise Http404 from None
    form = DonationForm(request.POST or None, request.FILES or None, campaign=campaign, instalment=instalment)
    if request.method == "POST" and form.is_valid():
        try:
            donation = services.donation_submit(
                campaign=campaign, donor=request.user, gift=form.gift(), instalment=instalment
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Thank you! Your donation now waits for the campaign's staff to verify it."))
            return redirect(donation.get_absolute_url())
    return render(request, "donations/giving_donate.html", {
        "campaign": campaign, "form": form, "instalment": instalment,
        "instalment_amount": rupiah(instalment.amount) if instalment else "",
    })


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """My pledges (with their open instalments) and my donations: 3 queries whatever their number."""
    due = Instalment.objects.unpaid().order_by("due_on")
    pledges = list(
        Pledge.objects.filter(donor=request.user)
        .select_related("campaign")
        .annotate(
            due_count=Count("instalments", filter=Q(instalments__status=Instalment.Status.DUE,
                                                    instalments__donation__isnull=True)),
            paid_count=Count("instalments", filter=Q(instalments__status=Instalment.Status.PAID)),
        )
        .prefetch_related(Prefetch("instalments", queryset=due, to_attr="open_instalments"))
        .order_by("-created_at")
    )
    donations = list(
        Donation.objects.filter(donor=request.user).select_related("campaign", "instalment").order_by("-created_at")
    )
    for pledge in pledges:
        pledge.amount_display = rupiah(pledge.amount)
        for instalment in pledge.open_instalments:
            instalment.amount_display = rupiah(instalment.amount)
    for donation in donations:
        donation.amount_display = rupiah(donation.amount)
    return render(request, "donations/giving_mine.html", {"pledges": pledges, "donations": donations})


def _pledge_for(request: HttpRequest, pk, *, own: bool = False) -> Pledge:
    queryset = Pledge.objects.filter(donor=request.user) if own else Pledge.objects.visible_to(request.user)
    return get_object_or_404(queryset.select_related("campaign__study_program", "donor"), pk=pk)


@login_required
def pledge(request: HttpRequest, pk) -> HttpResponse:
    item = _pledge_for(request, pk)
    instalments = list(item.instalments.select_related("donation").order_by("-due_on"))
    for instalment in instalments:
        instalment.amount_display = rupiah(instalment.amount)
    return render(request, "donations/giving_pledge.html", {
        "pledge": item, "instalments": instalments, "amount": rupiah(item.amount),
        "is_donor": item.donor_id == request.user.pk,
    })


def _back(request: HttpRequest, item: Pledge) -> HttpResponse:
    return redirect("donations:mine") if request.POST.get("next") == "mine" else redirect(item)


def _pledge_action(request: HttpRequest, pk, action, done: str) -> HttpResponse:
    item = _pledge_for(request, pk, own=True)
    try:
        action(pledge=item, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return _back(request, item)


@login_required
@require_POST
def pledge_pause(request: HttpRequest, pk) -> HttpResponse:
    return _pledge_action(request, pk, services.pledge_pause,
                          _("The pledge is paused: no instalments fall due until you resume it."))


@login_required
@require_POST
def pledge_resume(request: HttpRequest, pk) -> HttpResponse:
    return _pledge_action(request, pk, services.pledge_resume, _("The pledge is active again."))


@login_required
def pledge_stop(request: HttpRequest, pk) -> HttpResponse:
    """GET asks for confirmation; POST stops the pledge for good."""
    item = _pledge_for(request, pk, own=True)
    if request.method == "POST":
        try:
            services.pledge_stop(pledge=item, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The pledge is stopped. Unpaid instalments are cancelled."))
        return _back(request, item)
    return render(request, "donations/giving_pledge_stop.html", {"pledge": item, "amount": rupiah(item.amount)})


def _donation_for(request: HttpRequest, pk) -> Donation:
    return get_object_or_404(
        Donation.objects.visible_to(request.user).select_related("campaign", "donor", "decided_by", "instalment"),
        pk=pk,
    )


def _audit_staff_read(request: HttpRequest, item: Donation, action: str) -> None:
    """Someone other than the donor (staff of the campaign) opened the donor's slip or receipt: the donor finds
    this read among "reads of my data"."""
    if item.donor_id != request.user.pk:
        audit_log(actor=request.user, action=action, target=item, study_program=item.campaign.study_program,
                  subject=item.donor_id)


@login_required
def donation(request: HttpRequest, pk) -> HttpResponse:
    item = _donation_for(request, pk)
    gifts = list(item.items.select_related("item"))
    runs_it = (item.status in (Donation.Status.PENDING, Donation.Status.VERIFIED)
               and Donation.objects.managed_by(request.user).filter(pk=item.pk).exists())
    return render(request, "donations/giving_donation.html", {
        "donation": item, "gifts": gifts, "amount": rupiah(item.amount),
        "is_donor": item.donor_id == request.user.pk,
        "can_decide": runs_it and item.status == Donation.Status.PENDING,
        "can_void": runs_it and item.status == Donation.Status.VERIFIED,
    })


@login_required
def donation_proof(request: HttpRequest, pk) -> HttpResponse:
    """The proof is private: streamed after the permission check, never linked under /media/."""
    item = _donation_for(request, pk)
    if not item.proof:
        raise Http404
    _audit_staff_read(request, item, "donations.proof.viewed")
    return stream(item.proof, cache="private, no-store")


@login_required
def receipt(request: HttpRequest, pk) -> HttpResponse:
    item = _donation_for(request, pk)
    if item.status != Donation.Status.VERIFIED:
        raise Http404
    _audit_staff_read(request, item, "donations.receipt.downloaded")
    response = HttpResponse(receipt_pdf(item), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipt_filename(item)}"'
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("<uuid:pk>/pledge/", pledge_create, name="pledge_create"),
    path("<uuid:pk>/donate/", donate, name="donate"),
    path("mine/", mine, name="mine"),
    path("pledges/<uuid:pk>/", pledge, name="pledge"),
    path("pledges/<uuid:pk>/pause/", pledge_pause, name="pledge_pause"),
    path("pledges/<uuid:pk>/resume/", pledge_resume, name="pledge_resume"),
    path("pledges/<uuid:pk>/stop/", pledge_stop, name="pledge_stop"),
    path("donations/<uuid:pk>/", donation, name="donation"),
    path("donations/<uuid:pk>/proof/", donation_proof, name="donation_proof"),
    path("donations/<uuid:pk>/receipt.pdf", receipt, name="receipt"),
]
