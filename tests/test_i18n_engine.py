"""The engine's catalogue follows the language setting and never breaks a message."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

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


def test_an_engine_error_reads_in_the_language_active_when_it_is_shown(tmp_path) -> None:
    """A CSV refused while the app spoke English reads in Chinese once the person has switched
    (and back): the real catalogue's sentence, with the path as it was given and the numbers filled in."""
    from engine.houses.csv_io import import_house_csv

    path = tmp_path / "houses.csv"
    path.write_text("CRIM,ZN,INDUS,CHAS,NOX,RM,AGE,DIS,RAD,TAX,PTRATIO,B,LSTAT,MEDV\n"
                    + "0.1,0,5,0,0.5,6,60,4,4,300,18,390,10,22\n" * 3 + "0.1,0,5\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        import_house_csv(path)
    error = caught.value
    assert str(error) == f"Line 5 of {path} has 3 fields, but the header has 14."
    i18n.set_language("zh_CN")
    try:
        assert str(error) == f"{path} 的第 5 行有 3 个字段，但表头有 14 个。"
    finally:
        i18n.set_language("en")
    assert str(error) == f"Line 5 of {path} has 3 fields, but the header has 14."


def test_broken_translation_falls_back_to_english(monkeypatch) -> None:
    monkeypatch.setitem(i18n.catalogue("zh_CN"), "Hello {name}", "你好 {nom}")
    assert i18n.t("Hello {name}", lang="zh_CN", name="A") == "Hello A"


def test_catalogue_is_valid_json_with_placeholders_kept() -> None:
    data = json.loads((ROOT / "engine" / "core" / "locales" / "zh_CN.json").read_text(encoding="utf-8"))
    assert len(data) > 50, "the catalogue is the real one, not an empty file"
    for msgid, text in data.items():
        assert set(re.findall(r"{(\w+)}", msgid)) == set(re.findall(r"{(\w+)}", text)), msgid


def test_a_small_project_is_never_said_to_be_zero_megabytes() -> None:
    from engine.core.i18n import megabytes

    assert megabytes(12_000) == "0.012" and megabytes(3_230_000) == "3.2" and megabytes(0) == "0"
