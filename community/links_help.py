"""Where the community help and digest emails point (links inside an email body are absolute: core makes only the
notification's own `link` absolute)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if path.startswith("/") else path


def question_url(question) -> str:
    return reverse("community:question_detail", args=[question.pk])


def questions_url(group) -> str:
    return reverse("community:questions", args=[group.slug])


def skills_url() -> str:
    return reverse("community:skills")
