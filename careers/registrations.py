"""What careers tells the layers below, at start-up (CareersConfig.ready): each part of the app registers its own
audit labels, notification kinds, consent purposes, personal data, dashboard cards and signal receivers."""

from __future__ import annotations

from core import registry

from . import demo, hooks_alerts, hooks_introductions, hooks_organisations, hooks_posts


def register_all() -> None:
    for module in (hooks_organisations, hooks_posts, hooks_alerts, hooks_introductions):
        module.register()
    # Runs after the other apps' seeders (INSTALLED_APPS order): their people and careers exist by then.
    registry.register_demo_seeder("careers", demo.seed_demo)
