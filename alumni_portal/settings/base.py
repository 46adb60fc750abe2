"""Settings shared by every environment.

Everything configurable comes from the environment (django-environ); `local`, `test` and
`production` only change what they must. Without DATABASE_URL the portal runs on SQLite, and
without REDIS_URL Celery tasks run eagerly and the cache is process-local: the embedded default.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # The Django admin, for superusers only (alumni_portal/admin_site.py): the portal's pages are the one door.
    "alumni_portal.admin_apps.OperatorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "import_export",
    # The project package (settings, urls, celery): installed for its migration history only.
    "alumni_portal",
    # The bottom layer: audit trail, notifications, the registry the domains fill in (core/registry.py).
    "core",
    "alumni",
    "programs",
    "tracer",
    "donations",
    # The network (second wave): job board, alerts, introductions to alumni at an employer.
    "careers",
    # Mentoring (mentors, requests, mentorships, matching rounds) and communities (groups, posts, help requests).
    "mentoring",
    "community",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The language: a signed-in person's saved one, else the switcher's cookie, else Bahasa Indonesia; the browser's
    # Accept-Language only with LANGUAGE_FOLLOWS_BROWSER (alumni_portal/middleware.py).
    "alumni_portal.middleware.SiteLanguageMiddleware",
    "alumni_portal.middleware.UserLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Content-Security-Policy (django-csp; Django 5.2 has none of its own) and Permissions-Policy, no-store on
    # personal data and downloads (alumni_portal/middleware.py).
    "csp.middleware.CSPMiddleware",
    "alumni_portal.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "alumni_portal.urls"
WSGI_APPLICATION = "alumni_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alumni.context_processors.roles",
            ],
        },
    },
]
# Bootstrap-styled form rendering for every form in the project (see templates/forms/).
FORM_RENDERER = "core.forms.BootstrapFormRenderer"

# --- Database ---------------------------------------------------------------------------------
# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-db-url
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker and cache ------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # A Redis outage degrades the cache instead of failing requests (core/cache.py): reads miss, writes are
    # skipped, rate limits fail open, each with a warning. Short socket timeouts so that a hung server costs at
    # most half a second, after which the backend leaves Redis alone for DOWN_SECONDS.
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "alumni_portal",
            "OPTIONS": {
                "socket_connect_timeout": env.float("REDIS_CACHE_TIMEOUT", default=0.5),
                "socket_timeout": env.float("REDIS_CACHE_TIMEOUT", default=0.5),
                "health_check_interval": 30,
                "DOWN_SECONDS": 2.0,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Per process: template fragments that depend only on the code, the language and a person's rights (the menu).
CACHES["local"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal-local"}

# https://docs.celeryq.dev/en/stable/userguide/configuration.html
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Jakarta"
# A Redis restart: the worker and beat keep trying to reconnect for as long as it takes (also at startup) instead of
# giving up after 100 attempts and exiting; keepalive and a health check every 25 s find a connection that died
# quietly. socket_timeout stays above kombu's 1 s BRPOP wait. There is no result backend (results are not kept).
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 5,
    "socket_timeout": 10,
    "socket_keepalive": True,
    "health_check_interval": 25,
}
# One beat process runs these periodic ticks; every tick is safe to run twice (see core/notifications.py).
# The reminder tick (programs/reminders.py) also starts with the delivery sweep, so a reminder whose send failed
# goes out on the next tick; the sweep's own entry covers every other notification. Two sweeps at once are safe:
# each row is leased before it is sent.
CELERY_BEAT_SCHEDULE: dict = {
    # Every minute: a row a dead worker held goes out one lease (5 min) plus at most a minute after the crash. A
    # sweep with nothing stale is one query.
    "deliver-pending-notifications": {
        "task": "core.tasks.deliver_pending_notifications",
        "schedule": 60.0,
    },
    "run-reminders": {
        "task": "programs.tasks.run_reminders",
        "schedule": 300.0,
    },
    "run-giving-reminders": {
        "task": "donations.tasks.run_giving_reminders",
        "schedule": 900.0,
    },
    "run-tracer-reminders": {
        "task": "tracer.tasks.run_tracer_reminders",
        "schedule": 900.0,
    },
    # UU PDP: uploaded alumni files go once their import is done or abandoned (IMPORT_FILE_RETENTION_DAYS).
    "expire-import-files": {
        "task": "alumni.tasks.expire_import_files",
        "schedule": 3600.0,
    },
    # Careers: posts past their closing date close, and their posters hear three days before (exactly once).
    "run-careers-ticks": {
        "task": "careers.tasks_alerts.run_careers_ticks",
        "schedule": 900.0,
    },
    # Careers: each member's weekly job digest, claimed once per person and ISO week.
    "send-job-digests": {
        "task": "careers.tasks_alerts.send_job_digests",
        "schedule": 3600.0,
    },
    # Careers: unanswered introduction requests expire; a month on, members are asked what came of them.
    "run-introduction-ticks": {
        "task": "careers.tasks_introductions.run_introduction_ticks",
        "schedule": 900.0,
    },
    # Mentoring: unanswered requests expire after 14 days (the mentee hears once); mentors are reminded once.
    "run-mentoring-ticks": {
        "task": "mentoring.tasks_requests.run_mentoring_ticks",
        "schedule": 900.0,
    },
    # Mentoring rounds: at the deadline the matching is proposed (once) and the round's opener is told.
    "run-mentoring-round-ticks": {
        "task": "mentoring.tasks_rounds.run_round_ticks",
        "schedule": 900.0,
    },
    # Community: questions in members' skills (one email a person and day), unanswered questions raised to the
    # group's admins after three days.
    "run-community-help-ticks": {
        "task": "community.tasks_help.run_help_ticks",
        "schedule": 900.0,
    },
    # Community: each member's weekly group digest (community consent), claimed once per person and ISO week.
    "send-community-digests": {
        "task": "community.tasks_help.send_community_digests",
        "schedule": 3600.0,
    },
    # Community: every verified record in its cohort group (a catch-up for bulk imports, which send no signals).
    "sync-community-cohort-groups": {
        "task": "community.tasks_groups.sync_cohort_groups",
        "schedule": 21600.0,
    },
    # Imports whose worker died (no heartbeat for IMPORT_HEARTBEAT_TIMEOUT_MINUTES) become failed, with "Run again".
    "fail-stalled-imports": {
        "task": "alumni.tasks.fail_stalled_imports",
        "schedule": 120.0,
    },
}

# --- Auth and accounts (django-allauth) --------------------------------------------------------
AUTH_USER_MODEL = "alumni.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
# https://docs.allauth.org/en/latest/account/configuration.html
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Portal Alumni] "
ACCOUNT_ADAPTER = "alumni.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "alumni.forms.SignupForm"}
# Rate limits count in the cache above, which is Redis whenever REDIS_URL is set, so every web process shares the
# counters. Failed logins: 5 per 5 minutes per address (allauth's default), but a browser that logged in to that
# account before has its own budget instead (alumni/login_throttle.py), so an attacker cannot lock a graduate out;
# per client IP the limit is high enough for a campus behind one NAT address.
# https://docs.allauth.org/en/latest/account/rate_limits.html
ACCOUNT_RATE_LIMITS = {
    "login": "120/m/ip",
    "login_failed": "60/m/ip,5/5m/key",
    "login_failed_trusted_device": "10/5m/key",
}
# How many proxies in front of the portal append to X-Forwarded-For (allauth reads the client IP for its rate
# limits from that header, counting this many entries from the right). 0: the header is ignored and the IP is the
# connection's (REMOTE_ADDR). docker-compose.yml runs one proxy, so it sets 1. Never more than the proxies that
# really are there: each one too many lets a client choose its own IP.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
# A signed cookie marks a browser that logged in before (alumni/login_throttle.py).
TRUSTED_DEVICE_COOKIE_NAME = "portal_trusted_device"
TRUSTED_DEVICE_COOKIE_AGE = 365 * 24 * 3600

# --- Browser security headers ----------------------------------------------------------------
# Content-Security-Policy, sent by django-csp (https://django-csp.readthedocs.io/en/latest/configuration.html):
# Django 5.2, which the portal supports (Python 3.11), has no CSP support of its own (it arrives in Django 6.0).
# Scripts come only from the portal's own static files: no inline <script>, no onclick= handlers, no eval
# (tests/alumni_portal/test_headers.py scans every template). Data for charts travels in `json_script` blocks,
# which are JSON, not script, and need no exception. Styles allow 'unsafe-inline' for the style="" attributes of
# the templates (widths of progress bars and the like); a style cannot run code. Pictures may be data: URIs,
# which Bootstrap's CSS uses for its form icons.
SELF, NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features no page of the portal uses, switched off for every page (alumni_portal.middleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), usb=(), "
    "screen-wake-lock=(), xr-spatial-tracking=()"
)
# Pages under these paths hold personal data also for visitors who are not signed in; they, every page a
# signed-in person sees and every download are sent with "Cache-Control: private, no-store".
NO_STORE_PATH_PREFIXES = (
    "/alumni/", "/accounts/", "/dashboard/", "/notifications/", "/tracer/", "/programs/calendar/",
    "/giving/mine/", "/giving/donations/", "/giving/pledges/", "/giving/manage/",
)

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
# False (the default): the portal speaks LANGUAGE_CODE until a person picks another language in the switcher,
# whatever their browser asks for. True: a visitor who has not picked one gets the first of LANGUAGES their
# browser's Accept-Language names (Django's LocaleMiddleware behaviour).
# https://docs.djangoproject.com/en/stable/topics/i18n/translation/#how-django-discovers-language-preference
LANGUAGE_FOLLOWS_BROWSER = env.bool("LANGUAGE_FOLLOWS_BROWSER", default=False)
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Profile photos: uploads above this size are refused by the form with a message.
PROFILE_PHOTO_MAX_BYTES = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Email ------------------------------------------------------------------------------------
# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-email-url
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
if EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":  # noqa: F821 (set by the line above)
    # The console shows each email's headers and text, and its attachments by name and size instead of base64.
    EMAIL_BACKEND = "core.mail.ConsoleEmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Portal Alumni <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Misc -------------------------------------------------------------------------------------
DIRECTORY_PAGE_SIZE = 20
# django-import-export strips a leading "=" from every exported cell, so a name typed as =HYPERLINK(...) is not a
# live formula in a staff member's spreadsheet. It covers "=" only, and turns every cell into text (None becomes
# "None": export blanks as ""). The directory export adds its own guard for +, -, @, tab and carriage return
# (alumni/exporting.py: neutralise).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
# Alumni imports (alumni/importing/reading.py): refuse uploads past these sizes with a clear message, and XLSX files
# whose zip would unpack past IMPORT_MAX_UNZIPPED_BYTES or compresses more than IMPORT_MAX_ZIP_RATIO (zip bombs).
# Kode PT in the national tracer upload (tracer/national.py); empty: the institution's short name.
TRACER_INSTITUTION_CODE = env("TRACER_INSTITUTION_CODE", default="")
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200_000)
# Days an uploaded alumni file is kept after its import finished, or after upload when it was never imported
# (abandoned); then a periodic task deletes the file and keeps the job's summary (alumni.privacy).
IMPORT_FILE_RETENTION_DAYS = env.int("IMPORT_FILE_RETENTION_DAYS", default=30)
IMPORT_MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
# A check or import whose heartbeat (written every batch) stopped this long ago failed: its worker died.
IMPORT_HEARTBEAT_TIMEOUT_MINUTES = env.int("IMPORT_HEARTBEAT_TIMEOUT_MINUTES", default=10)
IMPORT_MAX_ZIP_RATIO = 100
SITE_NAME = env("SITE_NAME", default="Portal Alumni")
# The port the development server listens on: `make run PORT=8101` passes it here.
PORT = env.int("PORT", default=8000)
# Absolute links in emails (allauth builds its own from the request). Unset: the development server's address, so
# that the links a newcomer finds in the console open the portal they are running.
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{PORT}").rstrip("/")

# One handler, on the root logger, for every record. Django's own default configuration gives the `django` logger
# a console handler of its own (active with DEBUG, so under `make run`) and mail_admins (the portal sets no
# ADMINS): each django.* record was printed twice, a 403 with two tracebacks. Configuring the logger here removes
# both. A 4xx answer is logged as one line without a traceback (alumni_portal/log.py); a 5xx keeps its traceback.
# https://docs.djangoproject.com/en/stable/topics/logging/#default-logging-configuration
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_on_one_line": {"()": "alumni_portal.log.ClientErrorsOnOneLine"}},
    "formatters": {
        "plain": {"format": "%(levelname)s %(name)s %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"level": LOG_LEVEL},
        "django.request": {"filters": ["client_errors_on_one_line"]},
        # runserver's access log, as Django's default configuration has it (configuring `django` above resets its
        # children): one timestamped line per request, printed by its own handler only.
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}
