"""Production settings plus the benchmark's own URLconf (the one-query floor view). Not shipped: bench/ only."""

from alumni_portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "urls"
