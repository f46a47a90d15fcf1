"""A duration as people read it in a status line ("45 s", "3 min 05 s"), in the window's language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def duration_text(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return QCoreApplication.translate("Durations", "{seconds} s").format(seconds=seconds)
    return QCoreApplication.translate("Durations", "{minutes} min {seconds} s").format(
        minutes=seconds // 60, seconds=f"{seconds % 60:02d}")
