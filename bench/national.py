"""National scale: throughput and latency of the pages everyone opens, at a small and a large alumni count, as
fractions of a one-query view served by the same gunicorn with the same middleware and session.

    bench/national.py [--alumni 200000] [--small 10000] [--duration 10] [--connections 8] [--no-import]

Needs the local PostgreSQL (127.0.0.1:5432, user postgres, trust auth), Redis (127.0.0.1:6379; database 9 is
flushed), wrk (`apt-get install wrk`) and `make install`. It builds its own database `alumni_national_bench`:
migrate, the demo data, 17 more study programs (20 in all), then alumni with the realistic spread (45 % with an
account, cohorts 2000-2023, 38 provinces, 70 % with a current job, career visible to members for 60 %); starts
gunicorn (2 sync workers, production settings, Redis cache, the URLconf in bench/national/ that adds the floor
view) and runs wrk against every page with a member's session cookie, first at --small alumni, then at --alumni.

Prints, per page and size: requests/s, p50/p95/p99 (ms), the queries the page runs, its throughput as a fraction
of the floor's, and the large/small p95 ratio. Then (unless --no-import) bench/import_alumni.py imports 100,000 new
rows into a database of --alumni records and reports rows/s, the ratio to a raw `COPY` of the same file and the
peak RSS. The last line sums it up.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent / "national"
PY = sys.executable
DB = "alumni_national_bench"
PORT = 8765
MEMBER = "siti.rahmawati@demo.ac.id"
SEARCHED_NAME = "Kusumawardhani"  # 50 alumni at every size carry it: the name search matches 50
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "settings",
    "PYTHONPATH": f"{HERE}{os.pathsep}{ROOT}",
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
    "REDIS_URL": "redis://127.0.0.1:6379/9",
    "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "TRUST_X_FORWARDED_PROTO": "1",
    "SECURE_SSL_REDIRECT": "0",
    "LOG_LEVEL": "WARNING",
    "EMAIL_URL": "consolemail://",
}
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""
FIRST = ["Ahmad", "Siti", "Budi", "Dewi", "Rizky", "Nur", "Fajar", "Putri", "Agus", "Rina", "Hendra", "Wulan",
         "Dimas", "Ayu", "Yusuf", "Indah", "Arif", "Maya", "Bayu", "Lestari"]
LAST = ["Pratama", "Saputra", "Wijaya", "Hidayat", "Nugroho", "Santoso", "Rahmawati", "Setiawan", "Kurniawan",
        "Lubis", "Siregar", "Harahap", "Wibowo", "Susanto", "Permata", "Halim", "Syahputra", "Maharani"]
EMPLOYERS = ["Perpustakaan Nasional RI", "Dinas Perpustakaan", "Universitas", "Bank Syariah Indonesia",
             "Kementerian Agama", "Madrasah Aliyah", "PT Telkom Indonesia", "Badan Pusat Statistik",
             "Pondok Pesantren", "Arsip Nasional", "Penerbit Erlangga", "Startup Edukasi"]


def run(*args, **kw):
    return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=ENV, check=True, **kw)


def django_setup():
    os.environ.update(ENV)
    sys.path[:0] = [str(HERE), str(ROOT)]
    import django

    django.setup()


def seed(total: int, rng: random.Random) -> None:
    """Add alumni until there are `total` beyond the demo's, in bulk (a few seconds per 10,000)."""
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from alumni.models import AlumniProfile, Employment, Faculty, Province, StudyProgram, User

    faculty = Faculty.objects.order_by("pk").first()
    for n in range(StudyProgram.objects.count(), 20):
        StudyProgram.objects.get_or_create(code=f"B{n:03d}", defaults={"faculty": faculty, "name": f"Prodi {n}"})
    programs = list(StudyProgram.objects.order_by("pk"))
    provinces = list(Province.objects.order_by("pk"))
    have = AlumniProfile.objects.filter(nim__startswith="NB").count()
    unusable = make_password(None)
    now = timezone.now()
    batch = 5000
    for start in range(have, total, batch):
        end = min(start + batch, total)
        users = {i: User(email=f"nb{i}@bench.example", full_name=f"nb{i}", password=unusable)
                 for i in range(start, end) if rng.random() < 0.45}
        User.objects.bulk_create(users.values(), batch_size=batch)
        profiles = []
        for i in range(start, end):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if i % (total // 50 or 1) == 0 and i // (total // 50 or 1) < 50:
                name = f"{rng.choice(FIRST)} {SEARCHED_NAME}"
            user = users.get(i)
            year = 2000 + i % 24
            profiles.append(AlumniProfile(
                user=user, study_program=programs[i % len(programs)], nim=f"NB{i:08d}", full_name=name,
                entry_year=year, graduation_date=datetime.date(min(year + 4, 2026), 8, 30),
                province=rng.choice(provinces), city="Kota", listed_in_directory=user is not None,
                verification=AlumniProfile.Verification.VERIFIED, verified_via="import", verified_at=now,
                vis_career="alumni" if rng.random() < 0.6 else "staff",
                vis_location="alumni" if rng.random() < 0.6 else "staff",
            ))
        AlumniProfile.objects.bulk_create(profiles, batch_size=batch)
        jobs = [Employment(profile=p, employer=f"{rng.choice(EMPLOYERS)} {rng.randint(1, 400)}", position="Staf",
                           start_date=datetime.date(2020, 1, 1), employer_kind="government")
                for p in profiles if rng.random() < 0.7]
        Employment.objects.bulk_create(jobs, batch_size=batch)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def session_cookie() -> str:
    from django.test import Client

    from alumni.models import User

    client = Client()
    client.force_login(User.objects.get(email=MEMBER))
    return client.cookies["sessionid"].value


def pages() -> dict[str, str]:
    from alumni.models import Province
    from donations.models import Campaign
    from programs.models import Program

    province = Province.objects.order_by("pk").first()
    campaign = Campaign.objects.order_by("created_at").first()
    program = Program.objects.order_by("created_at").first()
    return {
        "floor (1 query)": "/_floor/",
        "home": "/",
        "dashboard": "/dashboard/",
        "directory": "/alumni/directory/",
        "directory: name": f"/alumni/directory/?q={SEARCHED_NAME}",
        "directory: employer": "/alumni/directory/?employer=Perpustakaan+Nasional",
        "directory: province": f"/alumni/directory/?province={province.pk}",
        "campaign (public)": campaign.get_absolute_url(),
        "program (public)": program.get_absolute_url(),
        "program list": "/programs/",
    }


def queries(url: str, cookie: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.cookies["sessionid"] = cookie
    client.get(url)  # warm caches as the server's would be
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    if status != 200:
        raise SystemExit(f"{url} answered {status}")
    return len(captured)


def start_gunicorn() -> subprocess.Popen:
    proc = subprocess.Popen(
        [str(Path(PY).parent / "gunicorn"), "wsgi_bench:application", "-w", "2", "-b", f"127.0.0.1:{PORT}",
         "--log-level", "warning"],
        cwd=ROOT, env={**ENV, "PYTHONPATH": f"{HERE}{os.pathsep}{ROOT}"}, start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/_floor/", timeout=1)  # noqa: S310 (loopback)
            return proc
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def wrk(url: str, cookie: str, duration: int, connections: int, script: str) -> tuple[float, float, float, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "-s", script, "-H", f"Cookie: sessionid={cookie}",
         "-H", "X-Forwarded-Proto: https", f"http://127.0.0.1:{PORT}{url}"],
        capture_output=True, text=True, check=True,
    ).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise SystemExit(f"{url}: {non2xx.group(1)} non-2xx answers")
    requests, micros, p50, p95, p99 = map(int, re.search(r"BENCH (\d+) (\d+) (\d+) (\d+) (\d+)", out).groups())
    return requests / (micros / 1e6), p50 / 1000, p95 / 1000, p99 / 1000


def measure(label: str, cookie: str, args, script: str) -> dict[str, tuple]:
    urls = pages()
    counts = {name: queries(url, cookie) for name, url in urls.items()}
    proc = start_gunicorn()
    try:
        results = {}
        for name, url in urls.items():
            wrk(url, cookie, 2, args.connections, script)  # warm-up
            results[name] = (*wrk(url, cookie, args.duration, args.connections, script), counts[name])
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    floor = results["floor (1 query)"][0]
    print(f"\n{label}")
    print(f"{'page':<22} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'queries':>8} {'of floor':>9}")
    for name, (rps, p50, p95, p99, n) in results.items():
        print(f"{name:<22} {rps:8.1f} {p50:8.1f} {p95:8.1f} {p99:8.1f} {n:8d} {rps / floor:8.0%}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--alumni", type=int, default=200_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--no-import", action="store_true", help="pages only")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    subprocess.run(["redis-cli", "-n", "9", "flushdb"], check=True, capture_output=True)
    run("migrate", "--noinput", "-v", "0")
    run("seed_demo", stdout=subprocess.DEVNULL)
    run("collectstatic", "--noinput", "-v", "0")
    django_setup()
    rng = random.Random(2026)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(LUA)
    runs = {}
    for size in (args.small, args.alumni):
        t0 = time.monotonic()
        seed(size, rng)
        print(f"seeded {size:,} alumni in {time.monotonic() - t0:.0f} s")
        subprocess.run(["redis-cli", "-n", "9", "flushdb"], check=True, capture_output=True)
        cookie = session_cookie()
        runs[size] = measure(f"{size:,} alumni", cookie, args, lua.name)
    imported = None if args.no_import else import_figures(args.alumni)
    small, large = runs[args.small], runs[args.alumni]
    print(f"\n{'page':<22} {'p95 ' + str(args.alumni // 1000) + 'k/' + str(args.small // 1000) + 'k':>14}")
    for name in small:
        print(f"{name:<22} {large[name][2] / small[name][2]:14.2f}")
    floor = large["floor (1 query)"][0]
    directory = [k for k in large if k.startswith("directory")]
    others = ("home", "dashboard", "campaign (public)", "program (public)")
    summary = (
        "\nSUMMARY at {:,}: directory {:.0%}-{:.0%} of the floor, home {:.0%}, dashboard {:.0%}, campaign {:.0%}, "
        "program {:.0%}; p95 {}k/{}k: directory ≤ {:.2f}, others ≤ {:.2f}".format(
            args.alumni, min(large[k][0] for k in directory) / floor, max(large[k][0] for k in directory) / floor,
            *(large[k][0] / floor for k in others), args.alumni // 1000, args.small // 1000,
            max(large[k][2] / small[k][2] for k in directory), max(large[k][2] / small[k][2] for k in others),
        )
    )
    if imported:
        print(f"\nimport into {args.alumni:,}: {imported['line']}")
        summary += "; import {rate:,.0f} rows/s, {copy:.1f}x COPY into the table, peak {peak} MiB".format(**imported)
    print(summary)


def import_figures(existing: int) -> dict | None:
    """bench/import_alumni.py, 100,000 new rows into a scratch PostgreSQL database of `existing` records."""
    out = subprocess.run(
        [PY, str(ROOT / "bench" / "import_alumni.py"), "--db", "postgres", "--existing", str(existing), "--new-only"],
        cwd=ROOT, capture_output=True, text=True, check=True,
        env={key: value for key, value in ENV.items() if key not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")},
    ).stdout
    line = next((row for row in out.splitlines() if row.startswith("summary:")), None)
    if line is None:
        print(out)
        return None
    rate = float(re.search(r"([\d,]+) rows/s", line).group(1).replace(",", ""))
    peak = int(re.search(r"peak (\d+) MiB", line).group(1))
    copy = float(re.search(r"([\d.]+)x COPY into the table", line).group(1))
    return {"line": line.removeprefix("summary: "), "rate": rate, "peak": peak, "copy": copy}


if __name__ == "__main__":
    main()
