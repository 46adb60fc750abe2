"""Pages of the requests part of mentoring."""

urlpatterns: list = []
