"""The public lookup API under gunicorn, against the cheapest view in the same server run.

Run (PostgreSQL and Redis)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/7 \\
        .venv/bin/python bench/lookup.py --dossiers 1000000

A fresh database ``bench_lookup_<pid>`` is created beside ``DATABASE_URL``, migrated, seeded
with the demo province and filled by ``manage.py simulate --bulk --dossiers N``; it is dropped
at the end. ``--database URL`` runs against a database already filled instead (nothing is
created, filled or dropped).

gunicorn then serves the product as docs/deployment.md starts it (``gunicorn config.wsgi
-b … -w N --timeout 60``, sync workers, ``DEBUG=0``; ``--workers`` defaults to 4 for the 2
cores of the reference machine) with every middleware of production. ``--clients`` concurrent
clients (32) each send one request after the other, as a reverse proxy would pass them
(``X-Forwarded-Proto: https``; gunicorn's sync workers close every connection). In turns of
``--seconds``, alternated ``--rounds`` times so both see the same load from the rest of the
machine:

- ``GET /api/v1/lookup/{code}?check=NNNN``: codes drawn at random from the database, each with
  the last four digits of its applicant's phone (or ID number), the path that reads the row
  and counts the lookup and the check per code and per client;
- ``GET /healthz``: the cheapest view, through the same middleware.

The rate limits stay on and count every request, but are raised for the run (every request
comes from one address): the values are printed, and a 429 or any other non-200 answer stops
the bench. Prints requests per second and latency percentiles of both, and ends with one
JSON line; ``ratio_vs_trivial`` is ``rps / trivial_rps``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from _database import fresh_database

ROOT = Path(__file__).resolve().parent.parent

# High enough that one address sending every request is never refused; still counted.
BENCH_LIMITS = {
    "LOOKUP_RATE_PER_MINUTE": "1000000000",
    "LOOKUP_CHECKS_PER_CODE": "1000000000",
    "LOOKUP_CHECKS_PER_CLIENT": "1000000000",
}
SAMPLE = 2000  # codes drawn from the database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000, help="dossiers to simulate")
    parser.add_argument("--database", help="an already filled database to use as it is")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of one turn")
    parser.add_argument("--rounds", type=int, default=3, help="turns of each endpoint")
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("bench/lookup.py needs REDIS_URL=redis://… (the production cache)")
    if args.database:
        os.environ["DATABASE_URL"] = args.database
        drop = None
    else:
        drop = fresh_database("lookup", postgres_only=True)
    try:
        if drop is not None:
            fill(args.dossiers)
        run(args)
    finally:
        if drop is not None:
            drop()


def fill(dossiers: int) -> None:
    import datetime as dt

    import django

    django.setup()
    from django.core.management import call_command

    from motcua.demo.seed import seed_demo

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    seed_demo(today=dt.date(2026, 11, 25))
    call_command("simulate", "--bulk", "--dossiers", str(dossiers), "--seed", "1")
    print(f"database filled in {time.perf_counter() - started:.0f} s")


def sample_paths(url: str) -> tuple[int, list[str]]:
    """(dossiers in the database, lookup paths with a correct four-digit check)."""
    import psycopg

    with psycopg.connect(url) as conn:
        count = conn.execute("SELECT count(*) FROM dossiers_dossier").fetchone()
        rows = conn.execute(
            "SELECT code, applicant_phone, applicant_id_number FROM dossiers_dossier"
            " TABLESAMPLE SYSTEM (1) LIMIT %s",
            [SAMPLE],
        ).fetchall()
    paths = []
    for code, phone, id_number in rows:
        digits = "".join(ch for ch in (phone or id_number or "") if ch.isdigit())
        if len(digits) >= 4:
            paths.append(f"/api/v1/lookup/{code}?check={digits[-4:]}")
    if not paths:
        raise SystemExit("no dossier with a phone or an ID number to look up")
    return int(count[0]) if count else 0, paths


@dataclass
class Turn:
    """What the clients saw of one endpoint over its turns."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds

    def ms(self, quantile: float) -> float:
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(quantile * len(ordered)))]


