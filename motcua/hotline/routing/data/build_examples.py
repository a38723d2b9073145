"""Write ``examples.jsonl.gz``: hotline messages labelled with the catalogue sector they concern.

    python motcua/hotline/routing/data/build_examples.py

The messages are in ``messages/``, grouped by sector, as citizens write them to the 1022
hotline on Zalo, Facebook, the web form or as an operator types a call: with and without
diacritics, in everyday words, with typos and filler. Keys are the exact ``Sector.name`` of
the national catalogue. To extend the set, add messages under their sector and run this file
again. The train/test split (``split``) is stratified: in each sector the 30 % of messages
with the lowest hash are test, so the same messages always give the same split, whatever
their order.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

# Run as a script, so ``messages/`` beside it is importable without Django.
from messages import MESSAGES

OUT = Path(__file__).resolve().parent / "examples.jsonl.gz"
TEST_SHARE = 0.3


# The sector names must be the catalogue's; ``bench/routing_eval.py`` reports any that
# are not, and training skips them.


def split(sector: str, messages: list[str]) -> dict[str, str]:
    """Message → "train" or "test": per sector, the ~30 % with the lowest hash are test."""
    ranked = sorted(messages, key=lambda m: hashlib.sha256(f"{sector}\n{m}".encode()).hexdigest())
    test = round(TEST_SHARE * len(ranked))
    return {m: ("test" if i < test else "train") for i, m in enumerate(ranked)}


def main() -> None:
    rows: list[dict[str, str]] = []
    for sector, messages in MESSAGES.items():
        duplicates = {m for m in messages if messages.count(m) > 1}
        if duplicates:
            raise SystemExit(f"{sector}: duplicate messages {sorted(duplicates)}")
        sides = split(sector, messages)
        rows.extend({"text": m, "sector": sector, "split": sides[m]} for m in messages)
    lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    # mtime=0: the same messages give the same bytes, so a rebuild leaves no diff.
    OUT.write_bytes(gzip.compress(lines.encode("utf-8"), mtime=0))
    tests = sum(row["split"] == "test" for row in rows)
    print(f"{OUT.name}: {len(rows)} messages, {len(MESSAGES)} sectors, {tests} test")


if __name__ == "__main__":
    main()
