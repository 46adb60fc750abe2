"""What mentoring tells the layers below, at start-up (MentoringConfig.ready): each part registers its own audit
labels, notification kinds, personal data, dashboard cards and accreditation evidence in its hooks_<part>.py."""

from __future__ import annotations

from core import registry

from . import demo, hooks_mentorships, hooks_profiles, hooks_requests, hooks_rounds


def register_all() -> None:
    for module in (hooks_profiles, hooks_requests, hooks_mentorships, hooks_rounds):
        module.register()
    # Runs after the other apps' seeders (INSTALLED_APPS order): their people and programs exist by then.
    registry.register_demo_seeder("mentoring", demo.seed_demo)
