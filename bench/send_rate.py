"""The outbox's send rate before and after "one SMTP connection per batch", against a local SMTP sink.

    .venv/bin/python bench/send_rate.py [--rows 2000] [--db sqlite|postgres] [--before 36c84c3] [--rounds 2]

For each side, a fresh scratch database (SQLite in a temporary folder, or a PostgreSQL database created for the run
and dropped after it) is migrated by that side's own code, N users get one claimed, unsent outbox row each, and
`core.tasks.deliver_notifications(ids)` — the task a claim enqueues — delivers the N rows through Django's real SMTP
backend to bench/smtp_sink.py (in this process), which counts messages and SMTP connections.

- "after": this checkout (core.notifications.notifications_deliver: one connection for the batch);
- "before": the code at --before (default 36c84c3, the commit before issue 13's outbox work), checked out in a
  temporary git worktree (removed at the end) and run with the same venv: its deliver_notifications calls
  notification_deliver per row, and each send_mail opens and closes its own SMTP connection.

Each side runs in its own process (its own code on sys.path, its own database), `--rounds` times alternately;
the figures are the best round of each side. Prints one line per round and a summary: emails/s, SMTP connections
opened, and the ratio.

On loopback an SMTP connection costs almost nothing (no TLS, no AUTH, no network), so the database's commits
dominate both sides. `--connect-delay-ms N` makes the sink answer each connection's EHLO N ms late and
`--delay-ms M` each message's DATA M ms late: a crude model of a remote relay (at ~10 ms round trip, TCP + EHLO +
STARTTLS + TLS + AUTH is ~6 round trips per connection, MAIL + RCPT + DATA + the message ~4 per message: 60 and
40).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scratch import migrated_database  # noqa: E402 (bench/ is on sys.path)

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- child: one side, one database --------------------------------------------------------------------------------


def child(tree: Path, rows: int, smtp_port: int) -> None:
    # This side's code, ahead of the venv's editable install of the checkout (and instead of bench/ itself).
    sys.path[0] = str(tree)
    os.chdir(tree)
    import django

    django.setup()
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 30

    import core
    from alumni.models import User
    from core.models import Notification
    from core.tasks import deliver_notifications

    fields = {f.name for f in User._meta.fields}
    users = User.objects.bulk_create([
        User(email=f"bench{i}@example.org", full_name=f"Alumnus {i}", password="!",  # noqa: S106 (unusable)
             **({"username": f"bench{i}"} if "username" in fields else {}))
        for i in range(rows)
    ], batch_size=500)
    if users[0].pk is None:  # a backend that does not return ids from bulk_create
        users = list(User.objects.filter(email__startswith="bench").order_by("pk"))
    body = ("Sesi Mentoring Skripsi besok pukul 19.00 WIB. Tautan ruang daring ada di halaman program.\n" * 6).strip()
    Notification.objects.bulk_create([
        Notification(key=f"bench.send_rate:{u.pk}", kind="bench_send_rate", recipient=u,
                     subject=f"Pengingat sesi #{u.pk}", body=body, link=f"/programs/{u.pk}/")
        for u in users
    ], batch_size=500)
    ids = list(Notification.objects.filter(kind="bench_send_rate").order_by("pk").values_list("pk", flat=True))
    start = time.perf_counter()
    sent = deliver_notifications(ids)
    seconds = time.perf_counter() - start
    unsent = Notification.objects.filter(kind="bench_send_rate", sent_at__isnull=True).count()
    print(json.dumps({"sent": sent, "unsent": unsent, "seconds": round(seconds, 3),
                      "rate": round(sent / seconds, 1), "code": str(Path(core.__file__).parent.parent)}))


# --- parent -------------------------------------------------------------------------------------------------------


def env_for(url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "alumni_portal.settings.test",
           "LOG_LEVEL": "ERROR"}
    env.pop("PYTHONPATH", None)
    return env


def run_side(tree: Path, db: str, rows: int, smtp_port: int, workdir: Path, tag: str) -> dict:
    """Migrate a fresh database with `tree`'s code, then deliver `rows` rows in a child process."""
    with migrated_database(db, f"bench_send_rate_{tag}", workdir, tree=tree) as url:
        out = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child", "--tree", str(tree), "--rows", str(rows),
             "--smtp-port", str(smtp_port)],
            env=env_for(url), cwd=tree, capture_output=True, text=True, check=False,
        )
    if out.returncode:
        sys.exit(out.stderr[-3000:])
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if Path(result["code"]).resolve() != tree.resolve():
        sys.exit(f"the {tag} child ran the code in {result['code']}, not {tree}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--before", default="36c84c3", help="the revision measured as 'before'")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--delay-ms", type=float, default=0, help="the sink answers each DATA this late")
    parser.add_argument("--connect-delay-ms", type=float, default=0, help="the sink answers each EHLO this late")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tree", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--smtp-port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.tree, args.rows, args.smtp_port)
        return

    sys.path.insert(0, str(ROOT))
    from bench.smtp_sink import SmtpSink, _Handler

    class SlowHandshake(_Handler):
        """The sink's handler, answering each connection's EHLO late (the handshake of a remote relay)."""

        def __init__(self, counts, delay: float, connect_delay: float) -> None:
            super().__init__(counts, delay)
            self.connect_delay = connect_delay

        async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802 (aiosmtpd's)
            await asyncio.sleep(self.connect_delay)
            session.host_name = hostname
            return responses

    # The earlier revision, checked out beside this one for the run (a temporary folder, removed at the end).
    before_tree = Path(tempfile.mkdtemp(prefix="send_rate_before_")) / "tree"
    subprocess.run(["git", "worktree", "add", "--detach", "-q", str(before_tree), args.before], cwd=ROOT, check=True)
    port = free_port()
    sink = SmtpSink(port, delay_ms=args.delay_ms)
    if args.connect_delay_ms:
        sink.controller.handler = SlowHandshake(sink.counts_, args.delay_ms / 1000, args.connect_delay_ms / 1000)
    sink.start()
    best: dict[str, dict] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="send_rate_") as tmp:
            for round_no in range(1, args.rounds + 1):
                for tag, tree in (("before", before_tree), ("after", ROOT)):
                    sink.reset()
                    result = run_side(tree, args.db, args.rows, port, Path(tmp), tag)
                    counts = sink.counts()
                    result.update(messages=counts["messages"], connections=counts["connections"])
                    print(f"round {round_no} {tag:6}: {result['sent']} sent ({result['unsent']} left unsent) in "
                          f"{result['seconds']:.2f} s = {result['rate']:,.1f} emails/s; sink: "
                          f"{result['messages']} messages over {result['connections']} SMTP connection(s)",
                          flush=True)
                    if result["messages"] != args.rows or result["unsent"]:
                        sys.exit(f"{tag}: the sink got {result['messages']} of {args.rows} messages")
                    if tag not in best or result["rate"] > best[tag]["rate"]:
                        best[tag] = result
    finally:
        sink.stop()
        subprocess.run(["git", "worktree", "remove", "--force", str(before_tree)], cwd=ROOT, check=False)
        shutil.rmtree(before_tree.parent, ignore_errors=True)
    before, after = best["before"], best["after"]
    slow = (f", sink EHLO +{args.connect_delay_ms:g} ms, DATA +{args.delay_ms:g} ms"
            if args.connect_delay_ms or args.delay_ms else ", loopback sink")
    print(f"send rate, {args.rows:,} outbox rows on {args.db}{slow} (best of {args.rounds}): before "
          f"({args.before}, one connection per email) {before['rate']:,.1f} emails/s over "
          f"{before['connections']:,} connections; after "
          f"(one connection per batch) {after['rate']:,.1f} emails/s over {after['connections']} connection(s); "
          f"x{after['rate'] / before['rate']:.2f}")


if __name__ == "__main__":
    main()
