"""Run one reminder tick by hand: `python manage.py run_reminders`.

Without REDIS_URL (the embedded default) Celery runs eagerly, so the reminders are sent before this returns (to the
console with the default email backend)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from programs.reminders import KINDS, reminders_tick


class Command(BaseCommand):
    help = "Run one reminder tick now and print how many reminders it claimed per kind."

    def handle(self, *args, **options):
        result = reminders_tick()
        self.stdout.write(f"programs lapsed: {result['lapsed']}")
        for kind in KINDS:
            self.stdout.write(f"{kind}: {result['claimed'][kind]} claimed")
        total = sum(result["claimed"].values())
        delivery = "sent (Celery runs eagerly)" if settings.CELERY_TASK_ALWAYS_EAGER else "queued for the worker"
        self.stdout.write(self.style.SUCCESS(f"{total} reminder(s) claimed and {delivery}."))
