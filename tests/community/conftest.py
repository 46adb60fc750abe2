"""The community tests read the portal's English source texts: services and pages run in English here unless a test
asks for Indonesian (Indonesian pages are checked by tests/alumni_portal/test_untranslated.py and the browser
journey). A signed-in person's saved language wins in a request, so the personas made here prefer English."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(_default_language):
    translation.activate("en")
    yield


def _prefers_english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


@pytest.fixture
def alumnus_a(alumnus_a):
    return _prefers_english(alumnus_a)


@pytest.fixture
def alumnus_b(alumnus_b):
    return _prefers_english(alumnus_b)


@pytest.fixture
def staff_x(staff_x):
    return _prefers_english(staff_x)


@pytest.fixture
def staff_y(staff_y):
    return _prefers_english(staff_y)


@pytest.fixture
def admin_user(admin_user):
    return _prefers_english(admin_user)


@pytest.fixture
def student(student):
    return _prefers_english(student)


@pytest.fixture(autouse=True)
def _default_help_categories(request, django_db_blocker):
    """The help categories the migration installs: a transactional test before this one (a race test, a browser
    test) flushed them, so they are put back for every test that uses the database."""
    if request.node.get_closest_marker("django_db") is None and "db" not in request.fixturenames:
        return
    from community.services_help import default_categories_ensure

    with django_db_blocker.unblock():
        default_categories_ensure()
