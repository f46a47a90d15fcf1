"""Library versions, read from package metadata so nothing heavy (TensorFlow) is imported."""

from __future__ import annotations

import platform
from functools import lru_cache
from importlib import metadata

import engine

_PACKAGES = {
    "numpy": ("numpy",),
    "scikit-learn": ("scikit-learn",),
    "keras": ("keras",),
    "tensorflow": ("tensorflow-cpu", "tensorflow"),
    "matplotlib": ("matplotlib",),
    "PySide6": ("PySide6-Essentials", "PySide6"),
    "ai-edge-litert": ("ai-edge-litert",),
    "pandas": ("pandas",),
}


@lru_cache(maxsize=1)
def library_versions() -> dict[str, str]:
    """Versions that decide whether a cached model is still valid and make a run reproducible."""
    found = {"python": platform.python_version(), "deepmine": engine.__version__}
    for name, dists in _PACKAGES.items():
        for dist in dists:
            try:
                found[name] = metadata.version(dist)
                break
            except metadata.PackageNotFoundError:
                continue
        else:
            found[name] = "not installed"
    return found
