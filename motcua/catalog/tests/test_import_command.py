"""``manage.py import_procedures``: upsert by code, idempotent, all-or-nothing per file."""

from __future__ import annotations

import gzip
import io
import json
from importlib import resources

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.catalog import importer
from motcua.catalog.importer import import_records
from motcua.catalog.models import Procedure, ProcessTemplate

pytestmark = pytest.mark.django_db


def shipped_records(n: int) -> list[dict]:
    raw = resources.files("motcua.catalog.data").joinpath("dvcqg-2026-07-province-commune.jsonl.gz")
    lines = gzip.decompress(raw.read_bytes()).decode().splitlines()
    return [json.loads(line) for line in lines[:n]]


def fresh_records(n: int = 3) -> list[dict]:
    """Real records under codes the demo does not have, so the import creates them."""
    records = shipped_records(n)
    for index, record in enumerate(records):
        record["ma_thu_tuc"] = f"9.{900001 + index}"
    return records


def write_jsonl(path, records) -> None:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")


def run_import(path) -> str:
    out = io.StringIO()
    call_command("import_procedures", str(path), "--no-progress", stdout=out)
    return out.getvalue()


def test_creates_then_changes_nothing_the_second_time(tmp_path):
    path = tmp_path / "export.jsonl"
    write_jsonl(path, fresh_records())
    first = run_import(path)
    assert "Thêm mới: 3" in first
    stamps = dict(
        Procedure.objects.filter(code__startswith="9.9").values_list("code", "updated_at")
    )

    second = run_import(path)
    assert "Thêm mới: 0  ·  Cập nhật: 0  ·  Không đổi: 3" in second
    after = dict(Procedure.objects.filter(code__startswith="9.9").values_list("code", "updated_at"))
    assert after == stamps


def test_a_changed_record_is_updated_and_its_children_replaced(tmp_path):
    path = tmp_path / "export.jsonl"
    records = fresh_records(1)
    write_jsonl(path, records)
    run_import(path)
    documents_before = Procedure.objects.get(code="9.900001").documents.count()

    records[0]["ten_thu_tuc"] = "Thủ tục đã đổi tên"
    write_jsonl(path, records)
    assert "Cập nhật: 1" in run_import(path)
    procedure = Procedure.objects.get(code="9.900001")
    assert procedure.name == "Thủ tục đã đổi tên"
    assert procedure.documents.count() == documents_before


def test_every_imported_procedure_can_take_dossiers(tmp_path):
    path = tmp_path / "export.jsonl"
    write_jsonl(path, fresh_records())
    run_import(path)
    for procedure in Procedure.objects.filter(code__startswith="9.9"):
        template = ProcessTemplate.objects.get(procedure=procedure, active=True)
        assert template.steps.exists()


def test_province_settings_survive_a_reimport(tmp_path):
    path = tmp_path / "export.jsonl"
    records = fresh_records(1)
    write_jsonl(path, records)
    run_import(path)
    Procedure.objects.filter(code="9.900001").update(fast_track=True, online_mode="full")

    records[0]["ten_thu_tuc"] = "Tên mới"
    write_jsonl(path, records)
    run_import(path)
    procedure = Procedure.objects.get(code="9.900001")
    assert procedure.fast_track
    assert procedure.online_mode == "full"


def test_a_record_without_code_is_reported_and_skipped(tmp_path):
    records = fresh_records(2)
    records[1]["ma_thu_tuc"] = ""
    path = tmp_path / "export.jsonl"
    write_jsonl(path, records)
    output = run_import(path)
    assert "Bỏ qua: 1" in output
    assert "Bỏ qua bản ghi thứ 2" in output
    assert Procedure.objects.filter(code="9.900001").exists()


def test_a_file_that_is_not_an_export_is_refused_and_writes_nothing(tmp_path):
    path = tmp_path / "export.jsonl.gz"
    path.write_bytes(b"%PDF-1.7 this is not a gzip")
    count = Procedure.objects.count()
    with pytest.raises(CommandError, match="Không có dữ liệu nào được ghi"):
        run_import(path)
    assert Procedure.objects.count() == count


def test_bad_json_in_the_middle_rolls_back_the_whole_file(tmp_path):
    path = tmp_path / "export.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in fresh_records(3)]
    lines.insert(2, "{not json")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(CommandError):
        run_import(path)
    assert not Procedure.objects.filter(code__startswith="9.9").exists()


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        run_import(tmp_path / "nope.jsonl")


def test_report_counts_unparsed_fields(tmp_path):
    records = fresh_records(1)
    records[0]["cach_thuc_thuc_hien"] = (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếpTheo quy địnhMiễn phí"
    )
    path = tmp_path / "export.jsonl"
    write_jsonl(path, records)
    output = run_import(path)
    assert "processing_time: 1" in output
    assert "Thời hạn giải quyết đọc được: 0/1" in output


def count_queries(records) -> int:
    with CaptureQueriesContext(connection) as queries:
        import_records(records)
    return len(queries)


def under_codes(records: list[dict], prefix: str) -> list[dict]:
    return [{**record, "ma_thu_tuc": f"{prefix}{n:06d}"} for n, record in enumerate(records)]


def test_writes_are_batched_so_there_are_fewer_queries_than_records():
    records = shipped_records(10) * 4
    import_records(under_codes(records[:10], "7."))  # their sectors exist from here on
    # Written one by one, each record would cost some twenty statements.
    assert count_queries(under_codes(records, "9.")) < len(records)


def test_a_record_that_cannot_be_written_is_skipped_and_its_batch_kept(monkeypatch):
    records = fresh_records(3)
    fill = importer._fill

    def fill_failing_on_the_second(procedure, change, sectors, now):
        if change.parsed.code == "9.900002":
            raise ValueError("không ghi được")
        fill(procedure, change, sectors, now)

    monkeypatch.setattr(importer, "_fill", fill_failing_on_the_second)
    report = import_records(records)
    assert report.skipped == [(2, "9.900002: không ghi được")]
    assert report.created == 2
    assert set(Procedure.objects.filter(code__startswith="9.9").values_list("code", flat=True)) == {
        "9.900001",
        "9.900003",
    }
    assert ProcessTemplate.objects.filter(procedure__code="9.900003", active=True).exists()
