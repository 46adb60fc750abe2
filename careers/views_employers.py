"""Careers views: employers."""

urlpatterns: list = []
