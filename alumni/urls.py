from django.urls import path

from . import views

app_name = "alumni"

urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("me/", views.my_profile, name="my_profile"),
    path("me/new/", views.profile_create, name="profile_create"),
    path("me/edit/", views.profile_edit, name="profile_edit"),
    path("me/career/new/", views.employment_edit, name="employment_create"),
    path("me/career/<uuid:pk>/", views.employment_edit, name="employment_edit"),
    path("me/career/<uuid:pk>/delete/", views.employment_delete, name="employment_delete"),
    path("<uuid:pk>/", views.profile_detail, name="profile"),
    path("<uuid:pk>/photo/", views.profile_photo, name="photo"),
]
