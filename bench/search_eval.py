"""Measure procedure search on citizen queries: top-1, top-3 and latency.

    python bench/search_eval.py [--catalogue EXPORT_FILE] [--misses]

Imports the catalogue (default: the province/commune subset shipped with the product) into a
fresh SQLite file in a temporary folder (or the empty database DATABASE_URL names), then runs
every query of bench/search_queries.json through ``search_procedures`` and the first page the
API reads of it, warm and in-process. A query is a top-k hit when any of its expected codes is
among the first k results. The baseline is the plain search it replaced (every folded word a
substring of the name and sector, ordered by code), measured the same way in the same run.
Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT = ROOT / "motcua" / "catalog" / "data" / "dvcqg-2026-07-province-commune.jsonl.gz"
QUERIES = Path(__file__).resolve().parent / "search_queries.json"
PAGE = 20
REPEATS = 5


def _setup(source: Path) -> int:
    if "DATABASE_URL" not in os.environ:
        workdir = tempfile.mkdtemp(prefix="motcua-search-")
        atexit.register(shutil.rmtree, workdir, ignore_errors=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from motcua.catalog.importer import import_records
    from motcua.catalog.importing.readers import read_records

    call_command("migrate", verbosity=0)
    return import_records(read_records(source)).read


def _baseline(q: str) -> Any:
    from motcua.catalog.models import Procedure
    from motcua.core.text import fold

    procedures = Procedure.objects.filter(active=True).select_related("sector")
    for word in fold(q).split():
        procedures = procedures.filter(search_text__contains=word)
    return procedures.order_by("code")


def _engine(q: str) -> Any:
    from motcua.catalog.queries import search_procedures

    return search_procedures(q=q)


def _run(method: Callable[[str], Any], q: str) -> tuple[list[str], float]:
    """The codes of the first page and the seconds it took, as the list endpoint does it."""
    started = time.perf_counter()
    procedures = method(q)
    codes = [p.code for p in procedures[:PAGE]]
    procedures.count()
    return codes, time.perf_counter() - started


def _measure(method: Callable[[str], Any], queries: list[dict[str, Any]]) -> dict[str, Any]:
    for query in queries:  # warm: the index is built, the statements are cached
        _run(method, query["q"])
    hits1 = hits3 = 0
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    latencies = []
    misses = []
    for query in queries:
        runs = [_run(method, query["q"]) for _ in range(REPEATS)]
        codes = runs[0][0]
        latencies.append(statistics.median(seconds for _codes, seconds in runs))
        expected = set(query["expect"])
        top1 = bool(expected & set(codes[:1]))
        top3 = bool(expected & set(codes[:3]))
        hits1 += top1
        hits3 += top3
        kind = by_kind[query["kind"]]
        kind[0] += 1
        kind[1] += top1
        kind[2] += top3
        if not top3:
            misses.append((query["q"], sorted(expected), codes[:3]))
    latencies.sort()
    n = len(queries)
    return {
        "top1": hits1 / n,
        "top3": hits3 / n,
        "p50_ms": 1000 * latencies[n // 2],
        "p95_ms": 1000 * latencies[min(n - 1, round(0.95 * (n - 1)))],
        "by_kind": dict(by_kind),
        "misses": misses,
    }


def _report(title: str, result: dict[str, Any], show_misses: bool) -> None:
    print(
        f"{title}: top-1 {result['top1']:.1%}, top-3 {result['top3']:.1%}, "
        f"p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms"
    )
    for kind, (n, one, three) in sorted(result["by_kind"].items()):
        print(f"  {kind:<11} {n:>3} queries: top-1 {one / n:.0%}, top-3 {three / n:.0%}")
    if show_misses:
        for q, expected, got in result["misses"]:
            print(f"  miss: {q!r} expected {expected}, got {got}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--catalogue", type=Path, default=DEFAULT)
    parser.add_argument("--misses", action="store_true", help="list the queries missed")
    args = parser.parse_args()

    records = _setup(args.catalogue)
    queries = json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]
    from motcua.catalog.search.store import current_index

    started = time.perf_counter()
    current_index()
    build = time.perf_counter() - started

    baseline = _measure(_baseline, queries)
    engine = _measure(_engine, queries)
    print(f"catalogue: {args.catalogue.name}, {records} records; {len(queries)} queries")
    print(f"index built in {build * 1000:.0f} ms")
    _report("baseline (substring AND, by code)", baseline, args.misses)
    _report("search engine", engine, True)
    print(
        json.dumps(
            {
                "bench": "search",
                "top1": round(engine["top1"], 4),
                "top3": round(engine["top3"], 4),
                "p95_ms": round(engine["p95_ms"], 2),
            }
        )
    )


if __name__ == "__main__":
    main()
