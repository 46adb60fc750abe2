from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracer.national import import_employer_responses

from .import_tracer_responses import report


class Command(BaseCommand):
    help = (
        "Import employer ratings (CSV UTF-8 or XLSX) with the columns nim, study_program, employer, respondent_name, "
        "respondent_position, date, etika, keahlian, bahasa_asing, teknologi_informasi, komunikasi, kerjasama, "
        "pengembangan_diri (1–4; empty: not rated) and saran. If any row is wrong nothing is saved and the exit status "
        "is 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV or XLSX file")
        parser.add_argument("--dry-run", action="store_true", help="Check the file; save nothing")

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        with path.open("rb") as handle:
            outcome = import_employer_responses(handle, dry_run=dry_run)
        report(self, outcome, dry_run=dry_run)