async def request(port: int, path: str) -> str:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
        "Connection: close\r\n\r\n".encode()
    )
    answer = await reader.read()
    writer.close()
    return answer.split(b" ", 2)[1].decode() if answer else "none"


async def load(port: int, paths: list[str], clients: int, seconds: float, turn: Turn) -> None:
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            status = await request(port, random.choice(paths))
            turn.latencies.append(time.perf_counter() - began)
            turn.statuses[status] += 1

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    turn.seconds += time.perf_counter() - began


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        **BENCH_LIMITS,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "AUDIT_KEY": os.environ.get("AUDIT_KEY") or secrets.token_hex(32),
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    argv = [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}"]
    argv += ["-w", str(workers), "--timeout", "60"]
    server = subprocess.Popen(argv, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)  # noqa: S603
    for _ in range(300):
        try:
            status = asyncio.run(request(port, "/healthz"))
        except OSError:
            time.sleep(0.1)
            continue
        if status != "200":
            raise SystemExit(f"/healthz answered {status}")
        return server
    server.kill()
    raise SystemExit("gunicorn did not start")


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and its children (Linux /proc), in seconds."""
    total = 0.0
    pids = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            pids += [int(child) for child in children.read().split()]
        for each in pids:
            with open(f"/proc/{each}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (FileNotFoundError, ProcessLookupError):
        return total  # a worker ended while being read: what was read so far
    return total


def settle(pid: int, most: float = 180.0) -> float:
    """Wait until the workers are idle: each builds the search index and trains the routing
    model on threads of its own as it starts (docs/deployment.md), which would otherwise
    be measured as the lookup's cost. Seconds waited."""
    began = time.perf_counter()
    before = cpu_seconds(pid)
    while time.perf_counter() - began < most:
        time.sleep(2)
        now = cpu_seconds(pid)
        if now - before < 0.1:  # under 5 % of one core over the last two seconds
            break
        before = now
    return time.perf_counter() - began


def run(args: argparse.Namespace) -> None:
    dossiers, lookups = sample_paths(os.environ["DATABASE_URL"])
    port = free_port()
    server = serve(port, args.workers)
    try:
        print(f"workers settled {settle(server.pid):.0f} s after start", flush=True)
        lookup, trivial = Turn(), Turn()
        # Warm every worker: connections to PostgreSQL and Redis, the compiled statement.
        asyncio.run(load(port, lookups, args.clients, 2, Turn()))
        asyncio.run(load(port, ["/healthz"], args.clients, 1, Turn()))
        for _ in range(args.rounds):
            asyncio.run(load(port, lookups, args.clients, args.seconds, lookup))
            asyncio.run(load(port, ["/healthz"], args.clients, args.seconds, trivial))
    finally:
        server.terminate()
        server.wait()
    limits = ", ".join(f"{name}={value}" for name, value in BENCH_LIMITS.items())
    print(
        f"{dossiers:,} dossiers; gunicorn -w {args.workers}; {args.clients} clients; "
        f"{args.rounds} × {args.seconds:g} s each; rate limits raised for the bench: {limits}"
    )
    for name, turn in (("lookup", lookup), ("healthz", trivial)):
        mean = 1000 * statistics.fmean(turn.latencies)
        print(
            f"{name:8} {turn.rps:7.0f} rps  p50 {turn.ms(0.5):6.1f} ms  p99 {turn.ms(0.99):6.1f} ms"
            f"  mean {mean:6.1f} ms  answers {dict(turn.statuses)}"
        )
        if set(turn.statuses) != {"200"}:
            raise SystemExit(f"{name}: answers other than 200 were measured")
    print(
        json.dumps(
            {
                "bench": "lookup",
                "rps": round(lookup.rps, 1),
                "p50_ms": round(lookup.ms(0.5), 2),
                "p99_ms": round(lookup.ms(0.99), 2),
                "trivial_rps": round(trivial.rps, 1),
                "ratio_vs_trivial": round(lookup.rps / trivial.rps, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
