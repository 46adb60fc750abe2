"""Reliability under faults: every email the portal owes survives a worker SIGKILL, and the pages survive a PostgreSQL
and a Redis restart without restarting gunicorn or the worker.

    .venv/bin/python bench/faults.py [--reminders 2000] [--invitations 2000] [--receipts 50] [--kills 4]
                                     [--load-seconds 16] [--recover-timeout 240] [--keep]

Run it as root (the machine's usual user here): it starts everything it needs on its own ports and touches nothing
else on the machine (never the system PostgreSQL on 5432 or Redis on 6379):

- a PostgreSQL 15 cluster (`initdb` in a temporary folder owned by the `postgres` user, trust auth, port 55432,
  started and restarted with `pg_ctl` through `runuser -u postgres`), database `faults`, migrated;
- a `redis-server` on 56379 (no persistence: a restart loses the broker's queue and the cache, as a crash would);
- the SMTP sink (bench/smtp_sink.py, SMTP 52525, report on 52526), which counts messages by Message-ID;
- a Celery worker (prefork, 2 processes) and beat, with production settings plus bench/faults/faults_settings.py,
  which shortens the recovery clock: a 15 s lease, a sweep every 5 s that resends rows older than 10 s
  (production: 5 min, 5 min, 2 min). The worker is started in its own process group, so a SIGKILL takes the pool
  with it, as an out-of-memory kill or a lost machine would;
- gunicorn (2 sync workers) for the restarts under load, and wrk (`apt-get install wrk`).

Scenarios:

1. reminders: --reminders participants registered on tomorrow's sessions; the reminder tick (the Celery task, as
   beat sends it) claims them and a batch task sends them over one SMTP connection; the worker is SIGKILLed when
   the sink has seen 30 % of them, restarted, and the sweep (beat) sends the rest.
2. invitations: a staff member imports --invitations graduates without an account (the import job: check, confirm,
   import) and presses "invite" (`alumni.tasks.import_invite`); the worker is SIGKILLed after 30 % of the emails,
   restarted, the sweep sends the rest. Then "invite" again: it must claim nothing new and send nothing twice.
3. receipts: staff verify --receipts pending donations one after the other (`donation_verify`, each receipt claimed
   in the verification's transaction) while the worker is SIGKILLed --kills times and restarted.
4. PostgreSQL restart under load: wrk on loopback against an anonymous `/` and a member's `/dashboard/` (two wrk
   processes) and a probe every 0.1 s; `pg_ctl restart` after a quarter of the run. Then a Redis restart the same
   way (stopped for 5 s, then started empty), with 10 login POSTs while it is down. Then the next reminder tick
   and a sweep: nothing may be sent twice, and one fresh message must still go through (the worker reconnected).

For each email kind it prints: claimed (outbox rows), emailed (distinct Message-IDs of those rows that reached the
sink), lost (claimed and never emailed once recovered: must be 0), duplicated (deliveries beyond the first of a
Message-ID: a worker killed after the server took a message and before `sent_at` was written resends it with the
same Message-ID, which the receiving side collapses), failed (rows the outbox gave up on) and the seconds from the
worker's restart until the last owed message arrived. For each restart: the 5xx answers during the run (wrk, both
pages), the seconds from the restart until every probe answers 200 again, and the 5xx of a run after it. The last
line sums it all up. Exits with status 1 when anything was lost or a 5xx came after recovery.
"""

# ruff: noqa: S310 (every URL opened here is a loopback http:// address built from the constants below)
from __future__ import annotations

