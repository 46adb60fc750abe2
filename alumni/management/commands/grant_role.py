from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from alumni.models import Institution, Role, StudyProgram, User
from alumni.services import role_grant


class Command(BaseCommand):
    help = "Give a user a staff role on a study program, or an admin role on the institution."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=Role.Kind.values)
        parser.add_argument("--study-program", dest="study_program", help="Study program code (staff role)")
        parser.add_argument("--institution", help="Institution name (admin role, when there are several)")

    def handle(self, *args, email, role, study_program, institution, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with email {email}. They must sign up first.")
        program = None
        if study_program:
            program = StudyProgram.objects.select_related("faculty__institution").filter(code=study_program).first()
            if program is None:
                raise CommandError(f"No study program with code {study_program}.")
        inst = None
        if institution:
            inst = Institution.objects.filter(name=institution).first()
            if inst is None:
                raise CommandError(f"No institution named {institution}.")
        try:
            granted, created = role_grant(user=user, kind=role, study_program=program, institution=inst)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        state = "Granted" if created else "Already had"
        self.stdout.write(self.style.SUCCESS(f"{state}: {granted}"))
