from django.urls import path

app_name = "tracer"

# Each part of the tracer study adds its own block of paths below.
urlpatterns: list = []
