"""Pages of the rounds part of mentoring."""

urlpatterns: list = []
