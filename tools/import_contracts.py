"""Import contracts that import-linter lacks, for ``make lint`` (see docs/architecture.md).

``private``: a module whose name starts with an underscore (``dossiers/actions/_core.py``)
is its package's own business. Only modules inside the same app (``motcua.<app>``) may
import it; another app must go through the app's public modules. The rule applies to every
private module, present and future, so no list has to be kept up to date.
"""

from __future__ import annotations

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output


def _private(module: str) -> bool:
    return any(part.startswith("_") and not part.startswith("__") for part in module.split("."))


def _app(module: str, depth: int) -> str:
    return ".".join(module.split(".")[:depth])


class PrivateModulesContract(Contract):
    """No app imports another app's private module.

    Options: ``app_depth``, how many leading name parts make an app (2 for ``motcua.dossiers``).
    """

    type_name = "private"

    app_depth = fields.IntegerField(required=False, default=2)

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        depth = int(self.app_depth)  # type: ignore[call-overload]
        broken = []
        for imported in sorted(m for m in graph.modules if _private(m)):
            for importer in sorted(graph.find_modules_that_directly_import(imported)):
                if _app(importer, depth) != _app(imported, depth):
                    broken.append((importer, imported))
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, imported in check.metadata["broken"]:
            output.print_error(f"{importer} imports the private module {imported}")
            output.new_line()
