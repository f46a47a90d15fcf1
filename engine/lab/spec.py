"""A lab network as data: a validated, JSON-able list of layers, sized without TensorFlow.

The window shows the parameter count and multiply-adds live while the person edits the list, and
a lesson file or a hand-written spec is checked here before anything is built: an unknown layer,
an absurd size or a network of gigabytes is refused with one line (``InputError``). The output
layer (Dense 10, softmax) is implicit: every lab network classifies the ten digits.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from engine.core.errors import InputError
from engine.core.i18n import t

LAYER_KINDS = ("Dense", "Conv2D", "MaxPooling2D", "Dropout", "BatchNormalization", "Flatten")
WEIGHTED = ("Dense", "Conv2D")
ACTIVATIONS = ("relu", "sigmoid", "tanh")
INITIALIZERS = ("glorot_uniform", "he_normal", "lecun_normal", "random_normal")
INPUT_SHAPE = (28, 28)
CLASSES = 10
MAX_DEPTH = 12  # Dense + Conv2D layers in the list (the output layer not counted)
MAX_LAYERS = 40
MAX_UNITS = 4096
MAX_FILTERS = 512
MAX_PARAMS = 20_000_000  # ~80 MB of float32 weights: far beyond what two cores train in a lesson
MAX_MACS = 500_000_000  # multiply-adds per digit
LIMITS: dict[str, tuple[float, float]] = {"units": (1, MAX_UNITS), "filters": (1, MAX_FILTERS), "kernel_size": (1, 7),
                                          "pool_size": (2, 4), "rate": (0.0, 0.9), "l2": (0.0, 1.0),
                                          "init_scale": (1e-4, 10.0)}
FIELDS = {"Dense": {"units", "activation", "initializer", "init_scale", "l2"},
          "Conv2D": {"filters", "kernel_size", "activation", "initializer", "init_scale", "l2"},
          "MaxPooling2D": {"pool_size"}, "Dropout": {"rate"}, "BatchNormalization": set(), "Flatten": set()}


@dataclass(frozen=True)
class LayerSpec:
    """One layer of the list. Fields a kind does not use stay at their defaults."""

    kind: str
    units: int = 0
    filters: int = 0
    kernel_size: int = 3
    pool_size: int = 2
    activation: str = "relu"
    initializer: str = "glorot_uniform"
    init_scale: float = 0.05  # standard deviation of ``random_normal``
    rate: float = 0.0
    l2: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Only the fields this kind uses, so a saved spec reads like the list on screen."""
        raw = asdict(self)
        return {"kind": self.kind} | {k: raw[k] for k in sorted(FIELDS[self.kind])}


@dataclass(frozen=True)
class LayerSize:
    """What one layer costs, as shown beside it."""

    name: str
    output_shape: tuple[int, ...]
    params: int
    macs: int


@dataclass(frozen=True)
class NetworkSpec:
    layers: tuple[LayerSpec, ...]
    name: str = "lab"
    sizes: tuple[LayerSize, ...] = field(default=(), compare=False, repr=False)

    @property
    def depth(self) -> int:
        return sum(layer.kind in WEIGHTED for layer in self.layers)

    @property
    def params(self) -> int:
        return sum(s.params for s in self.sizes)

    @property
    def macs(self) -> int:
        return sum(s.macs for s in self.sizes)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "layers": [layer.to_dict() for layer in self.layers]}


def _number(kind: str, index: int, name: str, value: Any, integer: bool) -> float:
    low, high = LIMITS[name]
    ok = (isinstance(value, int) if integer else isinstance(value, (int, float))) and not isinstance(value, bool)
    if not ok or not math.isfinite(value) or not low <= value <= high:
        what = t("a whole number") if integer else t("a number")
        raise InputError("Layer {i} ({kind}): {field} must be {what} from {low:g} to {high:g}, not {value}.",
                         i=index, kind=kind, field=name, what=what, low=low, high=high, value=_short(value))
    return value


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def parse_layer(raw: Any, index: int) -> LayerSpec:
    """One layer from its JSON form, or ``InputError`` naming the layer and the field."""
    if not isinstance(raw, Mapping):
        raise InputError("Layer {i} must be an object with a \"kind\", not {value}.", i=index, value=_short(raw))
    kind = raw.get("kind")
    if kind not in LAYER_KINDS:
        raise InputError("Layer {i}: unknown layer {kind}; the lab offers {kinds}.", i=index, kind=_short(kind),
                         kinds=", ".join(LAYER_KINDS))
    unknown = sorted(set(raw) - FIELDS[kind] - {"kind"})
    if unknown:
        raise InputError("Layer {i} ({kind}): unknown setting {name}.", i=index, kind=kind, name=_short(unknown[0]))
    values: dict[str, Any] = {"kind": kind}
    for name in FIELDS[kind]:
        if name not in raw:
            if name in ("units", "filters"):
                raise InputError("Layer {i} ({kind}) needs {field}.", i=index, kind=kind, field=name)
            continue
        value = raw[name]
        if name == "activation" and value not in ACTIVATIONS:
            raise InputError("Layer {i} ({kind}): activation must be {choices}, not {value}.", i=index, kind=kind,
                             choices=", ".join(ACTIVATIONS), value=_short(value))
        if name == "initializer" and value not in INITIALIZERS:
            raise InputError("Layer {i} ({kind}): initializer must be {choices}, not {value}.", i=index, kind=kind,
                             choices=", ".join(INITIALIZERS), value=_short(value))
        if name in LIMITS:
            value = _number(kind, index, name, value, name in ("units", "filters", "kernel_size", "pool_size"))
        values[name] = value
    return LayerSpec(**values)


