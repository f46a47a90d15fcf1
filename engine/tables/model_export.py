"""A mined table model a person can take out of the app: a folder with the fitted pipeline as a
``skops`` file, the same pipeline as ONNX where skl2onnx converts it, the model card (JSON) and a
README whose loading code works.

The exported pipeline is the app's own fitted one made portable, so loading it needs scikit-learn
and skops, not DeepMine: the column choice (``TopKColumns``) becomes the cleaning step's own input
columns, the column selectors (functions of ``engine.tables.pipeline``) become the column lists they
chose, and the Keras network — NumPy weights behind ``KerasMLP`` — becomes scikit-learn's
``MLPClassifier`` / ``MLPRegressor`` holding the same weights (the de-standardisation of a regression
target and a two-class softmax folded into the last layer: the same predictions). Nothing is pickled;
a skops file is loaded only with ``TRUSTED_TYPES``.
"""

from __future__ import annotations

import copy
import json
import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from engine.core.cache import sha256_file
from engine.core.errors import DataError, InputError
from engine.core.i18n import t
from engine.core.staged_folder import check_destination, staged_folder
from engine.core.tasks import Progress, Task
from engine.tables.mining import MineResult
from engine.tables.roles import CLASSIFICATION
from engine.tables.settings import model_label

CARD_NAME, README_NAME = "model-card.json", "README.txt"
# What skops reports as not trusted by default (``skops.io.get_untrusted_types``) for the portable
# pipelines of every model and task; tests/test_table_export.py checks it is exactly this list.
TRUSTED_TYPES = (
    "numpy.dtype",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.tree._tree.Tree",
)
CHECK_ROWS = 200  # rows of the table on which the written files must predict as the app does


def portable_pipeline(result: MineResult, name: str) -> Any:
    """The fitted pipeline of model ``name`` with only scikit-learn's own types (see the module's note)."""
    from sklearn.pipeline import Pipeline

    if name not in result.models:
        raise InputError("The model {name} was not mined; the mined models are {names}.", name=name,
                         names=", ".join(result.models))
    app_pipe = result.models[name]
    clean = copy.deepcopy(app_pipe.named_steps["clean"])
    chosen = {step: list(columns) for step, _, columns in clean.transformers_}
    clean.set_params(transformers=[(step, est, chosen.get(step, [])) for step, est, _ in clean.transformers])
    model = app_pipe.named_steps["model"]
    if name == "mlp":
        model = network_as_sklearn(model)
    else:
        model = copy.deepcopy(model)
    return Pipeline([("clean", clean), ("model", model)])


