"""Careers views: moderation."""

urlpatterns: list = []
