"""The engine's message catalogue: errors, explanations and report text in the person's language.

The GUI uses Qt's ``tr()``; the engine cannot (no Qt here), so it looks English message ids up
in ``engine/locales/<lang>.json``. Both follow the same language setting: the GUI calls
``set_language`` when the person switches, the CLI reads ``--lang``/the environment.
Placeholders use ``str.format`` names, so a translation may reorder them.
"""

from __future__ import annotations

import json
import locale
import os
import threading
from functools import lru_cache
from pathlib import Path

SUPPORTED = ("en", "zh_CN")
_LOCALES = Path(__file__).with_name("locales")
_state = threading.local()
_default_language = "en"


def normalize(lang: str | None) -> str:
    """Map any locale name (``zh_CN.UTF-8``, ``zh-Hans``, ``en_US``) to a supported language."""
    if not lang:
        return "en"
    low = lang.lower().replace("-", "_")
    if low.startswith("zh"):
        return "zh_CN"
    return "en"


def system_language() -> str:
    """zh_CN when the system speaks Chinese, otherwise English."""
    for var in ("DEEPMINE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return normalize(value)
    try:
        return normalize(locale.getlocale()[0])
    except ValueError:
        return "en"


def set_language(lang: str) -> None:
    """Set the process-wide language (threads started later and the current one follow it)."""
    global _default_language
    _default_language = normalize(lang)
    _state.lang = _default_language


def get_language() -> str:
    return getattr(_state, "lang", _default_language)


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """Translations for ``lang`` (empty for English, whose ids are the text)."""
    path = _LOCALES / f"{lang}.json"
    if lang == "en" or not path.exists():
        return {}
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def N_(msgid: str) -> str:
    """Mark a message id for the catalogue where it is stored now and translated (``t``) later."""
    return msgid


def t(msgid: str, /, lang: str | None = None, **params: object) -> str:
    """Translate ``msgid`` and fill its ``{placeholders}``.

    Mark every user-visible engine string with ``t("…")`` literally, so the catalogue
    check in the tests can find it.
    """
    text = catalogue(lang or get_language()).get(msgid, msgid)
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return msgid.format(**params)
    return text


def megabytes(n_bytes: int) -> str:
    """A file size in MB for a sentence: one decimal, or two significant digits below 0.1 MB (never "0.0")."""
    mb = n_bytes / 1e6
    return f"{mb:.1f}" if mb >= 0.1 else f"{mb:.2g}"
