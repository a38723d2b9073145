"""Seeded random streams: one per part of the plan, so parts do not depend on each other."""

from __future__ import annotations

import random


def rng_for(seed: int, *parts: object) -> random.Random:
    """A generator of its own for one part of the plan (a day, a story). A str seed is hashed
    with SHA-512, so the stream is the same on every machine and Python run. Not for secrets:
    a simulation wants a reproducible stream."""
    return random.Random("/".join(str(p) for p in (seed, *parts)))  # noqa: S311
