"""The survey builder: unfrozen versions change in place; a frozen one (used by a wave) is copied first."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tracer import services
from tracer.models import Option, Question, Survey, SurveyVersion

from ..conftest import client_for


@pytest.fixture
def version(db):
    survey = Survey.objects.create(slug="mini", title="Survei mini", title_en="Mini survey")
    version = SurveyVersion.objects.create(survey=survey, number=1)
    f8 = Question.objects.create(version=version, code="f8", position=1, type="single", text="Status Anda?",
                                 required=True)
    Option.objects.bulk_create([
        Option(question=f8, value=1, label_id="Bekerja", label_en="Working", position=1),
        Option(question=f8, value=3, label_id="Wiraswasta", label_en="Self-employed", position=2),
        Option(question=f8, value=2, label_id="Tidak bekerja", label_en="Not working", position=3),
    ])
    Question.objects.create(version=version, code="f505", position=2, type="money", text="Gaji?", min_value=0,
                            show_if=[{"code": "f8", "in": [1, 3]}])
    return version


def test_unfrozen_version_is_edited_in_place(version, admin_user):
    question = version.questions.get(code="f505")
    edit = services.question_update(question=question, by=admin_user, data={
        "text": "Pendapatan per bulan?", "text_en": "Monthly income?", "required": True, "min_value": 0,
        "max_value": 500_000_000, "show_if": [{"code": "f8", "in": [1]}],
    })
    assert not edit.copied and edit.version == version
    question.refresh_from_db()
    assert (question.text, question.text_en, question.required, question.max_value) == (
        "Pendapatan per bulan?", "Monthly income?", True, 500_000_000)
    assert question.show_if == [{"code": "f8", "in": [1]}]
    assert SurveyVersion.objects.filter(survey=version.survey).count() == 1


def test_options_are_replaced_with_their_values_and_order(version, admin_user):
    f8 = version.questions.get(code="f8")
    services.question_update(question=f8, by=admin_user, data={}, options=[
        {"value": 2, "label_id": "Tidak bekerja", "label_en": "Not working"},
        {"value": 1, "label_id": "Bekerja (full/part time)", "label_en": "Working"},
        {"value": 5, "label_id": "Melanjutkan studi", "label_en": ""},
    ])
    assert list(f8.options.values_list("value", "label_id", "position")) == [
        (2, "Tidak bekerja", 1), (1, "Bekerja (full/part time)", 2), (5, "Melanjutkan studi", 3)]


def test_duplicate_option_values_and_min_above_max_are_refused(version, admin_user):
    f8 = version.questions.get(code="f8")
    with pytest.raises(ValidationError):
        services.question_update(question=f8, by=admin_user, data={}, options=[
            {"value": 1, "label_id": "A"}, {"value": 1, "label_id": "B"}])
    with pytest.raises(ValidationError):
        services.question_update(question=version.questions.get(code="f505"), by=admin_user,
                                 data={"min_value": 10, "max_value": 5})
    assert f8.options.count() == 3


def test_editing_a_frozen_version_makes_a_new_version_with_the_edit(version, admin_user):
    version.frozen_at = timezone.now()
    version.save()
    question = version.questions.get(code="f8")
    edit = services.question_update(question=question, by=admin_user, data={"text": "Status sekarang?"},
                                    options=[{"value": 1, "label_id": "Bekerja"}, {"value": 2, "label_id": "Tidak"}])
    assert edit.copied and edit.version.number == 2 and edit.version.frozen_at is None
    # The frozen version is untouched.
    question.refresh_from_db()
    assert question.text == "Status Anda?" and question.options.count() == 3
    # The copy has every question, the edit applied, and the untouched ones as they were.
    new = {q.code: q for q in edit.version.questions.all()}
    assert set(new) == {"f8", "f505"}
    assert new["f8"].text == "Status sekarang?" and new["f8"].required
    assert list(new["f8"].options.values_list("value", flat=True)) == [1, 2]
    assert new["f505"].show_if == [{"code": "f8", "in": [1, 3]}] and new["f505"].min_value == 0
    # A second edit goes to the (unfrozen) copy: no third version.
    again = services.question_update(question=new["f505"], by=admin_user, data={"required": True})
    assert not again.copied and SurveyVersion.objects.filter(survey=version.survey).count() == 2


def test_add_and_remove_questions(version, admin_user):
    edit = services.question_add(version=version, by=admin_user, code="f1201", type="single",
                                 data={"text": "Sumber dana kuliah?"},
                                 options=[{"value": 1, "label_id": "Biaya sendiri"}])
    assert edit.question.position == 3 and edit.question.options.count() == 1
    with pytest.raises(ValidationError):
        services.question_add(version=version, by=admin_user, code="f8", type="text", data={"text": "?"})
    # f505 depends on f8: f8 cannot go first.
    with pytest.raises(ValidationError):
        services.question_remove(question=version.questions.get(code="f8"), by=admin_user)
    services.question_remove(question=version.questions.get(code="f505"), by=admin_user)
    assert set(version.questions.values_list("code", flat=True)) == {"f8", "f1201"}


def test_removing_from_a_frozen_version_removes_from_a_copy(version, admin_user):
    SurveyVersion.objects.filter(pk=version.pk).update(frozen_at=timezone.now())
    edit = services.question_remove(question=version.questions.get(code="f505"), by=admin_user)
    assert edit.copied
    assert version.questions.count() == 2
    assert list(edit.version.questions.values_list("code", flat=True)) == ["f8"]


def test_only_admins_edit(version, staff_x):
    with pytest.raises(PermissionDenied):
        services.question_update(question=version.questions.first(), by=staff_x, data={"text": "x"})


def test_edit_page_saves_and_tells_about_the_new_version(version, admin_user):
    SurveyVersion.objects.filter(pk=version.pk).update(frozen_at=timezone.now())
    f8 = version.questions.get(code="f8")
    client = client_for(admin_user)
    assert client.get(reverse("tracer:survey_edit", args=[f8.pk])).status_code == 200
    response = client.post(reverse("tracer:survey_edit", args=[f8.pk]), {
        "text": "Status?", "text_en": "", "help": "", "help_en": "", "required": "on",
        "show_if_code": "", "show_if_values": "", "options": "1 | Bekerja | Working\n2 | Tidak bekerja\n",
    }, follow=True)
    new = SurveyVersion.objects.get(survey=version.survey, number=2)
    assert response.redirect_chain[-1][0] == reverse("tracer:survey", args=[new.pk])
    assert "v2" in response.content.decode()
    q = new.questions.get(code="f8")
    assert q.text == "Status?" and list(q.options.values_list("value", "label_en")) == [(1, "Working"), (2, "")]


def test_show_if_form_needs_values(version, admin_user):
    q = version.questions.get(code="f505")
    response = client_for(admin_user).post(reverse("tracer:survey_edit", args=[q.pk]), {
        "text": "Gaji?", "show_if_code": "f8", "show_if_values": "", "options": "",
    })
    assert response.status_code == 200
    q.refresh_from_db()
    assert q.show_if == [{"code": "f8", "in": [1, 3]}]
    client_for(admin_user).post(reverse("tracer:survey_edit", args=[q.pk]), {
        "text": "Gaji?", "show_if_code": "f8", "show_if_values": "1, 3, 4", "options": "",
    })
    q.refresh_from_db()
    assert q.show_if == [{"code": "f8", "in": [1, 3, 4]}]


def test_survey_pages_render(version, admin_user):
    client = client_for(admin_user)
    assert "Survei mini" in client.get(reverse("tracer:surveys")).content.decode()
    page = client.get(reverse("tracer:survey", args=[version.pk])).content.decode()
    assert "f505" in page
    assert client.get(reverse("tracer:question_add", args=[version.pk])).status_code == 200


def test_removing_a_question_asks_first_and_says_what_happens(version, admin_user, staff_x):
    client = client_for(admin_user)
    f8, f505 = version.questions.get(code="f8"), version.questions.get(code="f505")
    url = reverse("tracer:question_delete", args=[f8.pk])
    # f505 is shown depending on f8: the page says so and offers no working button.
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["dependents"] == ["f505"] and page.context["options"] == 3
    assert 'id="remove-blocked"' in page.content.decode()
    # A POST without the confirmation flag shows the page again and removes nothing.
    assert client.post(url).status_code == 200
    assert version.questions.count() == 2
    assert client_for(staff_x).get(url).status_code == 403
    # Confirmed: removed (f505 has no dependents).
    delete_f505 = reverse("tracer:question_delete", args=[f505.pk])
    assert client.get(delete_f505).context["dependents"] == []
    response = client.post(delete_f505, {"confirm": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("tracer:survey", args=[version.pk])
    assert list(version.questions.values_list("code", flat=True)) == ["f8"]


def test_removing_from_a_frozen_version_says_a_new_version_is_made(version, admin_user):
    SurveyVersion.objects.filter(pk=version.pk).update(frozen_at=timezone.now())
    f505 = version.questions.get(code="f505")
    page = client_for(admin_user).get(reverse("tracer:question_delete", args=[f505.pk]))
    assert page.context["version"].is_frozen
    client_for(admin_user).post(reverse("tracer:question_delete", args=[f505.pk]), {"confirm": "1"})
    assert version.questions.count() == 2  # the frozen version keeps it
    assert SurveyVersion.objects.filter(survey=version.survey).count() == 2
