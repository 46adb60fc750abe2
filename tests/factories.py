import datetime

import factory
from allauth.account.models import EmailAddress

from alumni.models import AlumniProfile, Employment, Faculty, Institution, Province, StudyProgram, User

PASSWORD = "correct-horse-battery-9"


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("name",)

    name = "Universitas Uji Coba"


class FacultyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Faculty
        django_get_or_create = ("institution", "name")

    institution = factory.SubFactory(InstitutionFactory)
    name = "Fakultas Adab dan Humaniora"


class StudyProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudyProgram
        django_get_or_create = ("code",)

    faculty = factory.SubFactory(FacultyFactory)
    code = factory.Sequence(lambda n: f"9{n:04d}")
    name = factory.Sequence(lambda n: f"Program Studi {n}")
    level = StudyProgram.Level.S1


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            obj.save()
            EmailAddress.objects.get_or_create(user=obj, email=obj.email, defaults={"verified": True, "primary": True})


class AlumniProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlumniProfile

    user = factory.SubFactory(UserFactory)
    study_program = factory.SubFactory(StudyProgramFactory)
    nim = factory.Sequence(lambda n: f"{n:08d}")
    full_name = factory.LazyAttribute(lambda o: o.user.full_name if o.user else "Imported Graduate")
    email = factory.LazyAttribute(lambda o: o.user.email if o.user else "")
    entry_year = 2015
    graduation_date = datetime.date(2019, 8, 25)
    # The people in tests have opted in to the directory (the real default is off: consent is asked, not presumed).
    listed_in_directory = True


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    profile = factory.SubFactory(AlumniProfileFactory)
    employer = "Perpustakaan Nasional RI"
    employer_kind = Employment.EmployerKind.GOVERNMENT
    scope = Employment.Scope.NATIONAL
    position = "Pustakawan"
    start_date = datetime.date(2020, 1, 1)
    province = factory.LazyFunction(lambda: Province.objects.get(code="010000"))


def grant(user, kind, study_program=None, institution=None):
    from alumni.services import role_grant

    role, _created = role_grant(user=user, kind=kind, study_program=study_program, institution=institution)
    return role


class ProgramFactory(factory.django.DjangoModelFactory):
    """A running monthly program; pass status/cadence to vary."""

    class Meta:
        model = "programs.Program"

    study_program = factory.SubFactory(StudyProgramFactory)
    title = factory.Sequence(lambda n: f"Program {n}")
    description = "Mentoring riset untuk mahasiswa tingkat akhir."
    kind = "academic"
    category = "mentoring"
    organiser = "joint"
    audience = "both"
    cadence = "monthly"
    grace_days = 14
    status = "running"


class SessionFactory(factory.django.DjangoModelFactory):
    """A two-hour session a week from now, 20 seats."""

    class Meta:
        model = "programs.Session"

    # Open to anyone with an account, so tests can register plain users; audience rules have their own tests.
    program = factory.SubFactory(ProgramFactory, audience="public")
    start = factory.LazyFunction(lambda: _now() + datetime.timedelta(days=7))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2))
    place = "Ruang Teatrikal Fakultas"
    capacity = 20


def _now():
    from django.utils import timezone

    return timezone.now()


class CampaignFactory(factory.django.DjangoModelFactory):
    """An open wakaf campaign of a study program (its institution follows from the program); pass kind, goal,
    dates or status to vary."""

    class Meta:
        model = "donations.Campaign"

    study_program = factory.SubFactory(StudyProgramFactory)
    institution = factory.LazyAttribute(lambda o: o.study_program.faculty.institution)
    title = "Wakaf Jumat"
    kind = "endowment"
    description = "Sumur desa"
    beneficiary = "Desa Wonosari"
    goal_amount = 75_000_000
    starts_on = datetime.date(2026, 1, 1)
    status = "open"
