"""Histograms of working time, kept as counters and read for a median and a percentile
(docs/rules/indicators.md "Hotline counters", "Where the time goes").

A duration in working seconds falls in a bucket: a tenth of an hour wide under 10 hours, an
hour under 100, ten hours under 1,000, a hundred above. A counter row per bucket keeps how
many durations fell in it and their total seconds, so the middle value or the 90th
percentile is read from a few dozen rows however many durations were measured, each value
the mean of its bucket: exact when the durations in a bucket were equal, within one per cent
otherwise. The hotline's time to the first answer and a dossier step's working time use the
same buckets (``bucket_of`` in Python for the actions, ``bucket_expression`` in SQL for the
recounts) and the same reading (``Histogram``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db import models
from django.db.models import F, IntegerField, Value

# The buckets, in tenths of an hour: (below, width). A duration falls in the first range it is
# below, counted from the bucket's lower bound.
TENTH = 360  # seconds
BUCKETS = ((100, 1), (1_000, 10), (10_000, 100))
WIDEST = 1_000


def bucket_of(seconds: int) -> int:
    """The bucket of a duration of ``seconds`` working seconds: its lower bound in tenths of an
    hour (a tenth of an hour wide under 10 h, an hour under 100 h, ten hours under 1,000 h, a
    hundred above)."""
    tenths = seconds // TENTH
    for below, width in BUCKETS:
        if tenths < below:
            return tenths // width * width
    return tenths // WIDEST * WIDEST


def bucket_expression(seconds: str) -> models.Expression:
    """``bucket_of`` in SQL (integer division on both databases), for the recount."""
    tenths = F(seconds) / Value(TENTH)
    whens = [
        models.When(**{f"{seconds}__lt": below * TENTH}, then=tenths / Value(width) * width)
        for below, width in BUCKETS
    ]
    return models.Case(*whens, default=tenths / Value(WIDEST) * WIDEST, output_field=IntegerField())


@dataclass
class Histogram:
    """Durations per bucket: bucket → (how many, their working seconds)."""

    buckets: dict[int, tuple[int, int]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(n for n, _seconds in self.buckets.values())

    def add(self, bucket: int, answers: int, seconds: int) -> None:
        n, total = self.buckets.get(bucket, (0, 0))
        self.buckets[bucket] = (n + answers, total + seconds)

    def merge(self, other: Histogram) -> None:
        for bucket, (answers, seconds) in other.buckets.items():
            self.add(bucket, answers, seconds)

    def at_rank(self, rank: int) -> float:
        """The ``rank``-th smallest duration in hours (1-based), as its bucket's mean."""
        seen = 0
        for bucket in sorted(self.buckets):
            answers, seconds = self.buckets[bucket]
            seen += answers
            if answers and seen >= rank:
                return seconds / answers / 3600
        raise IndexError(rank)

    @property
    def median(self) -> float | None:
        """The middle value in hours (the mean of the two middle ones for an even count)."""
        n = self.count
        if not n:
            return None
        if n % 2:
            return self.at_rank(n // 2 + 1)
        return (self.at_rank(n // 2) + self.at_rank(n // 2 + 1)) / 2

    @property
    def p90(self) -> float | None:
        """The 90th percentile in hours, by nearest rank: the smallest value with at least
        90 % of the durations at or below it."""
        n = self.count
        return self.at_rank(math.ceil(0.9 * n)) if n else None
