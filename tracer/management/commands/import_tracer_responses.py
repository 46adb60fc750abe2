from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracer.models import Survey
from tracer.national import import_responses


class Command(BaseCommand):
    help = (
        "Import tracer answers in the national upload layout (CSV UTF-8 or XLSX; headers Kode Prodi, NIM and the codes "
        "F8, F502, … in any case). Each row becomes a submitted response (source: import) of the graduate with that "
        "NIM in that study program. If any row is wrong nothing is saved and the exit status is 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("--survey", required=True, help="Survey slug, e.g. dikti-core")
        parser.add_argument("file", help="CSV or XLSX file")
        parser.add_argument("--dry-run", action="store_true", help="Check the file; save nothing")

    def handle(self, *args, survey, file, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        found = Survey.objects.filter(slug=survey).first()
        if found is None:
            raise CommandError(f"No survey with slug {survey}")
        with path.open("rb") as handle:
            outcome = import_responses(handle, survey=found, dry_run=dry_run)
        report(self, outcome, dry_run=dry_run)


def report(command: BaseCommand, outcome, *, dry_run: bool) -> None:
    if outcome.file_error:
        raise CommandError(outcome.file_error)
    for issue in outcome.issues:
        command.stdout.write(f"row {issue.row}, {issue.column or '-'}: {issue.message}")
    if outcome.issues:
        raise CommandError(f"{len(outcome.issues)} problems in {outcome.rows} rows: nothing was imported.")
    if dry_run:
        command.stdout.write(f"rows: {outcome.rows}, all correct. Dry run: nothing was written.")
    else:
        command.stdout.write(command.style.SUCCESS(
            f"Imported {outcome.created} responses ({outcome.answers} answers; {outcome.replaced} earlier imported "
            f"responses replaced)."
        ))
