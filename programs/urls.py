"""Program URLs: one list, each path pointing at the view module of its audience (public, member, manage)."""

from django.urls import path

from . import views_manage, views_member, views_public

app_name = "programs"

urlpatterns = [
    path("", views_public.program_list, name="list"),
    path("propose/", views_member.program_propose, name="propose"),
    path("new/", views_manage.program_create, name="create"),
    path("proposals/", views_manage.proposals, name="proposals"),
    path("health/", views_manage.health, name="health"),
    path("agenda/", views_public.session_calendar, name="agenda"),
    path("calendar/", views_member.calendar, name="calendar"),
    path("calendar/reset/", views_member.calendar_reset, name="calendar_reset"),
    path("calendar/<slug:token>.ics", views_public.calendar_feed, name="calendar_feed"),
    path("<uuid:pk>/", views_public.program_detail, name="detail"),
    path("<uuid:pk>/edit/", views_manage.program_edit, name="edit"),
    path("<uuid:pk>/transition/", views_manage.program_transition, name="transition"),
    path("<uuid:pk>/approve/", views_manage.program_approve, name="approve"),
    path("<uuid:pk>/reject/", views_manage.program_reject, name="reject"),
    path("<uuid:pk>/team/add/", views_manage.team_add, name="team_add"),
    path("<uuid:pk>/sessions/new/", views_manage.session_create, name="session_create"),
    path("team/<uuid:pk>/remove/", views_manage.team_remove, name="team_remove"),
    path("invitations/<uuid:pk>/", views_member.invitation, name="invitation"),
    path("invitations/<uuid:pk>/withdraw/", views_manage.invitation_withdraw, name="invitation_withdraw"),
    path("sessions/<uuid:pk>/", views_public.session_detail, name="session"),
    path("sessions/<uuid:pk>/edit/", views_manage.session_edit, name="session_edit"),
    path("sessions/<uuid:pk>/cancel/", views_manage.session_cancel, name="session_cancel"),
    path("sessions/<uuid:pk>/register/", views_member.session_register, name="session_register"),
    path("sessions/<uuid:pk>/unregister/", views_member.session_unregister, name="session_unregister"),
    path("sessions/<uuid:pk>/attendance/", views_manage.session_attendance, name="session_attendance"),
    path("sessions/<uuid:pk>/ics/", views_public.session_ics, name="session_ics"),
]
