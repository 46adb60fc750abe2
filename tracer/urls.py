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

# --- Admin side: survey builder and waves (tracer.views_admin) ---
from . import views_admin  # noqa: E402

urlpatterns += [
    path("surveys/", views_admin.surveys, name="surveys"),
    path("surveys/versions/<int:pk>/", views_admin.survey, name="survey"),
    path("surveys/versions/<int:pk>/questions/new/", views_admin.question_add, name="question_add"),
    path("questions/<int:pk>/edit/", views_admin.question_edit, name="survey_edit"),
    path("questions/<int:pk>/delete/", views_admin.question_delete, name="question_delete"),
    path("waves/", views_admin.waves, name="waves"),
    path("waves/new/", views_admin.wave_create, name="wave_create"),
    path("waves/<uuid:pk>/", views_admin.wave, name="wave"),
    path("waves/<uuid:pk>/launch/", views_admin.wave_launch, name="wave_launch"),
    path("waves/<uuid:pk>/close/", views_admin.wave_close, name="wave_close"),
]

# --- answering (tracer.views_answer): the token is the credential; no URL names a response by id.
from . import views_answer  # noqa: E402

urlpatterns += [
    path("my/", views_answer.my_surveys, name="my_surveys"),
    path("t/<slug:token>/", views_answer.answer, name="answer"),
    path("t/<slug:token>/done/", views_answer.answer_done, name="answer_done"),
]

# --- the stop link of tracer emails to people without an account (tracer.views_stop): the token is the credential.
from . import views_stop  # noqa: E402

urlpatterns += [
    path("t/<slug:token>/stop/", views_stop.stop, name="stop"),
    path("t/<slug:token>/stop/one-click/", views_stop.one_click, name="stop_one_click"),
]

# --- employer-survey links sent by staff (tracer.views_employer)
from . import views_employer  # noqa: E402

urlpatterns += [
    path("employers/", views_employer.employer_invite, name="employer_invite"),
]

# --- Accreditation report pages (tracer.views_lkps): one study program and TS per page, staff of that program only.
from . import views_lkps  # noqa: E402

urlpatterns += [
    path("lkps/", views_lkps.lkps_index, name="lkps_index"),
    path("lkps/<str:code>/<int:ts>/", views_lkps.lkps_report, name="lkps"),
    path("lkps/<str:code>/<int:ts>/cell/", views_lkps.lkps_cell, name="lkps_cell"),
    path("lkps/<str:code>/<int:ts>/plans/", views_lkps.lkps_plans, name="lkps_plans"),
    path("lkps/<str:code>/<int:ts>/iku-target/", views_lkps.lkps_iku_target, name="lkps_iku_target"),
    path("lkps/<str:code>/<int:ts>/lkps.xlsx", views_lkps.lkps_workbook, name="lkps_xlsx"),
    path("lkps/<str:code>/<int:ts>/lkps.pdf", views_lkps.lkps_pdf_view, name="lkps_pdf"),
    path("lkps/<str:code>/<int:ts>/evidence.xlsx", views_lkps.lkps_evidence_workbook, name="lkps_evidence_xlsx"),
    path("lkps/<str:code>/<int:ts>/<slug:table>.csv", views_lkps.lkps_csv, name="lkps_csv"),
]

# --- Minimum wages for IKU-1 and the LKPS tables (tracer.views_wages): institution admins.
from . import views_wages  # noqa: E402

urlpatterns += [
    path("minimum-wages/", views_wages.minimum_wages, name="minimum_wages"),
]
