"""What the apps above `alumni` add to its pages, registered in their AppConfig.ready(); alumni never imports them.

- Dashboard cards (alumni/views_home.py): `card(user, scope, profile) -> dict`, merged into the dashboard's
  context (programs: team invitations, sessions and program health; donations: instalments due and donations
  waiting), with the generations of the data they show (a member's dashboard is cached until one moves).
- Profile sections (alumni/views.py, profile_detail): `section(profile, viewer) -> dict`, merged into the profile
  page's context, and the template that shows it, included in the page's side column (programs: the person's
  part in programs, as much of it as the viewer may see).

Each runs a fixed number of queries, whatever the data size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

DashboardCard = Callable[[Any, Any, Any], dict[str, Any]]
ProfileSection = Callable[[Any, Any], dict[str, Any]]

DASHBOARD_CARDS: list[DashboardCard] = []
# Generations (core.fragments) of the data the cards show: a member's dashboard is kept in the cache until one of
# them, or one of this app's own, moves (alumni.dashboard_cache).
DASHBOARD_GENERATIONS: list[str] = []
# [(section, template name)]
PROFILE_SECTIONS: list[tuple[ProfileSection, str]] = []


def register_dashboard_card(card: DashboardCard, *, generations: Iterable[str] = ()) -> None:
    """`generations`: the core.fragments generations moved by every change to what the card shows."""
    if card not in DASHBOARD_CARDS:
        DASHBOARD_CARDS.append(card)
    for name in generations:
        if name not in DASHBOARD_GENERATIONS:
            DASHBOARD_GENERATIONS.append(name)


def register_profile_section(section: ProfileSection, template: str) -> None:
    if (section, template) not in PROFILE_SECTIONS:
        PROFILE_SECTIONS.append((section, template))
