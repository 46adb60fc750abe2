"""Logging helpers named in LOGGING (alumni_portal/settings/base.py)."""

from __future__ import annotations

import logging


class ClientErrorsOnOneLine(logging.Filter):
    """A 4xx answer is the portal working as meant (a 403 for an alumnus on a staff page, a 404 for another study
    program's record): log it as its one line, `Forbidden (Permission denied): /tracer/lkps/71201/2025/`, without the
    traceback Django attaches to a PermissionDenied (two, when it was raised while handling another exception).
    5xx records are left alone: a real error keeps its traceback. Put on the `django.request` logger, whose records
    carry the response's `status_code`."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
