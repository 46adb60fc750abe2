"""The sign-up email of a team invitation to an address without an account is claimed with the invitation, and
asked again right before it is sent (core.registry.register_send_check): withdrawn, answered or expired since the
claim, the outbox row is closed unsent (failed, "cancelled: …"), and nothing is emailed."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from core.models import Notification
from core.tasks import deliver_pending_notifications
from programs import services
from programs.models import TeamInvitation

from ..conftest import client_for
from ..factories import ProgramFactory, UserFactory


@pytest.fixture
def program(prodi_x, alumnus_a):
    return ProgramFactory(study_program=prodi_x, title="Mentoring Skripsi", audience="alumni", pic=alumnus_a)


def invite_without_sending(capture, program, by, email):
    """The invitation and its outbox row are committed; the worker has not sent it yet."""
    with capture(execute=False):
        invitation = services.team_invite(program=program, by=by, email=email, role="volunteer")
    row = Notification.objects.get(key=f"team.signup:{invitation.pk}")
    assert row.sent_at is None and row.failed_at is None
    return invitation, row


def deliver(row):
    return services.team_invitation_email(invitation_id=row.key.removeprefix("team.signup:"))


def test_a_withdrawn_invitation_is_not_emailed(django_capture_on_commit_callbacks, program, staff_x):
    invitation, row = invite_without_sending(django_capture_on_commit_callbacks, program, staff_x, "a@example.org")
    services.team_invitation_withdraw(invitation=invitation, by=staff_x)
    assert deliver(row) is False
    assert not mail.outbox
    row.refresh_from_db()
    assert row.sent_at is None and row.failed_at is not None
    assert row.last_error == "cancelled: invitation withdrawn"
    assert TeamInvitation.objects.get(pk=invitation.pk).email_sent_at is None
    # The sweep does not pick it up again.
    assert deliver_pending_notifications(budget=10) == 0
    assert not mail.outbox


def test_an_invitation_accepted_before_the_worker_sent_it_is_not_emailed(
    django_capture_on_commit_callbacks, program, staff_x
):
    invitation, row = invite_without_sending(django_capture_on_commit_callbacks, program, staff_x, "b@example.org")
    newcomer = UserFactory(email="b@example.org", full_name="Orang Baru")
    client_for(newcomer).post(invitation.get_absolute_url(), {"decision": "accept"})
    assert TeamInvitation.objects.get(pk=invitation.pk).status == TeamInvitation.Status.ACCEPTED
    assert deliver(row) is False
    row.refresh_from_db()
    assert (row.sent_at, row.last_error) == (None, "cancelled: invitation accepted")
    assert not mail.outbox


def test_an_expired_invitation_is_not_emailed(django_capture_on_commit_callbacks, program, staff_x):
    invitation, row = invite_without_sending(django_capture_on_commit_callbacks, program, staff_x, "c@example.org")
    TeamInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert deliver(row) is False
    row.refresh_from_db()
    assert row.last_error == "cancelled: invitation expired" and not mail.outbox


def test_a_pending_invitation_is_emailed_once(django_capture_on_commit_callbacks, program, staff_x):
    invitation, row = invite_without_sending(django_capture_on_commit_callbacks, program, staff_x, "d@example.org")
    assert deliver(row) is True
    assert deliver(row) is False
    assert [m.to for m in mail.outbox] == [["d@example.org"]]
    row.refresh_from_db()
    assert row.sent_at is not None and row.failed_at is None and row.last_error == ""
    assert TeamInvitation.objects.get(pk=invitation.pk).email_sent_at is not None
