"""Packaging figures: measured by ``make package`` (a 3–5 minute build), folded in here."""

from __future__ import annotations

import json
from pathlib import Path

PACKAGE_JSON = Path(__file__).resolve().parent.parent / "build" / "package.json"


def run(results: dict) -> None:
    if not PACKAGE_JSON.exists():
        results["package.note"] = "run `make package` first: it builds the app and measures it"
        return
    results.update(json.loads(PACKAGE_JSON.read_text()))
