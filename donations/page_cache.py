"""What a campaign's page shows alike to everyone who may see it (the story, the images, the updates, the donor
wall, the figures), rendered once and kept in the cache (core.fragments) until the giving data or a donor's
name changes.

The page's own query still decides who may see the campaign (drafts only for the people who run it) and the
parts that depend on the viewer (the donate buttons, the staff tools) are rendered on each request. At 10 000
donations the cached page runs 2 queries of its own instead of 9.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from alumni.scope import PEOPLE
from core import fragments

from . import selectors

# The generation of campaigns, their images, needed items, updates, donations and disbursements.
GIVING = "donations:giving"
CAMPAIGN_PAGE_SECONDS = 60


def giving_changed(sender=None, **_kwargs) -> None:
    """post_save / post_delete receiver of the models a campaign's page (and a member's dashboard) shows;
    services that write with update() or bulk_create() call it too."""
    fragments.forget(GIVING)


def campaign_fragments(campaign, *, wall_page) -> tuple[SafeString, SafeString]:
    """(the story column, the figures box) of the campaign's page, from the cache when nothing changed."""
    def build() -> tuple[str, str]:
        context = {
            "campaign": campaign,
            "progress": selectors.campaign_progress([campaign])[campaign.pk],
            "wall": selectors.donor_wall(campaign, page=wall_page),
            "images": list(campaign.images.all()),
            "updates": list(campaign.updates.order_by("-posted_at")),
        }
        return (render_to_string("donations/_campaign_story.html", context),
                render_to_string("donations/_campaign_figures.html", context))

    key = f"donations:campaign:{campaign.pk}:{wall_page}:{get_language()}"
    parts = fragments.get_or_build(key, [GIVING, PEOPLE], build, CAMPAIGN_PAGE_SECONDS)
    # Our own templates' output, escaped where they render data.
    return mark_safe(parts[0]), mark_safe(parts[1])  # noqa: S308
