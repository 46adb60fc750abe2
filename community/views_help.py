"""Pages of the help part of community."""

urlpatterns: list = []
