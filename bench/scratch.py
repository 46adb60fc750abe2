"""What the benchmark scripts share: a scratch database (SQLite in a temporary folder, or a PostgreSQL database
created for the run and dropped after it), migrated, and child processes that measure in it and print one JSON line.

Each measurement runs in its own process so that peak memory and Django's connection state belong to that step.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = ["-h", "127.0.0.1", "-U", "postgres"]


def child_env(url: str) -> dict:
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "alumni_portal.settings.test",
            "LOG_LEVEL": "WARNING"}


@contextmanager
def migrated_database(db: str, prefix: str, workdir: Path, *, tree: Path = ROOT) -> Iterator[str]:
    """Yield the DATABASE_URL of a fresh scratch database ("sqlite" or "postgres"), migrated by the code in `tree`
    (this checkout, or another revision's worktree)."""
    scratch = f"{prefix}_{os.getpid()}"
    if db == "sqlite":
        url = f"sqlite:///{workdir / (scratch + '.sqlite3')}"
    else:
        subprocess.run(["createdb", *PG, scratch], check=True)
        url = f"postgres://postgres@127.0.0.1:5432/{scratch}"
    env = child_env(url)
    if tree != ROOT:
        env["PYTHONPATH"] = str(tree)
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], env=env, cwd=tree, check=True)
        yield url
    finally:
        if db == "postgres":
            subprocess.run(["dropdb", *PG, "--if-exists", scratch], check=True)
        elif (workdir / (scratch + ".sqlite3")).exists():
            (workdir / (scratch + ".sqlite3")).unlink()


def run_child(script: str, url: str, *args: str) -> dict:
    """Run `script --child args` against `url`; its last output line is the JSON result."""
    out = subprocess.run([sys.executable, script, "--child", *args], env=child_env(url), cwd=ROOT, check=False,
                         capture_output=True, text=True)
    if out.returncode:
        sys.exit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])
