"""Pages of the groups part of community."""

urlpatterns: list = []
