"""Careers views: organisations."""

urlpatterns: list = []
