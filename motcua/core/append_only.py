"""Database triggers that keep the event tables append-only (docs/decisions/audit.md).

``ChainedEvent.save``/``delete`` refuse changes made through the application; a trigger refuses
them to anyone who reaches the database directly with the application's role: a row-level
``BEFORE UPDATE OR DELETE`` trigger that raises. PostgreSQL only (SQLite is the development
database). There is deliberately no ``TRUNCATE`` trigger: the test suite empties tables with
``TRUNCATE``; ``TRUNCATE``, ``ALTER TABLE … DISABLE TRIGGER`` and ``DROP TRIGGER`` need the table
owner's privileges, which the application's role must not hold in production.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


class PostgresOnlySQL(migrations.RunSQL):
    """``RunSQL`` that runs only on PostgreSQL, forwards and backwards."""

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def append_only(table: str) -> PostgresOnlySQL:
    """The migration operation that installs (and on reversal removes) the trigger of one
    event table. The function is the table's own, so removing one never breaks another."""
    name = f"{table}_append_only"
    # The message is built by concatenation: "%" would be taken for a query parameter.
    forwards = f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = TG_OP || ' on ' || TG_TABLE_NAME || ' refused: audit events are append-only',
        HINT = 'docs/decisions/audit.md';
END
$$;
CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {name}();
"""
    backwards = f"""
DROP TRIGGER IF EXISTS {name} ON {table};
DROP FUNCTION IF EXISTS {name}();
"""
    return PostgresOnlySQL(forwards, backwards)
