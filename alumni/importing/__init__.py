"""Alumni import: a CSV or XLSX file of graduate records, checked in full, then written all or nothing; and the
invitations to sign up that staff send for the imported records.

One module per job; each name lives in the module that owns it, and callers import it from there (this package
re-exports nothing):

- `reading`: reading an untrusted upload safely. The size cap, the format told from the content (UTF-8 CSV or
  XLSX, never the file name), zip-bomb checks, openpyxl over defusedxml, formula cells read as their "=..." text,
  the header and rows as text: `read_table`, `Table` (its rows a `Rows`: compact CSV bytes parsed again on each
  pass, not a list per row), `ImportFileError`, `Issue`, `limit`, `size_text`, the column names and ROW. The
  tracer's imports use it too.
- `resource`: the django-import-export resource (`AlumniResource`), its instance loader and its widgets. Every cell
  checked (formulas refused), records matched on (study program, NIM), written in bulk, audit entries of updated
  records, conflicts of claimed records.
- `jobs`: an import's lifecycle. `run_import` (preview or the real import, one transaction), the `ImportJob` steps
  (`job_create`, `job_preview`, `job_confirm`, `job_import`), progress in the cache (`job_progress`), the recorded
  conflicts and the summary audit entries. Used by alumni/tasks.py, alumni/views_import.py and
  `manage.py import_alumni`.
- `invitations`: invitations to sign up and claim an imported record (`invitations_claim`,
  `invitation_deliver`); sending is scheduled by task name through core.dispatch.

Import order, and no other edge between them (no cycle, no function-level import):

    reading <- resource <- jobs
    reading <- invitations

None of them imports alumni.tasks: the tasks import these modules and call them.
"""
