from django.urls import path

from . import views, views_import, views_privacy, views_records, views_verification
from . import views_data as data_views  # staff data tools: exports, duplicates

app_name = "alumni"

urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("directory/export.csv", data_views.export, {"fmt": "csv"}, name="export_csv"),
    path("directory/export.xlsx", data_views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("duplicates/", data_views.duplicates, name="duplicates"),
    path("duplicates/<uuid:pk>/merge/", data_views.duplicate_merge, name="duplicate_merge"),
    path("me/", views.my_profile, name="my_profile"),
    path("me/new/", views.profile_create, name="profile_create"),
    path("me/request/", views_verification.profile_resubmit, name="profile_resubmit"),
    path("verification/", views_verification.verification_queue, name="verification_queue"),
    path("verification/<uuid:pk>/", views_verification.verification_decide, name="verification_decide"),
    path("vouch/<uuid:pk>/", views_verification.vouch, name="vouch"),
    path("me/edit/", views.profile_edit, name="profile_edit"),
    path("me/preview/<slug:kind>/", views.profile_preview, name="profile_preview"),
    path("me/correction/", views_records.correction, name="correction"),
    path("me/correction/withdraw/", views_records.correction_withdraw, name="correction_withdraw"),
    path("corrections/", views_records.corrections, name="corrections"),
    path("corrections/<uuid:pk>/", views_records.correction_decide, name="correction_decide"),
    path("me/career/new/", views.employment_edit, name="employment_create"),
    path("me/career/<uuid:pk>/", views.employment_edit, name="employment_edit"),
    path("me/career/<uuid:pk>/delete/", views.employment_delete, name="employment_delete"),
    path("me/privacy/", views_privacy.privacy_page, name="privacy"),
    path("me/privacy/choices/", views_privacy.privacy_choices, name="privacy_choices"),
    path("me/privacy/export/", views_privacy.privacy_export, name="privacy_export"),
    path("me/privacy/delete/", views_privacy.privacy_delete, name="privacy_delete"),
    path("goodbye/", views_privacy.privacy_goodbye, name="privacy_goodbye"),
    path("import/", views_import.import_upload, name="import"),
    path("import/template.<str:kind>", views_import.import_template, name="import_template"),
    path("import/<uuid:pk>/", views_import.import_job, name="import_job"),
    path("import/<uuid:pk>/status/", views_import.import_status, name="import_status"),
    path("import/<uuid:pk>/confirm/", views_import.import_confirm, name="import_confirm"),
    path("import/<uuid:pk>/invite/", views_import.import_invite, name="import_invite"),
    path("import/<uuid:pk>/run-again/", views_import.import_run_again, name="import_run_again"),
    path("import/conflicts/", views_import.import_conflicts, name="import_conflicts"),
    path("import/<uuid:pk>/conflicts/<uuid:conflict>/", views_import.import_conflict_resolve,
         name="import_conflict_resolve"),
    path("<uuid:pk>/", views.profile_detail, name="profile"),
    path("<uuid:pk>/photo/", views.profile_photo, name="photo"),
    path("<uuid:pk>/record/", views_records.record_edit, name="record_edit"),
]

# --- Institution pages for institution admins (alumni.views_institution): roles, faculties, study programs.
from . import views_institution  # noqa: E402

urlpatterns += [
    path("institution/roles/", views_institution.roles, name="roles"),
    path("institution/roles/<int:pk>/revoke/", views_institution.role_revoke, name="role_revoke"),
    path("institution/units/", views_institution.units, name="units"),
    path("institution/faculties/new/", views_institution.faculty_edit, name="faculty_create"),
    path("institution/faculties/<int:pk>/", views_institution.faculty_edit, name="faculty_edit"),
    path("institution/programs/new/", views_institution.program_edit, name="program_create"),
    path("institution/programs/<int:pk>/", views_institution.program_edit, name="program_edit"),
]
