"""The help tick: skill emails (at most one a person and day, for the "community" consent), escalation of
unanswered questions to the group's admins (exactly once), and two ticks racing on PostgreSQL."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from alumni import privacy
from alumni.models import Consent
from community import services_help as services
from community.models import ESCALATE_AFTER_DAYS, HelpRequest, Membership
from community.tasks_help import run_help_ticks
from community.ticks_help import ESCALATED_KIND, SKILL_KIND, help_tick, skill_key
from core.models import Notification

from ..conftest import need
from ..factories import AlumniProfileFactory, UserFactory
from ..programs.test_concurrency import run_together
from .matrix_help import category, help_group


def consent(user, granted=True):
    privacy.consent_record(user=user, purpose=Consent.Purpose.COMMUNITY, granted=granted,
                           wording_version=privacy.CONSENT_WORDING[Consent.Purpose.COMMUNITY][0])


def ask(user, group, *, code="instalasi-slims", title="SLiMS tidak mau login", at=None):
    question = services.question_ask(user=user, group=group, category=category(code), title=title)
    if at is not None:
        HelpRequest.objects.filter(pk=question.pk).update(created_at=at)
        question.refresh_from_db()
    return question


def tick(now):
    """A tick at `now`: its emails dated `now` too (the claim's created_at is the real clock)."""
    run = help_tick(now=now, deliver=False)
    Notification.objects.filter(created_at__gt=now).update(created_at=now)
    return run.skill_emails


def skill_mails(user=None):
    qs = Notification.objects.filter(kind=SKILL_KIND)
    return qs.filter(recipient=user) if user else qs


@pytest.fixture
def group(prodi_x, alumnus_a, alumnus_b, student):
    return help_group(prodi_x, admins=[alumnus_a], members=[alumnus_b, student])


@pytest.mark.django_db
class TestSkillMails:
    def test_one_mail_a_day_then_the_next_day_another(self, group, alumnus_b, student, alumnus_a):
        consent(alumnus_b)
        services.skills_add(user=alumnus_b, categories=["instalasi-slims"])
        services.skills_add(user=alumnus_a, categories=["katalogisasi"])  # other skill: nothing
        consent(alumnus_a)
        now = timezone.now() - datetime.timedelta(days=3)
        ask(student, group, title="Pertama", at=now - datetime.timedelta(hours=2))
        ask(student, group, title="Kedua", at=now - datetime.timedelta(hours=1))
        assert tick(now) == 1
        assert tick(now) == 0
        mail = skill_mails(alumnus_b).get()
        assert mail.key == skill_key(alumnus_b.pk, timezone.localdate(now))
        assert "Pertama" in mail.body and "Kedua" in mail.body and "2 new questions" in mail.subject
        assert not skill_mails(alumnus_a).exists()

        later = now + datetime.timedelta(minutes=30)
        ask(student, group, title="Ketiga", at=later - datetime.timedelta(minutes=5))
        assert tick(later) == 0  # same day: waits

        tomorrow = now + datetime.timedelta(days=1)
        assert tick(tomorrow) == 1
        second = skill_mails(alumnus_b).exclude(pk=mail.pk).get()
        assert "Ketiga" in second.body and "Pertama" not in second.body
        assert tick(tomorrow + datetime.timedelta(days=1)) == 0

    def test_not_the_asker_not_without_consent_not_after_leaving(self, group, alumnus_a, alumnus_b, student):
        for person in (alumnus_a, alumnus_b, student):
            services.skills_add(user=person, categories=["instalasi-slims"])
        consent(student)
        consent(alumnus_b, granted=False)
        consent(alumnus_a)
        Membership.objects.filter(group=group, user=alumnus_a).update(status=Membership.Status.LEFT)
        ask(student, group)
        assert help_tick(deliver=False).skill_emails == 0
        assert not skill_mails().exists()

    def test_the_task_reports_its_counts(self, group, alumnus_b, student):
        consent(alumnus_b)
        services.skills_add(user=alumnus_b, categories=["instalasi-slims"])
        ask(student, group)
        assert run_help_ticks() == {"skill_emails": 1, "escalated": 0}

    def test_queries_do_not_grow_with_members(self, prodi_x, django_assert_max_num_queries, student):
        def build(n, slug):
            members = []
            for i in range(n):
                user = UserFactory(full_name=f"Anggota {slug} {i}")
                AlumniProfileFactory(user=user, study_program=prodi_x)
                consent(user)
                services.skills_add(user=user, categories=["instalasi-slims"])
                members.append(user)
            group = help_group(prodi_x, name=f"Grup {slug}", slug=slug, members=[*members, student])
            ask(student, group, title=f"Soal {slug}")
            return n

        for n, slug in ((2, "kecil"), (12, "besar")):
            build(n, slug)
            Notification.objects.all().delete()
            with django_assert_max_num_queries(13):  # 9 statements and 4 savepoints
                run = help_tick(deliver=False)
            assert run.skill_emails == (2 if n == 2 else 14)


@pytest.mark.django_db
class TestEscalation:
    def test_unanswered_after_three_days_raised_once_to_each_admin(self, group, alumnus_a, alumnus_b, student,
                                                                    prodi_x):
        Membership.objects.filter(group=group, user=alumnus_b).update(role=Membership.Role.ADMIN)
        old = timezone.now() - datetime.timedelta(days=ESCALATE_AFTER_DAYS, hours=1)
        due = ask(student, group, title="Lama tak dijawab", at=old)
        answered = ask(student, group, title="Sudah dijawab", at=old)
        services.question_answer(user=alumnus_b, question=answered, body="Ini jawabannya")
        ask(student, group, title="Masih baru", at=timezone.now() - datetime.timedelta(days=1))
        closed = ask(student, group, title="Ditutup", at=old)
        services.question_close(user=student, question=closed)

        assert help_tick(deliver=False).escalated == 1
        assert help_tick(deliver=False).escalated == 0
        due.refresh_from_db()
        assert due.escalated_at is not None
        mails = Notification.objects.filter(kind=ESCALATED_KIND)
        assert sorted(mails.values_list("recipient_id", flat=True)) == sorted([alumnus_a.pk, alumnus_b.pk])
        assert all("Lama tak dijawab" in m.body for m in mails)
        assert HelpRequest.objects.filter(escalated_at__isnull=False).count() == 1


    def test_a_group_without_admins_raises_to_its_study_programs_staff(self, prodi_x, alumnus_b, student,
                                                                        staff_x, staff_y):
        group = help_group(prodi_x, name="Angkatan 2015", slug="angkatan-2015", members=[alumnus_b, student])
        ask(student, group, at=timezone.now() - datetime.timedelta(days=ESCALATE_AFTER_DAYS + 1))
        assert help_tick(deliver=False).escalated == 1
        mail = Notification.objects.get(kind=ESCALATED_KIND)
        assert mail.recipient == staff_x and "You look after this group" in mail.body


@pytest.mark.django_db(transaction=True)
def test_two_ticks_racing_claim_each_mail_once(prodi_x, alumnus_a, student):
    need(connection.vendor == "postgresql", "row locks need PostgreSQL (SQLite serialises every writer anyway)")
    people = []
    for i in range(6):
        user = UserFactory(full_name=f"Pembantu {i}")
        AlumniProfileFactory(user=user, study_program=prodi_x)
        consent(user)
        services.skills_add(user=user, categories=["instalasi-slims"])
        people.append(user)
    group = help_group(prodi_x, admins=[alumnus_a], members=[*people, student])
    old = timezone.now() - datetime.timedelta(days=ESCALATE_AFTER_DAYS + 1)
    for i in range(4):
        ask(student, group, title=f"Lama {i}", at=old + datetime.timedelta(minutes=i))
    ask(student, group, title="Baru")

    results = []
    errors = run_together([lambda: results.append(run_help_ticks()) for _ in range(2)])

    assert errors == []
    assert skill_mails().count() == 6
    assert sum(r["skill_emails"] for r in results) == 6
    assert Notification.objects.filter(kind=ESCALATED_KIND).count() == 4
    assert sum(r["escalated"] for r in results) == 4
