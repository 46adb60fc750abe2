from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("", views.program_list, name="list"),
    path("propose/", views.program_propose, name="propose"),
    path("new/", views.program_create, name="create"),
    path("proposals/", views.proposals, name="proposals"),
    path("health/", views.health, name="health"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("calendar/<slug:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("<uuid:pk>/", views.program_detail, name="detail"),
    path("<uuid:pk>/edit/", views.program_edit, name="edit"),
    path("<uuid:pk>/transition/", views.program_transition, name="transition"),
    path("<uuid:pk>/approve/", views.program_approve, name="approve"),
    path("<uuid:pk>/reject/", views.program_reject, name="reject"),
    path("<uuid:pk>/team/add/", views.team_add, name="team_add"),
    path("<uuid:pk>/sessions/new/", views.session_create, name="session_create"),
    path("team/<uuid:pk>/remove/", views.team_remove, name="team_remove"),
    path("invitations/<uuid:pk>/", views.invitation, name="invitation"),
    path("invitations/<uuid:pk>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
    path("sessions/<uuid:pk>/", views.session_detail, name="session"),
    path("sessions/<uuid:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<uuid:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<uuid:pk>/register/", views.session_register, name="session_register"),
    path("sessions/<uuid:pk>/unregister/", views.session_unregister, name="session_unregister"),
    path("sessions/<uuid:pk>/attendance/", views.session_attendance, name="session_attendance"),
    path("sessions/<uuid:pk>/ics/", views.session_ics, name="session_ics"),
]
