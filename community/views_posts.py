"""Pages of the posts part of community."""

urlpatterns: list = []
