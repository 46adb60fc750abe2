"""Giving reports for the staff and admins who run campaigns: totals per campaign, month and kind, the repeat-donor
and pledge fulfilment rates, charted beside the tables, and the per-campaign table as CSV. Only the campaigns the
person runs (`Campaign.objects.managed_by`); anyone without a staff or admin role gets 403."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alumni.exporting import csv_document
from alumni.scope import require_staff
from core.forms import BootstrapFormMixin

from .money import rupiah
from .reports import Report, giving_report, report_years


class ReportFilterForm(BootstrapFormMixin, forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        choices = sorted(set(years) | {this_year}, reverse=True)
        self.fields["year"].choices = [("", _("All years"))] + [(y, str(y)) for y in choices]


def _amount(value) -> str:
    return rupiah(value)


def _table(report: Report) -> list[dict]:
    return [
        {
            "campaign": row.campaign, "verified": _amount(row.verified), "donations": row.donations,
            "donors": row.donors, "disbursed": _amount(row.disbursed), "balance": _amount(row.balance),
            "goal_percent": row.goal_percent,
        }
        for row in report.campaigns
    ]


def _csv(report: Report) -> HttpResponse:
    """The per-campaign table; amounts as plain whole numbers, percentages with a dot, for spreadsheets."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"giving-report-{report.year or 'all'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    header = [_("Campaign"), _("Kind"), _("Study program"), _("Status"), _("Verified (Rp)"), _("Donations"),
              _("Donors"), _("Disbursed (Rp)"), _("Balance today (Rp)"), _("Goal (Rp)"), _("Goal reached (%)")]
    rows = [
        [c.title, c.get_kind_display(), c.study_program or _("Whole institution"), c.get_status_display(),
         row.verified, row.donations, row.donors, row.disbursed, row.balance, c.goal_amount, row.goal_percent]
        for row in report.campaigns for c in [row.campaign]
    ]
    total = [_("Total"), "", "", "", report.totals["verified"], report.totals["donations"], report.totals["donors"],
             report.totals["disbursed"], report.totals["balance"], "", ""]
    response.write(csv_document([header, *rows, total]))
    return response


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    require_staff(request.user, admins_too=True)
    years = report_years(request.user)
    form = ReportFilterForm(request.GET or None, years=years)
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else None
    report = giving_report(user=request.user, year=year)
    if request.GET.get("download") == "csv" and (not form.is_bound or form.is_valid()):
        return _csv(report)
    return render(request, "donations/reports.html", {
        "form": form,
        "report": report,
        "table": _table(report),
        "totals": {
            "verified": _amount(report.totals["verified"]), "donations": report.totals["donations"],
            "donors": report.totals["donors"], "disbursed": _amount(report.totals["disbursed"]),
            "balance": _amount(report.totals["balance"]),
        },
        "months": [{**m, "amount_display": _amount(m["amount"])} for m in report.months],
        "kinds": [{**k, "amount_display": _amount(k["amount"])} for k in report.kinds],
        "charts": report.charts(),
        "csv_query": f"?year={year}&download=csv" if year else "?download=csv",
    })


urlpatterns = [
    path("manage/reports/", reports, name="reports"),
]
