"""Mentoring URLs. Each views module owns its own list of paths."""

from . import views_mentorships, views_profiles, views_requests, views_rounds

app_name = "mentoring"

urlpatterns = [
    *views_profiles.urlpatterns,
    *views_requests.urlpatterns,
    *views_mentorships.urlpatterns,
    *views_rounds.urlpatterns,
]
