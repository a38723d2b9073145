"""Time a full catalogue import into an empty database, then the same file again.

    python bench/import_procedures.py [EXPORT_FILE]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        python bench/import_procedures.py --postgres [EXPORT_FILE]

Without a file it imports the catalogue subset shipped with the product. The database is a
fresh SQLite file in a temporary folder (or the one DATABASE_URL names, which must be empty);
with ``--postgres``, a database ``bench_import_procedures_<pid>`` created beside the one
DATABASE_URL names and dropped at the end. The baseline is the same file read and parsed
without writing, measured in the same run. The second run finds every record unchanged.
Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
DEFAULT = ROOT / "motcua" / "catalog" / "data" / "dvcqg-2026-07-province-commune.jsonl.gz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument(
        "--postgres", action="store_true", help="a throwaway database on DATABASE_URL's server"
    )
    args = parser.parse_args()
    if args.postgres:
        from _database import fresh_database

        drop = fresh_database("import_procedures", postgres_only=True)
    else:
        workdir = tempfile.mkdtemp(prefix="motcua-bench-")
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
        drop = None
    try:
        run(args.file)
    finally:
        if drop is not None:
            drop()


def run(source: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from motcua.catalog.importer import import_records
    from motcua.catalog.importing.parse import RecordError, parse_record
    from motcua.catalog.importing.readers import read_records

    call_command("migrate", verbosity=0)

    started = time.perf_counter()
    for raw in read_records(source):
        with contextlib.suppress(RecordError):
            parse_record(raw, bare_number_unit="working_day")
    parse_only = time.perf_counter() - started

    started = time.perf_counter()
    report = import_records(read_records(source))
    seconds = time.perf_counter() - started

    started = time.perf_counter()
    again = import_records(read_records(source))
    second_run = time.perf_counter() - started

    print(f"source: {source.name}, database: {connection.vendor}")
    print(f"records read: {report.read}, created: {report.created}, skipped: {len(report.skipped)}")
    print(f"import into an empty database: {seconds:.2f} s ({report.read / seconds:.0f} records/s)")
    print(
        f"read + parse only (baseline): {parse_only:.2f} s; import / baseline = "
        f"{seconds / parse_only:.1f}"
    )
    print(f"second run: {second_run:.2f} s, unchanged {again.unchanged}, updated {again.updated}")
    print(
        f"processing time parsed: {report.time_parsed}/{report.time_stated} "
        f"({report.time_parsed_share:.1%}), of which {report.time_assumed} records give a bare "
        "number read as working days; strictly stated: "
        f"{report.time_parsed - report.time_assumed}/{report.time_stated}"
    )
    for name, count in sorted(report.problems.items()):
        print(f"  records with a problem noted, {name}: {count}")
    print(
        json.dumps(
            {
                "bench": "import_procedures",
                "database": connection.vendor,
                "records": report.read,
                "seconds": round(seconds, 2),
                "second_run_seconds": round(second_run, 2),
                "ratio_vs_parse_only": round(seconds / parse_only, 2),
                "time_parsed_share": round(report.time_parsed_share, 4),
                "time_unit_assumed_records": report.time_assumed,
                "parse_only_seconds": round(parse_only, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
