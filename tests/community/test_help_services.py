"""Help requests: categories, skills, asking, answering, marking solved, closing and reopening, with the bad input
of the issue (each refused with a clear message, nothing written)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from community import services_help as services
from community.models import (
    NEW_MEMBER_POSTS_PER_DAY,
    CommunitySettings,
    HelpAnswer,
    HelpCategory,
    HelpRequest,
    Membership,
    MemberSkill,
)
from community.selectors_help import helped_count, helped_counts
from core.models import AuditLog

from .matrix_help import category, help_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(prodi_x, alumnus_a, alumnus_b, student):
    return help_group(prodi_x, admins=[alumnus_a], members=[alumnus_b, student])


def ask(user, group, title="Migrasi data dari SLiMS 8 ke 9?", **kw):
    return services.question_ask(user=user, group=group, category=kw.pop("category", category("migrasi-data")),
                                 title=title, body=kw.pop("body", ""))


def test_the_slims_categories_are_seeded():
    codes = set(HelpCategory.objects.values_list("code", flat=True))
    assert {"instalasi-slims", "migrasi-data", "katalogisasi", "otomasi-perpustakaan", "repositori-ojs"} <= codes


def test_staff_add_and_withdraw_a_category_members_cannot(staff_x, alumnus_a):
    made = services.help_category_save(by=staff_x, name="Inventarisasi  koleksi")
    assert (made.code, made.name, made.active) == ("inventarisasi-koleksi", "Inventarisasi koleksi", True)
    services.help_category_save(by=staff_x, category=made, name=made.name, active=False)
    assert not HelpCategory.objects.get(pk=made.pk).active
    with pytest.raises(ValidationError):
        services.help_category_save(by=staff_x, name="Inventarisasi koleksi")  # same code
    with pytest.raises(PermissionDenied):
        services.help_category_save(by=alumnus_a, name="Sirkulasi")
    assert not HelpCategory.objects.filter(name="Sirkulasi").exists()


def test_skills_replace_the_list_and_the_helped_count_is_off_by_default(alumnus_a, staff_x):
    assert services.settings_for(alumnus_a) is None
    ids = [category("katalogisasi").pk, category("migrasi-data").pk]
    services.skills_save(user=alumnus_a, category_ids=ids, show_helped_count=False)
    services.skills_save(user=alumnus_a, category_ids=ids[:1], show_helped_count=True)
    assert list(MemberSkill.objects.filter(user=alumnus_a).values_list("category_id", flat=True)) == ids[:1]
    assert CommunitySettings.objects.get(user=alumnus_a).show_helped_count is True
    assert CommunitySettings._meta.get_field("show_helped_count").default is False
    with pytest.raises(PermissionDenied):
        services.skills_save(user=staff_x, category_ids=ids, show_helped_count=True)
    services.skills_add(user=staff_x, categories=["repositori-ojs"])  # the seeder's door: no check
    assert MemberSkill.objects.filter(user=staff_x).count() == 1


def test_ask_answer_mark_solved(group, alumnus_a, alumnus_b, student):
    question = ask(student, group)
    answer = services.question_answer(user=alumnus_a, question=question, body="Pakai fitur impor MARC.")
    services.question_answer(user=student, question=question, body="Sudah saya coba, gagal.")
    services.question_mark_solved(user=student, question=question, answer=answer)
    question.refresh_from_db()
    assert question.status == HelpRequest.Status.SOLVED and question.solved_at and question.solved_by_answer == answer
    assert helped_count(alumnus_a) == 1
    assert helped_counts([alumnus_a.pk]) == {}  # not shown until A allows it
    services.skills_save(user=alumnus_a, category_ids=[], show_helped_count=True)
    assert helped_counts([alumnus_a.pk, alumnus_b.pk]) == {alumnus_a.pk: 1}
    actions = set(AuditLog.objects.filter(action__startswith="community.help.").values_list("action", flat=True))
    assert {"community.help.asked", "community.help.answered", "community.help.solved"} <= actions


@pytest.mark.parametrize("title, field", [("", "title"), ("   ", "title"), ("x" * 151, "title")])
def test_an_empty_or_too_long_title_is_refused(group, student, title, field):
    with pytest.raises(ValidationError) as exc:
        ask(student, group, title=title)
    assert field in exc.value.message_dict
    assert not HelpRequest.objects.exists()


def test_a_withdrawn_category_takes_no_question(group, student, staff_x):
    cat = category("katalogisasi")
    services.help_category_save(by=staff_x, category=cat, name=cat.name, active=False)
    cat.refresh_from_db()
    with pytest.raises(ValidationError):
        ask(student, group, category=cat)
    assert not HelpRequest.objects.exists()


def test_a_question_in_a_group_one_is_not_in_or_has_left(group, prodi_x, alumnus_b, pending_person, staff_x):
    other = help_group(prodi_x, name="Grup Lain", slug="grup-lain")
    for person in (alumnus_b, pending_person, staff_x):
        with pytest.raises(PermissionDenied):
            ask(person, other)
    Membership.objects.filter(group=group, user=alumnus_b).update(status=Membership.Status.LEFT)
    with pytest.raises(PermissionDenied, match="Only the group's members"):
        ask(alumnus_b, group)
    assert not HelpRequest.objects.exists()


def test_answers_to_a_closed_or_solved_question_are_refused(group, alumnus_a, alumnus_b, student):
    question = ask(student, group)
    services.question_close(user=student, question=question)
    with pytest.raises(ValidationError, match="no longer open"):
        services.question_answer(user=alumnus_a, question=question, body="Telat?")
    services.question_reopen(user=student, question=question)
    answer = services.question_answer(user=alumnus_a, question=question, body="Coba ini.")
    services.question_mark_solved(user=student, question=question, answer=answer)
    with pytest.raises(ValidationError):
        services.question_answer(user=alumnus_b, question=question, body="Atau ini.")
    assert HelpAnswer.objects.count() == 1
    with pytest.raises(ValidationError):
        services.question_answer(user=alumnus_a, question=ask(student, group, title="Lain"), body="  ")


def test_marking_own_answer_twice_or_by_someone_else_is_refused(group, alumnus_a, alumnus_b, student):
    question = ask(student, group)
    own = services.question_answer(user=student, question=question, body="Saya jawab sendiri.")
    a = services.question_answer(user=alumnus_a, question=question, body="Jawaban A")
    b = services.question_answer(user=alumnus_b, question=question, body="Jawaban B")
    with pytest.raises(ValidationError, match="Your own answer"):
        services.question_mark_solved(user=student, question=question, answer=own)
    with pytest.raises(PermissionDenied):
        services.question_mark_solved(user=alumnus_a, question=question, answer=b)
    other = ask(alumnus_b, group, title="Pertanyaan lain")
    foreign = services.question_answer(user=alumnus_a, question=other, body="Ke pertanyaan lain")
    with pytest.raises(ValidationError, match="Choose one of the answers"):
        services.question_mark_solved(user=student, question=question, answer=foreign)
    question.refresh_from_db()
    assert question.status == HelpRequest.Status.OPEN and question.solved_by_answer is None
    services.question_mark_solved(user=student, question=question, answer=a)
    with pytest.raises(ValidationError, match="solved already"):
        services.question_mark_solved(user=student, question=question, answer=b)
    question.refresh_from_db()
    assert question.solved_by_answer == a


def test_close_and_reopen_are_the_askers(group, alumnus_a, student):
    question = ask(student, group)
    with pytest.raises(PermissionDenied):
        services.question_close(user=alumnus_a, question=question)
    with pytest.raises(ValidationError):
        services.question_reopen(user=student, question=question)
    services.question_close(user=student, question=question)
    with pytest.raises(ValidationError):
        services.question_close(user=student, question=question)
    assert HelpRequest.objects.get().status == HelpRequest.Status.CLOSED


def test_new_members_are_rate_limited(group, prodi_x, alumnus_b):
    fresh = help_group(prodi_x, name="Grup Baru", slug="grup-baru")
    Membership.objects.create(group=fresh, user=alumnus_b)  # joined just now
    for i in range(NEW_MEMBER_POSTS_PER_DAY):
        ask(alumnus_b, fresh, title=f"Pertanyaan {i}")
    with pytest.raises(ValidationError, match="New members"):
        ask(alumnus_b, fresh, title="Satu lagi")
    assert HelpRequest.objects.filter(group=fresh).count() == NEW_MEMBER_POSTS_PER_DAY


def test_personal_data_export_and_delete(group, alumnus_a, student):
    from alumni.privacy import PROVIDERS

    question = ask(student, group)
    services.question_answer(user=alumnus_a, question=question, body="Jawaban")
    services.skills_save(user=alumnus_a, category_ids=[category("katalogisasi").pk], show_helped_count=True)
    assert [q["title"] for q in PROVIDERS["community_help"].export(student)["questions"]] == [question.title]
    assert PROVIDERS["community_help"].export(alumnus_a)["answers"][0]["body"] == "Jawaban"
    assert PROVIDERS["community_skills"].export(alumnus_a)["skills"] == ["katalogisasi"]
    PROVIDERS["community_skills"].anonymise(alumnus_a, "ANON-1")
    assert not MemberSkill.objects.filter(user=alumnus_a).exists()
    assert not CommunitySettings.objects.filter(user=alumnus_a).exists()
