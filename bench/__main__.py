"""Run every benchmark module, print one JSON object and write it to ``build/bench.json``.

Each module in ``MODULES`` has ``run(results: dict) -> None`` that adds flat dotted keys
(``digits.mnist_test_accuracy.cnn``). ``python -m bench digits houses`` runs a subset.
A module that fails records ``<name>.error`` and the others still run.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

MODULES = ["digits", "shipped", "online", "photo", "houses", "tables", "gui_digits", "gui_houses", "tasks_storm", "compare",
           "gui_compare", "lab", "gui_lab", "worker", "project", "reliability", "package"]


def _windows_close_without_asking() -> None:
    """Benchmarks close the windows they measured: no one is there to answer "save your work?"."""
    from gui.common import project_actions

    real_init = project_actions.ProjectActions.__init__

    def init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        self.unsaved_prompt = lambda: "discard"
        self.recovery_prompt = lambda offer: False

    project_actions.ProjectActions.__init__ = init


def main(argv: list[str]) -> int:
    wanted = argv or MODULES
    _windows_close_without_asking()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("DEEPMINE_HOME", tempfile.mkdtemp(prefix="deepmine-bench-"))
    out = Path("build/bench.json")
    results: dict[str, object] = {}
    if out.exists() and argv:  # a partial run updates the previous figures
        results.update(json.loads(out.read_text()))
    for name in wanted:
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"bench.{name}":
                continue
            raise
        start = time.monotonic()
        results.pop(f"{name}.error", None)  # a partial run's earlier failure of this module is not this run's
        print(f"[bench] {name} …", file=sys.stderr, flush=True)
        try:
            module.run(results)
        except Exception:  # noqa: BLE001 — one broken benchmark must not hide the others
            results[f"{name}.error"] = traceback.format_exc(limit=3)
            traceback.print_exc()
        results[f"bench.seconds.{name}"] = round(time.monotonic() - start, 1)
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps(results, indent=2, sort_keys=True))
    print(json.dumps(results, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
