"""Run one tracer reminder tick by hand: `python manage.py run_tracer_reminders`."""

from django.core.management.base import BaseCommand

from tracer.reminders import tracer_reminders_tick


class Command(BaseCommand):
    help = "Run one tracer reminder tick now and print how many reminders were due and claimed."

    def handle(self, *args, **options):
        result = tracer_reminders_tick()
        self.stdout.write(self.style.SUCCESS(f"{result['due']} reminder(s) due, {result['claimed']} claimed."))
