"""The digit workspace's part: the model in use, the drawings, the person's handwriting samples.

The person's own model (trained or fine-tuned) is embedded as ``.keras`` + ``.tflite`` + its info;
a shipped model is only named by its weights' sha256 (every copy of the app has it). Restoring puts
an embedded model into the data folder's model cache as the person's chosen model; its ``.tflite``
(checked against the manifest's sha256 on reading) is what the canvas runs. Keras files are only
ever loaded by the worker, in safe mode; here their zip directory and config are checked first.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from engine.core.atomic import atomic_path
from engine.core.cache import ModelCache, sha256_file
from engine.core.errors import DataError
from engine.core.i18n import t
from engine.core.session import DrawnDigit, Session
from engine.digits.lite import CACHE_KIND, LiteDigitModel, ModelFiles, converted, record_conversion, shipped_files, \
    tflite_path_for
from engine.digits.service import remember_choice
from engine.digits.user_samples import UserSamples, read_strokes, strokes_path
from engine.project.manifest import field_problem, load_json
from engine.project.part import PartIn, PartOut, PartProvider, ProjectContext, Restored, build, from_plain, to_plain
from engine.project.safe_zip import MAX_RATIO

KEY, VERSION = "digits", 1
KERAS, TFLITE, INFO = "model/model.keras", "model/model.tflite", "model/info.json"
SAMPLE_NAME = re.compile(r"^samples/(?P<label>\d)-\d{8}T\d{6}-[0-9a-f]{4}(?:[0-9a-f]{4})?\.png$")
_CACHE_KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
KERAS_ENTRIES = {"config.json", "metadata.json", "model.weights.h5"}
MAX_KERAS_MEMBER = 512 << 20
MAX_SAMPLE_PIXELS = 1024 * 1024
# Keras layers that carry Python code: refused before the worker is even asked (safe mode refuses them too)
CODE_LAYERS = ("Lambda", "TFOpLambda")


# --- collecting -------------------------------------------------------------------------------
def _model_files(session: Session, context: ProjectContext) -> ModelFiles | None:
    files = context.extras.get("digit_model_files")
    if isinstance(files, ModelFiles):
        return files
    info = session.digit_model
    if info is None or info.card is not None or not info.cache_key:
        return None
    keras_path = ModelCache().model_path(CACHE_KIND, info.cache_key, ".keras")
    tflite = converted(keras_path) if keras_path.is_file() else None
    return ModelFiles(str(keras_path), str(tflite), info) if tflite else None


def collect(session: Session, context: ProjectContext) -> PartOut | None:
    from engine.digits.models import _info_to_meta  # the cache's own description of a model

    files: dict[str, Path | bytes] = {}
    model: dict[str, Any] | None = None
    model_files = _model_files(session, context)
    info = model_files.info if model_files else session.digit_model
    if info is not None and info.card is not None:
        model = {"kind": "shipped", "arch": info.arch, "weights_sha256": str(info.card.get("weights_sha256", ""))}
    elif model_files is not None:
        model = {"kind": "own", "arch": info.arch, "cache_key": info.cache_key or ""}
        files[KERAS], files[TFLITE] = Path(model_files.keras_path), Path(model_files.tflite_path)
        files[INFO] = json.dumps(to_plain(_info_to_meta(info)), ensure_ascii=False).encode("utf-8")
    samples = []
    if context.options.get("include_samples", True):
        for sample in UserSamples().list():
            files[f"samples/{sample.path.name}"] = sample.path
            strokes = strokes_path(sample.path)
            if sample.strokes and strokes.is_file():
                files[f"samples/{strokes.name}"] = strokes
            samples.append(sample.path.name)
    drawn = [to_plain(asdict(d)) for d in list(session.digits)]
    if model is None and not samples and not drawn:
        return None
    summary = t("model: {model}; {n} handwriting samples; {d} drawings", n=len(samples), d=len(drawn),
                model=_model_words(model))
    return PartOut({"model": model, "samples": samples, "drawn": drawn}, files, summary)


def _model_words(model: dict[str, Any] | None) -> str:
    if model is None:
        return t("none")
    if model["kind"] == "shipped":
        return t("the shipped {arch}", arch=str(model.get("arch", "?")).upper())
    return t("your own {arch}, embedded", arch=str(model.get("arch", "?")).upper())


# --- checking ---------------------------------------------------------------------------------
def _check_keras(part: PartIn, read_bytes: bytes | None = None) -> None:
    """The embedded ``.keras`` is a zip as well: its directory and config are checked before any loader sees it."""
    import io

    raw = read_bytes if read_bytes is not None else part.read(KERAS)

    def refuse(reason: str) -> DataError:
        return DataError("The embedded model cannot be used: {reason}; nothing was opened.", reason=reason)

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if not names <= KERAS_ENTRIES or "config.json" not in names or len(infos) != len(names):
                raise refuse(t("its Keras file holds unexpected entries"))
            for i in infos:
                if (i.external_attr >> 16) & 0o170000 not in (0, 0o100000) or i.file_size > MAX_KERAS_MEMBER or (
                        i.file_size > (1 << 20) and i.file_size > MAX_RATIO * max(1, i.compress_size)):
                    raise refuse(t("its Keras file holds an entry of an impossible size or type"))
            config = zf.read("config.json")
    except zipfile.BadZipFile as exc:
        raise refuse(t("its Keras file is not a Keras file")) from exc
    if len(config) > 8 << 20:
        raise refuse(t("its Keras file holds an entry of an impossible size or type"))
    text = config.decode("utf-8", "replace")
    if any(f'"class_name": "{name}"' in text or f'"class_name":"{name}"' in text for name in CODE_LAYERS):
        raise refuse(t("it holds Python code (a Lambda layer), which the app never runs"))


def _check_tflite(path_or_bytes: Path | bytes) -> None:
    import tempfile

    from engine.core.litert import LiteModel

    def probe(path: Path) -> None:
        out = LiteModel(path).run(np.zeros((1, 28, 28), np.float32))
        if out.shape != (1, 10):
            raise ValueError(f"output shape {out.shape}")

    try:
        if isinstance(path_or_bytes, Path):
            probe(path_or_bytes)
        else:
            with tempfile.TemporaryDirectory() as folder:  # `project check` writes only to a temporary folder
                path = Path(folder) / "model.tflite"
                path.write_bytes(path_or_bytes)
                probe(path)
    except (ValueError, RuntimeError, OSError) as exc:
        raise DataError("The embedded model cannot be used: {reason}; nothing was opened.",
                        reason=t("its LiteRT file does not run ({reason})", reason=exc)) from exc


def _model_info(part: PartIn):
    from engine.digits.models import _info_from_meta

    meta = from_plain(load_json(part.read(INFO)))
    return _info_from_meta(meta)


def _valid_part(part: PartIn) -> dict[str, Any] | None:
    model = part.data.get("model")
    if model is not None and (not isinstance(model, dict) or model.get("kind") not in ("shipped", "own")):
        raise ValueError(field_problem("model"))
    if model and model["kind"] == "own" and not {KERAS, TFLITE, INFO} <= set(part.names):
        raise ValueError(t("the embedded model's files are missing"))
    for name in part.names:
        if name.startswith("samples/") and name.endswith(".png") and not SAMPLE_NAME.match(name):
            raise ValueError(t("{entry} is not a name the app gives a handwriting sample", entry=name[:80]))
    return model


def check(part: PartIn) -> str:
    model = _valid_part(part)
    if model and model["kind"] == "own":
        _check_keras(part)
        _check_tflite(part.read(TFLITE))
        _model_info(part)
    drawn = [build(DrawnDigit, from_plain(d), f"drawn[{i}]") for i, d in enumerate(part.data.get("drawn", []))]
    samples = [n for n in part.names if n.endswith(".png")]
    return t("model: {model}; {n} handwriting samples; {d} drawings", model=_model_words(model), n=len(samples),
             d=len(drawn))


# --- restoring --------------------------------------------------------------------------------
def restore(part: PartIn, context: ProjectContext) -> Restored:
    out = Restored(KEY)
    model = _valid_part(part)
    out.session["digits"] = [build(DrawnDigit, from_plain(d), f"drawn[{i}]")
                             for i, d in enumerate(part.data.get("drawn", []))]
    if model and model["kind"] == "shipped":
        files = shipped_files(str(model.get("arch", "cnn")), context.options.get("shipped_root"))
        if files.info.card and files.info.card.get("weights_sha256") != model.get("weights_sha256"):
            out.notices.append(t("The project used a shipped model this copy of the app does not have; the app's "
                                 "own shipped model is used instead."))
        out.objects["digit_model"] = LiteDigitModel(files)
        out.session["digit_model"] = files.info
        remember_choice("shipped")
    elif model and model["kind"] == "own":
        files = _install_model(part, str(model.get("cache_key", "")))
        out.objects["digit_model"] = LiteDigitModel(files)
        out.session["digit_model"] = files.info
        remember_choice("trained")
    added = _install_samples(part)
    if added:
        out.notices.append(t("{n} handwriting samples were added to your set.", n=added))
    out.objects["samples_added"] = added
    out.summary = t("model: {model}; {n} handwriting samples; {d} drawings", model=_model_words(model),
                    n=len([n for n in part.names if n.endswith(".png")]), d=len(out.session["digits"]))
    return out


def _install_model(part: PartIn, cache_key: str) -> ModelFiles:
    """The embedded model into this data folder's cache, its conversion beside it, as the cache writes them."""
    from engine.digits.models import _info_to_meta

    keras_src, tflite_src = part.path(KERAS), part.path(TFLITE)
    _check_keras(part, keras_src.read_bytes())
    _check_tflite(tflite_src)
    info = _model_info(part)
    key = cache_key if _CACHE_KEY.match(cache_key) else "project-" + sha256_file(keras_src)[:24]
    info.cache_key = key
    cache = ModelCache()
    cache.store(CACHE_KIND, key, ".keras", lambda tmp: shutil.copyfile(keras_src, tmp), _info_to_meta(info))
    keras_path = cache.model_path(CACHE_KIND, key, ".keras")
    tflite = tflite_path_for(keras_path)
    with atomic_path(tflite, suffix=".tflite") as tmp:
        shutil.copyfile(tflite_src, tmp)
    record_conversion(keras_path, tflite)
    info.from_cache = True
    return ModelFiles(str(keras_path), str(tflite), info)


