"""What community tells the layers below, at start-up (CommunityConfig.ready): each part registers its own audit
labels, notification kinds and consent purposes, personal data, dashboard cards and signal receivers in its
hooks_<part>.py."""

from __future__ import annotations

from core import registry

from . import demo, hooks_digest, hooks_groups, hooks_help, hooks_posts


def register_all() -> None:
    for module in (hooks_groups, hooks_posts, hooks_help, hooks_digest):
        module.register()
    # Runs after the other apps' seeders (INSTALLED_APPS order): their people and programs exist by then.
    registry.register_demo_seeder("community", demo.seed_demo)
