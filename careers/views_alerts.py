"""Careers views: alerts."""

urlpatterns: list = []
