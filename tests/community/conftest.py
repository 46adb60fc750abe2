"""The community tests read the portal's English source texts: the personas and the language come from
tests/english.py."""

import pytest

from ..english import *  # noqa: F403 (the fixtures: _english, the personas preferring English)


@pytest.fixture(autouse=True)
def _default_help_categories(request, django_db_blocker):
    """The help categories the migration installs: a transactional test before this one (a race test, a browser
    test) flushed them, so they are put back for every test that uses the database."""
    if request.node.get_closest_marker("django_db") is None and "db" not in request.fixturenames:
        return
    from community.services_help import default_categories_ensure

    with django_db_blocker.unblock():
        default_categories_ensure()
