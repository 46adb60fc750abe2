"""English personas for the apps whose tests read the portal's English source texts (careers, mentoring,
community): their conftest imports these fixtures. Services and pages run in English there unless a test asks for
Indonesian (Indonesian pages are checked by tests/alumni_portal/test_untranslated.py and the browser journeys). A
signed-in person's saved language wins in a request, so the personas made here prefer English."""

import pytest
from django.utils import translation

# A star import skips names with an underscore: the autouse fixture is named here.
__all__ = ["_english", "admin_user", "alumnus_a", "alumnus_b", "staff_x", "staff_y", "student"]


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
