from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from alumni.importing.jobs import run_import
from alumni.models import User
from alumni.scope import scope_for


class Command(BaseCommand):
    help = (
        "Import alumni records from a CSV (UTF-8) or XLSX file with the columns nim, full_name, email, study_program, "
        "entry_year, graduation_date and optionally phone, province, city. Records are matched on (study program, "
        "NIM): existing ones are updated. If any row is invalid nothing is written and the exit status is 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV or XLSX file")
        parser.add_argument(
            "--as", dest="as_email", metavar="EMAIL",
            help="Import as this staff member (only their study programs). Without it: the system, every program.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file and print the counts; write nothing")

    def handle(self, *args, file, as_email, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        user = None
        if as_email:
            user = User.objects.filter(email__iexact=as_email.strip(), is_active=True).first()
            if user is None:
                raise CommandError(f"No active account with email {as_email}")
            if not scope_for(user).is_staff:
                raise CommandError(f"{user.email} is not staff of any study program")
        verbosity = options["verbosity"]

        def progress(processed, total):
            if verbosity > 1 and processed:
                self.stderr.write(f"{processed}/{total} rows")

        with path.open("rb") as handle:
            outcome = run_import(handle, user=user, dry_run=dry_run, progress=progress)
        if outcome.file_error:
            raise CommandError(outcome.file_error)
        counts = outcome.counts
        self.stdout.write(
            f"rows: {outcome.total_rows}  new: {counts['new']}  updated: {counts['updated']}  "
            f"unchanged: {counts['unchanged']}  invalid: {counts['invalid']}"
        )
        for issue in outcome.issues:
            self.stdout.write(f"row {issue.row}, {issue.column or '-'}: {issue.message}")
        if outcome.issue_count > len(outcome.issues):
            self.stdout.write(f"... and {outcome.issue_count - len(outcome.issues)} more")
        for conflict in outcome.conflicts:
            # Without a job there is nothing to resolve later: upload the file in the portal to decide row by row.
            self.stdout.write(
                f"row {conflict['row']}: record {conflict['nim']} is claimed by an account with another email; "
                f"left as it is: {', '.join(sorted(conflict['differences']))}"
            )
        if not outcome.ok:
            raise CommandError(f"{counts['invalid']} invalid rows: nothing was imported.")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Imported: {counts['new']} new, {counts['updated']} updated ({outcome.audit_entries} audit entries)."
            ))
