"""The audit log, notifications and notification preferences now belong to core (core 0001 took them over on the
same tables): this app lets go of them in Django's migration state only. No table is dropped."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("alumni_portal", "0005_audit_subject"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(model_name="notification", name="recipient"),
                migrations.RemoveField(model_name="notificationpreference", name="user"),
                migrations.RemoveField(model_name="auditlog", name="actor"),
                migrations.RemoveField(model_name="auditlog", name="study_program"),
                migrations.RemoveField(model_name="auditlog", name="subject"),
                migrations.DeleteModel(name="AuditLog"),
                migrations.DeleteModel(name="Notification"),
                migrations.DeleteModel(name="NotificationPreference"),
            ],
        ),
    ]
