"""Public giving pages: the campaign list, a campaign's page, its ledger and downloads, and the files they show.

No login needed. Everything starts from `Campaign.objects.visible_to(user)`: open and closed campaigns for
everyone, drafts too for the people who run them. Files (cover, images, disbursement proofs) are streamed through
these views, never linked under /media/: a draft's pictures stay private until it opens.
"""

from __future__ import annotations

import io

from django import forms
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alumni.exporting import csv_document, neutralise
from alumni.models import StudyProgram
from core import dates
from core.forms import BootstrapFormMixin

from . import selectors
from .models import Campaign, CampaignImage, Disbursement
from .page_cache import CampaignPage
from .uploads import stream

CAMPAIGNS_PER_PAGE = 12


class CampaignFilterForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    program = forms.ModelChoiceField(
        label=gettext_lazy("Study program"), queryset=StudyProgram.objects.none(), required=False,
        empty_label=gettext_lazy("All study programs"),
    )

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *Campaign.Kind.choices]
        # Only study programs that have a campaign this person can see: the filter never leads to an empty page.
        self.fields["program"].queryset = StudyProgram.objects.filter(
            pk__in=campaigns.exclude(study_program=None).values("study_program_id")
        ).order_by("name")


def _visible(request: HttpRequest):
    return Campaign.objects.visible_to(request.user)


