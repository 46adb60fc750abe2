"""The portal's URLs plus /_floor/: a one-query view behind the same middleware and session, the ceiling that
every page's throughput is compared with. Exists only in the benchmark."""

from django.db import connection
from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse(f"ok {request.user.is_authenticated}")


urlpatterns = [path("_floor/", floor), path("", include("alumni_portal.urls"))]
