"""Pages of the digest part of community: a member's preview of their next weekly digest."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from alumni.scope import scope_for

from .digest import DIGEST_DAYS, QUESTION_DAYS, SESSION_DAYS, digest_consent_granted, digest_preview_for


@login_required
def digest_preview(request: HttpRequest) -> HttpResponse:
    """Members (verified alumni and students) see what their next digest would hold now, whatever their consent
    (the page says whether it will be sent)."""
    if not scope_for(request.user).is_member:
        raise PermissionDenied(_("The group digest is for verified alumni and students."))
    content = digest_preview_for(request.user, now=timezone.now())
    return render(request, "community/digest_preview.html", {
        "content": content, "consent_granted": digest_consent_granted(user=request.user),
        "digest_days": DIGEST_DAYS, "question_days": QUESTION_DAYS, "session_days": SESSION_DAYS,
    })


urlpatterns = [
    path("digest/preview/", digest_preview, name="digest_preview"),
]