def network_sizes(layers: tuple[LayerSpec, ...]) -> tuple[LayerSize, ...]:
    """Output shape, parameters and multiply-adds per layer (the implicit input reshape and output
    layer included) — the same numbers Keras' ``count_params`` gives, without importing it."""
    shape: tuple[int, ...] = INPUT_SHAPE
    sizes: list[LayerSize] = []
    for i, layer in enumerate(layers, 1):
        kind, params, macs = layer.kind, 0, 0
        if kind in ("Conv2D", "MaxPooling2D"):
            if len(shape) == 1:
                raise InputError("Layer {i} ({kind}) needs an image, but it follows Flatten or Dense.", i=i,
                                 kind=kind)
            if len(shape) == 2:
                shape = (*shape, 1)
        if kind == "Dense":
            if len(shape) > 1:  # the builder flattens an image before a Dense layer
                shape = (math.prod(shape),)
            params, macs = shape[0] * layer.units + layer.units, shape[0] * layer.units
            shape = (layer.units,)
        elif kind == "Conv2D":
            h, w, c = shape
            params = layer.kernel_size ** 2 * c * layer.filters + layer.filters
            macs = h * w * layer.kernel_size ** 2 * c * layer.filters  # "same" padding keeps h × w
            shape = (h, w, layer.filters)
        elif kind == "MaxPooling2D":
            h, w, c = shape
            if h < layer.pool_size or w < layer.pool_size:
                raise InputError("Layer {i} (MaxPooling2D): the image is only {h}×{w} here, too small to pool by "
                                 "{p}.", i=i, h=h, w=w, p=layer.pool_size)
            shape = (h // layer.pool_size, w // layer.pool_size, c)
        elif kind == "BatchNormalization":
            params = 4 * shape[-1]
        elif kind == "Flatten":
            shape = (math.prod(shape),)
        sizes.append(LayerSize(kind, shape, params, macs))
        _check_totals(sizes)
    flat = math.prod(shape)
    sizes.append(LayerSize("Dense (output)", (CLASSES,), flat * CLASSES + CLASSES, flat * CLASSES))
    _check_totals(sizes)
    return tuple(sizes)


def _check_totals(sizes: list[LayerSize]) -> None:
    params, macs = sum(s.params for s in sizes), sum(s.macs for s in sizes)
    if params > MAX_PARAMS:
        raise InputError("This network would have {n} parameters ({mb} MB); the lab allows at most {limit}.",
                         n=f"{params:,}", mb=f"{params * 4 / 1e6:,.0f}", limit=f"{MAX_PARAMS:,}")
    if macs > MAX_MACS:
        raise InputError("This network would cost {n} multiply-adds per digit; the lab allows at most {limit}.",
                         n=f"{macs:,}", limit=f"{MAX_MACS:,}")


def network_from_dict(raw: Any) -> NetworkSpec:
    """A network from its JSON form, checked completely (shapes and totals too) before any build."""
    if isinstance(raw, Mapping):
        unknown = sorted(set(raw) - {"name", "layers"})
        if unknown:
            raise InputError("The network has an unknown setting {name}.", name=_short(unknown[0]))
        name, layers_raw = raw.get("name", "lab"), raw.get("layers")
    else:
        name, layers_raw = "lab", raw
    if not isinstance(name, str) or len(name) > 60:
        raise InputError("The network's name must be a text of at most 60 characters.")
    if not isinstance(layers_raw, list) or not layers_raw:
        raise InputError("The network needs a list of layers.")
    if len(layers_raw) > MAX_LAYERS:
        raise InputError("The network has {n} layers; the lab allows at most {limit}.", n=len(layers_raw),
                         limit=MAX_LAYERS)
    layers = tuple(parse_layer(raw_layer, i) for i, raw_layer in enumerate(layers_raw, 1))
    return make_network(layers, name)


def make_network(layers: tuple[LayerSpec, ...] | list[LayerSpec], name: str = "lab") -> NetworkSpec:
    layers = tuple(layers)
    depth = sum(layer.kind in WEIGHTED for layer in layers)
    if not 1 <= depth <= MAX_DEPTH:
        raise InputError("The network needs from 1 to {limit} Dense or Conv2D layers, not {n}.", limit=MAX_DEPTH,
                         n=depth)
    return NetworkSpec(layers, name, network_sizes(layers))


def mlp(widths: list[int], activation: str = "relu", *, batch_norm: bool = False, dropout: float = 0.0,
        initializer: str = "glorot_uniform", init_scale: float = 0.05, l2: float = 0.0,
        name: str = "mlp") -> NetworkSpec:
    """A plain multilayer perceptron, the shape most experiments vary."""
    layers: list[LayerSpec] = [LayerSpec("Flatten")]
    for width in widths:
        layers.append(LayerSpec("Dense", units=width, activation=activation, initializer=initializer,
                                init_scale=init_scale, l2=l2))
        if batch_norm:
            layers.append(LayerSpec("BatchNormalization"))
        if dropout > 0:
            layers.append(LayerSpec("Dropout", rate=dropout))
    return make_network(layers, name)


def classic_mlp() -> NetworkSpec:
    """The article's MLP: 784 → 128 ReLU → 10 (the digit workspace's seed model)."""
    return mlp([128], name="classic_mlp")


def default_cnn() -> NetworkSpec:
    """The digit workspace's small CNN."""
    L = LayerSpec
    return make_network([L("Conv2D", filters=32, kernel_size=5), L("MaxPooling2D"), L("Conv2D", filters=64),
                         L("MaxPooling2D"), L("Conv2D", filters=64), L("Flatten"), L("Dropout", rate=0.3),
                         L("Dense", units=128), L("Dropout", rate=0.3)], "small_cnn")
