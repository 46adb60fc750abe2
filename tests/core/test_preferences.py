"""/notifications/preferences/: every reminder kind with a checkbox; absent rows mean on."""

import re

import pytest

from core.models import NotificationPreference
from core.notifications import notification_preferences
from core.registry import OPTIONAL_KINDS

from ..conftest import client_for
from ..factories import UserFactory

URL = "/notifications/preferences/"
LABELS = ["Session tomorrow", "Program session due", "Program lapsed", "Proposal waiting for a decision"]


@pytest.fixture
def member(db):
    return UserFactory(email="prefs@example.org", full_name="Prima Prefs", language="en")


def checked(html: str) -> set[str]:
    """The kinds whose checkbox is ticked."""
    return set(re.findall(r'name="enabled" value="([\w.]+)"[^>]*\bchecked\b', html))


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in():
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


@pytest.mark.django_db
def test_page_lists_every_reminder_kind_switched_on_by_default(member):
    response = client_for(member).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for label in LABELS:
        assert label in html
    # Programs' four, tracer's and giving's reminders, careers' employer requests, job digest and closing posts;
    # community's questions in one's skills, unanswered questions of one's groups and the weekly group digest.
    assert html.count('type="checkbox" name="enabled"') == len(OPTIONAL_KINDS) == 12
    assert checked(html) == set(OPTIONAL_KINDS)
    assert NotificationPreference.objects.count() == 0


@pytest.mark.django_db
def test_toggling_persists(member):
    client = client_for(member)
    response = client.post(URL, {"enabled": ["session_tomorrow", "proposal_waiting", "not_a_kind"]})
    assert response.status_code == 302 and response["Location"] == URL
    assert dict(NotificationPreference.objects.filter(user=member).values_list("kind", "enabled")) == {
        "session_tomorrow": True, "program_due_soon": False, "program_lapsed": False, "proposal_waiting": True,
        "tracer_reminder": False, "pledge_due": False, "careers_employer_requested": False, "careers.digest": False,
        "careers.closing_soon": False, "community.help_skill": False, "community.help_escalated": False,
        "community.digest": False,
    }
    html = client.get(URL).content.decode()
    assert "Your notification settings were saved." in html
    assert checked(html) == {"session_tomorrow", "proposal_waiting"}

    # Switching one back on updates its row, no duplicates.
    client.post(URL, {"enabled": ["session_tomorrow", "proposal_waiting", "program_lapsed"]})
    assert NotificationPreference.objects.filter(user=member).count() == len(OPTIONAL_KINDS)
    assert notification_preferences(user=member) == {
        "session_tomorrow": True, "program_due_soon": False, "program_lapsed": True, "proposal_waiting": True,
        "tracer_reminder": False, "pledge_due": False, "careers_employer_requested": False, "careers.digest": False,
        "careers.closing_soon": False, "community.help_skill": False, "community.help_escalated": False,
        "community.digest": False,
    }
    # Nobody else's choices are touched.
    other = UserFactory(email="other@example.org")
    assert notification_preferences(user=other) == dict.fromkeys(OPTIONAL_KINDS, True)


@pytest.mark.django_db
def test_unticking_everything_turns_every_reminder_off(member):
    client_for(member).post(URL, {})
    assert set(NotificationPreference.objects.filter(user=member, enabled=False).values_list("kind", flat=True)) == (
        set(OPTIONAL_KINDS)
    )
