"""Alumni import speed and memory: a 100,000-row CSV, checked (preview) and imported, then a 100,000-row update.

    .venv/bin/python bench/import_alumni.py [--rows 100000] [--db sqlite postgres] [--existing 0 10000 200000]
                                            [--new-only]

`--existing N` first seeds N verified records in the file's study programs (other NIMs; 45 % claimed by an
account), written with PostgreSQL `COPY` (bulk_create on SQLite), so that the import runs against a database of
that size; several sizes run one after the other, each in its own scratch database. `--new-only` skips the update
file. On PostgreSQL a step `COPY`s the new file's bytes as they are (`COPY … FROM STDIN`, CSV) into a staging table,
and again followed by one INSERT … SELECT into the real table, each in a transaction rolled back, for the ratio: the
database's own speed on the same file (see copy_rows).

For each database it makes a scratch database (a SQLite file in a temporary folder; for PostgreSQL
`createdb -h 127.0.0.1 -U postgres bench_import_<pid>`, dropped afterwards), migrates it, and runs each step in a
fresh child process so that the peak RSS (resource.getrusage ru_maxrss) is that step's own. It prints one line per
step: rows, seconds, rows/s, queries, queries per 1,000 rows and peak RSS, and the counts the engine reported.

Steps: preview and import of the new file (100,000 new records), then preview and import of the update file (same
keys; every second row has another city, so 50,000 updated records with an audit entry each, 50,000 unchanged).
"""

import argparse
import csv
import datetime
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from scratch import migrated_database, run_child  # noqa: E402 (bench/ is on sys.path)

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = ("B1001", "B1002", "B1003", "B1004")
PROVINCES = ("040000", "DI Yogyakarta", "030000", "jawa tengah", "010000", "")


def generate(path: Path, rows: int, *, update: bool = False) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["nim", "full_name", "email", "study_program", "entry_year", "graduation_date", "phone",
                         "province", "city"])
        for i in range(rows):
            entry = 2000 + i % 20
            city = f"Kota {i % 100}"
            if update and i % 2 == 0:
                city = f"Kota Baru {i % 50}"
            writer.writerow([
                f"{i:09d}", f"Alumnus {i:06d}", f"alumnus{i}@example.org", PROGRAMS[i % len(PROGRAMS)], entry,
                f"{entry + 4}-08-25", f"0812{i:07d}", PROVINCES[i % len(PROVINCES)], city,
            ])



