"""Production settings for bench/faults.py, with the recovery clock shortened so that a run takes minutes, not
hours. Not shipped: bench/ only. Production keeps a 5-minute lease, a 2-minute grace before the sweep resends a
fresh row and a sweep every 5 minutes (core/notifications.py, core/tasks.py, settings.base)."""

import os

from alumni_portal.settings.production import *  # noqa: F403

# A delivery attempt holds its row this long: a worker SIGKILLed mid-send leaves that row to the sweep after it.
NOTIFICATION_LEASE_SECONDS = int(os.environ.get("FAULTS_LEASE_SECONDS", "15"))
# The sweep leaves rows younger than this to the task queued when they were claimed.
NOTIFICATION_SWEEP_STALE_SECONDS = int(os.environ.get("FAULTS_STALE_SECONDS", "10"))
# Beat runs the sweep alone, often; the bench sends the reminder tick itself when a scenario needs it.
CELERY_BEAT_SCHEDULE = {
    "deliver-pending-notifications": {
        "task": "core.tasks.deliver_pending_notifications",
        "schedule": float(os.environ.get("FAULTS_SWEEP_SECONDS", "5")),
    },
}
