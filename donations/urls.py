"""Giving URLs. Each views module owns its own list of paths."""

from . import views_giving, views_public, views_reports, views_staff

app_name = "donations"

urlpatterns = [
    *views_public.urlpatterns,
    *views_giving.urlpatterns,
    *views_staff.urlpatterns,
    *views_reports.urlpatterns,
]
