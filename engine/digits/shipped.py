"""The digit models that ship with the app: trained on the full MNIST (and, for the CNN, on
real pen strokes), each with a JSON model card beside its weights.

They make the canvas work at first launch, with no training and no network. The card says
what the model learned from and how well it does; its sha256 guards against a damaged file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from engine.core.cache import sha256_file  # noqa: F401 — the project's one file checksum, re-exported
from engine.core.errors import DataError
from engine.core.i18n import t

ARCHS = ("cnn", "mlp")
ONLINE = "online"  # the pen-path model (engine.digits.online_model): LiteRT only in the window


def models_asset_dir() -> Path:
    """``assets/models`` in a checkout, or inside the frozen bundle."""
    base = getattr(sys, "_MEIPASS", None)
    root = Path(base) if base else Path(__file__).resolve().parents[2]
    return root / "assets" / "models"


def weights_path(arch: str, root: Path | None = None) -> Path:
    return (root or models_asset_dir()) / f"digits-{arch}.keras"


def litert_path(arch: str, root: Path | None = None) -> Path:
    """The model's LiteRT conversion, what the window's process runs."""
    return (root or models_asset_dir()) / f"digits-{arch}.tflite"


def card_path(arch: str, root: Path | None = None) -> Path:
    return (root or models_asset_dir()) / f"digits-{arch}.card.json"


def read_card(arch: str, root: Path | None = None) -> dict[str, Any]:
    """The model card; ``DataError`` naming the file when it is missing or not a card."""
    path = card_path(arch, root)
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataError("The shipped model card {name} is missing.", name=str(path)) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError("The shipped model card {name} is damaged ({reason}).", name=path.name, reason=exc) from exc
    if not isinstance(card, dict) or "weights_sha256" not in card:
        raise DataError("The shipped model card {name} is damaged ({reason}).", name=path.name,
                        reason=t("no weights checksum"))
    return card


def verified_weights(arch: str, root: Path | None = None) -> tuple[Path, dict[str, Any]]:
    """The weights file and its card, after checking the file is the one the card describes."""
    card = read_card(arch, root)
    path = weights_path(arch, root)
    if not path.exists():
        raise DataError("The shipped model {name} is missing.", name=str(path))
    if sha256_file(path) != card["weights_sha256"]:
        raise DataError("The shipped model {name} is damaged (its checksum does not match its card).", name=path.name)
    return path, card


def verified_litert(arch: str, root: Path | None = None) -> tuple[Path, dict[str, Any]]:
    """The ``.tflite`` file and its card, after checking it is the file the card's ``files`` lists.

    ``DataError`` naming the file when it is missing, unlisted or damaged: the caller refuses that
    model with the message (the online model is then left out; the CNN has its Keras file)."""
    card = read_card(arch, root)
    path = litert_path(arch, root)
    expected = card.get("files", {}).get(path.name) if isinstance(card.get("files"), dict) else None
    if not path.exists():
        raise DataError("The shipped model {name} is missing.", name=str(path))
    if not expected:
        raise DataError("The shipped model card {card} does not list {name}; rebuild the models with `make models`.",
                        card=card_path(arch, root).name, name=path.name)
    if sha256_file(path) != expected:
        raise DataError("The shipped model {name} is damaged (its checksum does not match its card).", name=path.name)
    return path, card


def data_label(card: dict[str, Any]) -> str:
    """What the model learned from, in the person's language (built from the card's numbers)."""
    data = card.get("training_data", {})
    if data.get("pen_samples") and data.get("pen_writers"):
        return t("MNIST training set ({mnist} digits) + {writers} pen writers ({pen} digits × {widths} pen widths)",
                 mnist=f"{data.get('mnist_samples', 0):,}", writers=data["pen_writers"],
                 pen=f"{data['pen_samples'] // max(1, len(data.get('pen_widths', [1]))):,}",
                 widths=len(data.get("pen_widths", [])))
    if data.get("label") == "MNIST training set":
        return t("MNIST training set")
    return str(data.get("label", "?"))


def card_summary(card: dict[str, Any]) -> str:
    """One line of provenance for the canvas and the report."""
    pen = card.get("pen_accuracy", {}).get("writer_cv")
    text = t("Shipped {arch}: {data}, {n} digits; official MNIST test accuracy {acc:.2%}",
             arch=card.get("arch", "?").upper(), data=data_label(card),
             n=f"{card.get('training_data', {}).get('n_samples', 0):,}", acc=card.get("mnist_test_accuracy", 0.0))
    if isinstance(pen, (int, float)):
        text += t("; pen digits of unseen writers {acc:.2%}", acc=pen)
    return text
