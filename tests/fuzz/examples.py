"""How hard the fuzz tests try, in one place (docs/decisions/tests.md "Speed").

Every form and every API operation gets its own run of this many examples, so each one is
exercised however many there are; ``derandomize`` makes the runs the same on every machine,
and a failure is reproduced by running the test again.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings


def examples(count: int) -> settings:
    return settings(
        max_examples=count,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


PER_FORM = examples(12)  # a POST in a savepoint each: the slowest examples of the suite
PER_OPERATION = examples(25)  # per API operation, anonymously and again with a staff token
