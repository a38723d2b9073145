"""A throwaway database for a bench run, beside the one ``DATABASE_URL`` names."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable


def fresh_database(name: str, *, postgres_only: bool = False) -> Callable[[], None]:
    """Point ``DATABASE_URL`` at a new database ``bench_<name>_<pid>`` on the same PostgreSQL
    server (or a new SQLite file when ``DATABASE_URL`` is not PostgreSQL); return what drops
    it afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        if postgres_only:
            raise SystemExit(f"bench/{name}.py needs DATABASE_URL=postgres://…")
        folder = tempfile.mkdtemp(prefix=f"bench-{name}-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        return lambda: None

    import psycopg

    base, _, _old = url.rpartition("/")
    database = f"bench_{name}_{os.getpid()}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {database}")
    os.environ["DATABASE_URL"] = f"{base}/{database}"

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {database}")

    return drop