def _install_samples(part: PartIn) -> int:
    """Samples the person does not have yet, each checked as a small PNG (and valid strokes) first."""
    from PIL import Image

    store = UserSamples()
    added = 0
    for name in part.names:
        match = SAMPLE_NAME.match(name)
        if not match:
            continue
        source, target = part.path(name), store.root / Path(name).name
        if target.exists():
            continue
        try:
            with Image.open(source) as img:
                if img.format != "PNG" or img.width * img.height > MAX_SAMPLE_PIXELS:
                    continue
                img.load()
        except (OSError, Image.DecompressionBombError):
            continue
        strokes_name = "samples/" + strokes_path(Path(name)).name
        if strokes_name in part.names and read_strokes(part.path(strokes_name), int(match["label"])) is not None:
            _replace_into(part.path(strokes_name), strokes_path(target))  # strokes first, as the store writes them
        _replace_into(source, target)
        added += 1
    if added:
        _fsync_folder(store.root)  # one sync for the folder, not one per file: 300 samples in a fraction of a second
    return added


def _replace_into(source: Path, target: Path) -> None:
    """Copy under a temporary name beside ``target`` (the pattern ``atomic`` cleans up), then rename."""
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _fsync_folder(folder: Path) -> None:
    import os

    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


PROVIDER = PartProvider(KEY, VERSION, collect, restore, check)


# --- export -----------------------------------------------------------------------------------
def model_card(info) -> dict[str, Any]:
    """The model card an exported model carries: the shipped card, or one built from the model's info."""
    from engine.core.versions import library_versions

    if info.card is not None:
        return dict(info.card)
    ev = info.evaluation
    return {"format": "deepmine-model-card", "kind": "digits", "arch": info.arch, "hyper_parameters": info.params,
            "seed": info.seed, "train_seconds": info.train_seconds, "created": info.created,
            "training_data": asdict(info.train_provenance),
            "evaluation": None if ev is None else {"accuracy": ev.accuracy, "loss": ev.loss, "n_samples": ev.n_samples,
                                                   "source": ev.source_label, "precision": ev.precision,
                                                   "recall": ev.recall},
            "versions": info.versions or library_versions()}
