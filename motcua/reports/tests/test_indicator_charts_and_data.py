"""The dashboards' charts, numbers, open data and workbooks (docs/indicators.md)."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from openpyxl import load_workbook

from motcua.dossiers.tests.fixtures import at, clock, ready
from motcua.reports import charts
from motcua.reports.indicators.engine import ranking
from motcua.reports.indicators.periods import parse_period
from motcua.reports.numbers import number, percent, signed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """The public pages keep their data a few minutes; each test starts from none."""
    cache.clear()


MARCH = {"ky": "2026-03"}


@pytest.fixture
def late_march(received: Any) -> None:
    late = received()
    with clock(at(2026, 3, 12, 9, 0)):
        ready(late)


def inspector() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="thanhtra"))
    return client


class Figures(HTMLParser):
    """Each <figure>'s SVG attributes, its <title> and the cells of its table."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, Any]] = []
        self.inside: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside.append(tag)
        if tag == "figure":
            self.found.append({"svg": None, "title": "", "cells": [], "table": False})
        elif self.found and tag == "svg":
            self.found[-1]["svg"] = dict(attrs)
        elif self.found and tag == "table":
            self.found[-1]["table"] = True

    def handle_endtag(self, tag: str) -> None:
        if self.inside and self.inside[-1] == tag:
            self.inside.pop()

    def handle_data(self, data: str) -> None:
        if not self.found or "figure" not in self.inside:
            return
        if self.inside[-1] == "title":
            self.found[-1]["title"] += data
        elif self.inside[-1] in ("td", "th"):
            self.found[-1]["cells"].append(data.strip())


def figures(html: str) -> list[dict[str, Any]]:
    parser = Figures()
    parser.feed(html)
    return parser.found


def test_numbers_are_written_the_vietnamese_way():
    assert number(87.5) == "87,5"
    assert number(1234.56, 2) == "1.234,56"
    assert percent(0.923) == "92,3 %"
    assert percent(None) == "—"
    assert signed(1.5) == "+1,5"
    assert signed(-2) == "−2,0"


def test_a_chart_draws_what_its_table_says():
    html = charts.line_chart(
        title="Điểm",
        points=[charts.Point("01/26", 80.5, "80,5"), charts.Point("02/26", None, "—")],
        top=100,
        headings=("Tháng", "Điểm"),
    )
    [figure] = figures(html)
    assert figure["svg"]["role"] == "img"
    assert "80,5" in figure["svg"]["aria-label"]
    assert figure["title"] == "Điểm"
    assert figure["cells"] == ["Tháng", "Điểm", "01/26", "80,5", "02/26", "—"]
    # A name with markup is text, not markup.
    bars = charts.bar_chart(
        title="<b>x</b>", bars=[charts.Bar("<i>A</i>", 1, 2, "1")], headings=("a", "b")
    )
    assert "<i>" not in bars
    assert "&lt;i&gt;A&lt;/i&gt;" in bars


@pytest.mark.parametrize("path", ["/chi-so/", "/bao-cao/chi-so/"])
def test_every_chart_has_its_table(late_march, path):
    client = inspector() if path.startswith("/bao") else Client()
    html = client.get(path, MARCH).content.decode()
    found = figures(html)
    assert len(found) >= 3
    for figure in found:
        assert figure["svg"]["role"] == "img"
        assert figure["svg"]["aria-label"]
        assert figure["title"]
        assert figure["table"]
        assert figure["cells"]
    assert "<script" not in html.split("<main", 1)[1]


def test_the_csv_is_the_province_and_every_unit(late_march):
    response = Client().get("/chi-so/du-lieu.csv", MARCH)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    units = ranking(parse_period("2026-03"), "unit")
    assert len(rows) == 1 + len(units)
    header = list(rows[0])
    assert header[:10] == [
        "period", "start", "end", "scope", "id", "name", "rank", "score", "max_score", "grade",
    ]  # fmt: skip
    assert {"group_progress", "on_time_rate", "online_dossier_rate", "as_of"} <= set(header)
    assert rows[0]["scope"] == "province"
    assert rows[0]["period"] == "2026-03"
    assert {row["scope"] for row in rows[1:]} == {"unit"}
    assert [int(row["rank"]) for row in rows[1:]] == [u.rank for u in units]
    assert float(rows[0]["on_time_rate"]) == 0.0  # the one finished dossier was late


def test_the_json_is_the_api_shape(late_march):
    response = Client().get("/chi-so/du-lieu.json", MARCH)
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["period"]["code"] == "2026-03"
    assert body["province"]["scope"]["kind"] == "province"
    assert {g["key"] for g in body["province"]["groups"]} == {
        "transparency", "progress", "digitisation", "online", "satisfaction",
    }  # fmt: skip
    assert all(unit["scope"]["kind"] == "unit" and unit["rank"] for unit in body["units"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T.*", body["as_of"])


@pytest.mark.parametrize(
    ("client", "path", "sheets"),
    [
        (
            inspector,
            "/bao-cao/chi-so/",
            ["Tổng hợp", "Nhóm chỉ số", "Chỉ số", "Xếp hạng", "Xu hướng", "Nơi mất điểm"],
        ),
        (Client, "/chi-so/", ["Tổng hợp", "Nhóm chỉ số", "Chỉ số", "Xếp hạng", "Xu hướng"]),
    ],
)
def test_the_workbook_opens_with_its_sheets(late_march, client, path, sheets):
    response = client().get(path, {**MARCH, "dinh-dang": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == sheets
    summary = [[c.value for c in row] for row in book["Tổng hợp"].iter_rows()]
    assert ["Kỳ", "Tháng 03/2026"] in [row[:2] for row in summary]
    trend = list(book["Xu hướng"].iter_rows(min_row=2, values_only=True))
    assert len(trend) == 12
    indicators = [row[1] for row in book["Chỉ số"].iter_rows(min_row=2, values_only=True)]
    assert len(indicators) >= 10
