"""Adding a team member by email is an invitation (issue 11, §4): the inviter gets the same answer whether or not
an account has the address and never learns a name; the invited person accepts or declines, and joins only on
acceptance."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from core.models import AuditLog, Notification
from programs import services
from programs.models import Participation, TeamInvitation

from ..conftest import client_for
from ..factories import ProgramFactory, UserFactory


@pytest.fixture
def program(prodi_x, alumnus_a):
    """A members' program of prodi X led by alumnus A (a PIC who is no staff)."""
    return ProgramFactory(study_program=prodi_x, title="Mentoring Skripsi", audience="alumni", pic=alumnus_a)


def invite(client, program, email, role="mentor"):
    with translation.override("en"):
        return client.post(
            reverse("programs:team_add", args=[program.pk]), {"team-email": email, "team-role": role}, follow=True,
            HTTP_ACCEPT_LANGUAGE="en",
        )


def answer_text(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_the_inviter_gets_the_same_answer_whether_or_not_an_account_exists(
    program, alumnus_a, alumnus_b, django_capture_on_commit_callbacks
):
    client = client_for(alumnus_a)
    with django_capture_on_commit_callbacks(execute=True):
        known = invite(client, program, alumnus_b.email)
        unknown = invite(client, program, "belum.daftar@example.org")
    assert known.status_code == unknown.status_code == 200
    known_text, unknown_text = answer_text(known), answer_text(unknown)
    assert known_text.replace(alumnus_b.email, "X") == unknown_text.replace("belum.daftar@example.org", "X")
    # Nothing on the page names the account holder, and nobody joined the team yet.
    assert "Bagus Pratama" not in known.content.decode()
    assert not Participation.objects.exists()
    assert TeamInvitation.objects.filter(status=TeamInvitation.Status.PENDING).count() == 2


def test_an_account_holder_is_notified_once_and_joins_on_acceptance(
    program, staff_x, alumnus_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client_for(staff_x), program, alumnus_b.email.upper())
        invite(client_for(staff_x), program, alumnus_b.email)  # again: the open invitation is reused
    invitation = TeamInvitation.objects.get()
    assert invitation.user == alumnus_b
    assert Notification.objects.filter(recipient=alumnus_b, kind="team_invitation").count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [alumnus_b.email]

    dashboard = client_for(alumnus_b).get(reverse("dashboard"))
    assert invitation in dashboard.context["team_invitations"]

    response = client_for(alumnus_b).post(invitation.get_absolute_url(), {"decision": "accept"})
    assert response.status_code == 302
    member = Participation.objects.get()
    assert (member.user, member.role, member.session, member.status) == (alumnus_b, "mentor", None, "registered")
    invitation.refresh_from_db()
    assert invitation.status == TeamInvitation.Status.ACCEPTED
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"programs.team_invitation.sent", "programs.team_invitation.accepted"} <= actions


def test_declining_leaves_the_team_as_it_was(program, staff_x, alumnus_b):
    invitation = services.team_invite(program=program, by=staff_x, email=alumnus_b.email, role="committee")
    client_for(alumnus_b).post(invitation.get_absolute_url(), {"decision": "decline"})
    invitation.refresh_from_db()
    assert invitation.status == TeamInvitation.Status.DECLINED
    assert not Participation.objects.exists()
    # Once answered, it cannot be accepted after all.
    client_for(alumnus_b).post(invitation.get_absolute_url(), {"decision": "accept"})
    assert not Participation.objects.exists()


def test_only_the_invited_person_can_open_or_answer_the_invitation(
    program, staff_x, alumnus_a, alumnus_b, pending_person, staff_y, admin_user
):
    invitation = services.team_invite(program=program, by=staff_x, email=alumnus_b.email, role="mentor")
    url = invitation.get_absolute_url()
    assert client_for(alumnus_b).get(url).status_code == 200
    for other in (staff_x, alumnus_a, pending_person, staff_y, admin_user):
        assert client_for(other).get(url).status_code == 404
        assert client_for(other).post(url, {"decision": "accept"}).status_code == 404
    assert client_for(None).get(url).status_code == 302
    assert not Participation.objects.exists()


