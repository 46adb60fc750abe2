"""The weekly group digest: only for the "community" consent, one a person and ISO week, what it holds (posts of
the person's groups, open questions in their skills, coming sessions of their groups' programs), a fixed number of
queries at two sizes, two runs racing on PostgreSQL, and the member's preview page."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from alumni import privacy
from alumni.models import Consent
from community import services_help as services
from community.digest import DIGEST_KIND, digest_key, digest_preview_for, digest_send
from community.models import GroupProgram, Membership, Post
from community.tasks_help import send_community_digests
from core.models import Notification, NotificationPreference

from ..conftest import client_for, need
from ..factories import AlumniProfileFactory, ProgramFactory, SessionFactory, UserFactory
from ..programs.test_concurrency import run_together
from .matrix_help import category, help_group


def consent(user, granted=True):
    privacy.consent_record(user=user, purpose=Consent.Purpose.COMMUNITY, granted=granted,
                           wording_version=privacy.CONSENT_WORDING[Consent.Purpose.COMMUNITY][0])


def member(prodi, name):
    user = UserFactory(full_name=name)
    AlumniProfileFactory(user=user, study_program=prodi, full_name=name)
    return user


def digests(user=None):
    qs = Notification.objects.filter(kind=DIGEST_KIND)
    return qs.filter(recipient=user) if user else qs


@pytest.fixture
def world(prodi_x, alumnus_a, alumnus_b, student):
    """A SLiMS community: A (admin) posted, the student asked a cataloguing question, a workshop is coming; B is a
    member with the cataloguing skill; another group B is not in has its own post."""
    group = help_group(prodi_x, admins=[alumnus_a], members=[alumnus_b, student])
    other = help_group(prodi_x, name="Grup Lain", slug="grup-lain", admins=[student])
    Post.objects.create(group=group, author=alumnus_a, body="Kopdar SLiMS bulan depan di Kediri!")
    Post.objects.create(group=other, author=student, body="Pos grup lain")
    services.skills_add(user=alumnus_b, categories=["katalogisasi"])
    services.question_ask(user=student, group=group, category=category("katalogisasi"), title="Tajuk subjek LCSH?")
    services.question_ask(user=student, group=group, category=category("migrasi-data"), title="Migrasi dari Athenaeum")
    program = ProgramFactory(study_program=prodi_x, title="Workshop SLiMS Kediri")
    GroupProgram.objects.create(group=group, program=program)
    SessionFactory(program=program, start=timezone.now() + datetime.timedelta(days=5))
    SessionFactory(program=program, start=timezone.now() + datetime.timedelta(days=40))  # too far
    return group


@pytest.mark.django_db
def test_without_the_community_consent_nothing_is_sent(world, alumnus_b):
    assert digest_send(deliver=False).claimed == 0
    consent(alumnus_b, granted=False)
    assert digest_send(deliver=False).claimed == 0
    assert not digests().exists()


@pytest.mark.django_db
def test_one_digest_a_week_with_posts_questions_in_skills_and_sessions(world, alumnus_b):
    consent(alumnus_b)
    now = timezone.now()
    assert digest_send(now=now, deliver=False).claimed == 1
    assert digest_send(now=now + datetime.timedelta(hours=1), deliver=False).claimed == 0
    mail = digests(alumnus_b).get()
    assert mail.key == digest_key(alumnus_b.pk, timezone.localdate(now))
    body = mail.body
    assert "Kopdar SLiMS" in body and "Tajuk subjek LCSH?" in body and "Workshop SLiMS Kediri" in body
    assert "Migrasi dari Athenaeum" not in body  # not one of B's skills
    assert "Pos grup lain" not in body  # not B's group
    assert reverse("alumni:privacy") in body  # where to stop it
    assert digest_send(now=now + datetime.timedelta(days=7), deliver=False).claimed == 1  # next ISO week


@pytest.mark.django_db
def test_turned_off_left_or_nothing_new_sends_nothing(world, alumnus_b, alumnus_a, student):
    for person in (alumnus_a, alumnus_b, student):
        consent(person)
    NotificationPreference.objects.create(user=alumnus_b, kind=DIGEST_KIND, enabled=False)
    Membership.objects.filter(user=alumnus_a).update(status=Membership.Status.LEFT)
    run = digest_send(deliver=False)
    # The student: the post of A in the SLiMS group and the workshop (own questions and posts are not listed).
    assert run.claimed == 1 and digests(student).exists()
    assert "Pos grup lain" not in digests(student).get().body


@pytest.mark.django_db
def test_hidden_posts_and_questions_are_left_out(world, alumnus_b):
    consent(alumnus_b)
    Post.objects.update(visibility="hidden")
    world.help_requests.update(visibility="hidden")
    world.group_programs.all().delete()
    assert digest_send(deliver=False).claimed == 0


@pytest.mark.django_db
def test_queries_do_not_grow_with_members(prodi_x, django_assert_max_num_queries, alumnus_a):
    def build(n, slug):
        people = [member(prodi_x, f"Anggota {slug} {i}") for i in range(n)]
        for person in people:
            consent(person)
            services.skills_add(user=person, categories=["katalogisasi"])
        group = help_group(prodi_x, name=f"Grup {slug}", slug=slug, admins=[alumnus_a], members=people)
        Post.objects.create(group=group, author=alumnus_a, body=f"Halo {slug}")
        services.question_ask(user=alumnus_a, group=group, category=category("katalogisasi"), title=f"Soal {slug}")
        return n

    total = 0
    for n, slug in ((3, "kecil"), (25, "besar")):
        total += build(n, slug)
        Notification.objects.all().delete()
        with django_assert_max_num_queries(13):  # the same at both sizes
            run = digest_send(deliver=False)
        assert run.claimed == total


@pytest.mark.django_db
def test_the_preview_shows_what_the_next_digest_holds(world, alumnus_b, alumnus_a, django_assert_max_num_queries):
    content = digest_preview_for(alumnus_b)
    assert [p.body for p in content.posts] == ["Kopdar SLiMS bulan depan di Kediri!"]
    assert [q.title for q in content.questions] == ["Tajuk subjek LCSH?"]
    assert [s.program.title for s in content.sessions] == ["Workshop SLiMS Kediri"]
    client = client_for(alumnus_b)
    html = client.get(reverse("community:digest_preview")).content.decode()
    assert "Tajuk subjek LCSH?" in html and 'id="community-consent-needed"' in html
    consent(alumnus_b)
    html = client.get(reverse("community:digest_preview")).content.decode()
    assert 'id="community-consent-needed"' not in html
    empty = client_for(member(world.study_program, "Orang Baru")).get(reverse("community:digest_preview"))
    assert 'id="digest-empty"' in empty.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_runs_racing_claim_each_digest_once(prodi_x, alumnus_a):
    need(connection.vendor == "postgresql", "row locks need PostgreSQL (SQLite serialises every writer anyway)")
    people = [member(prodi_x, f"Anggota {i}") for i in range(8)]
    for person in people:
        consent(person)
    group = help_group(prodi_x, admins=[alumnus_a], members=people)
    Post.objects.create(group=group, author=alumnus_a, body="Selamat datang!")

    results = []
    errors = run_together([lambda: results.append(send_community_digests()) for _ in range(2)])

    assert errors == []
    assert digests().count() == 8
    assert sum(r["claimed"] for r in results) == 8
