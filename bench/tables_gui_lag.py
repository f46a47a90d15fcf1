"""Only the window-lag figure of ``bench.tables``: ``gui.tables.event_loop_lag_ms.*`` while the
200k-row synthetic table is opened and mined in the real window (offscreen), without the rest of
the tables benchmark. ``nice -n 10 .venv/bin/python -m bench.tables_gui_lag [CSV]``; prints JSON."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path


def main(argv: list[str]) -> int:
    from bench.tables import _gui, write_synthetic_csv

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("DEEPMINE_HOME", tempfile.mkdtemp(prefix="deepmine-bench-lag-"))
    if argv:
        path = Path(argv[0])
        if not path.exists():
            write_synthetic_csv(path)
    else:
        path = write_synthetic_csv(Path(tempfile.mkdtemp(prefix="deepmine-bench-lag-")) / "synthetic_200k.csv")
    results: dict = {}
    _gui(results, path)
    print(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
