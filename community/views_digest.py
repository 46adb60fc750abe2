"""Pages of the digest part of community."""

urlpatterns: list = []
