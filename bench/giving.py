"""Concurrent verification: receipt numbers and campaign totals stay exact when many staff verify at once.

    .venv/bin/python bench/giving.py [--donations 400] [--workers 8] [--db postgres sqlite]

For each database it makes a scratch database (see scratch.py), migrates it and creates one institution with two
campaigns (one of a study program, one of the whole institution), an admin who runs both, and `--donations`
pending donations of random whole-rupiah amounts spread over the two campaigns, plus half as many again for the
second round. Then:

1. *Single round*: `--workers` processes, each with its own database connection and Django, wait at a start line
   and are released together; each verifies its share of the donations (every worker-th one) through
   `services.donation_verify`.
2. *Double round*: every donation of the second set is given to two workers at once (worker k and k+1 share
   every worker-th one and go through them in the same order), so each is verified by two processes racing:
   exactly one must succeed, the other must be told it was already decided.

A last child process checks the database: receipt numbers issued per institution and year, their min/max
sequence, gaps and duplicates (must be 0 and 0), one "verified" audit entry per donation, and each campaign's
verified total (database Sum, `services.campaign_balance`) against the sum of its donations' amounts computed in
Python as Decimal when they were created (must be equal).

The receipt email (a PDF per donation) is not sent: the bench measures the numbering and the totals, and a PDF per
verification would dominate the timing. On SQLite, which locks the whole database for writing and ignores
`SELECT … FOR UPDATE`, a worker retries a verification that hit "database is locked"; the retries are counted.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from scratch import child_env, migrated_database, run_child  # noqa: E402 (bench/ is on sys.path)

ROOT = Path(__file__).resolve().parent.parent
ADMIN = "admin@bench.example"
ROUNDS = ("single", "double")


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from donations import tasks

    class Unsent:
        @staticmethod
        def delay(*args, **kwargs):
            return None

    # The services import the task when they run: the stand-in is what they queue after commit.
    tasks.send_receipt = tasks.send_rejection = Unsent


def setup(donations: int) -> None:
    """The institution, campaigns, admin and pending donations; prints the expected totals per campaign."""
    _django()
    import datetime
    import random

    from alumni.models import Faculty, Institution, Role, StudyProgram, User
    from alumni.services import role_grant
    from donations.models import Campaign, Donation

    rng = random.Random(7)
    institution = Institution.objects.create(name="Universitas Bench", short_name="UB")
    faculty = Faculty.objects.create(institution=institution, name="Fakultas Bench")
    program = StudyProgram.objects.create(faculty=faculty, code="B1", name="Prodi Bench")
    admin = User.objects.create_user(email=ADMIN, password=None, full_name="Admin Bench")
    role_grant(user=admin, kind=Role.Kind.ADMIN, institution=institution)
    today = datetime.date.today()
    campaigns = [
        Campaign.objects.create(institution=institution, study_program=program, title="Wakaf sumur (bench)",
                                kind=Campaign.Kind.ENDOWMENT, description="-", beneficiary="-",
                                goal_amount=Decimal(10**10), starts_on=today, status=Campaign.Status.OPEN),
        Campaign.objects.create(institution=institution, study_program=None, title="Beasiswa (bench)",
                                kind=Campaign.Kind.DONATION, description="-", beneficiary="-",
                                goal_amount=Decimal(10**10), starts_on=today, status=Campaign.Status.OPEN),
    ]
    expected = {str(c.pk): Decimal(0) for c in campaigns}
    rows = []
    for round_name, count in (("single", donations), ("double", donations // 2)):
        for i in range(count):
            campaign = campaigns[i % 2]
            # Any whole rupiah, odd digits included: a float anywhere would show in the totals.
            amount = Decimal(rng.randint(10_000, 25_000_000))
            expected[str(campaign.pk)] += amount
            rows.append(Donation(campaign=campaign, donor_name=f"{round_name} {i:06d}", amount=amount,
                                 method=rng.choice(["bank_transfer", "ewallet", "cash"]), paid_on=today,
                                 message=round_name))
    Donation.objects.bulk_create(rows, batch_size=1000)
    print(json.dumps({"expected": {k: str(v) for k, v in expected.items()},
                      "titles": {str(c.pk): c.title for c in campaigns}, "double": donations // 2}))


def worker(round_name: str, k: int, workers: int) -> None:
    """Verify this worker's share once released; prints what happened as JSON."""
    _django()
    from django.core.exceptions import ValidationError
    from django.db import OperationalError, connection

    from alumni.models import User
    from donations import services
    from donations.models import Donation

    admin = User.objects.get(email=ADMIN)
    ids = list(Donation.objects.filter(message=round_name).order_by("donor_name").values_list("pk", flat=True))
    shares = {k} if round_name == "single" else {k, (k - 1) % workers}
    mine = [pk for i, pk in enumerate(ids) if i % workers in shares]
    connection.ensure_connection()
    print("ready", flush=True)
    sys.stdin.readline()
    result = {"tried": 0, "succeeded": 0, "already_decided": 0, "retries": 0, "errors": []}
    begin = time.perf_counter()
    for pk in mine:
        result["tried"] += 1
        for _attempt in range(200):
            try:
                services.donation_verify(donation_id=pk, user=admin)
                result["succeeded"] += 1
            except ValidationError:
                result["already_decided"] += 1
            except OperationalError as error:  # SQLite: "database is locked"; the transaction rolled back
                if "locked" not in str(error):
                    result["errors"].append(str(error)[:200])
                    break
                result["retries"] += 1
                time.sleep(0.002)
                continue
            break
        else:
            result["errors"].append(f"gave up on {pk}")
    result["seconds"] = time.perf_counter() - begin
    print(json.dumps(result), flush=True)


