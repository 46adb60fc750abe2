"""Production: PostgreSQL, Redis, SMTP, whitenoise, HTTPS only. Every value comes from the environment."""

from .base import *  # noqa: F403
from .base import LOGGING, MIDDLEWARE, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")  # no default: refuse to start without one
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

# https://docs.djangoproject.com/en/stable/howto/deployment/checklist/
# X-Forwarded-Proto says whether the browser came over HTTPS, but any client can send that header: Django trusts it
# only when TRUST_X_FORWARDED_PROTO says a proxy of ours terminates TLS and overwrites the header on every request
# (docker-compose.yml's proxy does). Without a proxy, gunicorn must terminate TLS itself.
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The language choice travels only over HTTPS, is not readable by scripts, and is not sent by other sites.
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Whitenoise serves the collected static files without a separate web server, right after SecurityMiddleware.
# https://whitenoise.readthedocs.io/en/stable/django.html
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# base's logging (one handler, 4xx on one line), with the time on every line.
LOGGING = {
    **LOGGING,
    "formatters": {**LOGGING["formatters"], "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
}
