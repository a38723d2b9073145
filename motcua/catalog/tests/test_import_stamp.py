"""The import tells every process's reference caches that the catalogue changed, once per
file (core/reference.py)."""

from __future__ import annotations

import pytest

from motcua.catalog.tests.test_import_command import fresh_records, run_import, write_jsonl
from motcua.core.reference import read_stamp

pytestmark = pytest.mark.django_db


def test_an_import_that_changes_procedures_moves_the_stamp_and_one_that_does_not_leaves_it(
    tmp_path,
):
    path = tmp_path / "export.jsonl"
    write_jsonl(path, fresh_records(1))
    before = read_stamp()
    run_import(path)
    after = read_stamp()
    assert after != before
    run_import(path)
    assert read_stamp() == after
