from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from alumni.models import StudyProgram
from alumni.services import study_program_upsert


class Command(BaseCommand):
    help = (
        "Create a study program, or update it when the code exists; creates the faculty and institution as needed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="Study program code (kode prodi)")
        parser.add_argument("--name", required=True)
        parser.add_argument("--level", required=True, choices=StudyProgram.Level.values)
        parser.add_argument("--faculty", dest="faculty", help="Faculty name")
        parser.add_argument("--institution", dest="institution", help="Institution name")

    def handle(self, *args, code, name, level, faculty, institution, **options):
        try:
            program, created = study_program_upsert(
                code=code.strip(), name=name.strip(), level=level, faculty_name=faculty, institution_name=institution
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(
            f"{verb} study program {program.code}: {program.level} {program.name} "
            f"({program.faculty.name}, {program.faculty.institution.name})"
        ))
