"""Giving pages (being built)."""

urlpatterns: list = []
