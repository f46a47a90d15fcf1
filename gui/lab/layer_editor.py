"""The model step: the layer list the person edits (add, remove, move, change a layer), with the
parameter count and multiply-adds shown live and a broken or hostile network named in one line.

Sizes come from ``engine.lab.spec`` (pure arithmetic, no TensorFlow): the same check a lesson
file or the worker applies, so what this list accepts is what trains.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel, QListWidget, QPushButton,
                               QVBoxLayout, QWidget)

from engine.core.errors import DeepMineError
from engine.lab.spec import (ACTIVATIONS, FIELDS, INITIALIZERS, LAYER_KINDS, LIMITS, LayerSpec, NetworkSpec,
                             network_from_dict)
from gui.common.number_input import DecimalSpinBox, WholeSpinBox

DEFAULTS: dict[str, dict[str, Any]] = {"Dense": {"units": 64}, "Conv2D": {"filters": 32, "kernel_size": 3},
                                       "MaxPooling2D": {"pool_size": 2}, "Dropout": {"rate": 0.3},
                                       "BatchNormalization": {}, "Flatten": {}}


def new_layer(kind: str) -> dict[str, Any]:
    """A layer of that kind with the defaults a person would start from, in its JSON form."""
    return LayerSpec(kind, **DEFAULTS[kind]).to_dict()


class LayerEditor(QWidget):
    """Holds the layers as their JSON form; ``network()`` is the checked ``NetworkSpec`` or None,
    ``problem`` the one line that says why not."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layers: list[dict[str, Any]] = []
        self.name = "lab"
        self.spec: NetworkSpec | None = None
        self.problem = ""
        self._loading = False
        self._editable = True

        self.list = QListWidget(self)
        self.list.setObjectName("labLayerList")
        self.list.setMinimumHeight(120)
        self.list.currentRowChanged.connect(self._show_layer)
        self.add_kind = QComboBox(self)
        self.add_kind.setObjectName("labAddLayerKind")
        self.kind = QComboBox(self)
        self.kind.setObjectName("labLayerKind")
        for kind in LAYER_KINDS:
            self.add_kind.addItem(self._kind_title(kind), kind)
            self.kind.addItem(self._kind_title(kind), kind)
        self.add_button = QPushButton(self.tr("Add"), self)
        self.add_button.setObjectName("labAddLayerButton")
        self.add_button.setToolTip(self.tr("Insert a layer of this kind below the selected one"))
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.setObjectName("labRemoveLayerButton")
        self.up_button = QPushButton(self.tr("Up"), self)
        self.up_button.setObjectName("labLayerUpButton")
        self.down_button = QPushButton(self.tr("Down"), self)
        self.down_button.setObjectName("labLayerDownButton")
        self.add_button.clicked.connect(self.add_layer)
        self.remove_button.clicked.connect(self.remove_layer)
        self.up_button.clicked.connect(lambda: self.move_layer(-1))
        self.down_button.clicked.connect(lambda: self.move_layer(1))

        self.fields: dict[str, QWidget] = {
            "units": _whole(self, "labLayerUnits", *LIMITS["units"]),
            "filters": _whole(self, "labLayerFilters", *LIMITS["filters"]),
            "kernel_size": _whole(self, "labLayerKernel", *LIMITS["kernel_size"]),
            "pool_size": _whole(self, "labLayerPool", *LIMITS["pool_size"]),
            "activation": _combo(self, "labLayerActivation", [(self._activation_title(a), a) for a in ACTIVATIONS]),
            "initializer": _combo(self, "labLayerInitializer", [(self._init_title(i), i) for i in INITIALIZERS]),
            "init_scale": _decimal(self, "labLayerInitScale", 4, *LIMITS["init_scale"]),
            "rate": _decimal(self, "labLayerRate", 2, *LIMITS["rate"]),
            "l2": _decimal(self, "labLayerL2", 4, *LIMITS["l2"]),
        }
        titles = {"units": self.tr("Units"), "filters": self.tr("Filters"), "kernel_size": self.tr("Kernel size"),
                  "pool_size": self.tr("Pool size"), "activation": self.tr("Activation"),
                  "initializer": self.tr("Initialisation"), "init_scale": self.tr("Initial spread (σ)"),
                  "rate": self.tr("Dropout rate"), "l2": self.tr("L2 penalty")}
        self.form = QFormLayout()
        self.form.addRow(self.tr("Layer"), self.kind)
        for name, widget in self.fields.items():
            self.form.addRow(titles[name], widget)
            signal = widget.currentIndexChanged if isinstance(widget, QComboBox) else widget.valueChanged
            signal.connect(lambda *_, n=name: self._field_changed(n))
        self.kind.currentIndexChanged.connect(self._kind_changed)

        self.size = QLabel(self)
        self.size.setObjectName("labNetworkSize")
        self.size.setWordWrap(True)
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("labNetworkProblem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b3261e;")
        self.problem_label.hide()

        self.add_kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.add_kind.setMinimumContentsLength(10)
        self.kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.kind.setMinimumContentsLength(10)
        adding = QHBoxLayout()
        adding.addWidget(self.add_kind, 1)
        adding.addWidget(self.add_button)
        moving = QHBoxLayout()
        for button in (self.remove_button, self.up_button, self.down_button):
            moving.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(adding)
        layout.addLayout(moving)
        layout.addLayout(self.form)
        layout.addWidget(self.size)
        layout.addWidget(self.problem_label)

    # -- texts ---------------------------------------------------------------------------
    def _kind_title(self, kind: str) -> str:
        return {"Dense": self.tr("Dense (fully connected)"), "Conv2D": self.tr("Conv2D (convolution)"),
                "MaxPooling2D": self.tr("MaxPooling2D (downsampling)"), "Dropout": self.tr("Dropout"),
                "BatchNormalization": self.tr("BatchNormalization"), "Flatten": self.tr("Flatten")}[kind]

    def _activation_title(self, name: str) -> str:
        return {"relu": self.tr("ReLU"), "sigmoid": self.tr("sigmoid"), "tanh": self.tr("tanh")}[name]

    def _init_title(self, name: str) -> str:
        return {"glorot_uniform": self.tr("Glorot uniform"), "he_normal": self.tr("He normal"),
                "lecun_normal": self.tr("LeCun normal"), "random_normal": self.tr("Random normal (σ below)")}[name]

    def _layer_text(self, i: int, layer: dict[str, Any]) -> str:
        kind = layer["kind"]
        detail = {"Dense": lambda: self.tr("{units} units, {activation}").format(**layer),
                  "Conv2D": lambda: self.tr("{filters} filters {k}×{k}, {activation}").format(
                      k=layer["kernel_size"], **layer),
                  "MaxPooling2D": lambda: self.tr("{p}×{p}").format(p=layer["pool_size"]),
                  "Dropout": lambda: self.tr("rate {rate:g}").format(rate=layer["rate"])}.get(kind, lambda: "")()
        text = f"{i + 1}. {kind}" + (f" — {detail}" if detail else "")
        if self.spec is not None and i < len(self.spec.sizes) - 1:
            size = self.spec.sizes[i]
            text += self.tr("  → {shape}, {params} parameters").format(
                shape="×".join(map(str, size.output_shape)), params=f"{size.params:,}")
        return text

    # -- the list ------------------------------------------------------------------------
    def set_network(self, layers: list[dict[str, Any]], name: str = "lab") -> None:
        self.layers = [dict(layer) for layer in layers]
        self.name = name
        self._refresh(select=0)

    def add_layer(self) -> None:
        row = self.list.currentRow()
        at = row + 1 if row >= 0 else len(self.layers)
        self.layers.insert(at, new_layer(self.add_kind.currentData()))
        self._refresh(select=at)

    def remove_layer(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.layers):
            del self.layers[row]
            self._refresh(select=min(row, len(self.layers) - 1))

    def move_layer(self, step: int) -> None:
        row = self.list.currentRow()
        to = row + step
        if 0 <= row < len(self.layers) and 0 <= to < len(self.layers):
            self.layers[row], self.layers[to] = self.layers[to], self.layers[row]
            self._refresh(select=to)

    def _refresh(self, select: int | None = None) -> None:
        """Check the network, then redraw the list (with sizes when it is valid) and the totals."""
        try:
            self.spec = network_from_dict({"name": self.name, "layers": self.layers})
            self.problem = ""
        except DeepMineError as exc:
            self.spec, self.problem = None, str(exc)
        row = self.list.currentRow() if select is None else select
        self._loading = True
        self.list.clear()
        for i, layer in enumerate(self.layers):
            self.list.addItem(self._layer_text(i, layer))
        self._loading = False
        if self.layers:
            self.list.setCurrentRow(max(0, min(row, len(self.layers) - 1)))
        self._show_layer(self.list.currentRow())
        if self.spec is not None:
            self.size.setText(self.tr("{params} parameters · {macs} multiply-adds per digit · depth {depth} "
                                      "(+ the output layer, Dense 10 softmax)").format(
                params=f"{self.spec.params:,}", macs=f"{self.spec.macs:,}", depth=self.spec.depth))
        else:
            self.size.setText(self.tr("Parameters and multiply-adds: —"))
        self.problem_label.setText(self.problem)
        self.problem_label.setVisible(bool(self.problem))
        self.remove_button.setEnabled(self._editable and bool(self.layers))
        self.changed.emit()

    # -- one layer -----------------------------------------------------------------------
    def _show_layer(self, row: int) -> None:
        if self._loading:
            return
        has = 0 <= row < len(self.layers)
        self.up_button.setEnabled(self._editable and has and row > 0)
        self.down_button.setEnabled(self._editable and has and row < len(self.layers) - 1)
        self.kind.setEnabled(self._editable and has)
        if not has:
            for name in self.fields:
                self.form.setRowVisible(self.fields[name], False)
            return
        layer = self.layers[row]
        self._loading = True
        self.kind.setCurrentIndex(self.kind.findData(layer["kind"]))
        for name, widget in self.fields.items():
            used = name in FIELDS[layer["kind"]]
            self.form.setRowVisible(widget, used and (name != "init_scale" or
                                                      layer.get("initializer") == "random_normal"))
            if used:
                _set_value(widget, layer[name])
        self._loading = False

    def _kind_changed(self) -> None:
        row = self.list.currentRow()
        if self._loading or not 0 <= row < len(self.layers):
            return
        kind = self.kind.currentData()
        if kind != self.layers[row]["kind"]:
            self.layers[row] = new_layer(kind)
            self._refresh()

    def _field_changed(self, name: str) -> None:
        row = self.list.currentRow()
        if self._loading or not 0 <= row < len(self.layers) or name not in self.layers[row]:
            return
        self.layers[row][name] = _value(self.fields[name])
        self._refresh()

    def set_editable(self, editable: bool) -> None:
        """A lesson that locks the network still shows it, sizes and all."""
        self._editable = editable
        for widget in (self.add_kind, self.add_button, self.remove_button, self.up_button, self.down_button,
                       self.kind, *self.fields.values()):
            widget.setEnabled(editable)
        if editable:
            self._show_layer(self.list.currentRow())


def _whole(parent: QWidget, name: str, low: float, high: float) -> WholeSpinBox:
    box = WholeSpinBox(parent)
    box.setObjectName(name)
    box.setRange(int(low), int(high))
    return box


def _decimal(parent: QWidget, name: str, decimals: int, low: float, high: float) -> DecimalSpinBox:
    box = DecimalSpinBox(parent)
    box.setObjectName(name)
    box.setDecimals(decimals)
    box.setRange(low, high)
    box.setStepType(DecimalSpinBox.StepType.AdaptiveDecimalStepType)
    return box


def _combo(parent: QWidget, name: str, items: list[tuple[str, str]]) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    for text, data in items:
        combo.addItem(text, data)
    return combo


def _value(widget: QWidget) -> Any:
    return widget.currentData() if isinstance(widget, QComboBox) else widget.value()


def _set_value(widget: QWidget, value: Any) -> None:
    if isinstance(widget, QComboBox):
        widget.setCurrentIndex(widget.findData(value))
    else:
        widget.setValue(value)
