"""Staff pages of giving: the verification queue (pending donations of the campaigns one runs, oldest first, and
the latest decisions), verify, reject and void (each shows what it will do and asks to confirm: core.confirm), and
recording a gift handed over in person. A person who runs no study program gets 403;
staff asking for a donation of a campaign they do not run get 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alumni.scope import require_staff
from core.confirm import is_confirmed

from . import services
from .forms_giving import RecordForm, RejectForm, VoidForm, add_errors
from .models import Campaign, Donation
from .money import rupiah


def _managed_donation(request: HttpRequest, pk) -> Donation:
    require_staff(request.user, admins_too=True)
    return get_object_or_404(
        Donation.objects.managed_by(request.user)
        .select_related("campaign__institution", "campaign__study_program", "donor", "instalment"),
        pk=pk,
    )


# How many of the latest decisions the queue lists below the pending gifts (to check them, and void a mistake).
RECENT_DECISIONS = 20


@login_required
def verify_queue(request: HttpRequest) -> HttpResponse:
    """Pending donations, oldest first, with the real names (staff need them to match the bank statement), the
    latest verified or voided ones (receipt numbers, void marked, a way to void a mistake), and the open campaigns
    one can record a gift for. 4 queries whatever the number of rows."""
    require_staff(request.user, admins_too=True)
    managed = Donation.objects.managed_by(request.user)
    pending = list(
        managed.filter(status=Donation.Status.PENDING)
        .select_related("campaign", "donor", "instalment")
        .prefetch_related("items__item")
        .order_by("created_at", "pk")
    )
    for item in pending:
        item.amount_display = rupiah(item.amount)
    decided = list(
        managed.on_ledger().select_related("campaign", "donor")
        .order_by("-receipt_year", "-receipt_sequence", "-pk")[:RECENT_DECISIONS]
    )
    for item in decided:
        item.amount_display = rupiah(item.amount)
    campaigns = list(Campaign.objects.managed_by(request.user).filter(status=Campaign.Status.OPEN).order_by("title"))
    return render(request, "donations/verify_queue.html", {
        "pending": pending, "decided": decided, "campaigns": campaigns,
    })


def _already_decided(request: HttpRequest) -> HttpResponse:
    messages.error(request, _("This donation has already been decided."))
    return redirect("donations:verify_queue")


@login_required
@require_http_methods(["GET", "POST"])
def donation_verify(request: HttpRequest, pk) -> HttpResponse:
    """GET (or a POST without the confirmation flag): what verifying does (the receipt number it will get, who is
    emailed, the campaign's total after it) and a confirm button; a confirmed POST verifies."""
    item = _managed_donation(request, pk)
    if item.status != Donation.Status.PENDING:
        return _already_decided(request)
    if is_confirmed(request):
        try:
            verified = services.donation_verify(donation_id=item.pk, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Verified. Receipt %(number)s goes to the donor by email.")
                             % {"number": verified.receipt_number})
        return redirect("donations:verify_queue")
    preview = services.donation_verify_preview(donation=item)
    return render(request, "donations/verify_confirm.html", {
        "donation": item, "amount": rupiah(item.amount), "preview": preview,
        "received_before": rupiah(preview.received_before), "received_after": rupiah(preview.received_after),
        "gifts": list(item.items.select_related("item")),
    })


def _email_to(donation: Donation) -> str:
    donor = donation.donor
    return donor.email if donor is not None and donor.is_active and donor.email else ""


@login_required
@require_http_methods(["GET", "POST"])
def donation_reject(request: HttpRequest, pk) -> HttpResponse:
    """GET (or a POST without the confirmation flag): what rejecting does and the reason field; a confirmed POST
    with a reason rejects."""
    item = _managed_donation(request, pk)
    if item.status != Donation.Status.PENDING:
        return _already_decided(request)
    if is_confirmed(request):
        form = RejectForm(request.POST)
        if form.is_valid():
            try:
                services.donation_reject(donation_id=item.pk, user=request.user,
                                         reason=form.cleaned_data["reason"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Rejected. The donor is told why."))
            return redirect("donations:verify_queue")
    else:
        form = RejectForm(initial={"reason": request.POST.get("reason", "")})
    return render(request, "donations/verify_reject.html", {
        "donation": item, "form": form, "amount": rupiah(item.amount), "email_to": _email_to(item),
    }, status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def donation_void(request: HttpRequest, pk) -> HttpResponse:
    """Undo a verification made by mistake. GET (or a POST without the confirmation flag): what voiding does (the
    receipt number stays used and shows as void, the campaign's total after it, who is emailed) and the reason
    field; a confirmed POST with a reason voids."""
    item = _managed_donation(request, pk)
    if item.status != Donation.Status.VERIFIED:
        messages.error(request, _("Only a verified donation can be voided."))
        return redirect("donations:donation", item.pk)
    if is_confirmed(request):
        form = VoidForm(request.POST)
        if form.is_valid():
            try:
                voided = services.donation_void(donation_id=item.pk, user=request.user,
                                                reason=form.cleaned_data["reason"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Voided. Receipt %(number)s is cancelled and the donor is told why.")
                                 % {"number": voided.receipt_number})
            return redirect("donations:verify_queue")
    else:
        form = VoidForm(initial={"reason": request.POST.get("reason", "")})
    balance = services.campaign_balance(item.campaign)
    after = balance["received"] - item.amount
    return render(request, "donations/verify_void.html", {
        "donation": item, "form": form, "amount": rupiah(item.amount), "email_to": _email_to(item),
        "received_before": rupiah(balance["received"]), "received_after": rupiah(after),
        "balance_after": rupiah(after - balance["disbursed"]), "overdrawn": after < balance["disbursed"],
        "gifts": list(item.items.select_related("item")),
    }, status=400 if form.is_bound else 200)


@login_required
def donation_record(request: HttpRequest, pk) -> HttpResponse:
    """Staff record a gift handed over in person (cash at a reunion, goods brought to the office). It then waits
    in the queue like any other, so a second person can check it."""
    require_staff(request.user, admins_too=True)
    campaign = get_object_or_404(Campaign.objects.managed_by(request.user), pk=pk)
    if not campaign.accepts_gifts():
        messages.error(request, _("This campaign does not take gifts now."))
        return redirect("donations:verify_queue")
    form = RecordForm(request.POST or None, request.FILES or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.donation_submit(
                campaign=campaign, donor=form.donor,
                gift=form.gift(donor_name=form.cleaned_data["donor_name"].strip()),
                recorded_by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The gift is recorded and waits in the verification queue."))
            return redirect("donations:verify_queue")
    return render(request, "donations/verify_record.html", {"campaign": campaign, "form": form})


urlpatterns = [
    path("manage/verify/", verify_queue, name="verify_queue"),
    path("donations/<uuid:pk>/verify/", donation_verify, name="donation_verify"),
    path("donations/<uuid:pk>/reject/", donation_reject, name="donation_reject"),
    path("donations/<uuid:pk>/void/", donation_void, name="donation_void"),
    path("<uuid:pk>/record/", donation_record, name="donation_record"),
]
