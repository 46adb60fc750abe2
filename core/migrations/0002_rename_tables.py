"""Give the moved tables core's names (a real rename: rows, keys and indexes stay), and move their content types
(and with them the admin permissions and the admin's change history) from alumni_portal to core."""

from django.db import migrations

MODELS = ("auditlog", "notification", "notificationpreference")


def move_content_types(apps, schema_editor, old="alumni_portal", new="core"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if ContentType.objects.using(db).filter(app_label=new, model=model).exists():
            continue
        ContentType.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="core", new="alumni_portal")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="auditlog", table=None),
        migrations.AlterModelTable(name="notification", table=None),
        migrations.AlterModelTable(name="notificationpreference", table=None),
        migrations.RunPython(move_content_types, move_content_types_back, elidable=False),
    ]
