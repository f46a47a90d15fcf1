"""The house form: one input per Boston feature, limited to physically possible values, with the
training range beside each and a warning for values the models never saw."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QAbstractSpinBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton,
                               QScrollArea, QVBoxLayout, QWidget)

from engine.core.i18n import t
from engine.core.results import HouseModelsInfo
from engine.houses.boston import FEATURE_INFO, FEATURES, PHYSICAL_BOUNDS
from gui.common.number_input import DecimalSpinBox, WholeSpinBox


def feature_bounds(name: str) -> tuple[float, float]:
    """The physical range a feature can take (no negative rooms, CHAS 0 or 1): the same bounds the
    CLI validates with."""
    return PHYSICAL_BOUNDS[name]


class HouseForm(QWidget):
    changed = Signal()  # the person edited a value
    predictRequested = Signal()
    typicalRequested = Signal()
    rowRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inputs: dict[str, QWidget] = {}
        self.range_labels: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for name in FEATURES:
            w = self._input(name)
            info = FEATURE_INFO[name]
            w.setObjectName(f"feature_{name}")
            lo, hi = feature_bounds(name)
            w.setToolTip(f"{info.meaning}" + (f" ({info.unit})" if info.unit else "") +
                         ("" if info.choices else "\n" + t("Possible values: {lo} to {hi}", lo=f"{lo:g}", hi=f"{hi:g}")))
            w.setMinimumWidth(90)
            label = QLabel(f"<b>{name}</b> <span style='color:#5f6368'>{info.meaning}</span>", self)
            label.setWordWrap(True)
            label.setToolTip(w.toolTip())
            label.setBuddy(w)
            rng = QLabel(self)
            rng.setStyleSheet("color: #5f6368;")
            field = QWidget(self)
            fl = QHBoxLayout(field)
            fl.setContentsMargins(0, 0, 0, 0)
            fl.addWidget(w, 1)
            fl.addWidget(rng)
            form.addRow(label, field)
            self.inputs[name] = w
            self.range_labels[name] = rng

        self.predict_button = QPushButton(self.tr("Predict price"), self)
        self.predict_button.setObjectName("predictHouseButton")
        self.predict_button.setDefault(True)
        self.predict_button.clicked.connect(self.predictRequested.emit)
        self.reset_button = QPushButton(self.tr("Typical house"), self)
        self.reset_button.setObjectName("resetHouseButton")
        self.reset_button.setToolTip(self.tr("Reset every feature to the data set's median"))
        self.reset_button.clicked.connect(self.typicalRequested.emit)
        self.row_spin = WholeSpinBox(self)
        self.row_spin.refused.connect(lambda reason: self._show_refused(self.tr("row"), reason, self.row_spin))
        self.row_spin.setObjectName("datasetRow")
        self.row_spin.setPrefix(self.tr("row "))
        self.row_spin.setToolTip(self.tr("A house from the data set, by row number"))
        self.load_row_button = QPushButton(self.tr("Load from data set"), self)
        self.load_row_button.setObjectName("loadHouseRowButton")
        self.load_row_button.setToolTip(self.tr("Fill the form with a real house and show its true price"))
        self.load_row_button.clicked.connect(lambda: self.rowRequested.emit(self.row_spin.value()))
        buttons = QHBoxLayout()
        buttons.addWidget(self.predict_button)
        buttons.addWidget(self.reset_button)
        rows = QHBoxLayout()
        rows.addWidget(self.row_spin)
        rows.addWidget(self.load_row_button)
        self.range_warning = QLabel(self)
        self.range_warning.setObjectName("outOfRangeWarning")
        self.range_warning.setWordWrap(True)
        self.range_warning.setStyleSheet("color: #b3261e;")
        self.input_problem = QLabel(self)  # a typed value that was refused, and which value stays
        self.input_problem.setObjectName("houseInputProblem")
        self.input_problem.setWordWrap(True)
        self.input_problem.setStyleSheet("color: #b3261e;")
        box = QGroupBox(self.tr("The house"), self)
        inner = QVBoxLayout(box)
        inner.addLayout(form)
        inner.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(box)
        layout = QVBoxLayout(self)  # the buttons stay in view however far the form is scrolled
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addLayout(rows)
        layout.addWidget(self.range_warning)
        layout.addWidget(self.input_problem)
        layout.addWidget(scroll, 1)
        self.setMinimumWidth(340)

    def _input(self, name: str) -> QWidget:
        info = FEATURE_INFO[name]
        lo, hi = feature_bounds(name)
        if info.choices:
            w = QComboBox(self)
            for value, label_id in info.choices:
                w.addItem(t(label_id), value)
            w.currentIndexChanged.connect(self.changed)
        elif info.integer:
            w = WholeSpinBox(self)
            w.setRange(int(lo), int(min(hi, 2**31 - 1)))
            w.valueChanged.connect(self.changed)
        else:  # "1,5" and "1.5" are one and a half in any locale; text, nan, 1e308 or 1,234.5 never get in
            w = DecimalSpinBox(self)
            w.setDecimals(3)
            w.setRange(lo, hi)
            w.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
            w.valueChanged.connect(self.changed)
        if isinstance(w, (WholeSpinBox, DecimalSpinBox)):
            w.refused.connect(lambda reason, name=name, box=w: self._show_refused(name, reason, box))
            w.valueChanged.connect(lambda *_: self.input_problem.clear())
        return w

    def _show_refused(self, name: str, reason: str, box: QAbstractSpinBox) -> None:
        self.input_problem.setText(self.tr("{name}: {reason}, so it was not used; the value stays {value}.").format(
            name=name, reason=reason, value=box.textFromValue(box.value())))

    def set_enabled(self, on: bool) -> None:
        for w in (self.predict_button, self.reset_button, self.load_row_button):
            w.setEnabled(on)

    def show_model(self, info: HouseModelsInfo, n_rows: int) -> None:
        """Which features the models use, and each one's range in the training data."""
        for name in FEATURES:
            w = self.inputs[name]
            in_model = name in info.features
            w.setEnabled(in_model)
            if in_model:
                lo, hi = info.feature_ranges[name]
                self.range_labels[name].setText(f"{_fmt(lo)}–{_fmt(hi)}")
            else:
                self.range_labels[name].setText(self.tr("not used"))
        self.row_spin.setRange(1, n_rows)

    def values(self, features: list[str] | None = None) -> dict[str, float]:
        out = {}
        for name, w in self.inputs.items():
            if features is not None and name not in features:
                continue
            out[name] = float(w.currentData()) if isinstance(w, QComboBox) else float(w.value())
        return out

    def set_values(self, values: dict[str, float]) -> None:
        for name, value in values.items():
            w = self.inputs.get(name)
            if w is None:
                continue
            w.blockSignals(True)
            if isinstance(w, QComboBox):
                w.setCurrentIndex(max(0, w.findData(float(round(value)))))
            else:
                w.setValue(value)
            w.blockSignals(False)

    def flag_ranges(self, out_of_range: list[str]) -> None:
        for name, w in self.inputs.items():
            w.setStyleSheet("background: #fce8e6;" if name in out_of_range else "")
        self.range_warning.setText(self.tr("Outside the training data: {names}. The model has never seen a house "
                                           "like this; treat the price with care.").format(names=", ".join(out_of_range))
                                   if out_of_range else "")


def _fmt(value: float) -> str:
    return f"{value:.4g}"
