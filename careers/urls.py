"""Careers URLs. Each views module owns its own list of paths."""

from . import views_alerts, views_employers, views_introductions, views_moderation, views_organisations, views_posts

app_name = "careers"

urlpatterns = [
    *views_posts.urlpatterns,
    *views_moderation.urlpatterns,
    *views_alerts.urlpatterns,
    *views_introductions.urlpatterns,
    *views_organisations.urlpatterns,
    *views_employers.urlpatterns,
]
