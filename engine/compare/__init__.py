"""The Compare workspace's engine: deep learning and classic data mining on both tasks, measured.

Qt-free and light to import (no TensorFlow, no scikit-learn until a cell trains). The GUI runs
``run_compare`` on a worker thread and draws ``CompareCell`` records as they arrive.
"""

from engine.compare.cache import CellCache
from engine.compare.presets import FULL, PRESETS, QUICK, TINY, ComparePreset, get_preset, model_title
from engine.compare.results import CompareCell, CompareResult

__all__ = ["CellCache", "CompareCell", "ComparePreset", "CompareResult", "FULL", "PRESETS", "QUICK", "TINY",
           "Reading", "compare_readings", "get_preset", "model_title", "run_compare"]


def __getattr__(name: str):  # the runner and the readings on first use: keeps ``import engine.compare`` cheap
    if name == "run_compare":
        from engine.compare.runner import run_compare

        return run_compare
    if name in ("Reading", "compare_readings"):
        from engine.compare import readings

        return getattr(readings, name)
    raise AttributeError(name)
