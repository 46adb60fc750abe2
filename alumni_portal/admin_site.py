"""The Django admin is the operator's tool: superusers only.

Staff and institution admins do their work on the portal's pages, which go through the services (scoped and
audited). Everyone else gets, on every /admin/ URL: anonymous visitors a redirect to the portal's login (which
carries allauth's rate limits: the admin keeps no login form of its own), signed-in people who are not superusers
403. `User.is_staff` gives nothing by itself.
"""

from __future__ import annotations

from functools import update_wrapper

from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def is_operator(user) -> bool:
    return bool(user is not None and user.is_active and user.is_superuser)


class OperatorAdminSite(AdminSite):
    site_header = _("Alumni portal administration")
    site_title = _("Alumni portal")

    def has_permission(self, request: HttpRequest) -> bool:
        return is_operator(request.user)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied(_("The administration is for the portal's operators."))
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """No second login form: people sign in through the portal's (rate-limited) login, then come back."""
        if self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        if request.user.is_authenticated:
            raise PermissionDenied(_("The administration is for the portal's operators."))
        return redirect_to_login(request.GET.get("next") or reverse("admin:index", current_app=self.name))
