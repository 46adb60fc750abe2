from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from alumni.models import StudyProgram
from core.audit import audit_log
from tracer.lkps import EXPORTED, lkps_tables, lkps_workbook


class Command(BaseCommand):
    help = (
        "Write the LKPS tables about graduates (8.d.1, 8.d.2, 8.e.1, 8.e.2, Ref 8.e.2) and IKU-1 of one study "
        "program and reporting year TS to an XLSX workbook."
    )

    def add_arguments(self, parser):
        parser.add_argument("--study-program", required=True, help="Study program code")
        parser.add_argument("--ts", required=True, type=int, help="Reporting year TS")
        parser.add_argument("--output", required=True, help="XLSX file to write")

    def handle(self, *args, study_program, ts, output, **options):
        program = StudyProgram.objects.filter(code=study_program).first()
        if program is None:
            raise CommandError(f"No study program with code {study_program}")
        if not 1900 < ts < 3000:
            raise CommandError(f"Not a year: {ts}")
        data = lkps_workbook(lkps_tables(study_program=program, ts=ts))
        Path(output).write_bytes(data)
        audit_log(actor=None, action=EXPORTED, target=program, study_program=program,
                  data={"ts": ts, "output": str(output)})
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))
