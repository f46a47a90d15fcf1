"""``run_compare``: every model of both families on both tasks, over growing training sets.

A generator (``engine.core.tasks.Task``): the GUI drives it on a worker thread, the CLI and
tests with ``run_task``. It yields ``Progress`` at least every few tenths of a second while
training, and once per finished cell with the cell in ``data["cell"]`` (stage ``"cell"``), so a
view can draw the curves as they grow. Cancel = stop iterating or ``close()``: the work stops at
the next yield, and every finished cell is already in the cache.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.compare.cache import CellCache, cell_key
from engine.compare.cells import CellWork, digits_network_cell, digits_sklearn_cell, houses_cell
from engine.compare.netfit import StepTrainer, house_trainer
from engine.compare.presets import NETWORKS, ComparePreset, get_preset, model_title
from engine.compare.results import CompareCell, CompareResult, fmt_mse
from engine.compare.stepping import YIELD_EVERY, in_thread as _in_thread, threaded_cell as _threaded_cell
from engine.core import tf_runtime
from engine.core.i18n import t
from engine.core.tasks import Progress, Task
from engine.core.versions import library_versions

if TYPE_CHECKING:
    from engine.compare.table_half import TableSetup
    from engine.compare.table_source import TableSource

log = logging.getLogger(__name__)
HOLDOUT_SEED = 20240  # the held-out digits of a sample: fixed, whatever the preset's seed
TF_IMPORT_SECONDS = 6.0
__all__ = ["YIELD_EVERY", "app_compare_task", "run_compare"]


@dataclass
class DigitsSetup:
    x: np.ndarray  # the training pool, shuffled once (a size n trains on its first n)
    y: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    fingerprint: str
    source: str
    test_source: str
    sizes: list[int]


@dataclass
class HousesSetup:
    X: np.ndarray
    y: np.ndarray
    fingerprint: str
    source: str
    full_size: int
    sizes: list[int]


def _sizes(wanted: tuple[int, ...], available: int, include_all: bool) -> list[int]:
    sizes = sorted({min(s, available) for s in wanted if s > 0})
    if include_all and available not in sizes:
        sizes.append(available)
    return sizes


def holdout_size(n: int) -> int:
    """Digits held out of data without a test set: a fifth, between 500 and 10,000."""
    return max(min(500, n // 2), min(10_000, n // 5))


@lru_cache(maxsize=1)
def _offline_sample() -> Any:
    """The bundled sample, parsed once per process (~3 s): a rerun from the cache stays instant."""
    from engine.digits.mnist import load_offline_sample

    return load_offline_sample()


def prepare_digits(preset: ComparePreset, data: Any = None, test: Any = None) -> DigitsSetup:
    """The training pool and the held-out digits every model is scored on.

    With ``test`` (e.g. the official MNIST test set) all of ``data`` may be trained on; without
    it a fixed split of ``data`` (the offline sample by default) is held out and never trained on.
    """
    data = data if data is not None else _offline_sample()
    if test is not None:
        x, y, x_test, y_test = data.x, data.y, test.x, test.y
        fp = f"{data.provenance.sha256}|test:{test.provenance.sha256}"
        test_source = test.provenance.label
    else:
        h = holdout_size(len(data))
        order = np.random.default_rng(HOLDOUT_SEED).permutation(len(data))
        x_test, y_test, x, y = data.x[order[:h]], data.y[order[:h]], data.x[order[h:]], data.y[order[h:]]
        fp = f"{data.provenance.sha256}|holdout:{HOLDOUT_SEED}:{h}"
        test_source = ""  # held out of the training data: the report says so in its own language
    order = np.random.default_rng(preset.seed).permutation(len(y))
    return DigitsSetup(np.ascontiguousarray(x[order], np.float32), np.asarray(y[order], np.int64),
                       np.asarray(x_test, np.float32), np.asarray(y_test, np.int64), fp, data.provenance.label,
                       test_source, _sizes(preset.digit_sizes, len(y), preset.digits_all))


def prepare_houses(preset: ComparePreset) -> HousesSetup:
    """Boston housing (without B when the house parameters say so)."""
    from engine.houses.boston import load_boston

    data = load_boston()
    if preset.house_params.drop_b:
        data = data.without("B")
    full = len(data.y) - -(-len(data.y) // 5)  # the smallest training fold of 5-fold CV
    return HousesSetup(data.X, data.y, f"{data.provenance.sha256}|features:{','.join(data.features)}",
                       data.provenance.label, full, _sizes(preset.house_sizes, full, preset.houses_full))


def house_splits(n_rows: int, size: int, full_size: int, repeats: int,
                 seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """5-fold CV with the house workspace's folds (seed 42); below the full folds each training
    fold is subsampled to ``size`` rows and the CV is repeated with reshuffled folds."""
    from sklearn.model_selection import KFold

    from engine.houses.models import SPLIT_SEED

    out = []
    for r in range(repeats if size < full_size else 1):
        for f, (train, test) in enumerate(KFold(5, shuffle=True, random_state=SPLIT_SEED + r).split(np.arange(n_rows))):
            if size < len(train):
                train = np.sort(np.random.default_rng([seed, r, f, size]).choice(train, size, replace=False))
            out.append((train, test))
    return out


def estimate_seconds(preset: ComparePreset, task: str, model: str, size: int, full_size: int = 404) -> float:
    """A rough cost model (seconds on two cores) that weighs cells for the progress bar; the ETA
    rescales it by the speed actually measured."""
    if task == "digits":
        if model == "tree":
            return 0.1 + 3e-4 * size
        if model == "forest":
            return 0.2 + preset.forest_trees * 1.5e-5 * size
        if model == "boosting":  # one thread below 10,000 digits (see cells.boosting_threads)
            return 0.5 + preset.boosting_iter * (0.05 + 1.5e-4 * size) / (1 if size < 10_000 else 2)
        per_item = 1.2e-3 if model == "cnn" else 6e-5
        batch = 64 if model == "cnn" else 32
        return 1.5 + preset.epochs_for(model, size, batch) * size * per_item
    fits = 5 * (preset.house_repeats if size < full_size else 1)
    per_fit = {"tree": 0.01, "forest": preset.house_params.n_trees * 1.5e-3,
               "boosting": preset.house_params.boosting_iter * 1e-3}.get(model, 0.4)
    return 0.1 + fits * per_fit


def _import_sklearn() -> None:
    import sklearn.ensemble  # noqa: F401
    import sklearn.model_selection  # noqa: F401
    import sklearn.tree  # noqa: F401


def _work(task: str, model: str, size: int, preset: ComparePreset, digits: DigitsSetup | None,
          houses: HousesSetup | None, house_net: Callable[[], StepTrainer], table: TableSetup | None = None,
          table_net: Callable[[int], StepTrainer] | None = None) -> CellWork:
    if task == "table":
        from engine.compare.table_half import table_cell, table_splits

        assert table is not None and table_net is not None
        work = table_cell(model, preset, table, table_splits(table, size, preset.house_repeats, preset.seed), size,
                          table_net)
        return work if model in NETWORKS else _threaded_cell(work)
    if task == "houses":
        assert houses is not None
        splits = house_splits(len(houses.y), size, houses.full_size, preset.house_repeats, preset.seed)
        return houses_cell(model, preset, houses.X, houses.y, splits, size, house_net)
    assert digits is not None
    args = (model, preset, digits.x[:size], digits.y[:size], digits.x_test, digits.y_test)
    if model in NETWORKS:
        return digits_network_cell(*args)
    return _threaded_cell(digits_sklearn_cell(*args))


def run_compare(preset: ComparePreset | str, *, digits_data: Any = None, digits_test: Any = None,
                cache: CellCache | None = None, table: TableSource | None = None) -> Task[CompareResult]:
    """Run (or read from the cache) every cell of ``preset``; return all of them as a ``CompareResult``.

    ``digits_data``/``digits_test`` are ``MnistData`` (e.g. the full MNIST and its test set);
    without them the offline 5,000-digit sample is used with a fixed held-out fifth. ``table`` is the
    person's table for the table half (its cells' task is "table"); without it, Boston ("houses").
    """
    preset = get_preset(preset)
    started = time.monotonic()
    cache = cache if cache is not None else CellCache()
    own_table = table is not None and bool(preset.house_models)

    def prepare_table_half() -> tuple[HousesSetup | None, TableSetup | None]:
        if not preset.house_models:
            return None, None
        if table is None:
            return prepare_houses(preset), None
        from engine.compare.table_half import prepare_table

        return None, prepare_table(table, preset)

    preparing = _in_thread(lambda: (prepare_table_half(),
                                    prepare_digits(preset, digits_data, digits_test) if preset.digit_models else None,
                                    _import_sklearn()))
    while True:  # reading the sample and importing scikit-learn take seconds: stay cancellable
        yield Progress(0.0, t("Preparing the comparison data…"), "stage")
        try:
            next(preparing)
        except StopIteration as ready:
            (houses, rows), digits, _ = ready.value
            break
    if rows:  # the table's record first, so a view can name it while the cells arrive
        yield Progress(0.0, t("Comparing on {table}…", table=rows.info.label), "stage", {"table": rows.info})
        for notice in rows.info.notices:
            yield Progress(None, notice, "notice")
    half = "table" if own_table else "houses"
    half_sizes = rows.sizes if rows else houses.sizes if houses else []
    plan = [(half, m, s) for s in half_sizes for m in preset.house_models]
    plan += [("digits", m, s) for s in (digits.sizes if digits else []) for m in preset.digit_models]
    prints = {"houses": houses.fingerprint if houses else "", "table": rows.fingerprint if rows else "",
              "digits": digits.fingerprint if digits else ""}
    keys = [cell_key(task, model, size, prints[task], preset.model_params(task, model)) for task, model, size in plan]
    hits = [cache.get(key) for key in keys]
    full = houses.full_size if houses else 0
    estimates = [0.01 if hit is not None else _estimate(preset, item, full, rows) for item, hit in zip(plan, hits)]
    first_net = next((i for i, (item, hit) in enumerate(zip(plan, hits)) if hit is None and item[1] in NETWORKS), None)
    if first_net is not None and not tf_runtime.is_loaded():
        estimates[first_net] += TF_IMPORT_SECONDS
    total_est = sum(estimates) or 1.0
    done_est, computed_est, computed_seconds = 0.0, 0.0, 0.0
    net_holder: list[StepTrainer] = []
    table_nets: dict[int, StepTrainer] = {}

    def house_net() -> StepTrainer:  # one compiled house MLP for the whole run, reset for every fit
        if not net_holder:
            net_holder.append(house_trainer(houses.X.shape[1], preset.seed))
        return net_holder[0]

    def table_net(width: int) -> StepTrainer:  # one compiled network per input width (one-hot columns vary)
        if width not in table_nets:
            from engine.compare.netfit import table_trainer

            table_nets[width] = table_trainer(width, len(rows.classes), preset.seed)
        return table_nets[width]

    def eta(partial_est: float, partial_seconds: float) -> float | None:
        seconds, est = computed_seconds + partial_seconds, computed_est + partial_est
        if est < 0.04 * total_est or seconds < 0.5:  # the first cells pay for imports: no guess from them
            return None
        return max(0.0, (total_est - done_est - partial_est) * seconds / est)

    cells: list[CompareCell] = []
    for i, ((task, model, size), key, hit) in enumerate(zip(plan, keys, hits)):
        title = model_title(task, model)
        cell = hit
        if cell is None:
            cell_started = time.monotonic()
            message = _train_message(task, title, size, i + 1, len(plan), rows.info.label if rows else "")
            yield Progress(done_est / total_est, message, "train", {"eta_seconds": eta(0.0, 0.0), "task": task,
                                                                    "model": model, "size": size})
            if model in NETWORKS and not tf_runtime.is_loaded():
                loading = _in_thread(tf_runtime.keras)
                while True:
                    try:
                        next(loading)
                    except StopIteration:
                        break
                    waited = time.monotonic() - cell_started
                    yield Progress(done_est / total_est, t("Loading TensorFlow…"), "stage",
                                   {"eta_seconds": eta(min(waited, TF_IMPORT_SECONDS), waited)})
            work = _work(task, model, size, preset, digits, houses, house_net, rows, table_net)
            last = time.monotonic()
            while True:
                try:
                    fraction = next(work)
                except StopIteration as stop:
                    cell = stop.value
                    break
                now = time.monotonic()
                if now - last >= YIELD_EVERY:
                    last = now
                    part = estimates[i] * min(1.0, fraction or 0.0)
                    yield Progress((done_est + part) / total_est, message, "train",
                                   {"eta_seconds": eta(part, now - cell_started), "task": task, "model": model,
                                    "size": size, "cell_fraction": fraction})
            cell.key, cell.cached = key, False
            cache.put(cell)
            computed_seconds += time.monotonic() - cell_started
            computed_est += estimates[i]
        done_est += estimates[i]
        cells.append(cell)
        yield Progress(done_est / total_est, _cell_message(cell, title), "cell",
                       {"cell": cell, "eta_seconds": eta(0.0, 0.0) if i + 1 < len(plan) else 0.0,
                        "index": i, "total": len(plan)})
    seconds = time.monotonic() - started
    yield Progress(1.0, t("Comparison finished in {secs:.0f} s.", secs=seconds), "stage", {"eta_seconds": 0.0})
    return CompareResult(
        preset=preset, cells=cells, digits_source=digits.source if digits else "",
        digits_test_source=digits.test_source if digits else "", digits_available=len(digits.y) if digits else 0,
        digits_test_size=len(digits.y_test) if digits else 0,
        houses_source=rows.info.label if rows else houses.source if houses else "",
        houses_rows=rows.info.rows_used if rows else len(houses.y) if houses else 0,
        houses_full_size=rows.full_size if rows else houses.full_size if houses else 0,
        seconds=seconds, versions=library_versions(), complete=True, table=rows.info if rows else None)


def _estimate(preset: ComparePreset, item: tuple[str, str, int], full: int, rows: TableSetup | None) -> float:
    task, model, size = item
    if task == "table":
        from engine.compare.table_half import table_estimate_seconds

        return table_estimate_seconds(preset, model, size, rows)
    return estimate_seconds(preset, task, model, size, full_size=full)


def _train_message(task: str, title: str, size: int, i: int, total: int, table: str) -> str:
    if task == "table":
        return t("{table}: cross-validating the {model} on {n} rows ({i}/{total})…", table=table, model=title,
                 n=size, i=i, total=total)
    if task == "houses":
        return t("Houses: cross-validating the {model} on {n} rows ({i}/{total})…", model=title, n=size, i=i,
                 total=total)
    return t("Digits: training the {model} on {n} digits ({i}/{total})…", model=title, n=size, i=i, total=total)


def _cell_message(cell: CompareCell, title: str) -> str:
    if cell.task == "digits":
        if cell.cached:
            return t("{model} on {n} digits: accuracy {acc} (from the cache)", model=title, n=cell.size,
                     acc=f"{cell.score:.1%}")
        return t("{model} on {n} digits: accuracy {acc}", model=title, n=cell.size, acc=f"{cell.score:.1%}")
    if cell.metric == "accuracy":
        if cell.cached:
            return t("{model} on {n} rows: CV accuracy {acc} (from the cache)", model=title, n=cell.size,
                     acc=f"{cell.score:.1%}")
        return t("{model} on {n} rows: CV accuracy {acc}", model=title, n=cell.size, acc=f"{cell.score:.1%}")
    mse = f"{cell.score:.2f}" if cell.task == "houses" else fmt_mse(cell.score)
    if cell.cached:
        return t("{model} on {n} rows: CV MSE {mse} (from the cache)", model=title, n=cell.size, mse=mse)
    return t("{model} on {n} rows: CV MSE {mse}", model=title, n=cell.size, mse=mse)


def app_compare_task(preset: ComparePreset | str, table: TableSource | None = None) -> Task[CompareResult]:
    """What the app's Compare workspace runs: the full preset on the full MNIST and its official
    test set when the app has them (downloaded earlier, or shipped in the bundle), else — and for
    the quick preset always — on the offline sample; the table half on ``table`` (the person's table)
    when given, else on Boston. Runs in the TensorFlow worker (``engine.worker.in_worker``)."""
    preset = get_preset(preset)
    data = test = None
    if preset.digits_all:
        from engine.core.errors import DataError
        from engine.digits.mnist import load_mnist_file, load_training_data

        # The digit workspace's own lookup: cache, then bundle, else the sample; a damaged cache is
        # removed and named in the notice.
        data = load_training_data("full", allow_download=False)
        if data.provenance.source in ("cache", "bundled"):
            try:
                test = load_mnist_file(data.provenance.path, "test")
            except DataError as exc:
                data = None
                yield Progress(None, t("The full MNIST could not be used ({reason}); comparing on the offline "
                                       "sample.", reason=exc), "notice")
        elif data.notice:
            yield Progress(None, data.notice, "notice")
    return (yield from run_compare(preset, digits_data=data, digits_test=test, table=table))
