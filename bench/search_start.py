"""The first procedure search after a web process starts, built on first use or at start.

    python bench/search_start.py [--postgres] [--catalogue EXPORT_FILE]

Imports the catalogue (default: the province/commune subset shipped with the product) into a
fresh database (SQLite in a temporary folder; with ``--postgres`` a database
``bench_search_start_<pid>`` beside the one DATABASE_URL names, dropped at the end). Then two
new Python processes search it, each once:

- ``lazy``: Django set up as a command does; the first search builds the index itself (how
  every web process behaved before the index was built at start);
- ``served``: ``config.wsgi`` imported as gunicorn does (which starts building the index and
  training the routing model on their own threads), then the same search at once: it is
  answered by the plain database search. The process then waits for the index and times a
  search with it.

Figures: each first search, how long after start the index was ready, and a search with the
index (the baseline: what a warm process pays). Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
DEFAULT = ROOT / "motcua" / "catalog" / "data" / "dvcqg-2026-07-province-commune.jsonl.gz"
QUERY = "làm giấy khai sinh cho con"
INDEX_WAIT_SECONDS = 120


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--catalogue", type=Path, default=DEFAULT)
    parser.add_argument("--measure", choices=["lazy", "served"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    if args.postgres:
        from _database import fresh_database

        drop = fresh_database("search_start", postgres_only=True)
    else:
        folder = tempfile.mkdtemp(prefix="motcua-search-start-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        drop = None
    try:
        run(args.catalogue)
    finally:
        if drop is not None:
            drop()


def run(source: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    from motcua.catalog.importer import import_records
    from motcua.catalog.importing.readers import read_records

    call_command("migrate", verbosity=0)
    report = import_records(read_records(source))
    vendor = connection.vendor
    connections.close_all()

    lazy = _in_new_process("lazy")
    served = _in_new_process("served")
    print(f"catalogue: {report.read} records ({source.name}), database: {vendor}")
    print(f"query: «{QUERY}»")
    print(f"first search, index built on first use: {lazy['first_ms']:.0f} ms")
    print(
        f"first search, index built at start: {served['first_ms']:.0f} ms "
        f"(answered by the {served['first_by']}); index ready {served['ready_s']:.1f} s "
        "after start"
    )
    print(f"a search with the index (baseline): {served['warm_ms']:.1f} ms")
    print(
        json.dumps(
            {
                "bench": "search_start",
                "database": vendor,
                "procedures": report.read,
                "first_query_ms_built_on_first_use": round(lazy["first_ms"], 1),
                "first_query_ms": round(served["first_ms"], 1),
                "first_query_by": served["first_by"],
                "index_ready_s": round(served["ready_s"], 2),
                "warm_query_ms": round(served["warm_ms"], 2),
                "ratio_first_vs_warm": round(served["first_ms"] / served["warm_ms"], 1),
            }
        )
    )


def _in_new_process(mode: str) -> dict[str, float | str]:
    done = subprocess.run(  # noqa: S603 (this script, no shell)
        [sys.executable, __file__, "--measure", mode],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ,
        cwd=ROOT,
    )
    result: dict[str, float | str] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(mode: str) -> dict[str, float | str]:
    started = time.perf_counter()
    if mode == "served":
        import config.wsgi  # starts the index build, as gunicorn's import does
    else:
        import django

        django.setup()
    from motcua.catalog.queries import search_procedures
    from motcua.catalog.search import store

    def timed() -> float:
        began = time.perf_counter()
        list(search_procedures(q=QUERY)[:20])
        return (time.perf_counter() - began) * 1000

    first_by = "index" if store._cached is not None else "database"
    first = timed()
    if mode == "lazy":
        return {"first_ms": first, "first_by": "index"}
    deadline = time.monotonic() + INDEX_WAIT_SECONDS
    while store.current_index() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    ready = time.perf_counter() - started
    import config.wsgi

    for thread in config.wsgi.started:  # the routing model's training too
        thread.join(INDEX_WAIT_SECONDS)
    timed()
    return {"first_ms": first, "first_by": first_by, "ready_s": ready, "warm_ms": timed()}


if __name__ == "__main__":
    main()
