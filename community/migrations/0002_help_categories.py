"""Help requests: the SLiMS set of help categories (staff keep the list on community:help_categories), and "helped
solve N questions" off on profiles until the person turns it on."""

from django.db import migrations, models

# (code, English name): the names are translated on the pages through the locale catalogue of the lead.
CATEGORIES = [
    ("instalasi-slims", "SLiMS installation"),
    ("migrasi-data", "Data migration"),
    ("katalogisasi", "Cataloguing"),
    ("otomasi-perpustakaan", "Library automation"),
    ("repositori-ojs", "Repository and OJS"),
]


def seed(apps, schema_editor):
    HelpCategory = apps.get_model("community", "HelpCategory")
    for code, name in CATEGORIES:
        HelpCategory.objects.get_or_create(code=code, defaults={"name": name})


def unseed(apps, schema_editor):
    HelpCategory = apps.get_model("community", "HelpCategory")
    HelpCategory.objects.filter(code__in=[c for c, _n in CATEGORIES], requests__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="communitysettings",
            name="show_helped_count",
            field=models.BooleanField(default=False,
                                      verbose_name="show how many questions I helped solve on my profile"),
        ),
        migrations.RunPython(seed, unseed),
    ]
