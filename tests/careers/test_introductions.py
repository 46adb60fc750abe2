"""Introductions: who may ask whom, the limits, accepting (both get the other's contact by email, nothing shown on
a page), declining, withdrawing, the settings page and the dashboard card."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alumni.models import AlumniProfile
from alumni.scope import scope_for
from careers import services_introductions as services
from careers.hooks_introductions import introduction_cards
from careers.models import NOTE_MAX, CareerSettings, Introduction, JobPost, JobPostTarget
from careers.organisations import organisation_resolve
from careers.services_introductions import IntroductionRefused
from core.models import Notification
from tests.conftest import client_for

from ..factories import AlumniProfileFactory, UserFactory
from .matrix_introductions import introduction, works_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    return organisation_resolve(name="Perpustakaan Nasional RI")


@pytest.fixture
def bagus_there(alumnus_b, library):
    works_at(alumnus_b, library)
    return alumnus_b


def member(prodi, name, email=None):
    user = UserFactory(full_name=name, **({"email": email} if email else {}))
    AlumniProfileFactory(user=user, study_program=prodi, full_name=name)
    return user


def ask(requester, recipient, organisation, note="Saya ingin bertanya tentang pekerjaan di sana.", **kw):
    return services.introduction_ask(requester=requester, organisation=organisation,
                                     profile_id=recipient.alumni_profile.pk, note=note, **kw)


# --- asking ------------------------------------------------------------------------------------------------------


def test_a_member_asks_an_alumnus_who_works_there_and_the_alumnus_is_emailed_once(
    alumnus_a, bagus_there, library, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        intro = ask(alumnus_a, bagus_there, library)

    assert intro.status == Introduction.Status.REQUESTED
    assert intro.recipient == bagus_there
    assert intro.expires_at - intro.created_at == datetime.timedelta(days=14)
    rows = Notification.objects.filter(key=f"careers:introduction:{intro.pk}:asked")
    assert rows.count() == 1 and rows[0].recipient == bagus_there
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Ani Lestari" in body and "Saya ingin bertanya" in body
    # No contact of the requester in the request.
    assert "ani@example.org" not in body


def test_asking_oneself_is_refused(alumnus_b, bagus_there, library):
    with pytest.raises(IntroductionRefused, match="yourself"):
        ask(bagus_there, bagus_there, library)
    assert Introduction.objects.count() == 0


def test_asking_someone_who_turned_introductions_off_is_refused(alumnus_a, bagus_there, library):
    CareerSettings.objects.create(user=bagus_there, introductions_open=False)
    with pytest.raises(IntroductionRefused, match="does not take"):
        ask(alumnus_a, bagus_there, library)
    assert Introduction.objects.count() == 0


def test_asking_someone_who_does_not_work_there_is_refused(alumnus_a, alumnus_b, library):
    with pytest.raises(IntroductionRefused, match="not among"):
        ask(alumnus_a, alumnus_b, library)


def test_someone_who_hides_their_career_cannot_be_asked(alumnus_a, alumnus_b, library):
    works_at(alumnus_b, library, share=False)
    with pytest.raises(IntroductionRefused, match="not among"):
        ask(alumnus_a, alumnus_b, library)


def test_a_pending_person_cannot_ask(pending_person, bagus_there, library):
    with pytest.raises(IntroductionRefused, match="verified members"):
        ask(pending_person, bagus_there, library)


def test_the_sixth_open_request_to_one_person_is_refused(prodi_x, bagus_there, library):
    askers = [member(prodi_x, f"Penanya {i}") for i in range(6)]
    for person in askers[:5]:
        ask(person, bagus_there, library)
    with pytest.raises(IntroductionRefused, match="too many open requests"):
        ask(askers[5], bagus_there, library)
    assert Introduction.objects.open().filter(recipient=bagus_there).count() == 5


def test_a_lower_limit_chosen_by_the_person_applies(prodi_x, bagus_there, library):
    CareerSettings.objects.create(user=bagus_there, max_open_introductions=1)
    ask(member(prodi_x, "Satu"), bagus_there, library)
    with pytest.raises(IntroductionRefused, match="too many"):
        ask(member(prodi_x, "Dua"), bagus_there, library)


def test_answered_and_expired_requests_do_not_count_against_the_limit(prodi_x, bagus_there, library):
    CareerSettings.objects.create(user=bagus_there, max_open_introductions=1)
    old = timezone.now() - datetime.timedelta(days=20)
    introduction(member(prodi_x, "Lama"), bagus_there, library, created=old)  # past expiry, not yet ticked
    introduction(member(prodi_x, "Ditolak"), bagus_there, library, status=Introduction.Status.DECLINED)
    assert ask(member(prodi_x, "Baru"), bagus_there, library).status == Introduction.Status.REQUESTED


def test_a_second_open_request_from_the_same_person_is_refused(alumnus_a, bagus_there, library):
    ask(alumnus_a, bagus_there, library)
    with pytest.raises(IntroductionRefused, match="already have an open request"):
        ask(alumnus_a, bagus_there, library)
    assert Introduction.objects.count() == 1


def test_the_note_is_required_and_at_most_note_max_characters(alumnus_a, bagus_there, library):
    with pytest.raises(IntroductionRefused, match="short note"):
        ask(alumnus_a, bagus_there, library, note="   ")
    with pytest.raises(IntroductionRefused, match="too long"):
        ask(alumnus_a, bagus_there, library, note="x" * (NOTE_MAX + 1))
    assert Introduction.objects.count() == 0


def _post(library, poster, prodi, state=JobPostTarget.State.APPROVED):
    post = JobPost.objects.create(
        title="Pustakawan Digital", organisation=library, kind=JobPost.Kind.FULL_TIME, field="library",
        closing_date=timezone.localdate() + datetime.timedelta(days=30), posted_by=poster,
        poster_kind=JobPost.PosterKind.STAFF,
    )
    JobPostTarget.objects.create(post=post, study_program=prodi, state=state)
    return post


def test_a_visible_post_is_linked_and_an_invisible_one_refused(alumnus_a, bagus_there, library, staff_x, prodi_x,
                                                                prodi_y, staff_y):
    visible = _post(library, staff_x, prodi_x)
    intro = ask(alumnus_a, bagus_there, library, post=visible)
    assert intro.post == visible
    hidden = _post(library, staff_y, prodi_y)
    intro.status = Introduction.Status.WITHDRAWN
    intro.save()
    with pytest.raises(IntroductionRefused, match="not available"):
        ask(alumnus_a, bagus_there, library, post=hidden)


# --- answering ---------------------------------------------------------------------------------------------------


def test_on_acceptance_both_get_the_others_email_and_only_shared_phones(
    alumnus_a, bagus_there, library, django_capture_on_commit_callbacks
):
    AlumniProfile.objects.filter(user=bagus_there).update(phone="0812-3456-7890")
    AlumniProfile.objects.filter(user=alumnus_a).update(phone="0813-1111-2222")
    CareerSettings.objects.create(user=bagus_there, share_phone=True)  # Ani does not share hers
    intro = ask(alumnus_a, bagus_there, library)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.introduction_accept(introduction=intro, by=bagus_there)

    intro.refresh_from_db()
    assert intro.status == Introduction.Status.ACCEPTED and intro.answered_at is not None
    by_to = {m.to[0]: m.body for m in mail.outbox}
    assert set(by_to) == {"ani@example.org", "bagus@example.org"}
    assert "bagus@example.org" in by_to["ani@example.org"]
    assert "0812-3456-7890" in by_to["ani@example.org"] and "wa.me/6281234567890" in by_to["ani@example.org"]
    assert "ani@example.org" in by_to["bagus@example.org"]
    assert "0813" not in by_to["bagus@example.org"]
    assert Notification.objects.filter(key__startswith=f"careers:introduction:{intro.pk}:accepted").count() == 2


def test_a_shared_phone_is_left_out_when_the_profile_has_none(alumnus_a, bagus_there, library):
    CareerSettings.objects.create(user=bagus_there, share_phone=True)
    intro = ask(alumnus_a, bagus_there, library)
    services.introduction_accept(introduction=intro, by=bagus_there)
    to_ani = Notification.objects.get(key=f"careers:introduction:{intro.pk}:accepted:{alumnus_a.pk}")
    assert "bagus@example.org" in to_ani.body and "Phone" not in to_ani.body and "Telepon" not in to_ani.body


def test_only_the_recipient_answers_and_only_once(alumnus_a, bagus_there, library):
    intro = ask(alumnus_a, bagus_there, library)
    with pytest.raises(IntroductionRefused, match="Only the person asked"):
        services.introduction_accept(introduction=intro, by=alumnus_a)
    services.introduction_decline(introduction=intro, by=bagus_there)
    with pytest.raises(IntroductionRefused, match="no longer open"):
        services.introduction_accept(introduction=intro, by=bagus_there)
    assert Notification.objects.filter(kind=services.KIND_ACCEPTED).count() == 0


def test_an_expired_request_cannot_be_accepted(alumnus_a, bagus_there, library):
    intro = introduction(alumnus_a, bagus_there, library, created=timezone.now() - datetime.timedelta(days=15))
    with pytest.raises(IntroductionRefused, match="no longer open"):
        services.introduction_accept(introduction=intro, by=bagus_there)


def test_the_requester_withdraws_an_open_request_but_not_an_answered_one(alumnus_a, bagus_there, library):
    intro = ask(alumnus_a, bagus_there, library)
    with pytest.raises(IntroductionRefused):
        services.introduction_withdraw(introduction=intro, by=bagus_there)
    services.introduction_withdraw(introduction=intro, by=alumnus_a)
    intro.refresh_from_db()
    assert intro.status == Introduction.Status.WITHDRAWN
    with pytest.raises(IntroductionRefused, match="no longer open"):
        services.introduction_withdraw(introduction=intro, by=alumnus_a)


# --- pages -------------------------------------------------------------------------------------------------------


def ask_url(library, person, query=""):
    return reverse("careers:introduction_ask", args=[library.pk, person.alumni_profile.pk]) + query


def test_the_ask_page_sends_a_request_and_leads_to_it(alumnus_a, bagus_there, library):
    client = client_for(alumnus_a)
    page = client.get(ask_url(library, bagus_there))
    assert page.status_code == 200 and "Bagus Pratama" in page.content.decode()
    response = client.post(ask_url(library, bagus_there), {"note": "Halo Mas Bagus, boleh bertanya?"})
    intro = Introduction.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("careers:introduction_detail",
                                                                           args=[intro.pk])


def test_the_ask_page_shows_why_not_and_writes_nothing(alumnus_a, bagus_there, library):
    CareerSettings.objects.create(user=bagus_there, introductions_open=False)
    client = client_for(alumnus_a)
    page = client.post(ask_url(library, bagus_there), {"note": "Halo"})
    assert page.status_code == 200
    assert 'id="introduction-refusal"' in page.content.decode()
    assert Introduction.objects.count() == 0


def test_an_empty_note_re_renders_the_form_with_its_error(alumnus_a, bagus_there, library):
    page = client_for(alumnus_a).post(ask_url(library, bagus_there), {"note": ""})
    assert page.status_code == 200 and "is-invalid" in page.content.decode()
    assert Introduction.objects.count() == 0


def test_the_ask_page_links_a_visible_post_and_404s_for_an_invisible_one(alumnus_a, bagus_there, library, staff_x,
                                                                          prodi_x, prodi_y, staff_y):
    visible = _post(library, staff_x, prodi_x)
    hidden = _post(library, staff_y, prodi_y)
    client = client_for(alumnus_a)
    assert client.get(ask_url(library, bagus_there, f"?post={hidden.pk}")).status_code == 404
    assert client.get(ask_url(library, bagus_there, "?post=nonsense")).status_code == 404
    client.post(ask_url(library, bagus_there, f"?post={visible.pk}"), {"note": "Soal lowongan ini", "post": visible.pk})
    assert Introduction.objects.get().post == visible


def test_nobodys_contact_shows_on_any_page_before_or_after_acceptance(alumnus_a, bagus_there, library):
    AlumniProfile.objects.filter(user=bagus_there).update(phone="0812-3456-7890")
    CareerSettings.objects.create(user=bagus_there, share_phone=True)
    intro = ask(alumnus_a, bagus_there, library)
    pages = [reverse("careers:introductions"), reverse("careers:introduction_detail", args=[intro.pk]),
             reverse("dashboard")]
    for stage in ("before", "after"):
        for user in (alumnus_a, bagus_there):
            for url in pages:
                html = client_for(user).get(url).content.decode()
                for secret in ("ani@example.org", "bagus@example.org", "0812-3456-7890"):
                    assert secret not in html, (stage, user, url, secret)
        if stage == "before":
            services.introduction_accept(introduction=intro, by=bagus_there)


def test_accept_and_decline_are_post_buttons_for_the_recipient_only(alumnus_a, bagus_there, library):
    intro = ask(alumnus_a, bagus_there, library)
    detail = reverse("careers:introduction_detail", args=[intro.pk])
    answer = reverse("careers:introduction_answer", args=[intro.pk])
    assert answer in client_for(bagus_there).get(detail).content.decode()
    assert answer not in client_for(alumnus_a).get(detail).content.decode()
    assert client_for(bagus_there).get(answer).status_code == 405
    client_for(bagus_there).post(answer, {"decision": "accept"})
    intro.refresh_from_db()
    assert intro.status == Introduction.Status.ACCEPTED


def test_the_list_shows_received_and_asked_requests(alumnus_a, bagus_there, library):
    ask(alumnus_a, bagus_there, library)
    to_b = client_for(bagus_there).get(reverse("careers:introductions")).content.decode()
    from_a = client_for(alumnus_a).get(reverse("careers:introductions")).content.decode()
    assert "Ani Lestari" in to_b
    assert reverse("careers:introduction_detail", args=[Introduction.objects.get().pk]) in to_b
    assert "Bagus Pratama" in from_a


def test_the_recipients_dashboard_shows_the_request_and_moves_when_answered(alumnus_a, bagus_there, library):
    client = client_for(bagus_there)
    assert 'id="introductions-card"' not in client.get(reverse("dashboard")).content.decode()
    intro = ask(alumnus_a, bagus_there, library)
    html = client.get(reverse("dashboard")).content.decode()
    assert 'id="introductions-card"' in html and reverse("careers:introduction_detail", args=[intro.pk]) in html
    services.introduction_decline(introduction=intro, by=bagus_there)
    assert 'id="introductions-card"' not in client.get(reverse("dashboard")).content.decode()


def test_settings_page_saves_the_three_choices_and_refuses_out_of_range(alumnus_a):
    client = client_for(alumnus_a)
    url = reverse("careers:career_settings")
    bad = client.post(url, {"introductions_open": "on", "max_open_introductions": "11"})
    assert bad.status_code == 200 and not CareerSettings.objects.filter(user=alumnus_a).exists()
    client.post(url, {"max_open_introductions": "3", "share_phone": "on"})
    saved = CareerSettings.objects.get(user=alumnus_a)
    assert (saved.introductions_open, saved.max_open_introductions, saved.share_phone) == (False, 3, True)


def test_the_introductions_list_runs_a_fixed_number_of_queries(prodi_x, bagus_there, library,
                                                                django_assert_max_num_queries):
    client = client_for(bagus_there)
    url = reverse("careers:introductions")
    counts = []
    for size in (2, 12):
        while Introduction.objects.filter(recipient=bagus_there).count() < size:
            introduction(member(prodi_x, f"Penanya {Introduction.objects.count()}"), bagus_there, library,
                         status=Introduction.Status.DECLINED)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[1]):
        client.get(url)


def test_the_dashboard_card_runs_two_queries_whatever_the_number_of_requests(prodi_x, bagus_there, library):
    profile = bagus_there.alumni_profile
    counts = []
    for size in (1, 8):
        while Introduction.objects.filter(recipient=bagus_there).count() < size:
            introduction(member(prodi_x, f"Penanya {Introduction.objects.count()}"), bagus_there, library)
        scope = scope_for(bagus_there)
        with CaptureQueriesContext(connection) as ctx:
            card = introduction_cards(bagus_there, scope, profile)
        counts.append(len(ctx.captured_queries))
        assert len(card["introductions_waiting"]) == min(size, 5)
    assert counts == [2, 2]


def test_people_without_a_profile_get_an_empty_card_without_queries(staff_x):
    scope = scope_for(staff_x)
    with CaptureQueriesContext(connection) as ctx:
        card = introduction_cards(staff_x, scope, None)
    assert card == {"introductions_waiting": [], "outcomes_waiting": []}
    assert len(ctx.captured_queries) == 0


def test_html_in_a_note_is_shown_as_text(alumnus_a, bagus_there, library):
    intro = ask(alumnus_a, bagus_there, library, note='<script>alert("x")</script> Halo')
    html = client_for(bagus_there).get(reverse("careers:introduction_detail", args=[intro.pk])).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_people_who_are_not_members_cannot_post_a_request(pending_person, staff_x, employer_contact, bagus_there,
                                                          library):
    for user in (pending_person, staff_x, employer_contact):
        response = client_for(user).post(ask_url(library, bagus_there), {"note": "Halo"})
        assert response.status_code == 403
    assert Introduction.objects.count() == 0
