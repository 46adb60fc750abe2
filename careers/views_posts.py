"""Careers views: posts."""

urlpatterns: list = []
