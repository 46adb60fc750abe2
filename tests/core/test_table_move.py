"""The audit log, notifications and preferences moved from the project package (alumni_portal) to core: a
database migrated before the move keeps every row, its content types (admin permissions and history) follow,
and the migration runs backwards too."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("alumni_portal", "0005_audit_subject"), ("core", None)]
AFTER = [("alumni_portal", "0006_moved_to_core"), ("core", "0002_rename_tables")]


def migrate(targets):
    """Migrate these apps to these migrations; the models as they were then."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.fixture
def back_to_latest():
    yield
    # Whatever happened, the next test finds today's schema: every app at its latest migration.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_rows_and_content_types_survive_the_move(alumnus_a, back_to_latest):
    member = alumnus_a
    old_apps = migrate(BEFORE)
    tables = set(connection.introspection.table_names())
    assert {"alumni_portal_auditlog", "alumni_portal_notification", "alumni_portal_notificationpreference"} <= tables
    assert not {"core_auditlog", "core_notification"} & tables
    AuditLog = old_apps.get_model("alumni_portal", "AuditLog")
    Notification = old_apps.get_model("alumni_portal", "Notification")
    Preference = old_apps.get_model("alumni_portal", "NotificationPreference")
    for n in range(3):
        AuditLog.objects.create(actor_id=member.pk, action="alumni.profile.updated", target_type="alumni.user",
                                target_id=str(member.pk), target_repr=f"entry {n}", data={"n": n})
    Notification.objects.create(key="k:1", kind="session_tomorrow", recipient_id=member.pk, subject="s", body="b")
    Preference.objects.create(user_id=member.pk, kind="pledge_due", enabled=False)
    # Unapplying core 0002 gave the content types back to the project package, as a database before the move had.
    ContentType.objects.clear_cache()
    old_type = ContentType.objects.get(app_label="alumni_portal", model="auditlog")
    assert not ContentType.objects.filter(app_label="core").exists()

    new_apps = migrate(AFTER)

    tables = set(connection.introspection.table_names())
    assert {"core_auditlog", "core_notification", "core_notificationpreference"} <= tables
    assert not {"alumni_portal_auditlog", "alumni_portal_notification"} & tables
    moved = new_apps.get_model("core", "AuditLog").objects.order_by("pk")
    assert [(e.target_repr, e.data) for e in moved] == [(f"entry {n}", {"n": n}) for n in range(3)]
    assert new_apps.get_model("core", "Notification").objects.get().key == "k:1"
    assert new_apps.get_model("core", "NotificationPreference").objects.get().enabled is False
    # The same content type row, now core's: permissions and the admin's history point at it still.
    old_type.refresh_from_db()
    assert old_type.app_label == "core"

    # And back: the tables return to the project package with their rows.
    migrate(BEFORE)
    assert "alumni_portal_auditlog" in connection.introspection.table_names()
    assert old_apps.get_model("alumni_portal", "AuditLog").objects.count() == 3
    old_type.refresh_from_db()
    assert old_type.app_label == "alumni_portal"