def campaigns(request: HttpRequest) -> HttpResponse:
    """Open campaigns first, then closed ones (and drafts, for those who run them); filter by kind and program."""
    visible = _visible(request)
    form = CampaignFilterForm(request.GET or None, campaigns=visible)
    rows = visible.select_related("study_program", "institution").annotate(
        status_order=Case(
            When(status=Campaign.Status.OPEN, then=Value(0)), When(status=Campaign.Status.CLOSED, then=Value(1)),
            default=Value(2), output_field=IntegerField(),
        )
    ).order_by("status_order", "-starts_on", "title")
    if form.is_valid():
        if form.cleaned_data["kind"]:
            rows = rows.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["program"]:
            rows = rows.filter(study_program=form.cleaned_data["program"])
    page = Paginator(rows, CAMPAIGNS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    progress = selectors.campaign_progress(page.object_list)
    cards = [{"campaign": c, "progress": progress[c.pk]} for c in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "donations/campaign_list.html", {
        "form": form, "page": page, "cards": cards, "query": query.urlencode(),
    })


def _wall_page(value: str | None) -> int:
    """The donor wall's page number from the query string: a whole number from 1 (anything else is page 1), so a
    made-up value never makes a cache entry of its own; a number past the end shows the last page."""
    value = (value or "").strip()
    return min(int(value), 1_000_000) if value.isdigit() and int(value) >= 1 else 1


def campaign(request: HttpRequest, pk) -> HttpResponse:
    """The campaign and what everyone sees alike come from the cache (page_cache.CampaignPage);
    `Campaign.is_visible_to`, the twin of `Campaign.objects.visible_to`, decides who may see it. A viewer who does
    not run it gets today's cached content."""
    today = timezone.localdate()
    try:
        page = CampaignPage(pk, wall_page=_wall_page(request.GET.get("page")), today=today)
    except Campaign.DoesNotExist:
        raise Http404 from None
    campaign = page.campaign
    if not campaign.is_visible_to(request.user):
        raise Http404
    context = {
        "campaign": campaign,
        "story": page.story,
        "figures": page.figures,
        "accepts_gifts": campaign.accepts_gifts(today=today),
        "can_manage": campaign.is_run_by(request.user),
    }
    if not context["can_manage"]:
        body = page.body(lambda: render_to_string("donations/_campaign_body.html", context))
        return render(request, "donations/campaign_detail.html", {"campaign": campaign, "body": body})
    return render(request, "donations/campaign_detail.html", context)


def ledger(request: HttpRequest, pk) -> HttpResponse:
    campaign = get_object_or_404(_visible(request).select_related("study_program", "institution"), pk=pk)
    books = selectors.ledger(campaign)
    chart = {
        "labels": [dates.month(month["month"]) for month in books.months],
        # Whole rupiah as integers: JSON has no Decimal, and an int is exact where a float might not be.
        "datasets": [
            {"label": _("Money in"), "data": [int(month["in"]) for month in books.months], "color": "#198754"},
            {"label": _("Money out"), "data": [int(month["out"]) for month in books.months], "color": "#dc3545"},
        ],
    }
    return render(request, "donations/ledger.html", {
        "campaign": campaign, "ledger": books, "chart": chart if books.months else None,
    })


def _export_rows(books: selectors.Ledger) -> tuple[list[str], list[list]]:
    headings = [_("Date"), _("In / out"), _("Name"), _("Description"), _("Payment method"), _("Receipt number"),
                _("In (Rp)"), _("Out (Rp)"), _("Balance (Rp)")]
    rows = []
    for row in books.rows:
        description = row.description
        if row.items:
            description = f"{row.items} · {description}" if description else row.items
        rows.append([
            row.date, _("Void") if row.void else _("In") if row.kind == "in" else _("Out"), neutralise(row.party),
            neutralise(description),
            neutralise(row.method), neutralise(row.reference), row.amount_in, row.amount_out, row.balance,
        ])
    return headings, rows


def ledger_export(request: HttpRequest, pk, fmt: str) -> HttpResponse:
    """The ledger as CSV or XLSX: one row per line, oldest first, with the running balance; totals at the end."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    campaign = get_object_or_404(_visible(request), pk=pk)
    books = selectors.ledger(campaign)
    headings, rows = _export_rows(books)
    totals = ["", _("Total"), "", "", "", "", books.received, books.disbursed, books.balance]
    filename = f"ledger-{timezone.localdate():%Y%m%d}-{str(campaign.pk)[:8]}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(csv_document([headings, *rows, totals]), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            _xlsx(campaign, headings, rows, totals),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx(campaign: Campaign, headings: list[str], rows: list[list], totals: list) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Ledger")[:31]
    sheet.append([neutralise(campaign.title)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(headings)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.append(totals)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=4, max_row=sheet.max_row):
        row[0].number_format = "yyyy-mm-dd"
        for cell in row[6:9]:
            cell.number_format = "#,##0"
    sheet.freeze_panes = "A4"
    for index, width in enumerate((12, 8, 28, 40, 16, 24, 15, 15, 15), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def disbursement_proof(request: HttpRequest, pk) -> FileResponse:
    """Public like the ledger that links it: whoever can see the campaign can check what the money paid for."""
    disbursement = get_object_or_404(Disbursement.objects.filter(campaign__in=_visible(request)), pk=pk)
    if not disbursement.proof:
        raise Http404
    return stream(disbursement.proof, cache="public, max-age=3600")


def _image_cache(campaign: Campaign) -> str:
    # A draft's pictures are for the people who run it: no shared cache may keep them.
    return "private, max-age=3600" if campaign.status == Campaign.Status.DRAFT else "public, max-age=3600"


def campaign_image(request: HttpRequest, pk: int) -> FileResponse:
    image = get_object_or_404(CampaignImage.objects.filter(campaign__in=_visible(request)).select_related("campaign"),
                              pk=pk)
    return stream(image.image, cache=_image_cache(image.campaign))


def campaign_cover(request: HttpRequest, pk) -> FileResponse:
    campaign = get_object_or_404(_visible(request), pk=pk)
    if not campaign.cover:
        raise Http404
    return stream(campaign.cover, cache=_image_cache(campaign))


urlpatterns = [
    path("", campaigns, name="campaigns"),
    path("<uuid:pk>/", campaign, name="campaign"),
    path("<uuid:pk>/ledger/", ledger, name="ledger"),
    path("<uuid:pk>/ledger.<str:fmt>", ledger_export, name="ledger_export"),
    path("disbursements/<uuid:pk>/proof/", disbursement_proof, name="disbursement_proof"),
    path("images/<int:pk>/", campaign_image, name="campaign_image"),
    path("<uuid:pk>/cover/", campaign_cover, name="campaign_cover"),
]
