"""Community URLs. Each views module owns its own list of paths."""

from . import views_digest, views_groups, views_help, views_posts

app_name = "community"

urlpatterns = [
    *views_groups.urlpatterns,
    *views_posts.urlpatterns,
    *views_help.urlpatterns,
    *views_digest.urlpatterns,
]
