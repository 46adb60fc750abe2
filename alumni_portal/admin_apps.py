"""The admin app with the portal's own site (alumni_portal/admin_site.py): superusers only. Kept apart from the
site, which imports the auth views, because an AppConfig module is imported before the models are loaded."""

from django.contrib.admin.apps import AdminConfig


class OperatorAdminConfig(AdminConfig):
    default_site = "alumni_portal.admin_site.OperatorAdminSite"
