"""A campaign's page, kept in the cache (core.fragments) until the giving data, a donor's name or a study program
changes.

One fragment per campaign, donor-wall page and language holds the campaign row itself (with its study program and
institution) and what everyone who may see it sees alike (the head with the title, the story, the images, the
updates, the donor wall, the figures). So the page runs no query of its own: who may see the campaign is decided in
Python by `Campaign.is_visible_to` (the twin of `Campaign.objects.visible_to`: drafts only for the people who run
it), and a campaign that does not exist or that the viewer may not see is a 404 as before.

Viewers who do not run the campaign see a page that differs only by language and by day (whether it takes gifts
today); its whole content is rendered once per day into a second fragment (`CampaignPage.body`). The people who
run it get the page rendered live, with their staff tools.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import NamedTuple

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from alumni.scope import PEOPLE, ROLES
from core import fragments

from . import selectors
from .models import Campaign

# The generation of campaigns, their images, needed items, updates, donations and disbursements.
GIVING = "donations:giving"
CAMPAIGN_PAGE_SECONDS = 60


def giving_changed(sender=None, **_kwargs) -> None:
    """post_save / post_delete receiver of the models a campaign's page (and a member's dashboard) shows;
    services that write with update() or bulk_create() call it too."""
    fragments.forget(GIVING)


def _build(pk, wall_page) -> tuple[Campaign, str, str, str]:
    campaign = Campaign.objects.select_related("study_program", "institution").get(pk=pk)
    context = {
        "campaign": campaign,
        "progress": selectors.campaign_progress([campaign])[campaign.pk],
        "wall": selectors.donor_wall(campaign, page=wall_page),
        "images": list(campaign.images.all()),
        "updates": list(campaign.updates.order_by("-posted_at")),
    }
    # The head (title, who runs it, dates) and the story are apart so that the page can put the progress and the
    # give buttons between them on a phone (donations/_campaign_body.html).
    return (campaign,
            render_to_string("donations/_campaign_head.html", context),
            render_to_string("donations/_campaign_story.html", context),
            render_to_string("donations/_campaign_figures.html", context))


class Story(NamedTuple):
    """What everyone reads about the campaign, in two parts: on a phone the progress and the give buttons come
    between them (donations/_campaign_body.html: `story.head`, `story.rest`)."""

    head: SafeString
    rest: SafeString


class CampaignPage:
    """What campaign `pk`'s page is built from, for this page of the donor wall and the current language: from the
    cache (one round trip), or loaded and stored for the next request. Raises Campaign.DoesNotExist. Says nothing
    about who may see it."""

    def __init__(self, pk, *, wall_page, today: datetime.date):
        language = get_language()
        # Keys named for the shape of what they hold: entries of the earlier shape (a story without a separate head,
        # a body with the give buttons below the story) never match.
        self._key = f"donations:campaign-parts:{pk}:{wall_page}:{language}"
        self._body_key = f"donations:campaign-page:{pk}:{wall_page}:{language}:{today.isoformat()}"
        found, self._generations = fragments.fetch_many([self._key, self._body_key], [GIVING, PEOPLE, ROLES])
        parts = found.get(self._key)
        if parts is None:
            parts = _build(pk, wall_page)
            fragments.store(self._key, self._generations, parts, CAMPAIGN_PAGE_SECONDS)
        self.campaign, head, story, figures = parts
        # Our own templates' output, escaped where they render data.
        self.story = Story(head=mark_safe(head), rest=mark_safe(story))  # noqa: S308
        self.figures = mark_safe(figures)  # noqa: S308
        self._body = found.get(self._body_key)

    def body(self, render: Callable[[], str]) -> SafeString:
        """The page's whole content as a viewer who does not run the campaign sees it today: stored, or `render()`
        stored now (under the generations the campaign was read with)."""
        if self._body is None:
            self._body = render()
            fragments.store(self._body_key, self._generations, self._body, CAMPAIGN_PAGE_SECONDS)
        return mark_safe(self._body)  # noqa: S308
