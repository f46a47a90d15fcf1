"""Shared test set-up: offscreen Qt, a private data dir per test, evaluation data lookup."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ["DEEPMINE_LANG"] = os.environ.get("DEEPMINE_TEST_LANG", "en")


@pytest.fixture(autouse=True)
def deepmine_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty user data dir, so no test sees another's cache."""
    home = tmp_path_factory.mktemp("deepmine_home")
    monkeypatch.setenv("DEEPMINE_HOME", str(home))
    from engine.core.i18n import set_language

    set_language("en")
    return home


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` (evaluation data). Tests that need it skip without it, saying why."""
    from engine.core.paths import shared_data_dir

    found = shared_data_dir()
    if found is None:
        pytest.skip("../shared/data (evaluation data: MNIST test set, pen strokes) is not beside the repo")
    return found
