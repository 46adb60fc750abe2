"""Run one giving tick by hand: `python manage.py run_giving_reminders`.

Without REDIS_URL (the embedded default) Celery runs eagerly, so the reminders are sent before this returns (to the
console with the default email backend)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from donations.reminders import PLEDGE_REMINDER_HOUR, run_giving_reminders


class Command(BaseCommand):
    help = "Run one giving tick now: make the instalments that fell due and remind today's donors."

    def handle(self, *args, **options):
        result = run_giving_reminders()
        self.stdout.write(f"instalments made: {result['instalments']}")
        self.stdout.write(f"instalments due today to remind: {result['due_today']}")
        delivery = "sent (Celery runs eagerly)" if settings.CELERY_TASK_ALWAYS_EAGER else "queued for the worker"
        self.stdout.write(self.style.SUCCESS(
            f"{result['claimed']} pledge reminder(s) claimed and {delivery} "
            f"(reminders start at {PLEDGE_REMINDER_HOUR:02d}:00 WIB; each goes out once)."
        ))
