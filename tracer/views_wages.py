"""Minimum wages (UMP per province and year), which IKU-1 and the LKPS tables compare incomes with: institution
admins keep them on this page (403 for anyone else); writes go through `tracer.wages.minimum_wage_save`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alumni.models import Province
from alumni.scope import require_admin
from core.forms import BootstrapFormMixin, add_service_errors

from .models import MinimumWage
from .wages import minimum_wage_save


class MinimumWageForm(BootstrapFormMixin, forms.Form):
    province = forms.ModelChoiceField(label=gettext_lazy("Province"), queryset=Province.objects.order_by("name"))
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1990, max_value=2100)
    amount = forms.IntegerField(
        label=gettext_lazy("Amount (Rp per month)"), min_value=1, help_text=gettext_lazy("For example 2125897.")
    )


@login_required
def minimum_wages(request: HttpRequest) -> HttpResponse:
    """The wages of one year (the latest by default), and a form to add or change one (saved by province and
    year)."""
    require_admin(request.user)
    years = list(MinimumWage.objects.order_by("-year").values_list("year", flat=True).distinct())
    try:
        year = int(request.GET.get("year") or (years[0] if years else timezone.localdate().year))
    except ValueError:
        year = years[0] if years else timezone.localdate().year
    initial = {"year": year}
    edit = request.GET.get("edit", "")
    wage = MinimumWage.objects.filter(pk=edit).select_related("province").first() if edit.isdigit() else None
    if wage is not None:  # "Change" on a row fills the form with it
        initial = {"province": wage.province_id, "year": wage.year, "amount": wage.amount}
    form = MinimumWageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved, created = minimum_wage_save(
                by=request.user, province=data["province"], year=data["year"], amount=data["amount"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The minimum wage of %(province)s for %(year)s is saved.") % {
                "province": saved.province.name, "year": saved.year})
            return redirect(f"{request.path}?year={saved.year}")
    rows = MinimumWage.objects.filter(year=year).select_related("province").order_by("province__name")
    return render(request, "tracer/minimum_wages.html", {
        "form": form, "rows": rows, "year": year, "years": years, "editing": wage,
        "missing": Province.objects.exclude(minimum_wages__year=year).count(),
    })

