"""The site's front page and the dashboard, mounted at the root by the project's urls (alumni_portal/urls.py)."""

from django.urls import path

from . import views_home

urlpatterns = [
    path("", views_home.home, name="home"),
    path("dashboard/", views_home.dashboard, name="dashboard"),
]
