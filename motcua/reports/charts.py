"""Charts drawn on the server as inline SVG: no script, no library, nothing fetched from
another site, so a page prints and reads the same everywhere (docs/indicators.md "Charts").

Each chart is a ``<figure>``: the drawing (``role="img"``, a ``<title>`` and an
``aria-label`` that say what it shows) and a table of the same numbers, hidden from the eye
but read by screen readers. Colours come from CSS classes (``reports/indicators.css``), so the
print stylesheet turns them black and grey. The SVG scales to its box (``viewBox``, no fixed
width): a 375 px phone shows the whole chart without scrolling the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from motcua.reports.numbers import number, percent

FONT = 13
LABEL_CHARS = 40  # longer names are cut in the drawing; the table keeps them whole


@dataclass(frozen=True)
class Point:
    """One value of a chart: its label, the number drawn (None: nothing to draw) and the same
    number as the page writes it."""

    label: str
    value: float | None
    shown: str


@dataclass(frozen=True)
class Bar:
    """A horizontal bar: ``value`` out of ``top`` (its own scale, or the chart's)."""

    label: str
    value: float | None
    top: float
    shown: str


def _r(value: float) -> str:
    """A coordinate, to a tenth of a unit."""
    return f"{value:.1f}"


def _join(parts: Sequence[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def _figure(
    *,
    title: str,
    svg_body: SafeString,
    width: int,
    height: int,
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    kind: str,
) -> SafeString:
    summary = "; ".join(f"{row[0]}: {', '.join(row[1:])}" for row in rows) or _("Chưa có số liệu")
    label = f"{title}. {summary}"
    head = format_html_join("", '<th scope="col">{}</th>', ((h,) for h in headings))
    body = format_html_join(
        "",
        "<tr>{}</tr>",
        (
            (
                format_html(
                    '<th scope="row">{}</th>{}',
                    row[0],
                    format_html_join("", '<td class="num">{}</td>', ((c,) for c in row[1:])),
                ),
            )
            for row in rows
        ),
    )
    return format_html(
        '<figure class="chart chart-kind-{kind}">'
        "<figcaption>{title}</figcaption>"
        '<svg viewBox="0 0 {width} {height}" role="img" aria-label="{label}" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        "<title>{title}</title>{body}</svg>"
        '<div class="visually-hidden"><table class="chart-data"><caption>{title}</caption>'
        "<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
        "</figure>",
        kind=kind,
        title=title,
        width=width,
        height=height,
        label=label,
        body=svg_body,
        head=head,
        rows=body,
    )


def line_chart(
    *, title: str, points: Sequence[Point], top: float, headings: Sequence[str]
) -> SafeString:
    """A line over time (a score by month), from 0 to ``top``, with a grid every quarter."""
    width, height = 480, 240
    left, right, upper, lower = 40, 24, 14, 40
    plot_w, plot_h = width - left - right, height - upper - lower
    top = top or 1.0
    parts: list[SafeString] = []
    for step in range(5):
        level = top * step / 4
        y = upper + plot_h - plot_h * step / 4
        parts.append(
            format_html(
                '<line class="chart-grid" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<text class="chart-axis" x="{}" y="{}" text-anchor="end" font-size="{}">'
                "{}</text>",
                left,
                _r(y),
                width - right,
                _r(y),
                left - 6,
                _r(y + 4),
                FONT - 2,
                number(level, 0),
            )
        )
    gap = plot_w / max(len(points) - 1, 1)
    drawn: list[tuple[float, float]] = []
    for index, point in enumerate(points):
        x = left + gap * index if len(points) > 1 else left + plot_w / 2
        parts.append(
            format_html(
                '<text class="chart-axis" x="{}" y="{}" text-anchor="middle" font-size="{}">'
                "{}</text>",
                _r(x),
                height - lower + 18,
                FONT - 2,
                point.label,
            )
        )
        if point.value is not None:
            y = upper + plot_h - plot_h * min(max(point.value / top, 0.0), 1.0)
            drawn.append((x, y))
    if len(drawn) > 1:
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in drawn)
        parts.append(format_html('<polyline class="chart-line" fill="none" points="{}"/>', line))
    parts.extend(
        format_html('<circle class="chart-dot" cx="{}" cy="{}" r="4"/>', _r(x), _r(y))
        for x, y in drawn
    )
    rows = [(point.label, point.shown) for point in points]
    return _figure(
        title=title,
        svg_body=_join(parts),
        width=width,
        height=height,
        headings=headings,
        rows=rows,
        kind="line",
    )


def bar_chart(*, title: str, bars: Sequence[Bar], headings: Sequence[str]) -> SafeString:
    """Horizontal bars, one a row, the name above its bar so long names fit a phone."""
    width, row_h = 480, 44
    height = max(row_h * len(bars), row_h) + 4
    parts: list[SafeString] = []
    for index, bar in enumerate(bars):
        y = index * row_h
        share = 0.0 if bar.value is None or not bar.top else min(max(bar.value / bar.top, 0), 1)
        parts.append(
            format_html(
                '<text class="chart-label" x="0" y="{}" font-size="{}">{}</text>'
                '<text class="chart-value" x="{}" y="{}" font-size="{}" text-anchor="end">'
                "{}</text>"
                '<rect class="chart-track" x="0" y="{}" width="{}" height="16" rx="2"/>'
                '<rect class="chart-bar" x="0" y="{}" width="{}" height="16" rx="2"/>',
                y + 15,
                FONT,
                _short(bar.label),
                width,
                y + 15,
                FONT,
                bar.shown,
                y + 21,
                width,
                y + 21,
                _r(width * share),
            )
        )
    rows = [(bar.label, bar.shown) for bar in bars]
    return _figure(
        title=title,
        svg_body=_join(parts),
        width=width,
        height=height,
        headings=headings,
        rows=rows,
        kind="bars",
    )


def share_chart(*, title: str, shares: Sequence[Point], headings: Sequence[str]) -> SafeString:
    """Donuts side by side, one a share (0..1), its percentage in the middle."""
    size, gap = 150, 10
    width = max(len(shares), 1) * (size + gap)
    height = size + 44
    radius, stroke = 52, 18
    circumference = 2 * 3.141592653589793 * radius
    parts: list[SafeString] = []
    for index, share in enumerate(shares):
        cx, cy = index * (size + gap) + size / 2, 70
        filled = 0.0 if share.value is None else min(max(share.value, 0.0), 1.0)
        parts.append(
            format_html(
                '<circle class="chart-ring" cx="{}" cy="{}" r="{}" fill="none" '
                'stroke-width="{}"/>'
                '<circle class="chart-bar-stroke" cx="{}" cy="{}" r="{}" fill="none" '
                'stroke-width="{}" stroke-dasharray="{} {}" '
                'transform="rotate(-90 {} {})"/>'
                '<text class="chart-value" x="{}" y="{}" text-anchor="middle" '
                'font-size="{}" font-weight="700">{}</text>'
                '<text class="chart-label" x="{}" y="{}" text-anchor="middle" '
                'font-size="{}">{}</text>',
                _r(cx),
                cy,
                radius,
                stroke,
                _r(cx),
                cy,
                radius,
                stroke,
                _r(circumference * filled),
                _r(circumference),
                _r(cx),
                cy,
                _r(cx),
                cy + 6,
                FONT + 3,
                share.shown,
                _r(cx),
                size + 30,
                FONT,
                _short(share.label)[:22],
            )
        )
    rows = [(share.label, share.shown) for share in shares]
    return _figure(
        title=title,
        svg_body=_join(parts),
        width=width,
        height=height,
        headings=headings,
        rows=rows,
        kind="shares",
    )


def share_point(label: str, share: float | None) -> Point:
    return Point(label, share, percent(share))
