"""Where the time goes, in bulk: the step-time and processing-time counter changes of a chunk,
as the step actions would have made them (``dossiers/time_counters.py``; docs/simulate.md
"Bulk mode"), merged into the database with the chunk's other counters."""

from __future__ import annotations

from collections import Counter, defaultdict

from motcua.core.counters import Key
from motcua.dossiers.models import (
    ProcessingTimeDayCounter,
    ProcessingTimeMonthCounter,
    StepTimeDayCounter,
    StepTimeMonthCounter,
)
from motcua.dossiers.time_counters import monthly
from motcua.simulate.bulk.sink import Sink


class TimeTally:
    """Day-keyed changes of the steps finished and the results made ready in a chunk."""

    def __init__(self) -> None:
        self.steps: dict[Key, Counter[str]] = defaultdict(Counter)
        self.processing: dict[Key, Counter[str]] = defaultdict(Counter)

    def add_step(self, key: Key, change: dict[str, int]) -> None:
        """``time_counters.step_figures`` of a finished step."""
        self.steps[key].update(change)

    def add_processing(self, key: Key, change: dict[str, int]) -> None:
        """``time_counters.processing_figures`` of a dossier whose result is ready."""
        self.processing[key].update(change)

    def flush(self, sink: Sink) -> None:
        """Merge the changes, the step and processing tables in the actions' order (before
        the flows: docs/rules/indicators.md "Rollups")."""
        for model, changes in (
            (StepTimeDayCounter, self.steps),
            (StepTimeMonthCounter, monthly({k: dict(v) for k, v in self.steps.items()})),
            (ProcessingTimeDayCounter, self.processing),
            (ProcessingTimeMonthCounter, monthly({k: dict(v) for k, v in self.processing.items()})),
        ):
            sink.add_counters(model, changes)
        self.steps.clear()
        self.processing.clear()
