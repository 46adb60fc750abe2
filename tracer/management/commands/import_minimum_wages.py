from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracer.wages import import_minimum_wages


class Command(BaseCommand):
    help = (
        "Import provincial minimum wages (CSV UTF-8 or XLSX) with the columns province (code or exact name), year "
        "and amount (rupiah). Upserts on (province, year). If any row is wrong nothing is saved and the exit status "
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
            outcome = import_minimum_wages(handle, dry_run=dry_run)
        if outcome.file_error:
            raise CommandError(outcome.file_error)
        for issue in outcome.issues:
            self.stdout.write(f"row {issue.row}, {issue.column}: {issue.message}")
        if outcome.issues:
            raise CommandError(f"{len(outcome.issues)} problems in {outcome.rows} rows: nothing was imported.")
        if dry_run:
            self.stdout.write(f"rows: {outcome.rows}, all correct. Dry run: nothing was written.")
            return
        self.stdout.write(self.style.SUCCESS(
            f"Minimum wages: {outcome.created} created, {outcome.updated} updated."
        ))
