"""Test settings: fast hashing, mail kept in memory. DATABASE_URL and REDIS_URL still apply, so CI runs on
PostgreSQL with a real broker available to the worker integration test."""

from .base import *  # noqa: F403
from .base import CACHES, REDIS_URL

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Unit tests run tasks in-process; the worker integration test flips this off for itself.
CELERY_TASK_ALWAYS_EAGER = True
if REDIS_URL:
    # Tests share the Redis server with a developer's running portal: keep keys apart.
    CACHES["default"]["KEY_PREFIX"] = "alumni_portal_test"
MEDIA_ROOT = "/tmp/alumni_portal_test_media"  # noqa: S108
