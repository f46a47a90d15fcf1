"""What the table half of a comparison runs on: Boston (the default) or the person's own table.

A ``TableSource`` is plain and picklable (it crosses to the TensorFlow worker with the comparison).
Importing this module is light: pandas only where a fingerprint is computed, in the worker.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.tables.roles import RoleChoice
    from engine.tables.table import Table


@dataclass
class TableSource:
    """The person's table with their role choice (target, task, columns left out or kept)."""

    table: Table
    choice: RoleChoice

    @property
    def label(self) -> str:
        return f"{self.table.name} → {self.choice.target}"

    def fingerprint(self, rules: dict[str, Any]) -> str:
        """sha256 of the table's content (every cell, the column names and kinds), the role choice and
        the preparation ``rules``: two tables, or two choices on one table, never share a cached cell."""
        import pandas as pd

        digest = hashlib.sha256()
        frame = self.table.frame
        digest.update(json.dumps([[str(c), self.table.kinds.get(str(c), "")] for c in frame.columns]).encode())
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
        choice = {"target": self.choice.target, "task": self.choice.task, "ignore": sorted(self.choice.ignore),
                  "keep": sorted(self.choice.keep)}
        digest.update(json.dumps({"choice": choice, "rules": rules}, sort_keys=True, default=str).encode())
        return f"table:{digest.hexdigest()}"


def source_of(workspace: Any) -> TableSource | None:
    """The table open in the Tables workspace (``engine.tables.service.TableWorkspace``) with the person's
    role choice (target, task, columns left out or kept), or None when no table is open or no target chosen."""
    opened = getattr(workspace, "opened", None)
    choice = getattr(workspace, "choice", None)
    if opened is None or choice is None or not choice.target or choice.target not in opened.table.columns:
        return None
    from engine.tables.roles import RoleChoice

    return TableSource(opened.table, RoleChoice(choice.target, choice.task, list(choice.ignore), list(choice.keep)))
