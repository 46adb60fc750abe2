"""Pages of the profiles part of mentoring."""

urlpatterns: list = []
