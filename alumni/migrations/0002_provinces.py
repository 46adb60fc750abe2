"""Ship Indonesia's provinces with their national region codes (see alumni/provinces.py)."""

from django.db import migrations


def add_provinces(apps, schema_editor):
    from alumni.provinces import PROVINCES

    Province = apps.get_model("alumni", "Province")
    for code, name in PROVINCES:
        Province.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("alumni", "0001_initial")]

    operations = [migrations.RunPython(add_provinces, migrations.RunPython.noop)]
