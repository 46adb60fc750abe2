"""The Celery app. Broker: REDIS_URL. Without it (settings.CELERY_TASK_ALWAYS_EAGER) tasks run in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alumni_portal.settings.local")

app = Celery("alumni_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
