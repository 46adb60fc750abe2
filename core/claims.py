"""Claims by unique key: insert rows, skip those whose key is taken, and learn exactly which ones this statement
won. The outbox (core.notifications) and the sign-up invitations (alumni.importing.invitations) claim this way.
"""

from __future__ import annotations

from django.db import connections, models, router

from .iterables import batched


def insert_claims(model: type[models.Model], rows: list[models.Model], *, batch: int) -> dict[str, int]:
    """INSERT … ON CONFLICT (key) DO NOTHING RETURNING pk, key: {key: pk} of the rows this call inserted.

    Django's bulk_create(ignore_conflicts=True) neither returns ids nor, on SQLite, puts more than 999 bound
    parameters in one statement; this writes up to `batch` rows per statement on both databases and tells exactly
    which keys were won (a key claimed before, by anyone, is not returned). Rows go in key order, so two concurrent
    claims wait on each other's unique-index entries in the same order and cannot deadlock. The model needs a
    unique `key` column; SQLite >= 3.35 or PostgreSQL.
    """
    if not rows:
        return {}
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(qn(f.column) for f in fields)
    pk = qn(model._meta.pk.column)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    won: dict[str, int] = {}
    with connection.cursor() as cursor:
        for chunk in batched(sorted(rows, key=lambda r: r.key), batch):
            params = [f.get_db_prep_save(f.pre_save(row, True), connection) for row in chunk for f in fields]
            # Identifiers come from the model's own metadata; every value is a bound parameter.
            sql = (
                f"INSERT INTO {qn(model._meta.db_table)} ({columns}) "  # noqa: S608
                f"VALUES {', '.join([row_sql] * len(chunk))} "
                f"ON CONFLICT ({qn('key')}) DO NOTHING RETURNING {pk}, {qn('key')}"
            )
            cursor.execute(sql, params)
            won.update((key, pk_value) for pk_value, key in cursor.fetchall())
    return won