def child(args: list[str]) -> None:
    """One step in this process: seed, or preview/import one file. Prints one JSON line."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    step = args[0]
    if step == "seed":
        from alumni.models import Faculty, Institution, StudyProgram

        faculty = Faculty.objects.create(institution=Institution.objects.create(name="Bench"), name="F")
        for code in PROGRAMS:
            StudyProgram.objects.create(faculty=faculty, code=code, name=f"Program {code}")
        existing = int(args[1]) if len(args) > 1 else 0
        start = time.perf_counter()
        if existing:
            seed_existing(existing)
        print(json.dumps({"seeded": existing, "seconds": time.perf_counter() - start}))
        return
    if step == "copy":
        print(json.dumps(copy_rows(Path(args[1]))))
        return

    from alumni.importing.jobs import run_import

    path = Path(args[1])
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    # The import's COPY statements bypass execute(): count each as a query (an older checkout has none).
    from alumni.importing import resource as import_resource

    copy_insert = getattr(import_resource, "copy_insert", None)

    def counted_copy(*args, **kwargs):
        nonlocal queries
        queries += 1
        return copy_insert(*args, **kwargs)

    if copy_insert is not None:
        import_resource.copy_insert = counted_copy
    start = time.perf_counter()
    with connection.execute_wrapper(count), path.open("rb") as handle:
        outcome = run_import(handle, user=None, dry_run=(step == "preview"))
    seconds = time.perf_counter() - start
    assert outcome.ok, (outcome.file_error, outcome.issues[:5])
    print(json.dumps({
        "step": step, "rows": outcome.total_rows, "seconds": seconds, "queries": queries,
        "counts": outcome.counts, "audit": outcome.audit_entries,
        "rss_start_mb": rss_before / 1024, "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


def _copy_text(instances) -> str:
    """Model instances → the text format of COPY (each concrete column, as Django would save it)."""
    from django.db import connection

    fields = instances[0]._meta.concrete_fields
    lines = []
    for obj in instances:
        cells = []
        for f in fields:
            value = f.get_db_prep_save(f.pre_save(obj, add=True), connection)
            if value is None:
                cells.append("\\N")
            elif isinstance(value, bool):
                cells.append("t" if value else "f")
            else:
                cells.append(str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n"))
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def _copy_in(model, instances) -> None:
    import io

    from django.db import connection

    columns = ", ".join(connection.ops.quote_name(f.column) for f in model._meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {model._meta.db_table} ({columns}) FROM STDIN",
                                  io.StringIO(_copy_text(instances)))


def seed_existing(count: int, chunk: int = 20_000) -> None:
    """`count` verified records of PROGRAMS (NIMs the files do not use), 45 % claimed by an account."""
    from django.db import connection, transaction

    from alumni.models import AlumniProfile, Province, StudyProgram, User

    programs = list(StudyProgram.objects.filter(code__in=PROGRAMS).order_by("code").values_list("pk", flat=True))
    provinces = list(Province.objects.values_list("pk", flat=True)) or [None]
    postgres = connection.vendor == "postgresql"
    for first in range(0, count, chunk):
        users, profiles = [], []
        for i in range(first, min(count, first + chunk)):
            entry = 1995 + i % 25
            user = None
            if i % 20 < 9:
                user = User(email=f"seeded{i}@example.net", full_name=f"Seeded {i:07d}", password="!")  # noqa: S106 (unusable)
                users.append(user)
            profiles.append(AlumniProfile(
                user=user, study_program_id=programs[i % len(programs)], nim=f"S{i:08d}",
                full_name=f"Seeded {i:07d}", email=f"seeded{i}@example.net", entry_year=entry,
                graduation_date=datetime.date(entry + 4, 8, 25), phone=f"0813{i:07d}",
                province_id=provinces[i % len(provinces)], city=f"Kota {i % 100}",
                verification=AlumniProfile.Verification.VERIFIED,
            ))
        with transaction.atomic():
            if postgres:
                if users:
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                                       [User._meta.db_table, len(users)])
                        for user, (pk,) in zip(users, cursor.fetchall(), strict=True):
                            user.pk = pk
                    _copy_in(User, users)
                for profile in profiles:
                    profile.user_id = profile.user.pk if profile.user else None
                _copy_in(AlumniProfile, profiles)
            else:
                User.objects.bulk_create(users)
                for profile in profiles:
                    profile.user_id = profile.user.pk if profile.user else None
                AlumniProfile.objects.bulk_create(profiles)
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def copy_rows(path: Path) -> dict:
    """The database's own speed on the same file, two raw `COPY … FROM STDIN` of its bytes, each rolled back:

    - "COPY staging": the CSV as it is into a temporary table of text columns (parsing and storing the file);
    - "COPY table": the same, then one INSERT … SELECT of those rows into alumni_alumniprofile (study program codes
      joined, gen_random_uuid() ids, every other column at its default), with the table's indexes: what an import
      running at PostgreSQL's speed would write. The import's ratio is given against both.
    """
    from django.db import connection, transaction

    from alumni.models import AlumniProfile, Province, StudyProgram

    meta = AlumniProfile._meta
    quote = connection.ops.quote_name
    with path.open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    staging = "bench_import_staging"
    create = f"CREATE TEMP TABLE {staging} ({', '.join(f'{quote(name)} text' for name in header)})"
    copy = f"COPY {staging} FROM STDIN WITH (FORMAT csv, HEADER true)"
    # The file's columns cast to the table's types; every other column at the model's default.
    from_file = {
        "id": "gen_random_uuid()", "study_program_id": "sp.id", "nim": "s.nim", "full_name": "s.full_name",
        "email": "s.email", "entry_year": "s.entry_year::smallint",
        "graduation_date": "NULLIF(s.graduation_date, '')::date", "phone": "s.phone", "city": "s.city",
        "province_id": "COALESCE(by_code.id, by_name.id)", "created_at": "now()", "updated_at": "now()",
    }
    columns, values, params = [], [], []
    for field in meta.concrete_fields:
        columns.append(quote(field.column))
        if field.attname in from_file:
            values.append(from_file[field.attname])
        else:
            default = field.get_default()
            params.append(field.get_db_prep_save(getattr(default, "value", default), connection))
            values.append("%s")
    insert = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) SELECT {', '.join(values)} "  # noqa: S608
              f"FROM {staging} s JOIN {quote(StudyProgram._meta.db_table)} sp ON sp.code = s.study_program "
              f"LEFT JOIN {quote(Province._meta.db_table)} by_code ON by_code.code = s.province "
              f"LEFT JOIN {quote(Province._meta.db_table)} by_name ON lower(by_name.name) = lower(s.province)")

    class Undo(Exception):
        pass

    result = {}
    for label in ("staging", "table"):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                # The table's foreign keys are checked at commit (DEFERRABLE INITIALLY DEFERRED); the import commits,
                # these steps roll back: check them at once so that the database does the same work.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(create)
                start = time.perf_counter()
                with path.open("rb") as handle:
                    cursor.cursor.copy_expert(copy, handle)
                rows = cursor.cursor.rowcount
                if label == "table":
                    cursor.execute(insert, params)
                    rows = cursor.rowcount
                result[label] = {"rows": rows, "seconds": time.perf_counter() - start}
                raise Undo
        except Undo:
            pass
    result["rss_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def bench(db: str, files: dict[str, Path], workdir: Path, existing: int = 0, new_only: bool = False) -> None:
    with migrated_database(db, "bench_import", workdir) as url:
        seeded = run_child(__file__, url, "seed", str(existing))
        print(f"\ndatabase: {db}, {existing:,} existing records (seeded in {seeded['seconds']:.0f} s)")
        print(f"{'step':<16} {'rows':>8} {'seconds':>8} {'rows/s':>8} {'queries':>8} {'q/1000':>7} "
              f"{'RSS MB':>7} {'(start)':>8}  counts")
        steps = [("preview new", "preview", "new"), ("import new", "import", "new")]
        if not new_only:
            steps += [("preview update", "preview", "update"), ("import update", "import", "update")]
        imported = None
        # COPY first (rolled back): after the import its keys would collide.
        copied = run_child(__file__, url, "copy", str(files["new"])) if db == "postgres" else None
        for label, step, name in steps:
            r = run_child(__file__, url, step, str(files[name]))
            if label == "import new":
                imported = r
            c = r["counts"]
            print(f"{label:<16} {r['rows']:>8} {r['seconds']:>8.1f} {r['rows'] / r['seconds']:>8.0f} "
                  f"{r['queries']:>8} {1000 * r['queries'] / r['rows']:>7.2f} {r['rss_peak_mb']:>7.0f} "
                  f"{r['rss_start_mb']:>8.0f}  new {c['new']}, updated {c['updated']}, unchanged {c['unchanged']}"
                  f"{', audit ' + str(r['audit']) if step == 'import' else ''}")
        if copied:
            rates = {}
            for label, what in (("staging", "CSV → temp table"), ("table", "+ INSERT … SELECT")):
                c = copied[label]
                rates[label] = c["rows"] / c["seconds"]
                print(f"{'COPY ' + label:<16} {c['rows']:>8} {c['seconds']:>8.2f} {rates[label]:>8.0f} {'':>8} "
                      f"{'':>7} {copied['rss_peak_mb']:>7.0f}   (raw COPY of the file, {what}; rolled back)")
            if imported:
                rate = imported["rows"] / imported["seconds"]
                print(f"summary: {existing:,} existing, {imported['rows']:,} new rows: {rate:,.0f} rows/s, peak "
                      f"{imported['rss_peak_mb']:.0f} MiB; import is {rates['table'] / rate:.1f}x COPY into the table "
                      f"({rates['table']:,.0f} rows/s), {rates['staging'] / rate:.1f}x COPY into a staging table "
                      f"({rates['staging']:,.0f} rows/s)")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    parser.add_argument("--existing", type=int, nargs="+", default=[0])
    parser.add_argument("--new-only", action="store_true", help="only the new file (no update steps)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_import_") as tmp:
        workdir = Path(tmp)
        files = {"new": workdir / "alumni.csv", "update": workdir / "alumni_update.csv"}
        generate(files["new"], args.rows)
        if not args.new_only:
            generate(files["update"], args.rows, update=True)
        print(f"files: {args.rows} rows, {files['new'].stat().st_size / 1e6:.1f} MB each")
        for db in args.db:
            for existing in args.existing:
                bench(db, files, workdir, existing, args.new_only)


if __name__ == "__main__":
    main()
