"""Staff pages for running campaigns: the list with totals, the campaign form (items, pictures, status), updates and
disbursements.

Only study-program staff and institution admins (403 for anyone else); a campaign is looked up in
`Campaign.objects.managed_by(user)`, so someone else's campaign is a 404. Every write is audited.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alumni.scope import require_staff
from core.audit import audit_log

from . import selectors, services
from .forms_campaign import CampaignForm, DisbursementForm, ImageFormSet, ItemFormSet, UpdateForm, items_given
from .models import Campaign, CampaignUpdate


def _managed(request: HttpRequest, pk) -> Campaign:
    require_staff(request.user, admins_too=True)
    return get_object_or_404(Campaign.objects.managed_by(request.user).select_related("study_program"), pk=pk)


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """The campaigns this person runs, each with its totals and what waits for them (fixed number of queries)."""
    require_staff(request.user, admins_too=True)
    campaigns = list(
        Campaign.objects.managed_by(request.user).select_related("study_program", "institution")
        .order_by("status", "-starts_on", "title")
    )
    progress = selectors.campaign_progress(campaigns)
    rows = [{"campaign": c, "progress": progress[c.pk]} for c in campaigns]
    return render(request, "donations/manage.html", {
        "rows": rows,
        "totals": {
            "received": sum((row["progress"].received for row in rows), selectors.ZERO),
            "disbursed": sum((row["progress"].disbursed for row in rows), selectors.ZERO),
            "pending": sum(row["progress"].pending for row in rows),
        },
    })


def _campaign_form(request: HttpRequest, campaign: Campaign | None) -> HttpResponse:
    editing = campaign is not None
    instance = campaign or Campaign(created_by=request.user)
    before = {"status": instance.status, "payment_instructions": instance.payment_instructions} if editing else {}
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = CampaignForm(data, files, instance=instance, user=request.user)
    items = ItemFormSet(data, instance=instance, prefix="items")
    images = ImageFormSet(data, files, instance=instance, prefix="images")
    if request.method == "POST":
        valid = form.is_valid()
        in_kind = form.cleaned_data.get("kind") == Campaign.Kind.IN_KIND if hasattr(form, "cleaned_data") else False
        # Needed items matter only to an in-kind campaign; the formset is ignored (and left alone) otherwise.
        items_valid = items.is_valid() if in_kind else True
        images_valid = images.is_valid()
        if valid and in_kind and items_valid and items_given(items) == 0:
            form.add_error(None, _("An in-kind campaign needs at least one item: say what is needed and how many."))
            valid = False
        if valid and items_valid and images_valid:
            with transaction.atomic():
                campaign = form.save()
                if in_kind:
                    items.instance = campaign
                    items.save()
                images.instance = campaign
                images.save()
                action = "donations.campaign.edited" if editing else "donations.campaign.created"
                audit_log(actor=request.user, action=action, target=campaign, study_program=campaign.study_program,
                          data={"kind": campaign.kind, "goal": str(campaign.goal_amount or ""),
                                "status": campaign.status, "fields": sorted(form.changed_data)})
                if editing and before["status"] != campaign.status:
                    audit_log(actor=request.user, action="donations.campaign.status_changed", target=campaign,
                              study_program=campaign.study_program,
                              data={"from": before["status"], "to": campaign.status})
                if editing and before["payment_instructions"] != campaign.payment_instructions:
                    # Where donors send money: the institution's account, not personal data, so both are kept.
                    audit_log(actor=request.user, action="donations.campaign.payment_changed", target=campaign,
                              study_program=campaign.study_program,
                              data={"from": before["payment_instructions"], "to": campaign.payment_instructions})
            messages.success(request, _("The campaign is saved.") if editing else _("The campaign is created."))
            return redirect("donations:campaign", campaign.pk)
    return render(request, "donations/manage_campaign_form.html", {
        "form": form, "items": items, "images": images, "campaign": campaign, "editing": editing,
    })


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    require_staff(request.user, admins_too=True)
    return _campaign_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, pk) -> HttpResponse:
    return _campaign_form(request, _managed(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def update_create(request: HttpRequest, pk) -> HttpResponse:
    campaign = _managed(request, pk)
    form = UpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            update = CampaignUpdate.objects.create(
                campaign=campaign, title=form.cleaned_data["title"], body=form.cleaned_data["body"],
                posted_by=request.user, posted_at=timezone.now(),
            )
            audit_log(actor=request.user, action="donations.campaign.update_posted", target=update,
                      study_program=campaign.study_program, data={"campaign": str(campaign.pk)})
        messages.success(request, _("The update is posted."))
        return redirect("donations:campaign", campaign.pk)
    return render(request, "donations/manage_update_form.html", {"form": form, "campaign": campaign})


@login_required
@require_http_methods(["GET", "POST"])
def disbursement_create(request: HttpRequest, pk) -> HttpResponse:
    campaign = _managed(request, pk)
    form = DisbursementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.disbursement_record(
                campaign=campaign, user=request.user, amount=data["amount"], paid_on=data["paid_on"],
                purpose=data["purpose"], recipient=data["recipient"], proof=data["proof"],
            )
        except ValidationError as error:
            form.add_error("amount", error)
        else:
            messages.success(request, _("The disbursement is on the ledger."))
            return redirect("donations:ledger", campaign.pk)
    return render(request, "donations/manage_disbursement_form.html", {
        "form": form, "campaign": campaign, "balance": services.campaign_balance(campaign),
    })


urlpatterns = [
    path("manage/", manage, name="manage"),
    path("manage/new/", campaign_create, name="campaign_create"),
    path("<uuid:pk>/edit/", campaign_edit, name="campaign_edit"),
    path("<uuid:pk>/updates/new/", update_create, name="update_create"),
    path("<uuid:pk>/disbursements/new/", disbursement_create, name="disbursement_create"),
]
