"""Every string a person can see has a Simplified Chinese translation: the engine's catalogue
and Qt's .ts file, with the same placeholders as the English text."""

from __future__ import annotations

import json
import re
from pathlib import Path

from i18n_helpers import engine_msgids

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def test_every_engine_message_has_a_chinese_translation() -> None:
    catalogue = json.loads((ROOT / "engine" / "core" / "locales" / "zh_CN.json").read_text(encoding="utf-8"))
    ids = engine_msgids()
    missing = {m: where for m, where in ids.items() if not catalogue.get(m)}
    assert not missing, f"untranslated engine messages: {missing}"
    for msgid in ids:
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(catalogue[msgid])), msgid


def test_engine_messages_follow_the_language_setting() -> None:
    from engine.core.errors import DataError
    from engine.core.i18n import set_language

    error = DataError("{name} is empty.", name="houses.csv")
    assert str(error) == "houses.csv is empty."
    set_language("zh_CN")
    assert str(error) == "houses.csv 是空的。"
