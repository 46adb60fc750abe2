from django.urls import path

app_name = "tracer"

# Each part of the tracer study adds its own block of paths below.
urlpatterns: list = []

# --- Results, national-layout export and import (tracer/views_results.py)
from . import views_results  # noqa: E402

urlpatterns += [
    path("results/", views_results.results, name="results"),
    path("results/wave/<uuid:pk>/", views_results.wave_results_view, name="wave_results"),
    path("results/wave/<uuid:pk>/export/", views_results.wave_export, name="wave_export"),
    path("results/import/", views_results.import_responses, name="import_responses"),
]

# --- answering (tracer.views_answer): the token is the credential; no URL names a response by id.
from . import views_answer  # noqa: E402

urlpatterns += [
    path("my/", views_answer.my_surveys, name="my_surveys"),
    path("t/<slug:token>/", views_answer.answer, name="answer"),
    path("t/<slug:token>/done/", views_answer.answer_done, name="answer_done"),
]