def network_as_sklearn(network: Any) -> Any:
    """scikit-learn's MLP with the weights of a fitted ``KerasMLP`` (ReLU layers, then softmax or linear).

    scikit-learn sets its own fitted state on a few dummy rows (one per class); then its public
    ``coefs_`` / ``intercepts_`` receive the network's weights."""
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    weights = [np.asarray(w, dtype=np.float32) for w in network.weights_]
    kernels, biases = weights[0::2], weights[1::2]
    width = int(network.n_features_in_)
    hidden = tuple(int(k.shape[1]) for k in kernels[:-1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # one iteration on dummy rows does not converge: it only sets shapes
        if network.task == CLASSIFICATION:
            classes = np.asarray([str(c) for c in network.classes_], dtype=object)
            mlp = MLPClassifier(hidden_layer_sizes=hidden, activation="relu", solver="lbfgs", max_iter=1,
                                random_state=0)
            mlp.fit(np.zeros((len(classes), width), np.float32), classes)
            if len(classes) == 2:  # softmax over two → the logistic of the difference
                kernels[-1] = kernels[-1][:, 1:] - kernels[-1][:, :1]
                biases[-1] = biases[-1][1:] - biases[-1][:1]
        else:
            mlp = MLPRegressor(hidden_layer_sizes=hidden, activation="relu", solver="lbfgs", max_iter=1,
                                random_state=0)
            mlp.fit(np.zeros((2, width), np.float32), np.zeros(2))
            std, mean = np.float32(network.y_std_), np.float32(network.y_mean_)
            kernels[-1], biases[-1] = kernels[-1] * std, biases[-1] * std + mean
    mlp.coefs_, mlp.intercepts_ = list(kernels), list(biases)
    return mlp


def input_kinds(pipe: Any) -> dict[str, str]:
    """Each input column of a portable pipeline → "number" or "category" (in the pipeline's order)."""
    clean = pipe.named_steps["clean"]
    categories = {c for step, _, columns in clean.transformers_ if step == "cat" for c in columns}
    return {str(c): "category" if c in categories else "number" for c in clean.feature_names_in_}


def onnx_feeds(frame: pd.DataFrame, inputs: list[dict[str, str]]) -> dict[str, np.ndarray]:
    """The ONNX model's inputs for ``frame``: one (N, 1) array per column, float32 (NaN = missing) or
    string ("" = missing)."""
    feeds = {}
    for spec in inputs:
        values = frame[spec["column"]]
        if spec["type"] == "float":
            feeds[spec["name"]] = pd.to_numeric(values, errors="coerce").to_numpy(np.float32).reshape(-1, 1)
        else:
            feeds[spec["name"]] = np.array(["" if pd.isna(v) else str(v) for v in values.tolist()],
                                           dtype=object).reshape(-1, 1)
    return feeds


def to_onnx(pipe: Any) -> tuple[bytes | None, dict[str, list[dict[str, str]]], str]:
    """(the ONNX model, its inputs and outputs, "") — or (None, {}, why not, in one line)."""
    try:
        from skl2onnx import convert_sklearn
        from skl2onnx.common.data_types import FloatTensorType, StringTensorType
    except ImportError:
        return None, {}, t("skl2onnx is not installed, so no ONNX file was written.")
    kinds = input_kinds(pipe)
    onnx_pipe = copy.deepcopy(pipe)
    for step, transformer, columns in onnx_pipe.named_steps["clean"].transformers_:
        if step == "cat" and len(columns) and hasattr(transformer, "named_steps"):
            transformer.named_steps["impute"].set_params(missing_values="")  # ONNX strings have no None
            one_hot = transformer.named_steps.get("one_hot")
            rare = getattr(one_hot, "infrequent_categories_", None) or []
            if one_hot is not None and all(c is None for c in rare):
                # without rare categories "infrequent_if_exist" is "ignore" (unknown → zeros), which skl2onnx knows
                one_hot.set_params(handle_unknown="ignore")
    types = [(c, StringTensorType([None, 1]) if k == "category" else FloatTensorType([None, 1]))
             for c, k in kinds.items()]
    model = onnx_pipe.named_steps["model"]
    options = {id(model): {"zipmap": False}} if hasattr(model, "predict_proba") else None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            onx = convert_sklearn(onnx_pipe, initial_types=types, options=options)
    except Exception as exc:  # noqa: BLE001 — any converter failure: this model has no ONNX file
        return None, {}, t("skl2onnx {version} cannot convert this model: {reason}", version=_version("skl2onnx"),
                           reason=_root_reason(exc))
    names = [i.name for i in onx.graph.input]
    if len(names) != len(kinds) or len(set(names)) != len(names):
        return None, {}, t("Two input columns get the same ONNX name ({names}), so no ONNX file was written.",
                           names=", ".join(names))
    inputs = [{"name": n, "column": c, "type": "string" if k == "category" else "float"}
              for n, (c, k) in zip(names, kinds.items())]
    outputs = [{"name": o.name} for o in onx.graph.output]
    return onx.SerializeToString(), {"inputs": inputs, "outputs": outputs}, ""


def _root_reason(exc: BaseException) -> str:
    while exc.__cause__ is not None or exc.__context__ is not None:
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return text if len(text) <= 160 else text[:157] + "…"


def _version(dist: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def load_table_model(path: str | os.PathLike[str]) -> Any:
    """A skops file of an exported table model, loaded with ``TRUSTED_TYPES`` only: a file that asks for
    any other type (a function, a class of someone else's code) is refused before anything in it is built."""
    import skops.io as sio

    path = Path(path)
    try:
        asked = sio.get_untrusted_types(file=path)
    except Exception as exc:  # noqa: BLE001 — not a zip, no schema, damaged: not a skops file we can read
        raise DataError("{name} is not a readable skops model file ({reason}).", name=path.name,
                        reason=_root_reason(exc)) from exc
    refused = sorted(set(asked) - set(TRUSTED_TYPES))
    if refused:
        raise DataError("{name} asks to load types this app does not trust ({types}); it was not loaded.",
                        name=path.name, types=", ".join(refused))
    try:
        return sio.load(path, trusted=list(TRUSTED_TYPES))
    except Exception as exc:  # noqa: BLE001
        raise DataError("{name} is not a readable skops model file ({reason}).", name=path.name,
                        reason=_root_reason(exc)) from exc


def export_table_model_task(result: MineResult, table_name: str, model: str | None, out_dir: str | os.PathLike[str],
                            overwrite: bool = False, *, table: Any = None) -> Task[list[str]]:
    """Write the folder for one mined model (``None``: the recommended one); returns the names it holds.

    ``table`` (the mined ``Table``, optional) adds the observed ranges to the card and lets the
    export check, on its first rows, that the written files predict as the app does."""
    import skops.io as sio

    from engine.tables.model_card import readme_text, table_model_card

    name = model or result.best
    source = table.source.get("path") if table is not None else None
    inputs = [source] if isinstance(source, str) and source else []  # never replaced by its own export
    check_destination(out_dir, overwrite, inputs)  # refused before any work
    yield Progress(0.05, t("Preparing the {model} for export…", model=model_label(name)), "stage")
    pipe = portable_pipeline(result, name)
    kinds = input_kinds(pipe)
    rows, app_pred = _check_rows(result, table, name, kinds)
    with staged_folder(out_dir, overwrite, inputs) as staging:
        skops_name = f"{name}.skops"
        yield Progress(0.2, t("Writing {file}…", file=skops_name), "stage")
        sio.dump(pipe, staging / skops_name)
        trusted = sorted(sio.get_untrusted_types(file=staging / skops_name))
        loaded = load_table_model(staging / skops_name)
        if rows is not None:
            _same(app_pred, loaded.predict(rows), result.task, skops_name)
        yield Progress(0.5, t("Converting the {model} to ONNX…", model=model_label(name)), "stage")
        onnx_bytes, onnx_signature, onnx_reason = to_onnx(pipe)
        onnx_name = f"{name}.onnx" if onnx_bytes is not None else None
        if onnx_bytes is not None:
            (staging / onnx_name).write_bytes(onnx_bytes)
            if rows is not None:
                onnx_reason = _onnx_disagrees(staging / onnx_name, rows, onnx_signature["inputs"], app_pred,
                                              result.task)
                if onnx_reason:
                    (staging / onnx_name).unlink()
                    onnx_name, onnx_signature = None, {}
        yield Progress(0.85, t("Writing the model card and the README…"), "stage")
        files = {n: sha256_file(staging / n) for n in (skops_name, onnx_name) if n}
        card = table_model_card(result, table_name, name, pipe, kinds, table=table, files=files, trusted=trusted,
                                onnx_name=onnx_name, onnx_signature=onnx_signature, onnx_reason=onnx_reason)
        (staging / CARD_NAME).write_text(json.dumps(card, indent=2, ensure_ascii=False, default=str) + "\n",
                                         encoding="utf-8")
        (staging / README_NAME).write_text(readme_text(card), encoding="utf-8")
        yield Progress(0.95, t("Finishing {path}…", path=Path(out_dir).name), "stage")
    return sorted(p.name for p in Path(out_dir).iterdir())


def _check_rows(result: MineResult, table: Any, name: str, kinds: dict[str, str]
                ) -> tuple[pd.DataFrame | None, np.ndarray | None]:
    """The first rows of the table as the exported pipeline takes them, and the app's predictions for them."""
    if table is None:
        return None, None
    from engine.tables.explain import predict_frame
    from engine.tables.roles import model_frame

    frame = model_frame(table.frame.iloc[:CHECK_ROWS], table.kinds, result.roles.features).reset_index(drop=True)
    return frame[list(kinds)], np.asarray(predict_frame(result, frame, name)[0])


def _same(expected: np.ndarray | None, got: np.ndarray, task: str, file: str) -> None:
    if expected is None:
        return
    if _agree(expected, got, task):
        return
    raise DataError("The exported {file} does not predict as the app does; nothing was exported.", file=file)


def _agree(expected: np.ndarray, got: np.ndarray, task: str) -> bool:
    got = np.asarray(got).reshape(len(expected), -1)[:, 0] if np.ndim(got) > 1 else np.asarray(got)
    if task == CLASSIFICATION:
        return bool(np.mean(expected.astype(str) == got.astype(str)) >= 0.99)  # float32 ties may flip a row
    scale = max(1.0, float(np.nanmax(np.abs(expected.astype(np.float64)))))
    return bool(np.allclose(expected.astype(np.float64), got.astype(np.float64), atol=1e-4 * scale, rtol=1e-4))


def _onnx_disagrees(path: Path, rows: pd.DataFrame, inputs: list[dict[str, str]], expected: np.ndarray,
                    task: str) -> str:
    """"" when onnxruntime (if installed) gives the app's predictions on ``rows``, else why not."""
    try:
        import onnxruntime as ort
    except ImportError:
        return ""
    try:
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        got = session.run(None, onnx_feeds(rows, inputs))[0]
    except Exception as exc:  # noqa: BLE001
        return t("onnxruntime cannot run the converted model: {reason}", reason=_root_reason(exc))
    return "" if _agree(expected, got, task) else t("The converted model does not predict as the app does.")
