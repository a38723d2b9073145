"""The import contract (``pyproject.toml`` ``[tool.importlinter]``, checked by ``make lint``)
covers every app: a new app has to be given its place in the layers, and is kept from the
development fakes, the day it is added (docs/architecture.md "Dependency direction")."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE_THE_PRODUCT = {"motcua.devtools"}


def apps() -> set[str]:
    return {
        f"motcua.{path.parent.name}"
        for path in (ROOT / "motcua").glob("*/apps.py")
        if path.parent.name not in {"locale"}
    }


def contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["type"]: c for c in config["tool"]["importlinter"]["contracts"]}


def modules_in(layer: str) -> set[str]:
    names = layer.replace("|", " ").replace(":", " ").replace("(", " ").replace(")", " ")
    return set(names.split())


def test_every_app_has_its_layer() -> None:
    layered = set().union(*(modules_in(layer) for layer in contracts()["layers"]["layers"]))
    assert apps() - OUTSIDE_THE_PRODUCT - layered == set()
    assert layered - apps() <= {"motcua.integrations"}  # a package of transports, no app


def test_every_app_is_kept_from_the_fakes() -> None:
    sources = set(contracts()["forbidden"]["source_modules"])
    assert (apps() | {"motcua.integrations"}) - OUTSIDE_THE_PRODUCT <= sources
    assert contracts()["forbidden"]["forbidden_modules"] == ["motcua.devtools"]
