"""A local SMTP server that accepts every message, keeps nothing but counts, and reports them over HTTP.

Benchmarks and fault tests point the portal at it (EMAIL_URL=smtp://127.0.0.1:<port>) and read how many messages
arrived, how many distinct Message-IDs, how many were delivered more than once, and to whom.

Start it (stays in the foreground; SIGTERM or Ctrl-C stops it):

    .venv/bin/python bench/smtp_sink.py --port 52525 --http-port 52526 [--delay-ms 0] [--host 127.0.0.1]

Read the counts (JSON):

    curl -s http://127.0.0.1:52526/counts          # summary
    curl -s 'http://127.0.0.1:52526/counts?full=1' # + "by_message_id" and "by_recipient" maps ({id: n}, {addr: n})

    {"messages": 2000,            # DATA accepted (every delivery, resends included)
     "distinct_message_ids": 1999,
     "duplicates": 1,             # messages - distinct_message_ids (a message without a Message-ID counts once)
     "recipients": 2000,          # envelope recipients over all messages
     "distinct_recipients": 1999,
     "first_at": 1733030000.12, "last_at": 1733030042.5,   # time.time() of the first and last message (or null)
     "rate_per_s": 47.4,          # (messages - 1) / (last_at - first_at); null below 2 messages
     "connections": 3}            # SMTP sessions opened (one per batch when the sender reuses its connection)

Reset every count to zero: `curl -s -X POST http://127.0.0.1:52526/reset` (GET /reset works too).
Liveness: GET /health answers "ok".

From Python (another bench): `from bench.smtp_sink import SmtpSink` then `sink = SmtpSink(port, http_port);
sink.start(); ...; sink.counts(); sink.reset(); sink.stop()` runs it in-process (threads), or run the script as a
subprocess and use `read_counts("http://127.0.0.1:52526")` / `reset_counts(...)` (urllib only).

`--delay-ms N` sleeps N ms before answering each DATA, as a slow mail server would (makes a batch last long enough
to interrupt it mid-way). The sink never fails a message.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import threading
import time
import urllib.request
from collections import Counter
from email.parser import BytesHeaderParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


class Counts:
    """Every count the sink keeps, behind one lock (the SMTP loop and the HTTP thread both touch it)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with getattr(self, "lock", threading.Lock()):
            self.messages = 0
            self.by_message_id: Counter[str] = Counter()
            self.by_recipient: Counter[str] = Counter()
            self.no_message_id = 0
            self.connections = 0
            self.first_at: float | None = None
            self.last_at: float | None = None

    def add(self, message_id: str, recipients: list[str]) -> None:
        now = time.time()
        with self.lock:
            self.messages += 1
            if message_id:
                self.by_message_id[message_id] += 1
            else:
                self.no_message_id += 1
            for rcpt in recipients:
                self.by_recipient[rcpt.lower()] += 1
            self.first_at = self.first_at or now
            self.last_at = now

    def connected(self) -> None:
        with self.lock:
            self.connections += 1

    def snapshot(self, full: bool = False) -> dict:
        with self.lock:
            distinct = len(self.by_message_id) + self.no_message_id
            rate = None
            if self.messages >= 2 and self.last_at and self.first_at and self.last_at > self.first_at:
                rate = round((self.messages - 1) / (self.last_at - self.first_at), 2)
            data = {
                "messages": self.messages,
                "distinct_message_ids": distinct,
                "duplicates": self.messages - distinct,
                "recipients": sum(self.by_recipient.values()),
                "distinct_recipients": len(self.by_recipient),
                "first_at": self.first_at,
                "last_at": self.last_at,
                "rate_per_s": rate,
                "connections": self.connections,
            }
            if full:
                data["by_message_id"] = dict(self.by_message_id)
                data["by_recipient"] = dict(self.by_recipient)
            return data


class _Handler:
    def __init__(self, counts: Counts, delay: float) -> None:
        self.counts = counts
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        if self.delay:
            await asyncio.sleep(self.delay)
        headers = BytesHeaderParser().parsebytes(envelope.original_content or envelope.content or b"")
        self.counts.add((headers.get("Message-ID") or "").strip(), list(envelope.rcpt_tos))
        return "250 OK"


class _CountingSMTP(SMTP):
    def connection_made(self, transport):
        self.event_handler.counts.connected()
        super().connection_made(transport)


class _Controller(Controller):
    def factory(self):
        return _CountingSMTP(self.handler, **self.SMTP_kwargs)


def _http_handler(counts: Counts):
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: str, content_type: str = "application/json") -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802
            url = urlparse(self.path)
            if url.path == "/counts":
                full = parse_qs(url.query).get("full", ["0"])[0] not in ("", "0")
                self._answer(200, json.dumps(counts.snapshot(full)))
            elif url.path == "/reset":
                counts.reset()
                self._answer(200, json.dumps(counts.snapshot()))
            elif url.path == "/health":
                self._answer(200, "ok", "text/plain")
            else:
                self._answer(404, "not found", "text/plain")

        def do_POST(self):  # noqa: N802
            if urlparse(self.path).path == "/reset":
                counts.reset()
                self._answer(200, json.dumps(counts.snapshot()))
            else:
                self._answer(404, "not found", "text/plain")

        def log_message(self, *args):  # quiet
            pass

    return Handler


class SmtpSink:
    """The sink in this process: SMTP on `port`, the HTTP report on `http_port` (0: no HTTP), both threads."""

    def __init__(self, port: int, http_port: int = 0, host: str = "127.0.0.1", delay_ms: float = 0) -> None:
        self.counts_ = Counts()
        self.controller = _Controller(
            _Handler(self.counts_, delay_ms / 1000), hostname=host, port=port,
            data_size_limit=50 * 1024 * 1024,
        )
        self.http = ThreadingHTTPServer((host, http_port), _http_handler(self.counts_)) if http_port else None
        self._http_thread: threading.Thread | None = None

    def start(self) -> SmtpSink:
        self.controller.start()
        self.counts_.reset()  # Controller.start() opens one session of its own to check the server is up
        if self.http:
            self._http_thread = threading.Thread(target=self.http.serve_forever, daemon=True)
            self._http_thread.start()
        return self

    def stop(self) -> None:
        if self.http:
            self.http.shutdown()
            self.http.server_close()
        self.controller.stop()

    def counts(self, full: bool = False) -> dict:
        return self.counts_.snapshot(full)

    def reset(self) -> None:
        self.counts_.reset()


def read_counts(base_url: str, full: bool = False, timeout: float = 10) -> dict:
    """The counts of a sink running as another process, e.g. read_counts("http://127.0.0.1:52526")."""
    url = f"{base_url.rstrip('/')}/counts" + ("?full=1" if full else "")
    with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310 (a loopback URL we were given)
        return json.load(answer)


def reset_counts(base_url: str, timeout: float = 10) -> dict:
    request = urllib.request.Request(f"{base_url.rstrip('/')}/reset", method="POST", data=b"")  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
        return json.load(answer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=52525, help="SMTP port")
    parser.add_argument("--http-port", type=int, default=52526, help="port of the JSON report (/counts, /reset)")
    parser.add_argument("--delay-ms", type=float, default=0, help="sleep this long before accepting each message")
    args = parser.parse_args()
    sink = SmtpSink(args.port, args.http_port, args.host, args.delay_ms).start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"smtp sink: smtp://{args.host}:{args.port} report http://{args.host}:{args.http_port}/counts", flush=True)
    try:
        stop.wait()
    finally:
        sink.stop()


if __name__ == "__main__":
    main()
