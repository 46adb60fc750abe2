"""Pages of the mentorships part of mentoring."""

urlpatterns: list = []
