"""Careers views: introductions."""

urlpatterns: list = []
