"""Trigram indexes for the directory's substring searches, on PostgreSQL only.

Django's `icontains` on PostgreSQL is `UPPER("col"::text) LIKE UPPER('%…%')`: no B-tree can serve a pattern that
starts with a wildcard, so at 200,000 alumni every name or employer search read the whole table. A GIN index with
`gin_trgm_ops` on exactly that expression, `UPPER(col::text)`, lets the planner answer the ORM's own query from
the index (Bitmap Index Scan); tests/alumni/test_directory_explain.py checks that it does. SQLite has no such
index and keeps working as before (a scan, fine at its sizes).
"""

from django.db import migrations

# (index name, table, column): every text field the directory searches with icontains (alumni.selectors).
TRIGRAM_INDEXES = [
    ("alumni_profile_name_trgm", "alumni_alumniprofile", "full_name"),
    ("alumni_employment_employer_trgm", "alumni_employment", "employer"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    # The extension stays: other database objects may use it, and it costs nothing unused.


class Migration(migrations.Migration):
    dependencies = [
        ("alumni", "0006_nim_unique_among_verified"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
