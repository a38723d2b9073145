"""Measure hotline routing suggestions on held-out citizen messages: top-1, top-3, agency, latency.

    python bench/routing_eval.py [--cv]

Seeds the demo province (catalogue and agencies) into a fresh SQLite file in a temporary
folder (or the empty database DATABASE_URL names), trains ``motcua.hotline.routing`` on the
catalogue and the train split of ``motcua/hotline/routing/data/examples.jsonl.gz``, and asks it
about every message of the test split, warm and in-process. A message is a top-k hit when its
sector is among the first k suggestions; an agency hit when the first suggestion's agency is
the one that answers for the message's sector. The baseline is the citizen procedure search
(``motcua.catalog.search``): the sector of its first procedure, measured in the same run.

``--cv`` also prints 5-fold cross-validation on the train split for a few settings of the
source weights and smoothing: that is how they were chosen, without looking at the test split.
Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REPEATS = 3
_SEARCH_ERRORS: set[str] = set()


def _setup() -> None:
    if "DATABASE_URL" not in os.environ:
        workdir = tempfile.mkdtemp(prefix="motcua-routing-")
        atexit.register(shutil.rmtree, workdir, ignore_errors=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from motcua.demo.seed import seed_demo

    call_command("migrate", verbosity=0)
    seed_demo(today=dt.date(2026, 11, 25))


def _baseline(text: str, sector_of: dict[int, str]) -> list[str]:
    """Sectors of the search's procedures, in order, each once."""
    from motcua.catalog.search import search

    try:
        hits = search(text)
    except ValueError:  # a search bug on some messages: counted as a miss, and reported
        _SEARCH_ERRORS.add(text)
        return []
    sectors: list[str] = []
    for hit in hits:
        sector = sector_of.get(hit.pk)
        if sector and sector not in sectors:
            sectors.append(sector)
        if len(sectors) == 3:
            break
    return sectors


def _measure(examples: list[Any], answer: Any) -> dict[str, Any]:
    for example in examples:  # warm: trained, statements cached
        answer(example.text)
    hits1 = hits3 = 0
    per_sector: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    latencies = []
    misses = []
    for example in examples:
        runs = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            got = answer(example.text)
            runs.append(time.perf_counter() - started)
        latencies.append(statistics.median(runs))
        top1 = got[:1] == [example.label]
        top3 = example.label in got[:3]
        hits1 += top1
        hits3 += top3
        row = per_sector[example.label]
        row[0] += 1
        row[1] += top1
        row[2] += top3
        if not top1:
            misses.append((example.text, example.label, got[:3]))
    latencies.sort()
    n = len(examples)
    return {
        "top1": hits1 / n,
        "top3": hits3 / n,
        "p50_ms": 1000 * latencies[n // 2],
        "p95_ms": 1000 * latencies[min(n - 1, round(0.95 * (n - 1)))],
        "per_sector": dict(per_sector),
        "misses": misses,
    }


def _report(title: str, result: dict[str, Any]) -> None:
    print(
        f"\n{title}: top-1 {result['top1']:.1%}, top-3 {result['top3']:.1%}, "
        f"p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms"
    )
    print(f"  {'sector':<66} {'n':>3} {'top-1':>6} {'top-3':>6}")
    for sector, (n, one, three) in sorted(result["per_sector"].items()):
        print(f"  {sector[:66]:<66} {n:>3} {one / n:>6.0%} {three / n:>6.0%}")
    for text, expected, got in result["misses"]:
        print(f"  miss: {text!r}\n        expected {expected!r}, got {got}")


def _cross_validate(folds: int = 5) -> None:
    """Top-1/top-3 of k-fold cross-validation over the train split, per setting."""
    from motcua.hotline.routing import training
    from motcua.hotline.routing.model import fit

    catalogue = training.catalogue_examples()
    shipped = list(training.labelled("train"))
    print(f"\ncross-validation on the train split ({len(shipped)} messages, {folds} folds)")
    for weight in (1.0, 3.0, 10.0):
        for alpha in (0.05, 0.1, 0.2, 0.5):
            hits1 = hits3 = 0
            for k in range(folds):
                held = [e for i, e in enumerate(shipped) if i % folds == k]
                rest = [replace(e, weight=weight) for i, e in enumerate(shipped) if i % folds != k]
                model = fit(
                    [*catalogue, *rest],
                    featurizer=training.featurizer(),
                    asked=[e.label for e in rest],
                    alpha=alpha,
                )
                for example in held:
                    got = [label for label, _p in model.predict(example.text)[:3]]
                    hits1 += got[:1] == [example.label]
                    hits3 += example.label in got
            n = len(shipped)
            print(f"  weight {weight:>4}, alpha {alpha:<4}: ", end="")
            print(f"top-1 {hits1 / n:.1%}, top-3 {hits3 / n:.1%}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cv", action="store_true", help="cross-validate settings on train")
    args = parser.parse_args()

    _setup()
    from motcua.catalog.models import Procedure, Sector
    from motcua.hotline import routing
    from motcua.hotline.routing import training

    names = set(Sector.objects.values_list("name", flat=True))
    unknown = sorted({e.label for e in training.labelled()} - names)
    if unknown:
        print(f"labelled sectors not in this catalogue (left out): {unknown}")
    tests = [e for e in training.labelled("test") if e.label in names]
    train_n = sum(e.label in names for e in training.labelled("train"))

    started = time.perf_counter()
    routing.invalidate()
    routing.suggest("khai sinh")
    build = time.perf_counter() - started

    # Both sectors answered by the same agency (or both by the commune) is an agency hit.
    agencies = training.sector_agencies()
    sector_ids = dict(Sector.objects.values_list("name", "pk"))
    agency_hits = 0
    confidences = []
    for example in tests:
        top = routing.suggest(example.text, limit=1)
        expected = agencies.get(sector_ids[example.label])
        agency_hits += bool(top) and agencies.get(top[0].sector_id) == expected
        confidences.append(top[0].confidence if top else 0.0)

    def engine(text: str) -> list[str]:
        return [s.sector_name for s in routing.suggest(text, limit=3)]

    sector_of = dict(Procedure.objects.values_list("pk", "sector__name"))
    result = _measure(tests, engine)
    baseline = _measure(tests, lambda text: _baseline(text, sector_of))

    print(
        f"labelled messages: {train_n} train, {len(tests)} test, "
        f"{len({e.label for e in tests})} sectors; catalogue: {len(sector_of)} procedures"
    )
    print(f"trained in {build * 1000:.0f} ms; agency top-1 {agency_hits / len(tests):.1%}")
    _report("baseline (sector of the procedure search's first hit)", baseline)
    for text in sorted(_SEARCH_ERRORS):
        print(f"  search failed (ValueError) on: {text!r}")
    _report("routing model", result)
    print(
        f"mean confidence of the first suggestion {statistics.mean(confidences):.1%} "
        f"(calibrated: close to top-1 {result['top1']:.1%})"
    )
    if args.cv:
        _cross_validate()
    print(
        json.dumps(
            {
                "bench": "routing",
                "top1": round(result["top1"], 4),
                "top3": round(result["top3"], 4),
                "agency_top1": round(agency_hits / len(tests), 4),
                "baseline_top1": round(baseline["top1"], 4),
                "test_examples": len(tests),
                "p95_ms": round(result["p95_ms"], 2),
            }
        )
    )


if __name__ == "__main__":
    main()
