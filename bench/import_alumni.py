"""Alumni import speed and memory: a 100,000-row CSV, checked (preview) and imported, then a 100,000-row update.

    .venv/bin/python bench/import_alumni.py [--rows 100000] [--db sqlite postgres]

For each database it makes a scratch database (a SQLite file in a temporary folder; for PostgreSQL
`createdb -h 127.0.0.1 -U postgres bench_import_<pid>`, dropped afterwards), migrates it, and runs each step in a
fresh child process so that the peak RSS (resource.getrusage ru_maxrss) is that step's own. It prints one line per
step: rows, seconds, rows/s, queries, queries per 1,000 rows and peak RSS, and the counts the engine reported.

Steps: preview and import of the new file (100,000 new records), then preview and import of the update file (same
keys; every second row has another city, so 50,000 updated records with an audit entry each, 50,000 unchanged).
"""

import argparse
import csv
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
        print(json.dumps({"seeded": len(PROGRAMS)}))
        return

    from alumni.importing.jobs import run_import

    path = Path(args[1])
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

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


def bench(db: str, files: dict[str, Path], workdir: Path) -> None:
    with migrated_database(db, "bench_import", workdir) as url:
        run_child(__file__, url, "seed")
        print(f"\ndatabase: {db}")
        print(f"{'step':<16} {'rows':>8} {'seconds':>8} {'rows/s':>8} {'queries':>8} {'q/1000':>7} "
              f"{'RSS MB':>7} {'(start)':>8}  counts")
        for label, step, name in (("preview new", "preview", "new"), ("import new", "import", "new"),
                                  ("preview update", "preview", "update"), ("import update", "import", "update")):
            r = run_child(__file__, url, step, str(files[name]))
            c = r["counts"]
            print(f"{label:<16} {r['rows']:>8} {r['seconds']:>8.1f} {r['rows'] / r['seconds']:>8.0f} "
                  f"{r['queries']:>8} {1000 * r['queries'] / r['rows']:>7.2f} {r['rss_peak_mb']:>7.0f} "
                  f"{r['rss_start_mb']:>8.0f}  new {c['new']}, updated {c['updated']}, unchanged {c['unchanged']}"
                  f"{', audit ' + str(r['audit']) if step == 'import' else ''}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_import_") as tmp:
        workdir = Path(tmp)
        files = {"new": workdir / "alumni.csv", "update": workdir / "alumni_update.csv"}
        generate(files["new"], args.rows)
        generate(files["update"], args.rows, update=True)
        print(f"files: {args.rows} rows, {files['new'].stat().st_size / 1e6:.1f} MB each")
        for db in args.db:
            bench(db, files, workdir)


if __name__ == "__main__":
    main()
