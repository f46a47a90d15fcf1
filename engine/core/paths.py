"""Where the app keeps its files: one user data dir, overridable for tests and benchmarks."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from engine import APP_NAME

ENV_HOME = "DEEPMINE_HOME"


def data_home() -> Path:
    """The user data dir (``DEEPMINE_HOME`` wins), created on first use.

    Never the folder of the executable: a frozen app may be installed read-only.
    """
    override = os.environ.get(ENV_HOME)
    root = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    _try_mkdir(root)
    return root


def _sub(name: str) -> Path:
    path = data_home() / name
    _try_mkdir(path)
    return path


def _try_mkdir(path: Path) -> None:
    """Create the folder if possible; an unwritable data dir is reported where a write fails,
    so reading, predicting and training in memory still work."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass


def models_dir() -> Path:
    """Cached trained models with their metadata."""
    return _sub("models")


def datasets_dir() -> Path:
    """Downloaded or imported datasets (e.g. the full MNIST)."""
    return _sub("datasets")


def samples_dir() -> Path:
    """The person's own handwriting samples (corrections)."""
    return _sub("samples")


def settings_file() -> Path:
    """Preferences shared by GUI and engine (language, last folders, window geometry)."""
    return data_home() / "settings.ini"


def shared_data_dir() -> Path | None:
    """``../shared/data`` beside the repo: evaluation data for tests and benchmarks only.

    The app itself never reads it; ``DEEPMINE_SHARED_DATA`` overrides the location.
    """
    override = os.environ.get("DEEPMINE_SHARED_DATA")
    candidate = Path(override) if override else Path(__file__).resolve().parents[3] / "shared" / "data"
    return candidate if candidate.is_dir() else None
