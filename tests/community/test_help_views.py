"""The help pages as the personas use them: asking (with bad input re-rendered), answering, marking solved,
closing, what hidden items show to whom, the skills and categories pages, the group page's panel, the helped count
on profiles, and the questions list and a question's page at a fixed number of queries at two sizes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community import services_help as services
from community.models import HelpAnswer, HelpCategory, HelpRequest, MemberSkill, Visibility

from ..conftest import client_for
from ..factories import AlumniProfileFactory, UserFactory
from .matrix_help import category, help_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(prodi_x, alumnus_a, alumnus_b, student):
    return help_group(prodi_x, admins=[alumnus_a], members=[alumnus_b, student])


def ask(user, group, title="SLiMS 9 error 500 setelah upgrade", code="instalasi-slims"):
    return services.question_ask(user=user, group=group, category=category(code), title=title)


def test_a_member_asks_a_member_answers_the_asker_marks_it_solved(group, student, alumnus_a):
    client = client_for(student)
    url = reverse("community:question_new", args=[group.slug])
    response = client.post(url, {"category": category("instalasi-slims").pk, "title": "", "body": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    response = client.post(url, {"category": category("instalasi-slims").pk, "title": "x" * 151})
    assert response.status_code == 200 and not HelpRequest.objects.exists()
    response = client.post(url, {"category": category("instalasi-slims").pk,
                                 "title": "<script>alert(1)</script> SLiMS tidak jalan", "body": "Apache 2.4"})
    question = HelpRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("community:question_detail",
                                                                            args=[question.pk])
    html = client.get(response["Location"]).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html

    helper = client_for(alumnus_a)
    detail = reverse("community:question_detail", args=[question.pk])
    answer_url = reverse("community:answer_new", args=[question.pk])
    assert helper.post(answer_url, {"body": ""}).status_code == 200
    assert helper.post(answer_url, {"body": "Aktifkan mod_rewrite."}).status_code == 302
    answer = HelpAnswer.objects.get()
    assert "This solved my question" not in helper.get(detail).content.decode()
    assert "This solved my question" in client.get(detail).content.decode()

    solved = reverse("community:question_solved", args=[question.pk])
    assert client.post(solved, {"answer": "not-a-uuid"}).status_code == 302
    assert HelpRequest.objects.get().status == HelpRequest.Status.OPEN
    assert client.post(solved, {"answer": answer.pk}).status_code == 302
    question.refresh_from_db()
    assert question.status == HelpRequest.Status.SOLVED and question.solved_by_answer == answer
    html = client.get(detail).content.decode()
    assert "This answer solved the question" in html and 'id="answer-form"' not in html
    # Solved questions are on the solved tab.
    listing = client.get(reverse("community:questions", args=[group.slug]) + "?tab=solved").content.decode()
    assert "SLiMS tidak jalan" in listing and "solved by Ani Lestari" in listing


def test_answering_a_closed_question_shows_why(group, student, alumnus_a):
    question = ask(student, group)
    client = client_for(student)
    assert client.post(reverse("community:question_close", args=[question.pk])).status_code == 302
    response = client_for(alumnus_a).post(reverse("community:answer_new", args=[question.pk]), {"body": "Telat"})
    assert response.status_code == 200 and "no longer open" in response.content.decode()
    assert not HelpAnswer.objects.exists()
    client.post(reverse("community:question_reopen", args=[question.pk]))
    assert HelpRequest.objects.get().status == HelpRequest.Status.OPEN


def test_hidden_items_show_to_their_author_and_moderators_only(group, student, alumnus_a, alumnus_b, staff_x):
    question = ask(student, group)
    hidden_answer = services.question_answer(user=alumnus_b, question=question, body="Jawaban spam")
    HelpAnswer.objects.filter(pk=hidden_answer.pk).update(visibility=Visibility.HIDDEN)
    detail = reverse("community:question_detail", args=[question.pk])
    assert "Jawaban spam" not in client_for(student).get(detail).content.decode()
    for person in (alumnus_b, alumnus_a, staff_x):
        assert "Jawaban spam" in client_for(person).get(detail).content.decode(), person
    html = client_for(alumnus_a).get(detail).content.decode()
    assert reverse("community:moderate", args=["answer", hidden_answer.pk]) in html
    assert reverse("community:report", args=["question", question.pk]) in html

    HelpRequest.objects.filter(pk=question.pk).update(visibility=Visibility.HIDDEN)
    assert client_for(alumnus_b).get(detail).status_code == 403
    assert client_for(student).get(detail).status_code == 200
    listing = reverse("community:questions", args=[group.slug])
    assert "SLiMS 9 error" not in client_for(alumnus_b).get(listing).content.decode()
    assert "SLiMS 9 error" in client_for(alumnus_a).get(listing).content.decode()


def test_skills_page_saves_skills_and_the_helped_count_choice(alumnus_b):
    client = client_for(alumnus_b)
    url = reverse("community:skills")
    html = client.get(url).content.decode()
    assert 'id="community-consent-needed"' in html
    ids = [category("katalogisasi").pk, category("repositori-ojs").pk]
    assert client.post(url, {"categories": ids, "show_helped_count": "on"}).status_code == 302
    assert sorted(MemberSkill.objects.filter(user=alumnus_b).values_list("category_id", flat=True)) == sorted(ids)
    assert alumnus_b.community_settings.show_helped_count is True


def test_staff_keep_the_categories(staff_x):
    client = client_for(staff_x)
    url = reverse("community:help_categories")
    assert client.post(url, {"name": "", "code": ""}).status_code == 200
    assert client.post(url, {"name": "Sirkulasi", "code": ""}).status_code == 302
    made = HelpCategory.objects.get(code="sirkulasi")
    response = client.post(url, {"name": "Sirkulasi lagi", "code": "sirkulasi"})
    assert response.status_code == 200 and "exists already" in response.content.decode()
    client.post(url, {"toggle": made.pk})
    assert not HelpCategory.objects.get(pk=made.pk).active


def test_the_group_page_shows_the_questions_panel(group, student, alumnus_b):
    ask(student, group, title="Pertanyaan di panel")
    html = client_for(alumnus_b).get(reverse("community:group_detail", args=[group.slug])).content.decode()
    assert 'id="help-panel"' in html and "Pertanyaan di panel" in html and "1 open question" in html


def test_the_helped_count_on_a_profile_only_when_allowed(group, student, alumnus_a, alumnus_b):
    question = ask(student, group)
    answer = services.question_answer(user=alumnus_a, question=question, body="Begini caranya")
    services.question_mark_solved(user=student, question=question, answer=answer)
    profile_url = reverse("alumni:profile", args=[alumnus_a.alumni_profile.pk])
    html = client_for(alumnus_b).get(profile_url).content.decode()
    assert 'id="community-helped"' not in html
    own = client_for(alumnus_a).get(profile_url).content.decode()
    assert "Helped solve 1 question in groups." in own and "Only you see this." in own
    services.skills_save(user=alumnus_a, category_ids=[], show_helped_count=True)
    html = client_for(alumnus_b).get(profile_url).content.decode()
    assert "Helped solve 1 question in groups." in html
    detail = client_for(alumnus_b).get(reverse("community:question_detail", args=[question.pk])).content.decode()
    assert "helped solve 1 question" in detail


@pytest.mark.parametrize("persona", ["alumnus_b", "staff_x"])
def test_questions_and_a_question_at_a_fixed_number_of_queries(group, prodi_x, student, alumnus_a, persona,
                                                               request, django_assert_max_num_queries):
    viewer = request.getfixturevalue(persona)
    client = client_for(viewer)

    def add(n):
        for i in range(n):
            helper = UserFactory(full_name=f"Penolong {i}")
            AlumniProfileFactory(user=helper, study_program=prodi_x)
            group.memberships.create(user=helper)
            q = ask(student, group, title=f"Soal {HelpRequest.objects.count()}")
            a = services.question_answer(user=helper, question=q, body="Jawab")
            services.question_answer(user=alumnus_a, question=q, body="Jawab juga")
            if i % 2:
                services.question_mark_solved(user=student, question=q, answer=a)
        return q

    counts = {}
    for n in (2, 12):
        last = add(n)
        for tab in ("open", "solved"):
            url = reverse("community:questions", args=[group.slug]) + f"?tab={tab}"
            client.get(url)  # warm the scope cache
            with django_assert_max_num_queries(10) as ctx:
                assert client.get(url).status_code == 200
            counts[(n, tab)] = len(ctx)
        url = reverse("community:question_detail", args=[last.pk])
        with django_assert_max_num_queries(10) as ctx:
            assert client.get(url).status_code == 200
        counts[(n, "detail")] = len(ctx)
    for what in ("open", "solved", "detail"):
        assert counts[(2, what)] == counts[(12, what)], counts
