"""Lab figures: each guided experiment once at full size, cold (an empty cache of its own).

``python -m bench lab``. ``lab.<experiment>.seconds`` is the experiment's own time (data split,
building, training and measuring every variant; TensorFlow's import is counted once, in
``lab.tensorflow_import_seconds``); the target is ≤ 60 s each on two cores.
"""

from __future__ import annotations

import sys
import tempfile
import time


def run(results: dict) -> None:
    from engine.core import tf_runtime
    from engine.core.tasks import run_task
    from engine.lab.experiments import EXPERIMENTS, run_experiment_task

    started = time.monotonic()
    tf_runtime.keras()
    results["lab.tensorflow_import_seconds"] = round(time.monotonic() - started, 1)
    with tempfile.TemporaryDirectory(prefix="deepmine-lab-bench-") as tmp:
        for name in EXPERIMENTS:
            started = time.monotonic()
            result = run_task(run_experiment_task(name, "full", cache_root=tmp, use_cache=False))
            results[f"lab.{name}.seconds"] = round(time.monotonic() - started, 1)
            results[f"lab.{name}.data"] = result["data_label"]
            print(f"[lab] {name}: {results[f'lab.{name}.seconds']} s", file=sys.stderr, flush=True)
            for v in result["variants"]:
                key = f"lab.{name}"
                if v["val_accuracy"] is not None:
                    results[f"{key}.val_accuracy.{v['name']}"] = round(v["val_accuracy"], 4)
                if name == "vanishing":
                    ratio = v["grad_ratio_first_last"]
                    results[f"{key}.grad_ratio_first_last.{v['name']}"] = float(f"{ratio:.3g}") if ratio else ratio
                elif name == "exploding":
                    results[f"{key}.diverged.{v['name']}"] = v["diverged"]
                elif name == "overfitting":
                    results[f"{key}.gap.{v['name']}"] = round(v["gap"], 4)
                elif name == "explainability":
                    results[f"{key}.saliency_ms"] = round(result["details"]["saliency_ms"], 2)
                    results[f"{key}.tree_rules"] = len(result["details"]["rules"])
