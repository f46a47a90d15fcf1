"""Qt translations: the app's own ``.qm`` (built from ``assets/i18n/*.ts``) and Qt's own."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from engine.core.i18n import normalize, set_language, system_language
from gui.common.settings import app_settings

_installed: list[QTranslator] = []


def assets_dir() -> Path:
    """``assets/`` beside the packages, or inside a PyInstaller bundle."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[2]))
    return base / "assets"


def preferred_language() -> str:
    """The saved choice, else the system's (zh_CN → Chinese, otherwise English)."""
    saved = app_settings().value("language", "", type=str)
    return normalize(saved) if saved else system_language()


def save_language(lang: str) -> None:
    settings = app_settings()
    settings.setValue("language", normalize(lang))
    settings.sync()


def install_translators(app: QApplication, lang: str) -> str:
    """Load translators for ``lang`` and set the engine's catalogue to match; returns the language."""
    lang = normalize(lang)
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    set_language(lang)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China) if lang == "zh_CN"
                       else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    if lang == "en":
        return lang
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    candidates = [(assets_dir() / "i18n", f"deepmine_{lang}"), (Path(qt_dir), f"qtbase_{lang}")]
    for folder, name in candidates:
        translator = QTranslator(app)
        if translator.load(name, str(folder)):
            app.installTranslator(translator)
            _installed.append(translator)
    return lang
