"""The choices of the reference tables (provinces, study programs) that the directory's filters show on every
request, from the cache instead of two queries and 60 model objects per page.

They change a few times a year (an admin adds a study program), so they are kept for REFERENCE_SECONDS per
language (a study program's label carries its translated level) and forgotten at once when a row of either table
is saved or deleted (the receivers connected in AlumniConfig.ready()). The forms still validate a submitted choice
against the table itself: the cache only writes the <option>s.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from .models import Province, StudyProgram

REFERENCE_SECONDS = 600
TABLES = {"province": Province, "study_program": StudyProgram}


def _key(name: str, language: str | None) -> str:
    return f"alumni:choices:{name}:{language or settings.LANGUAGE_CODE}"


def reference_choices(*names: str) -> dict[str, list[tuple[int, str]]]:
    """(pk, label) of every row of each reference table named, in the order its ModelChoiceField shows them (the
    tables' own ordering); one cache round trip when warm."""
    language = get_language()
    keys = {name: _key(name, language) for name in names}
    cached = cache.get_many(keys.values())
    found = {}
    for name, key in keys.items():
        if key not in cached:
            cached[key] = [(row.pk, str(row)) for row in TABLES[name].objects.all()]
            cache.set(key, cached[key], REFERENCE_SECONDS)
        found[name] = cached[key]
    return found


def forget_reference_choices(sender, **kwargs) -> None:
    """post_save / post_delete receiver of Province and StudyProgram."""
    for name, model in TABLES.items():
        if issubclass(sender, model):
            cache.delete_many([_key(name, code) for code, _label in settings.LANGUAGES])


def use_reference_choices(form, **fields: str) -> None:
    """Show the options of the form's ModelChoiceFields (field name=table name) from the cache; the fields keep
    their querysets for validation."""
    choices = reference_choices(*fields.values())
    for field_name, table in fields.items():
        field = form.fields[field_name]
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        field.choices = empty + choices[table]
