"""Staff pages of giving: the verification queue (pending donations of the campaigns one runs, oldest first),
verify and reject, and recording a gift handed over in person. A person who runs no study program gets 403;
staff asking for a donation of a campaign they do not run get 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alumni.scope import require_staff

from . import services
from .forms_giving import RecordForm, RejectForm, add_errors
from .models import Campaign, Donation
from .money import rupiah


def _managed_donation(request: HttpRequest, pk) -> Donation:
    require_staff(request.user, admins_too=True)
    return get_object_or_404(Donation.objects.managed_by(request.user).select_related("campaign", "donor"), pk=pk)


@login_required
def verify_queue(request: HttpRequest) -> HttpResponse:
    """Pending donations, oldest first, with the real names (staff need them to match the bank statement), and
    the open campaigns one can record a gift for. 3 queries whatever the number of rows."""
    require_staff(request.user, admins_too=True)
    pending = list(
        Donation.objects.managed_by(request.user)
        .filter(status=Donation.Status.PENDING)
        .select_related("campaign", "donor", "instalment")
        .prefetch_related("items__item")
        .order_by("created_at", "pk")
    )
    for item in pending:
        item.amount_display = rupiah(item.amount)
    campaigns = list(Campaign.objects.managed_by(request.user).filter(status=Campaign.Status.OPEN).order_by("title"))
    return render(request, "donations/verify_queue.html", {"pending": pending, "campaigns": campaigns})


@login_required
@require_POST
def donation_verify(request: HttpRequest, pk) -> HttpResponse:
    item = _managed_donation(request, pk)
    try:
        verified = services.donation_verify(donation_id=item.pk, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Verified. Receipt %(number)s goes to the donor by email.")
                         % {"number": verified.receipt_number})
    return redirect("donations:verify_queue")


@login_required
def donation_reject(request: HttpRequest, pk) -> HttpResponse:
    item = _managed_donation(request, pk)
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.donation_reject(donation_id=item.pk, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Rejected. The donor is told why."))
        return redirect("donations:verify_queue")
    return render(request, "donations/verify_reject.html", {
        "donation": item, "form": form, "amount": rupiah(item.amount),
    })


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
    path("<uuid:pk>/record/", donation_record, name="donation_record"),
]
