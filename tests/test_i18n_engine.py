"""The engine's catalogue follows the language setting and never breaks a message."""

from __future__ import annotations

import json
import re
from pathlib import Path

from engine.core import i18n
from engine.core.errors import DataError

ROOT = Path(__file__).resolve().parent.parent


def test_language_names_are_normalised() -> None:
    assert i18n.normalize("zh_CN.UTF-8") == "zh_CN"
    assert i18n.normalize("zh-Hans") == "zh_CN"
    assert i18n.normalize("en_US") == "en"
    assert i18n.normalize(None) == "en"


def test_system_language_follows_environment(monkeypatch) -> None:
    monkeypatch.delenv("DEEPMINE_LANG", raising=False)
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    assert i18n.system_language() == "zh_CN"
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    assert i18n.system_language() == "en"


def test_errors_render_in_the_language_active_when_shown(monkeypatch) -> None:
    monkeypatch.setitem(i18n.catalogue("zh_CN"), "Line {line}: {reason}", "第 {line} 行：{reason}")
    err = DataError("Line {line}: {reason}", line=3, reason="x")
    i18n.set_language("en")
    assert str(err) == "Line 3: x"
    i18n.set_language("zh_CN")
    try:
        assert str(err) == "第 3 行：x"
    finally:
        i18n.set_language("en")


def test_broken_translation_falls_back_to_english(monkeypatch) -> None:
    monkeypatch.setitem(i18n.catalogue("zh_CN"), "Hello {name}", "你好 {nom}")
    assert i18n.t("Hello {name}", lang="zh_CN", name="A") == "Hello A"


def test_catalogue_is_valid_json_with_placeholders_kept() -> None:
    data = json.loads((ROOT / "engine" / "locales" / "zh_CN.json").read_text(encoding="utf-8"))
    for msgid, text in data.items():
        assert set(re.findall(r"{(\w+)}", msgid)) == set(re.findall(r"{(\w+)}", text)), msgid
