"""Giving URLs. Each views module owns its own list of paths."""

from . import views_giving, views_manage, views_public, views_reports, views_verify

app_name = "donations"

urlpatterns = [
    *views_public.urlpatterns,
    *views_giving.urlpatterns,
    *views_manage.urlpatterns,
    *views_verify.urlpatterns,
    *views_reports.urlpatterns,
]
