"""Configuration: production settings pass Django's deployment check; the catalogues are complete."""

import os
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "alumni_portal.settings.production",
        "SECRET_KEY": "k8Zq-3vR7pLw!x2Nc9Ty6Hb4Mf1Jd5Gs0Ua8Ke7Wo3Qi2Pz6Lr",
        "ALLOWED_HOSTS": "alumni.example.ac.id",
        "DATABASE_URL": "postgres://portal:secret@db.internal:5432/portal",
        "REDIS_URL": "redis://redis.internal:6379/0",
        "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.ac.id:587",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # a test-only switch; Django rightly refuses it in deployment
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"DJANGO_SETTINGS_MODULE": "alumni_portal.settings.production", "ALLOWED_HOSTS": "x.example"})
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_embedded_default_is_sqlite_and_eager_without_environment():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.CACHES['default']['BACKEND'], "
        "s.EMAIL_BACKEND, s.LANGUAGE_CODE)"
    )
    env["DJANGO_SETTINGS_MODULE"] = "alumni_portal.settings.local"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=60).stdout.split()
    assert out == [
        "django.db.backends.sqlite3", "True", "django.core.cache.backends.locmem.LocMemCache",
        "core.mail.ConsoleEmailBackend", "id",
    ]


@pytest.mark.parametrize("language", ["id", "en"])
def test_translation_catalogue_is_complete_and_compiled(language):
    po_path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(po_path))
    if language == "id":
        untranslated = [e.msgid for e in catalogue.untranslated_entries()]
        assert untranslated == [], f"{len(untranslated)} strings lack Indonesian: {untranslated[:10]}"
        assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists()
    assert mo_path.stat().st_mtime >= po_path.stat().st_mtime - 5, "run `make messages` to recompile"
