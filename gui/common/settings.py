"""Preferences in an INI file inside the user data dir (so ``DEEPMINE_HOME`` isolates tests)."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from engine.core.paths import settings_file


def app_settings() -> QSettings:
    return QSettings(str(settings_file()), QSettings.Format.IniFormat)