def test_an_address_without_an_account_gets_one_email_and_the_invitation_waits_for_its_sign_up(
    program, staff_x, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.team_invite(program=program, by=staff_x, email="Baru@Example.org", role="volunteer")
    assert invitation.user is None and invitation.email == "baru@example.org"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["baru@example.org"]
    assert reverse("account_signup") in mail.outbox[0].body
    # Sending again sends nothing: the claim is taken.
    assert services.team_invitation_email(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 1

    newcomer = UserFactory(email="baru@example.org", full_name="Orang Baru")
    client = client_for(newcomer)
    assert client.get(invitation.get_absolute_url()).status_code == 200
    client.post(invitation.get_absolute_url(), {"decision": "accept"})
    assert Participation.objects.get().user == newcomer
    invitation.refresh_from_db()
    assert invitation.user == newcomer


def test_an_expired_invitation_cannot_be_accepted(program, staff_x, alumnus_b):
    invitation = services.team_invite(program=program, by=staff_x, email=alumnus_b.email, role="mentor")
    TeamInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    client_for(alumnus_b).post(invitation.get_absolute_url(), {"decision": "accept"})
    assert not Participation.objects.exists()
    assert TeamInvitation.objects.get(pk=invitation.pk).status == TeamInvitation.Status.PENDING
    # Inviting again makes a new, open invitation.
    again = services.team_invite(program=program, by=staff_x, email=alumnus_b.email, role="mentor")
    assert again.pk != invitation.pk and again.is_open()


def test_staff_withdraw_an_open_invitation(program, staff_x, alumnus_a, alumnus_b):
    invitation = services.team_invite(program=program, by=staff_x, email=alumnus_b.email, role="mentor")
    detail = client_for(staff_x).get(program.get_absolute_url())
    assert invitation in detail.context["invitations"]
    url = reverse("programs:invitation_withdraw", args=[invitation.pk])
    assert client_for(alumnus_b).post(url).status_code == 403  # sees the program, does not run it
    ask = client_for(staff_x).get(url)  # asked first: what withdrawing does, nothing changed
    assert ask.status_code == 200 and alumnus_b.email in ask.content.decode()
    assert client_for(staff_x).post(url).status_code == 200
    invitation.refresh_from_db()
    assert invitation.status == TeamInvitation.Status.PENDING
    assert client_for(staff_x).post(url, {"confirm": "1"}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == TeamInvitation.Status.WITHDRAWN
    client_for(alumnus_b).post(invitation.get_absolute_url(), {"decision": "accept"})
    assert not Participation.objects.exists()


def test_only_those_who_run_the_program_may_invite(program, alumnus_b):
    with pytest.raises(PermissionDenied):
        services.team_invite(program=program, by=alumnus_b, email="x@example.org", role="mentor")
    assert not TeamInvitation.objects.exists()


def test_speakers_are_invited_by_email_without_revealing_accounts(program, alumnus_a, alumnus_b):
    """The session form took account emails and said which had none: now every address is invited alike."""
    from programs.models import Session

    program.status = "running"
    program.save()
    day = timezone.localdate() + datetime.timedelta(days=20)
    data = {"title": "", "start": f"{day:%Y-%m-%d}T09:00", "end": f"{day:%Y-%m-%d}T11:00", "place": "Aula",
            "online_url": "", "capacity": "", "registration_deadline": "", "agenda": "",
            "speakers": f"{alumnus_b.email}, tidak.ada@example.org"}
    response = client_for(alumnus_a).post(reverse("programs:session_create", args=[program.pk]), data, follow=True)
    session = Session.objects.get()
    assert response.redirect_chain[-1][0] == session.get_absolute_url()
    assert "Bagus Pratama" not in response.content.decode()
    invited = TeamInvitation.objects.filter(session=session, role="speaker")
    assert sorted(invited.values_list("email", flat=True)) == [alumnus_b.email, "tidak.ada@example.org"]
    assert not Participation.objects.exists()
    # On acceptance B speaks at that session.
    invitation = invited.get(email=alumnus_b.email)
    client_for(alumnus_b).post(invitation.get_absolute_url(), {"decision": "accept"})
    assert Participation.objects.get().session == session


def test_invitations_are_in_download_my_data_and_go_with_the_account(program, staff_x, alumnus_b):
    from alumni.privacy import account_delete, personal_data_collect

    services.team_invite(program=program, by=staff_x, email=alumnus_b.email, role="mentor")
    services.team_invite(program=program, by=staff_x, email="lain@example.org", role="mentor")
    exported = personal_data_collect(user=alumnus_b)["team_invitations"]
    assert [(row["program"], row["role"], row["email"]) for row in exported] == [
        ("Mentoring Skripsi", "mentor", alumnus_b.email)
    ]
    account_delete(user=alumnus_b, by=alumnus_b)
    assert list(TeamInvitation.objects.values_list("email", flat=True)) == ["lain@example.org"]


def test_a_person_waiting_for_verification_accepts_only_once_verified(program, staff_x, pending_person):
    from alumni.models import AlumniProfile
    from alumni.scope import forget_scope

    invitation = services.team_invite(program=program, by=staff_x, email=pending_person.email, role="committee")
    response = client_for(pending_person).post(invitation.get_absolute_url(), {"decision": "accept"})
    assert response.status_code in (200, 302)
    assert not Participation.objects.exists()
    invitation.refresh_from_db()
    assert invitation.status == TeamInvitation.Status.PENDING

    AlumniProfile.objects.filter(user=pending_person).update(verification=AlumniProfile.Verification.VERIFIED)
    forget_scope(pending_person)
    client_for(pending_person).post(invitation.get_absolute_url(), {"decision": "accept"})
    assert Participation.objects.get().user == pending_person
