"""A sign-up invitation's outbox row is asked again right before it is sent: a record claimed by an account since
the invitation was claimed gets no invitation email (the row is closed unsent: failed, "cancelled: …")."""

from django.core import mail

from alumni.importing import invitations
from alumni.models import SignupInvitation
from core.models import Notification
from core.notifications import notifications_claim_many

from ..factories import AlumniProfileFactory, UserFactory


def claimed_invitation(prodi, email):
    profile = AlumniProfileFactory(user=None, study_program=prodi, email=email, full_name="Dewi Impor")
    invitation = SignupInvitation.objects.create(key=f"invitation:{profile.pk}", profile=profile, email=email)
    [row] = notifications_claim_many([invitations._outbox_item(invitation)], deliver=False)
    return profile, invitation, row


def test_a_record_claimed_before_the_send_gets_no_invitation(prodi_x):
    profile, invitation, row = claimed_invitation(prodi_x, "dewi@example.org")
    profile.user = UserFactory(email="dewi@example.org")
    profile.save(update_fields=["user"])
    assert invitations.invitation_deliver(invitation_id=invitation.pk) is False
    assert not mail.outbox
    row = Notification.objects.get(pk=row.pk)
    assert row.sent_at is None and row.failed_at is not None
    assert row.last_error == "cancelled: record already claimed by an account"
    assert SignupInvitation.objects.get(pk=invitation.pk).sent_at is None


def test_an_unclaimed_record_gets_its_invitation_once(prodi_x):
    _profile, invitation, row = claimed_invitation(prodi_x, "eko@example.org")
    assert invitations.invitation_deliver(invitation_id=invitation.pk) is True
    assert invitations.invitation_deliver(invitation_id=invitation.pk) is False
    assert [m.to for m in mail.outbox] == [["eko@example.org"]]
    assert Notification.objects.get(pk=row.pk).failed_at is None
    assert SignupInvitation.objects.get(pk=invitation.pk).sent_at is not None
