"""The newcomer's terminal (issue 14 §6): `make run PORT=8101` serves on that port and the emails' links follow it;
the setup ends with the demo logins, after every email the seeding printed; the embedded default prints emails
readably."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from core.mail import SEPARATOR
from tests.conftest import need

ROOT = Path(settings.BASE_DIR)


def local_settings(**env: str) -> dict[str, str]:
    """SITE_URL and EMAIL_BACKEND as `make run`'s settings compute them, in a fresh interpreter."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SITE_URL); print(s.EMAIL_BACKEND)"
    )
    full_env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT", "EMAIL_URL")}
    full_env.update({"DJANGO_SETTINGS_MODULE": "alumni_portal.settings.local", **env})
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    site_url, backend = result.stdout.split()
    return {"SITE_URL": site_url, "EMAIL_BACKEND": backend}


def test_site_url_follows_the_port_unless_set():
    assert local_settings()["SITE_URL"] == "http://127.0.0.1:8000"
    assert local_settings(PORT="8101")["SITE_URL"] == "http://127.0.0.1:8101"
    assert local_settings(PORT="8101", SITE_URL="https://alumni.example.ac.id/")["SITE_URL"] == (
        "https://alumni.example.ac.id"
    )


def test_console_email_url_gets_the_readable_console_backend_and_smtp_stays_smtp():
    assert local_settings()["EMAIL_BACKEND"] == "core.mail.ConsoleEmailBackend"
    assert local_settings(EMAIL_URL="consolemail://")["EMAIL_BACKEND"] == "core.mail.ConsoleEmailBackend"
    assert local_settings(EMAIL_URL="smtp://mailer:secret@127.0.0.1:1025")["EMAIL_BACKEND"] == (
        "django.core.mail.backends.smtp.EmailBackend"
    )


def make_run_commands(*args: str) -> list[str]:
    """The commands `make run` would run (make -n runs none of them)."""
    need(shutil.which("make") is not None, "GNU make is not installed")
    env = {k: v for k, v in os.environ.items() if k not in ("PORT", "MAKEFLAGS")}
    result = subprocess.run(["make", "-n", "run", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@pytest.mark.parametrize("args,port", [((), "8000"), (("PORT=8101",), "8101")])
def test_make_run_serves_on_port_and_passes_it_to_the_seeding_and_the_server(args, port):
    commands = make_run_commands(*args)
    seed = [c for c in commands if "manage.py seed_demo" in c]
    server = [c for c in commands if "manage.py runserver" in c]
    assert seed == [f"PORT={port} .venv/bin/python manage.py seed_demo"]
    assert server == [f"PORT={port} .venv/bin/python manage.py runserver 127.0.0.1:{port}"]
    # The seeding (its emails, then the logins) comes before the server starts.
    assert commands.index(seed[0]) < commands.index(server[0])


@pytest.mark.django_db(transaction=True)
def test_seed_demo_prints_the_logins_after_every_email(settings, capsys, provinces, national_surveys):
    settings.EMAIL_BACKEND = "core.mail.ConsoleEmailBackend"
    settings.SITE_URL = "http://127.0.0.1:8101"
    call_command("seed_demo")
    lines = capsys.readouterr().out.splitlines()
    emails = [i for i, line in enumerate(lines) if line == SEPARATOR]
    assert len(emails) >= 1, "the seeding sends emails (role grants): the test would prove nothing without them"
    logins = lines.index("Demo logins (password for all: alumni-demo-2026):")
    assert logins > emails[-1]
    assert lines[logins + 1:logins + 7] == [
        "  admin@demo.ac.id", "  staff.ip@demo.ac.id", "  staff.bsa@demo.ac.id", "  staff.spi@demo.ac.id",
        "  siti.rahmawati@demo.ac.id", "  budi.santoso@demo.ac.id",
    ]
    after = lines[logins:]
    assert not [line for line in after if line.startswith(("Subject:", "From:", "To:"))]
    assert len(after) == 9  # the heading, six logins, the sign-up hint, the pending requests