import argparse
import atexit
import contextlib
import csv
import io
import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent / "faults"
BIN = Path(sys.executable).parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_PORT, REDIS_PORT, SMTP_PORT, SINK_HTTP_PORT, WEB_PORT = 55432, 56379, 52525, 52526, 58765
DB = "faults"
SINK = f"http://127.0.0.1:{SINK_HTTP_PORT}"
WEB = f"http://127.0.0.1:{WEB_PORT}"
PASSWORD = "faults-bench-Password-9"  # noqa: S105 (a throw-away account in a throw-away cluster)
LUA = """
threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) ok = 0; c5 = 0; other = 0 end
function response(status, headers, body)
  if status >= 500 then c5 = c5 + 1 elseif status < 300 then ok = ok + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local a, b, c = 0, 0, 0
  for _, t in ipairs(threads) do a = a + t:get("ok"); b = b + t:get("c5"); c = c + t:get("other") end
  io.write(string.format("FAULTS %d %d %d %d %d %d\\n", summary.requests, a, b, c,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(99)))
end
"""


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", file=sys.stderr, flush=True)


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def wait_for(check, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            result = check()
            if result:
                return result
        time.sleep(interval)
    raise SystemExit(f"timed out after {timeout:.0f} s waiting for {what}")


class Stack:
    """Every process the bench starts, each in its own process group, all stopped by cleanup()."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="faults-bench-"))
        self.tmp.chmod(0o755)
        self.pgdata = self.tmp / "pg"
        self.procs: dict[str, subprocess.Popen] = {}
        self.pg_started = False
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "faults_settings",
            "PYTHONPATH": f"{HERE}{os.pathsep}{ROOT}",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/{DB}",
            "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
            "DEFAULT_FROM_EMAIL": "Portal Alumni <noreply@faults.example>",
            "SECRET_KEY": "faults-bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "TRUST_X_FORWARDED_PROTO": "1",
            "SECURE_SSL_REDIRECT": "0",
            "SITE_URL": WEB,
            "LOG_LEVEL": "WARNING",
            "MEDIA_ROOT": str(self.tmp / "media"),
            "CONN_MAX_AGE": "60",
        }

    # --- processes ----------------------------------------------------------------------------------------------
    def spawn(self, name: str, args: list[str], **kw) -> subprocess.Popen:
        logfile = (self.tmp / f"{name}.log").open("ab")
        proc = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=logfile, stderr=subprocess.STDOUT,
                                start_new_session=True, **kw)
        self.procs[name] = proc
        return proc

    def kill(self, name: str, sig: int = signal.SIGKILL, timeout: float = 15) -> None:
        proc = self.procs.pop(name, None)
        if proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        # the pool's children are in the same group: make sure none outlives its parent
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                break
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            time.sleep(0.05)

    def pg_ctl(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", str(self.pgdata), *args],
            check=True, timeout=timeout, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

    def start_postgres(self) -> None:
        self.pgdata.mkdir()
        shutil.chown(self.pgdata, "postgres", "postgres")
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(PG_BIN / "initdb"), "-D", str(self.pgdata), "-U", "postgres",
             "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
            check=True, timeout=120, stdout=subprocess.DEVNULL,
        )
        options = (f"-p {PG_PORT} -c listen_addresses=127.0.0.1 -k {self.pgdata} -c fsync=off "
                   f"-c synchronous_commit=off -c max_connections=100")
        self.pg_started = True
        self.pg_ctl("-o", options, "-l", str(self.pgdata / "server.log"), "-w", "start")
        subprocess.run([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", DB],
                       check=True, timeout=60)

    def restart_postgres(self) -> None:
        self.pg_ctl("-m", "fast", "-w", "restart")

    def start_redis(self) -> None:
        self.spawn("redis", ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(self.tmp)])
        wait_for(lambda: not port_free(REDIS_PORT), 20, "redis-server")

    def stop_redis(self) -> None:
        self.kill("redis", signal.SIGTERM)

    def start_sink(self) -> None:
        self.spawn("sink", [sys.executable, str(ROOT / "bench" / "smtp_sink.py"), "--port", str(SMTP_PORT),
                            "--http-port", str(SINK_HTTP_PORT)])
        wait_for(lambda: urllib.request.urlopen(f"{SINK}/health", timeout=1).read() == b"ok", 20, "the SMTP sink")

    def start_worker(self) -> None:
        self.spawn("worker", [str(BIN / "celery"), "-A", "alumni_portal", "worker", "--pool", "prefork",
                              "--concurrency", "2", "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
                              "--without-heartbeat", "-n", f"faults-{time.time_ns()}@%h"])
        wait_for(self.ping_worker, 60, "the Celery worker", 0.5)

    def ping_worker(self) -> bool:
        from celery import current_app

        return bool(current_app.control.ping(timeout=1.0))

    def kill_worker(self) -> None:
        self.kill("worker", signal.SIGKILL)

    def start_beat(self) -> None:
        self.spawn("beat", [str(BIN / "celery"), "-A", "alumni_portal", "beat", "--loglevel", "WARNING",
                            "-s", str(self.tmp / "beat-schedule"), "--pidfile="])

    def start_gunicorn(self) -> None:
        self.spawn("gunicorn", [str(BIN / "gunicorn"), "alumni_portal.wsgi:application", "-w", "2",
                                "-b", f"127.0.0.1:{WEB_PORT}", "--timeout", "30", "--log-level", "warning"])
        wait_for(lambda: http_get("/")[0] == 200, 60, "gunicorn")

    def manage(self, *args: str, timeout: float = 600) -> None:
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True, timeout=timeout,
                       stdout=subprocess.DEVNULL)

    def cleanup(self) -> None:
        for name in ("beat", "worker", "gunicorn", "sink", "redis"):
            with contextlib.suppress(Exception):
                self.kill(name, signal.SIGKILL if name != "redis" else signal.SIGTERM)
        if self.pg_started:
            with contextlib.suppress(Exception):
                self.pg_ctl("-m", "immediate", "stop", timeout=30)
            self.pg_started = False
        shutil.rmtree(self.tmp, ignore_errors=True)


# --- the sink and the outbox ------------------------------------------------------------------------------------

def sink(full: bool = False) -> dict:
    from smtp_sink import read_counts

    return read_counts(SINK, full=full)


def sink_reset() -> None:
    from smtp_sink import reset_counts

    reset_counts(SINK)


def outbox(kinds: list[str], since_pk: int) -> tuple[dict[str, str], int, int]:
    """({Message-ID: key} of the scenario's claimed rows, rows still unsent, rows failed)."""
    from django.db import close_old_connections

    from core.models import Notification
    from core.notifications import message_id

    close_old_connections()
    rows = Notification.objects.filter(kind__in=kinds, pk__gt=since_pk)
    ids = {message_id(key): key for key in rows.values_list("key", flat=True)}
    return ids, rows.filter(sent_at__isnull=True, failed_at__isnull=True).count(), rows.filter(
        failed_at__isnull=False).count()


def tally(kinds: list[str], since_pk: int) -> dict:
    ids, unsent, failed = outbox(kinds, since_pk)
    seen = sink(full=True)["by_message_id"]
    emailed = sum(1 for mid in ids if mid in seen)
    return {"claimed": len(ids), "emailed": emailed, "lost": len(ids) - emailed,
            "duplicated": sum(seen[mid] - 1 for mid in ids if seen.get(mid, 0) > 1), "unsent": unsent,
            "failed": failed}


def last_pk() -> int:
    from django.db import close_old_connections
    from django.db.models import Max

    from core.models import Notification

    close_old_connections()
    return Notification.objects.aggregate(m=Max("pk"))["m"] or 0


def wait_delivered(kinds: list[str], since_pk: int, expected: int, timeout: float) -> tuple[dict, float | None]:
    """Poll until every claimed row of the scenario reached the sink (and none is left unsent): (tally, seconds)."""
    start = time.monotonic()
    result = tally(kinds, since_pk)
    while time.monotonic() - start < timeout:
        result = tally(kinds, since_pk)
        if result["claimed"] >= expected and result["lost"] == 0 and result["unsent"] == 0:
            return result, time.monotonic() - start
        time.sleep(0.5)
    return result, None


def kill_when(stack: Stack, messages: int, timeout: float) -> tuple[int, float | None]:
    """SIGKILL the worker once the sink has seen `messages` messages: (the sink's count at the kill, the send rate
    until then in messages/s)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        counts = sink()
        if counts["messages"] >= messages:
            stack.kill_worker()
            return counts["messages"], counts["rate_per_s"]
        time.sleep(0.02)
    raise SystemExit(f"the sink never saw {messages} messages within {timeout:.0f} s")


# --- seeding ----------------------------------------------------------------------------------------------------

def seed_base() -> dict:
    """An institution, a study program, a staff member of it and a member who signs in."""
    from allauth.account.models import EmailAddress

    from alumni.models import AlumniProfile, Faculty, Institution, Role, StudyProgram, User

    institution = Institution.objects.create(name="Universitas Uji Gangguan")
    faculty = Faculty.objects.create(institution=institution, name="Fakultas Bench")
    program = StudyProgram.objects.create(faculty=faculty, code="F0001", name="Ilmu Perpustakaan")
    staff = User.objects.create_user(email="staff@faults.example", password=PASSWORD, full_name="Staf Prodi")
    member = User.objects.create_user(email="member@faults.example", password=PASSWORD, full_name="Siti Anggota")
    for user in (staff, member):
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Role.objects.create(user=staff, kind=Role.Kind.STAFF, institution=institution, study_program=program)
    AlumniProfile.objects.create(user=member, study_program=program, nim="M0000001", full_name=member.full_name,
                                 email=member.email, entry_year=2015, listed_in_directory=True,
                                 verification=AlumniProfile.Verification.VERIFIED)
    return {"institution": institution, "program": program, "staff": staff, "member": member}


def seed_reminders(base: dict, count: int, prefix: str = "peserta") -> None:
    """`count` participants registered on tomorrow's sessions of one running program (100 per session)."""
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from alumni.models import User
    from programs.models import Participation, Program, Session

    tz = timezone.get_default_timezone()
    tomorrow = timezone.localdate(timezone.now(), tz) + datetime.timedelta(days=1)
    program = Program.objects.create(
        study_program=base["program"], title="Mentoring riset", description="-", kind="academic",
        category="mentoring", organiser="joint", audience="public", cadence="weekly", grace_days=14,
        status="running", pic=base["staff"],
    )
    per_session = 100
    sessions = Session.objects.bulk_create([
        Session(program=program, start=datetime.datetime.combine(tomorrow, datetime.time(8 + i % 10), tzinfo=tz),
                end=datetime.datetime.combine(tomorrow, datetime.time(9 + i % 10), tzinfo=tz),
                place="Ruang Teatrikal", capacity=per_session)
        for i in range((count + per_session - 1) // per_session)
    ])
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [User(email=f"{prefix}{i}@faults.example", full_name=f"Peserta {i}", password=unusable,
              language="id" if i % 3 else "en") for i in range(count)],
        batch_size=1000,
    )
    Participation.objects.bulk_create(
        [Participation(program=program, session=sessions[i // per_session], user=user)
         for i, user in enumerate(users)],
        batch_size=1000,
    )


def import_job(base: dict, count: int):
    """The staff member's import of `count` graduates without an account (with an email each), checked,
    confirmed and imported as the job's tasks would."""
    from django.core.files.base import ContentFile

    from alumni.importing.jobs import job_confirm, job_create, job_import, job_preview
    from alumni.models import ImportJob

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["nim", "full_name", "email", "study_program", "entry_year", "graduation_date"])
    for i in range(count):
        writer.writerow([f"I{i:08d}", f"Alumnus Undangan {i}", f"undangan{i}@faults.example",
                         base["program"].code, 2010 + i % 10, f"{2014 + i % 10}-08-25"])
    job = job_create(user=base["staff"], upload=ContentFile(out.getvalue().encode(), name="undangan.csv"))
    job_preview(job_id=job.pk)
    job.refresh_from_db()
    if not job_confirm(job=job):
        raise SystemExit(f"the import check failed: {job.status} {job.message} {job.errors[:3]}")
    job = job_import(job_id=job.pk)
    if job.status != ImportJob.Status.DONE:
        raise SystemExit(f"the import failed: {job.message}")
    return job


def seed_donations(base: dict, count: int, prefix: str = "donatur") -> list:
    import datetime

    from django.contrib.auth.hashers import make_password

    from alumni.models import User
    from donations.models import Campaign, Donation

    campaign = Campaign.objects.create(
        study_program=base["program"], institution=base["institution"], title="Wakaf Perpustakaan",
        kind="endowment", description="Buku untuk perpustakaan desa", beneficiary="Desa Wonosari",
        goal_amount=75_000_000, starts_on=datetime.date(2026, 1, 1), status="open",
    )
    unusable = make_password(None)
    donors = User.objects.bulk_create(
        [User(email=f"{prefix}{i}@faults.example", full_name=f"Donatur {i}", password=unusable) for i in range(count)]
    )
    donations = Donation.objects.bulk_create(
        [Donation(campaign=campaign, donor=donor, donor_name=donor.full_name, amount=100_000 + i * 1000,
                  method=Donation.Method.BANK_TRANSFER, paid_on=datetime.date.today())
         for i, donor in enumerate(donors)]
    )
    return [d.pk for d in donations]


# --- HTTP -------------------------------------------------------------------------------------------------------

def http_get(path: str, cookie: str = "", timeout: float = 5) -> tuple[int, float]:
    request = urllib.request.Request(f"{WEB}{path}", headers={"X-Forwarded-Proto": "https",
                                                              **({"Cookie": cookie} if cookie else {})})
    start = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            answer.read()
            return answer.status, time.monotonic()
    except urllib.error.HTTPError as error:
        return error.code, time.monotonic()
    except OSError:
        return 0, start


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def login_post(email: str, password: str) -> int:
    """GET the login page (CSRF cookie and token), POST the form; the POST's status (302: signed in)."""
    opener = urllib.request.build_opener(NoRedirect)
    headers = {"X-Forwarded-Proto": "https"}
    try:
        with opener.open(urllib.request.Request(f"{WEB}/accounts/login/", headers=headers), timeout=10) as page:
            html = page.read().decode()
            cookies = page.headers.get_all("Set-Cookie") or []
    except urllib.error.HTTPError as error:
        return error.code
    csrf_cookie = next((c.split(";", 1)[0] for c in cookies if c.startswith("csrftoken=")), "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    data = urllib.parse.urlencode({"login": email, "password": password,
                                   "csrfmiddlewaretoken": token.group(1) if token else ""}).encode()
    request = urllib.request.Request(
        f"{WEB}/accounts/login/", data=data, method="POST",
        headers={**headers, "Cookie": csrf_cookie, "Referer": f"https://127.0.0.1:{WEB_PORT}/accounts/login/",
                 "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with opener.open(request, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def member_cookie(member) -> str:
    from django.test import Client

    client = Client()
    client.force_login(member)
    return f"sessionid={client.cookies['sessionid'].value}"


def wrk(path: str, cookie: str, seconds: int, script: Path) -> subprocess.Popen:
    args = ["wrk", "-t1", "-c2", f"-d{seconds}s", "--timeout", "10s", "-s", str(script),
            "-H", "X-Forwarded-Proto: https"]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    return subprocess.Popen([*args, f"{WEB}{path}"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wrk_result(proc: subprocess.Popen, timeout: float) -> dict:
    out, _ = proc.communicate(timeout=timeout)
    match = re.search(r"FAULTS (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", out)
    if not match:
        raise SystemExit(f"wrk printed no result:\n{out}")
    requests, ok, c5, other, errors, p99 = map(int, match.groups())
    return {"requests": requests, "2xx": ok, "5xx": c5, "other": other, "socket_errors": errors,
            "p99_ms": p99 / 1000}


def under_load(stack: Stack, fault, cookie: str, seconds: int, script: Path, during=None) -> dict:
    """wrk on `/` (anonymous) and `/dashboard/` (the member) for `seconds`, with a probe of both every 0.1 s;
    `fault()` runs a quarter into it, then `during()` if given. Then a short run after recovery."""
    probes: list[tuple[float, int]] = []
    stop = threading.Event()

    def probe() -> None:
        while not stop.is_set():
            for path, jar in (("/", ""), ("/dashboard/", cookie)):
                status, _ = http_get(path, jar, timeout=5)
                probes.append((time.monotonic(), status))
            time.sleep(0.1)

    anonymous, member = wrk("/", "", seconds, script), wrk("/dashboard/", cookie, seconds, script)
    prober = threading.Thread(target=probe, daemon=True)
    prober.start()
    time.sleep(seconds / 4)
    fault_at = time.monotonic()
    fault()
    extra = during() if during else {}
    down = time.monotonic() - fault_at  # pg_ctl restart's own time; for Redis, until it was started again
    runs = [wrk_result(anonymous, seconds + 60), wrk_result(member, seconds + 60)]
    # the probe goes on until both pages answered 200 for 2 s in a row (or 60 s passed)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        recent = [status for at, status in probes if at > time.monotonic() - 2]
        if recent and all(status == 200 for status in recent) and probes[-1][0] > fault_at + 2:
            break
        time.sleep(0.2)
    stop.set()
    prober.join(timeout=10)
    bad = [at for at, status in probes if at >= fault_at and status != 200]
    recovered = (max(bad) - fault_at) if bad else 0.0
    time.sleep(1)
    after = [wrk_result(wrk("/", "", 5, script), 60), wrk_result(wrk("/dashboard/", cookie, 5, script), 60)]
    return {
        "during_requests": sum(r["requests"] for r in runs),
        "during_5xx": sum(r["5xx"] for r in runs),
        "during_5xx_anonymous": runs[0]["5xx"],
        "during_5xx_member": runs[1]["5xx"],
        "during_other": sum(r["other"] + r["socket_errors"] for r in runs),
        "during_p99_ms": round(max(r["p99_ms"] for r in runs)),
        "probe_non200": len(bad),
        "recovered_s": round(recovered, 1),
        "down_s": round(down, 1),
        "after_requests": sum(r["requests"] for r in after),
        "after_5xx": sum(r["5xx"] for r in after),
        "after_other": sum(r["other"] + r["socket_errors"] for r in after),
        "after_p99_ms": round(max(r["p99_ms"] for r in after)),
        **extra,
    }


# --- scenarios --------------------------------------------------------------------------------------------------

def scenario_reminders(stack: Stack, base: dict, args) -> dict:
    from core.dispatch import enqueue

    seed_reminders(base, args.reminders)
    since = last_pk()
    sink_reset()
    started = time.monotonic()
    enqueue("programs.tasks.run_reminders")  # as beat sends it
    at_kill, rate = kill_when(stack, int(args.reminders * 0.3), 120)
    killed = time.monotonic()
    claimed_at_kill = tally(["session_tomorrow"], since)["claimed"]
    log(f"reminders: worker SIGKILLed after {at_kill} emails ({claimed_at_kill} claimed), "
        f"{killed - started:.1f} s in")
    stack.start_worker()
    restarted = time.monotonic()
    result, seconds = wait_delivered(["session_tomorrow"], since, args.reminders, args.recover_timeout)
    return {"kind": "reminders", **result, "kills": 1, "at_kill": at_kill, "send_rate_per_s": rate,
            "recover_s": round(seconds + (restarted - killed), 1) if seconds is not None else None}


def scenario_reminders_pg_restart(stack: Stack, base: dict, args) -> dict:
    """A reminder batch being sent while PostgreSQL restarts (the worker is not touched): the worker's connections
    die under it; what it could not mark sent, the sweep sends."""
    from django.db import connection

    from core.dispatch import enqueue

    count = args.reminders // 2
    seed_reminders(base, count, prefix="pg-restart")
    since = last_pk()
    sink_reset()
    enqueue("programs.tasks.run_reminders")
    wait_for(lambda: sink()["messages"] >= int(count * 0.3), 120, "30 % of the batch", 0.02)
    at_restart = sink()["messages"]
    started = time.monotonic()
    stack.restart_postgres()
    restarted = time.monotonic()
    connection.close()
    log(f"reminders: PostgreSQL restarted after {at_restart} emails ({restarted - started:.1f} s)")
    result, seconds = wait_delivered(["session_tomorrow"], since, count, args.recover_timeout)
    return {"kind": "reminders, PG restart", **result, "kills": 0, "at_restart": at_restart,
            "recover_s": round(seconds, 1) if seconds is not None else None}


def scenario_invitations(stack: Stack, base: dict, args) -> dict:
    from alumni.models import ImportJob, SignupInvitation
    from core.dispatch import enqueue

    job = import_job(base, args.invitations)
    since = last_pk()
    sink_reset()
    enqueue("alumni.tasks.import_invite", str(job.pk), base["staff"].pk)  # the "invite" button
    at_kill, rate = kill_when(stack, int(args.invitations * 0.3), 120)
    killed = time.monotonic()
    log(f"invitations: worker SIGKILLed after {at_kill} emails")
    stack.start_worker()
    restarted = time.monotonic()
    result, seconds = wait_delivered(["signup_invitation"], since, args.invitations, args.recover_timeout)
    invited = ImportJob.objects.get(pk=job.pk).summary.get("invited", 0)
    marked = SignupInvitation.objects.filter(job=job, sent_at__isnull=False).count()
    # "invite" again: nothing new to claim, nothing sent twice
    before = sink()["messages"]
    enqueue("alumni.tasks.import_invite", str(job.pk), base["staff"].pk)
    time.sleep(8)
    again = ImportJob.objects.get(pk=job.pk).summary.get("invited", 0) - invited
    after = tally(["signup_invitation"], since)
    return {"kind": "invitations", **after, "kills": 1, "at_kill": at_kill, "send_rate_per_s": rate,
            "recover_s": round(seconds + (restarted - killed), 1) if seconds is not None else None,
            "invite_again_claimed": again, "invite_again_emails": sink()["messages"] - before,
            "invited": invited, "invitation_sent_at": marked}


def scenario_receipts(stack: Stack, base: dict, args) -> dict:
    from django.db import close_old_connections

    from donations.models import Donation
    from donations.services import donation_verify

    donation_ids = seed_donations(base, args.receipts)
    since = last_pk()
    sink_reset()
    kills = 0
    burst = max(1, len(donation_ids) // (args.kills + 1))
    killed = restarted = time.monotonic()
    for start in range(0, len(donation_ids), burst):
        before = sink()["messages"]
        # staff verify a burst of donations back to back; each commit queues its receipt task
        for pk in donation_ids[start:start + burst]:
            close_old_connections()
            donation_verify(donation_id=pk, user=base["staff"])
        if kills >= args.kills:
            continue
        # the kill lands while the burst's receipts are being built and sent: after the first reached the sink
        try:
            wait_for(lambda before=before: sink()["messages"] > before, 30, "a receipt of the burst", 0.01)
        except SystemExit:
            log("receipts: no receipt of the burst arrived within 30 s; killing anyway")
        at_kill = sink()["messages"] - before
        stack.kill_worker()
        killed = time.monotonic()
        kills += 1
        log(f"receipts: worker SIGKILLed after {start + burst} verifications, {at_kill} of the burst's "
            f"{len(donation_ids[start:start + burst])} receipts emailed")
        stack.start_worker()
        restarted = time.monotonic()
    result, seconds = wait_delivered(["donation_receipt"], since, len(donation_ids), args.recover_timeout)
    owed = Donation.objects.filter(pk__in=donation_ids, status=Donation.Status.VERIFIED).count()
    marked = Donation.objects.filter(pk__in=donation_ids, receipt_sent_at__isnull=False).count()
    return {"kind": "receipts", **result, "kills": kills, "owed": owed, "receipt_sent_at": marked,
            "recover_s": round(seconds + (restarted - killed), 1) if seconds is not None else None}


def scenario_restarts(stack: Stack, base: dict, args) -> list[dict]:
    from django.db import close_old_connections, connection

    from core.dispatch import enqueue
    from core.notifications import ClaimItem, notifications_claim_many
    from donations.services import donation_verify

    script = stack.tmp / "count.lua"
    script.write_text(LUA)
    stack.start_gunicorn()
    cookie = member_cookie(base["member"])
    if http_get("/dashboard/", cookie)[0] != 200:
        raise SystemExit("the member's session does not open /dashboard/")
    broker_down_donations = seed_donations(base, 3, prefix="broker-down")
    sink_before = sink(full=True)
    results = []

    log("PostgreSQL restart under load")
    pg = under_load(stack, stack.restart_postgres, cookie, args.load_seconds, script)
    connection.close()
    results.append({"kind": "postgresql restart", **pg})

    def redis_outage() -> None:
        stack.stop_redis()

    def logins_while_down() -> dict:
        statuses = []
        start = time.monotonic()
        for i in range(10):
            statuses.append(login_post(base["member"].email, PASSWORD if i % 2 else "wrong-password"))
        # staff verify donations while the broker is down: no error, and each receipt stays owed (the outbox row)
        errors = 0
        for pk in broker_down_donations:
            try:
                close_old_connections()
                donation_verify(donation_id=pk, user=base["staff"])
            except Exception as exc:  # noqa: BLE001 (counted and shown: this is what the bench looks for)
                errors += 1
                log(f"donation_verify with the broker down raised {exc!r}")
        time.sleep(max(0.0, 5 - (time.monotonic() - start)))
        stack.start_redis()
        redis_back["at"] = time.monotonic()
        return {"logins_500": sum(1 for s in statuses if s >= 500), "logins": len(statuses),
                "login_statuses": sorted(set(statuses)), "verify_errors": errors}

    log("Redis restart under load")
    redis_back: dict[str, float] = {}
    receipts_since = last_pk()
    redis = under_load(stack, redis_outage, cookie, args.load_seconds + 10, script, during=logins_while_down)
    results.append({"kind": "redis restart", **redis})
    owed, _seconds = wait_delivered(["donation_receipt"], receipts_since, len(broker_down_donations),
                                    args.recover_timeout)
    arrived = sink()["last_at"]  # the wall clock of the sink's latest message
    results.append({"kind": "receipts, broker down", **owed, "kills": 0, "verify_errors": redis["verify_errors"],
                    "recover_s": round(max(0.0, arrived - (time.time() - (time.monotonic() - redis_back["at"]))), 1)
                    if _seconds is not None and arrived else None})

    # The tick after the restarts: nothing sent twice; and the worker (reconnected) still sends what is new.
    close_old_connections()
    wait_for(stack.ping_worker, 60, "the worker to answer after the restarts", 1)
    before = sink()["messages"]
    enqueue("programs.tasks.run_reminders")
    enqueue("core.tasks.deliver_pending_notifications")
    time.sleep(12)
    resent = sink()["messages"] - before
    since = last_pk()
    notifications_claim_many([ClaimItem(key=f"faults:after-restarts:{time.time_ns()}", kind="faults_check",
                                        recipient=base["member"], template="alumni/email/verification_verified",
                                        context={"profile": base["member"].alumni_profile})])
    fresh, seconds = wait_delivered(["faults_check"], since, 1, 60)
    after = sink(full=True)
    dup_before = sum(n - 1 for n in sink_before["by_message_id"].values() if n > 1)
    dup_after = sum(n - 1 for mid, n in after["by_message_id"].items() if mid in sink_before["by_message_id"]
                    and n > 1)
    results.append({"kind": "tick after restarts", "resent": resent, "new_duplicates": dup_after - dup_before,
                    "fresh_delivered": fresh["emailed"], "fresh_s": round(seconds, 1) if seconds else None})
    return results


# --- main -------------------------------------------------------------------------------------------------------

SCENARIOS = ["reminders", "reminders-pg", "invitations", "receipts", "restarts"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reminders", type=int, default=2000)
    parser.add_argument("--invitations", type=int, default=2000)
    parser.add_argument("--receipts", type=int, default=50)
    parser.add_argument("--kills", type=int, default=4, help="worker SIGKILLs while verifying donations")
    parser.add_argument("--load-seconds", type=int, default=16)
    parser.add_argument("--recover-timeout", type=float, default=240)
    parser.add_argument("--lease", type=int, default=15, help="delivery lease, s (production: 300)")
    parser.add_argument("--stale", type=int, default=10,
                        help="the sweep resends rows older than this, s (production: 120)")
    parser.add_argument("--sweep", type=int, default=5, help="beat runs the sweep every this many s (production: 300)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs) afterwards")
    parser.add_argument("--only", nargs="*", choices=SCENARIOS, default=SCENARIOS)
    args = parser.parse_args()

    if os.geteuid() != 0:
        raise SystemExit("run as root: the cluster is started as the postgres user through runuser")
    for tool in ("wrk", "redis-server", "runuser"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed (apt-get install wrk redis-server)")
    for port in (PG_PORT, REDIS_PORT, SMTP_PORT, SINK_HTTP_PORT, WEB_PORT):
        if not port_free(port):
            raise SystemExit(f"port {port} is taken: another run of bench/faults.py?")

    stack = Stack()
    stack.env.update(FAULTS_LEASE_SECONDS=str(args.lease), FAULTS_STALE_SECONDS=str(args.stale),
                     FAULTS_SWEEP_SECONDS=str(args.sweep))
    atexit.register(stack.cleanup)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    keep = args.keep
    try:
        log(f"temporary folder {stack.tmp}")
        stack.start_postgres()
        stack.start_redis()
        stack.start_sink()
        os.environ.update(stack.env)
        sys.path[:0] = [str(HERE), str(ROOT), str(ROOT / "bench")]
        log("migrate")
        stack.manage("migrate", "--no-input")
        import django

        django.setup()
        # This process verifies donations while Redis is down on purpose: its cache and dispatch warnings are
        # expected there (the table counts what matters); the services' own logs stay in the temporary folder.
        logging.getLogger("core.cache").setLevel(logging.CRITICAL)
        logging.getLogger("core.dispatch").setLevel(logging.CRITICAL)
        base = seed_base()
        stack.start_worker()
        stack.start_beat()
        rows: list[dict] = []
        if "reminders" in args.only:
            log(f"reminders: {args.reminders}")
            rows.append(scenario_reminders(stack, base, args))
        if "reminders-pg" in args.only:
            log(f"reminders during a PostgreSQL restart: {args.reminders // 2}")
            rows.append(scenario_reminders_pg_restart(stack, base, args))
        if "invitations" in args.only:
            log(f"invitations: {args.invitations}")
            rows.append(scenario_invitations(stack, base, args))
        if "receipts" in args.only:
            log(f"receipts: {args.receipts}")
            rows.append(scenario_receipts(stack, base, args))
        if "restarts" in args.only:
            rows += scenario_restarts(stack, base, args)
        return report(rows)
    except BaseException:
        keep = True
        log(f"failed; logs kept in {stack.tmp}")
        raise
    finally:
        if keep:
            saved = Path(tempfile.mkdtemp(prefix="faults-logs-"))
            for logfile in stack.tmp.glob("*.log"):
                shutil.copy(logfile, saved)
            with contextlib.suppress(Exception):
                shutil.copy(stack.pgdata / "server.log", saved / "postgres.log")
            log(f"logs copied to {saved}")
        stack.cleanup()


def report(rows: list[dict]) -> int:
    print(f"{'kind':<22}{'claimed':>8}{'emailed':>8}{'lost':>6}{'dup':>5}{'failed':>7}{'kills':>6}"
          f"{'recover s':>10}  notes")
    problems = []
    summary = []
    for row in rows:
        if "claimed" in row:
            notes = {k: v for k, v in row.items() if k not in {"kind", "claimed", "emailed", "lost", "duplicated",
                                                                  "failed", "kills", "recover_s", "unsent"}}
            print(f"{row['kind']:<22}{row['claimed']:>8}{row['emailed']:>8}{row['lost']:>6}{row['duplicated']:>5}"
                  f"{row['failed']:>7}{row['kills']:>6}{row['recover_s'] if row['recover_s'] is not None else '-':>10}"
                  f"  {json.dumps(notes)}")
            summary.append(f"{row['kind']} {row['claimed']}/{row['emailed']}/{row['lost']}/{row['duplicated']}")
            if row["lost"] or row["recover_s"] is None or row.get("verify_errors"):
                problems.append(row["kind"])
        elif "during_5xx" in row:
            print(f"{row['kind']:<22} during: {row['during_requests']} requests, {row['during_5xx']} 5xx "
                  f"(/ {row['during_5xx_anonymous']}, /dashboard/ {row['during_5xx_member']}), "
                  f"{row['during_other']} other, p99 {row['during_p99_ms']} ms; down {row['down_s']} s, "
                  f"200 again {row['recovered_s']} s after the restart began "
                  f"({row['probe_non200']} probes not 200); after: {row['after_requests']} requests, "
                  f"{row['after_5xx']} 5xx, p99 {row['after_p99_ms']} ms"
                  + (f"; logins while down: {row['logins']}, {row['logins_500']} answered 500 "
                     f"(statuses {row['login_statuses']})" if "logins" in row else ""))
            summary.append(f"{row['kind'].split()[0]} 5xx {row['during_5xx']} during / {row['after_5xx']} after, "
                           f"{row['recovered_s']} s")
            if row["after_5xx"] or row.get("logins_500"):
                problems.append(row["kind"])
        else:
            print(f"{row['kind']:<22} resent {row['resent']}, new duplicates {row['new_duplicates']}, a fresh "
                  f"message delivered: {row['fresh_delivered']} in {row['fresh_s']} s")
            summary.append(f"tick after restarts resent {row['resent']}")
            if row["resent"] or row["new_duplicates"] or not row["fresh_delivered"]:
                problems.append(row["kind"])
    print("SUMMARY claimed/emailed/lost/duplicated: " + "; ".join(summary)
          + ("; PROBLEMS: " + ", ".join(problems) if problems else "; no email lost"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