def report() -> None:
    """What the database holds after both rounds."""
    _django()
    from collections import Counter

    from core.models import AuditLog
    from donations import services
    from donations.models import Campaign, Donation, ReceiptCounter

    verified = Donation.objects.filter(status="verified")
    sequences = {}
    for counter in ReceiptCounter.objects.select_related("institution"):
        got = list(verified.filter(campaign__institution=counter.institution, receipt_year=counter.year)
                   .values_list("receipt_sequence", flat=True))
        distinct = set(got)
        sequences[f"{counter.institution.short_name} {counter.year}"] = {
            "issued": len(got), "counter": counter.last_number, "min": min(got, default=0),
            "max": max(got, default=0), "gaps": len(set(range(1, max(got, default=0) + 1)) - distinct),
            "duplicates": len(got) - len(distinct),
        }
    numbers = list(verified.values_list("receipt_number", flat=True))
    audits = Counter(AuditLog.objects.filter(action="donations.donation.verified").values_list("target_id", flat=True))
    totals = {str(c.pk): str(services.campaign_balance(c)["received"]) for c in Campaign.objects.all()}
    by_round = {name: dict(Counter(Donation.objects.filter(message=name).values_list("status", flat=True)))
                for name in ROUNDS}
    print(json.dumps({"sequences": sequences, "receipt_numbers": len(numbers),
                      "duplicate_receipt_numbers": len(numbers) - len(set(numbers)),
                      "verified_audit_entries_max_per_donation": max(audits.values(), default=0),
                      "totals": totals, "by_round": by_round}))


def race(url: str, round_name: str, workers: int) -> dict:
    """Start the workers, release them together, and collect their results."""
    procs = [subprocess.Popen([sys.executable, __file__, "--worker", round_name, str(k), str(workers)],
                              env=child_env(url), cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for k in range(workers)]
    for proc in procs:
        line = proc.stdout.readline()
        while line and line.strip() != "ready":
            line = proc.stdout.readline()
        if not line:
            sys.exit(proc.stderr.read()[-3000:])
    begin = time.perf_counter()
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    outputs = [proc.communicate() for proc in procs]
    wall = time.perf_counter() - begin
    results = []
    for proc, (out, err) in zip(procs, outputs, strict=True):
        if proc.returncode:
            sys.exit(err[-3000:])
        results.append(json.loads(out.strip().splitlines()[-1]))
    summed = {key: sum(r[key] for r in results) for key in ("tried", "succeeded", "already_decided", "retries")}
    summed["errors"] = [e for r in results for e in r["errors"]]
    summed["wall_seconds"] = wall
    return summed


def bench(db: str, donations: int, workers: int, workdir: Path) -> bool:
    with migrated_database(db, "bench_giving", workdir) as url:
        made = run_child(__file__, url, "setup", str(donations))
        single = race(url, "single", workers)
        double = race(url, "double", workers)
        r = run_child(__file__, url, "report")
    ok = True
    print(f"\ndatabase: {db}  ({donations} + {made['double']} pending donations, 2 campaigns, 1 institution, "
          f"{workers} worker processes)")
    for name, figures, expected_success in (("single", single, donations), ("double", double, made["double"])):
        rate = figures["succeeded"] / figures["wall_seconds"] if figures["wall_seconds"] else 0
        print(f"  {name} round: {figures['tried']} verifications tried, {figures['succeeded']} succeeded, "
              f"{figures['already_decided']} refused as already decided, {figures['retries']} lock retries, "
              f"{len(figures['errors'])} errors; {figures['wall_seconds']:.2f} s wall, {rate:.0f} verifications/s")
        states = r["by_round"][name]
        print(f"    donations now: {states}")
        ok &= figures["succeeded"] == expected_success and not figures["errors"]
        ok &= states == {"verified": expected_success}
        if name == "double":
            ok &= figures["tried"] == 2 * made["double"] and figures["already_decided"] == made["double"]
        for error in figures["errors"][:3]:
            print(f"    error: {error}")
    for key, seq in r["sequences"].items():
        print(f"  receipts {key}: {seq['issued']} numbers issued (counter at {seq['counter']}), sequence "
              f"{seq['min']}..{seq['max']}, gaps {seq['gaps']}, duplicates {seq['duplicates']}")
        ok &= seq["gaps"] == 0 and seq["duplicates"] == 0 and seq["issued"] == seq["counter"] == seq["max"]
    print(f"  receipt numbers: {r['receipt_numbers']} issued, {r['duplicate_receipt_numbers']} duplicated; "
          f"at most {r['verified_audit_entries_max_per_donation']} 'verified' audit entry per donation")
    ok &= r["duplicate_receipt_numbers"] == 0 and r["verified_audit_entries_max_per_donation"] == 1
    for pk, expected in made["expected"].items():
        total = Decimal(r["totals"][pk])
        match = total == Decimal(expected)
        ok &= match
        print(f"  {made['titles'][pk]:<22} verified total Rp {total:,} vs sum of amounts Rp {Decimal(expected):,}: "
              f"{'exact' if match else 'MISMATCH'}".replace(",", "."))
    print(f"  {'OK' if ok else 'FAILED'}")
    return ok


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        if sys.argv[2] == "setup":
            setup(int(sys.argv[3]))
        else:
            report()
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--donations", type=int, default=400)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--db", nargs="+", choices=["sqlite", "postgres"], default=["postgres"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_giving_") as tmp:
        results = [bench(db, args.donations, args.workers, Path(tmp)) for db in args.db]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
