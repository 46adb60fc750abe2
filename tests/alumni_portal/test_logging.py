"""The newcomer's terminal (issue 14 §6): an expected 403 or 404 is one log line, not two tracebacks; a real 500
keeps its traceback."""

import logging
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.conftest import client_for

ROOT = Path(settings.BASE_DIR)


def lkps_path(code: str = "71201") -> str:
    return f"/tracer/lkps/{code}/{timezone.localdate().year - 1}/"


def request_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "django.request"]


def printed(record: logging.LogRecord) -> list[str]:
    """The lines LOGGING's console handler writes for `record` (its formatter, built from the settings: a Celery
    worker started in this process by another test replaces the root logger's handlers)."""
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "plain"
    return logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"]).format(record).splitlines()


def test_a_403_is_logged_as_one_line_without_traceback(alumnus_a, caplog):
    caplog.set_level(logging.INFO, logger="django.request")
    path = lkps_path()
    response = client_for(alumnus_a).get(path)
    assert response.status_code == 403
    records = request_records(caplog)
    assert len(records) == 1
    assert records[0].levelno == logging.WARNING
    assert records[0].status_code == 403
    assert records[0].exc_info is None
    assert printed(records[0]) == [f"WARNING django.request Forbidden (Permission denied): {path}"]


def test_a_404_for_another_programs_page_is_logged_as_one_line(staff_y, prodi_x, caplog):
    caplog.set_level(logging.INFO, logger="django.request")
    path = lkps_path(prodi_x.code)
    response = client_for(staff_y).get(path)
    assert response.status_code == 404
    records = request_records(caplog)
    assert len(records) == 1
    assert records[0].exc_info is None
    assert printed(records[0]) == [f"WARNING django.request Not Found: {path}"]


def test_a_real_500_keeps_its_traceback(staff_x, caplog, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the accreditation computation failed")

    monkeypatch.setattr("tracer.views_lkps.lkps.lkps_tables", broken)
    caplog.set_level(logging.INFO, logger="django.request")
    client = Client(raise_request_exception=False)
    client.force_login(staff_x)
    path = lkps_path()
    response = client.get(path)
    assert response.status_code == 500
    records = request_records(caplog)
    assert len(records) == 1
    assert records[0].levelno == logging.ERROR
    assert records[0].exc_info is not None
    lines = printed(records[0])
    assert lines[0] == f"ERROR django.request Internal Server Error: {path}"
    assert "Traceback (most recent call last):" in lines
    assert lines[-1] == "RuntimeError: the accreditation computation failed"


def test_djangos_own_console_handler_is_gone_so_nothing_prints_twice():
    # Django's default configuration gives the `django` logger a console handler of its own (active when DEBUG is
    # on), beside the root logger's: every django.* record was then printed twice.
    assert logging.getLogger("django").handlers == []
    assert logging.getLogger("django.request").handlers == []
    assert logging.getLogger("django").propagate is True
    # runserver's access log keeps its own timestamped handler and is printed once, by that handler only.
    server = logging.getLogger("django.server")
    ours = [h for h in server.handlers if type(h) is logging.StreamHandler]  # pytest adds capturing handlers
    assert [type(h.formatter).__name__ for h in ours] == ["ServerFormatter"]
    assert server.propagate is False


def test_under_make_runs_settings_a_404_prints_exactly_one_line():
    """`make run`'s settings (local, DEBUG on), in a fresh interpreter: one request for a page that does not exist."""
    path = "/no-such-page/"
    code = (
        "import django; django.setup(); from django.test import Client; "
        f"print(Client(SERVER_NAME='localhost').get({path!r}).status_code)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "LOG_LEVEL")}
    env["DJANGO_SETTINGS_MODULE"] = "alumni_portal.settings.local"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.strip() == "404", result.stderr
    assert [line for line in result.stderr.splitlines() if path in line] == [
        f"WARNING django.request Not Found: {path}"
    ]
    assert "Traceback" not in result.stderr
