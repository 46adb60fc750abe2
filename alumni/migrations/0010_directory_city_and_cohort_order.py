"""The directory's city filter and its sort by cohort (issue 14).

The city filter is `icontains`, like the name and employer searches: on PostgreSQL a GIN trigram index on exactly
`UPPER(city::text)` answers it (as migration 0007 does for the name and the employer); SQLite keeps scanning, fine
at its sizes. The sort by cohort (entry_year, full_name, id) gets a B-tree index in that order, so a page of the
sorted directory is read from the index instead of sorting every visible record.
"""

from django.db import migrations, models

CITY_TRIGRAM = ("alumni_profile_city_trgm", "alumni_alumniprofile", "city")


def create_city_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    name, table, column = CITY_TRIGRAM
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
    )


def drop_city_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{CITY_TRIGRAM[0]}"')


class Migration(migrations.Migration):
    dependencies = [
        ("alumni", "0009_consent_by_address"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="alumniprofile",
            index=models.Index(fields=["entry_year", "full_name", "id"], name="alumni_profile_cohort_order"),
        ),
        migrations.RunPython(create_city_index, drop_city_index, elidable=False),
    ]
