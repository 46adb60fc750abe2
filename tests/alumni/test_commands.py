import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from alumni.models import AlumniProfile, Employment, Faculty, Institution, Role, StudyProgram, User
from alumni.scope import scope_for
from core.models import AuditLog, Notification

from ..factories import UserFactory


@pytest.mark.django_db
def test_add_study_program_creates_institution_faculty_and_program(capsys):
    call_command("add_study_program", "--code", "71201", "--name", "Ilmu Perpustakaan", "--level", "S1",
                 "--faculty", "Fakultas Adab", "--institution", "UIN Contoh")
    program = StudyProgram.objects.select_related("faculty__institution").get(code="71201")
    assert (program.name, program.level, program.faculty.name, program.faculty.institution.name) == (
        "Ilmu Perpustakaan", "S1", "Fakultas Adab", "UIN Contoh",
    )
    assert "Created" in capsys.readouterr().out


@pytest.mark.django_db
def test_add_study_program_updates_an_existing_code_without_duplicates():
    call_command("add_study_program", "--code", "71201", "--name", "Ilmu Perpus", "--level", "D3",
                 "--faculty", "Fakultas Adab", "--institution", "UIN Contoh")
    call_command("add_study_program", "--code", "71201", "--name", "Ilmu Perpustakaan", "--level", "S1")
    program = StudyProgram.objects.get(code="71201")
    assert (program.name, program.level, program.faculty.name) == ("Ilmu Perpustakaan", "S1", "Fakultas Adab")
    assert (StudyProgram.objects.count(), Faculty.objects.count(), Institution.objects.count()) == (1, 1, 1)
    assert list(AuditLog.objects.order_by("pk").values_list("action", flat=True)) == [
        "alumni.study_program.created", "alumni.study_program.updated",
    ]


@pytest.mark.django_db
def test_add_study_program_rejects_an_unknown_level():
    with pytest.raises(CommandError):
        call_command("add_study_program", "--code", "1", "--name", "X", "--level", "S9")
    assert not StudyProgram.objects.exists()


@pytest.mark.django_db
def test_add_study_program_without_institution_needs_exactly_one():
    with pytest.raises(CommandError, match="tepat satu institusi"):
        call_command("add_study_program", "--code", "1", "--name", "X", "--level", "S1")


def test_grant_role_staff_scopes_the_user_and_tells_them(prodi_x, prodi_y, django_capture_on_commit_callbacks):
    user = UserFactory(email="new.staff@example.org", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("grant_role", "--email", "NEW.staff@example.org", "--role", "staff",
                     "--study-program", "71201")
    user = User.objects.get(pk=user.pk)
    assert scope_for(user).staff_program_ids == {prodi_x.pk}
    assert not user.is_staff  # a role works on the portal's pages; the Django admin is for superusers only
    notification = Notification.objects.get(recipient=user, kind="role_granted")
    assert notification.sent_at is not None
    assert mail.outbox[-1].to == ["new.staff@example.org"]
    assert "Ilmu Perpustakaan" in mail.outbox[-1].body


def test_grant_role_twice_grants_once(prodi_x):
    UserFactory(email="s@example.org")
    call_command("grant_role", "--email", "s@example.org", "--role", "staff", "--study-program", "71201")
    call_command("grant_role", "--email", "s@example.org", "--role", "staff", "--study-program", "71201")
    assert Role.objects.count() == 1
    assert Notification.objects.count() == 1


def test_grant_role_admin_covers_every_program_of_the_institution(prodi_x, prodi_y):
    user = UserFactory(email="a@example.org")
    call_command("grant_role", "--email", "a@example.org", "--role", "admin")
    assert scope_for(User.objects.get(pk=user.pk)).staff_program_ids == {prodi_x.pk, prodi_y.pk}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--email", "nobody@example.org", "--role", "staff", "--study-program", "71201"], "No user"),
        (["--email", "s@example.org", "--role", "staff", "--study-program", "00000"], "No study program"),
        (["--email", "s@example.org", "--role", "staff"], "memerlukan program studi"),
        (["--email", "s@example.org", "--role", "admin", "--study-program", "71201"], "seluruh institusi"),
    ],
)
def test_grant_role_refuses_bad_input(prodi_x, args, message):
    UserFactory(email="s@example.org")
    with pytest.raises(CommandError, match=message):
        call_command("grant_role", *args)
    assert not Role.objects.exists()


@pytest.mark.django_db
def test_seed_demo_is_idempotent():
    call_command("seed_demo")
    counts = (AlumniProfile.objects.count(), Employment.objects.count(), User.objects.count(), Role.objects.count())
    # 300 imported records, two people waiting for verification (one of them vouched for once already), and the
    # eight students of the mentoring demo (mentoring/demo.py).
    assert counts[0] == 310
    pending = AlumniProfile.objects.filter(verification=AlumniProfile.Verification.PENDING)
    assert sorted(pending.values_list("user__email", flat=True)) == [
        "nurul.aini@demo.ac.id", "yuliana.pertiwi@demo.ac.id"]
    assert [p.vouches.count() for p in pending.order_by("full_name")] == [0, 1]  # Nurul Aini, Yuliana Pertiwi
    assert User.objects.get(email="nurul.aini@demo.ac.id").check_password("alumni-demo-2026")
    assert StudyProgram.objects.filter(name="Ilmu Perpustakaan").exists()
    call_command("seed_demo")
    assert (AlumniProfile.objects.count(), Employment.objects.count(), User.objects.count(),
            Role.objects.count()) == counts
    admin = User.objects.get(email="admin@demo.ac.id")
    assert scope_for(admin).is_admin
    assert User.objects.get(email="siti.rahmawati@demo.ac.id").check_password("alumni-demo-2026")
    # careers spread over several provinces
    assert AlumniProfile.objects.values("province").distinct().count() >= 10
