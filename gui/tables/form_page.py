"""The prediction form generated from a mined table's feature columns: number fields with the observed
range, categories as drop-down lists, dates as text; column names shown as they are."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QScrollArea, QVBoxLayout, QWidget)

if TYPE_CHECKING:  # engine.tables.predict imports pandas and scikit-learn
    from engine.tables.mining import MineResult
    from engine.tables.predict import FormField
    from engine.tables.table import Table

NUMBER_MARGIN = 0.5  # the fields accept values beyond the observed range (flagged), within this share of it


class FormPage(QWidget):
    predictRequested = Signal()
    batchRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inputs: dict[str, QWidget] = {}
        self.fields: list[FormField] = []
        self._form_host = QWidget(self)
        self._form = QFormLayout(self._form_host)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._form_host)
        self.predict_button = QPushButton(self.tr("Predict"), self)
        self.predict_button.setObjectName("predictTableButton")
        self.predict_button.clicked.connect(self.predictRequested.emit)
        self.batch_button = QPushButton(self.tr("Predict every row of a file…"), self)
        self.batch_button.setObjectName("batchPredictTableButton")
        self.batch_button.clicked.connect(self.batchRequested.emit)
        self.result = QLabel(self)
        self.result.setObjectName("tablePrediction")
        self.result.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.predict_button)
        buttons.addWidget(self.batch_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        self.set_enabled(False)

    def set_enabled(self, on: bool) -> None:
        self.predict_button.setEnabled(on)
        self.batch_button.setEnabled(on)

    def clear(self) -> None:
        """No table mined (a new project): no fields, no prediction, nothing to predict."""
        self.build([])
        self.result.clear()
        self.set_enabled(False)

    def build(self, fields: list[FormField]) -> None:
        while self._form.rowCount():
            self._form.removeRow(0)
        self.inputs, self.fields = {}, fields
        for f in fields:
            if f.kind == "number":
                box = QDoubleSpinBox(self._form_host)
                span = max(1.0, float(f.maximum) - float(f.minimum))
                box.setDecimals(0 if f.integer else 4)
                box.setRange(float(f.minimum) - NUMBER_MARGIN * span, float(f.maximum) + NUMBER_MARGIN * span)
                box.setValue(float(f.default))
                box.setToolTip(self.tr("observed: {low} … {high}").format(low=f"{f.minimum:g}", high=f"{f.maximum:g}"))
                widget: QWidget = box
            elif f.kind == "category":
                combo = QComboBox(self._form_host)
                combo.addItems(list(f.choices))
                widget = combo
            else:
                line = QLineEdit(str(f.default), self._form_host)
                line.setToolTip(self.tr("a date, {low} … {high}").format(low=f.minimum, high=f.maximum))
                widget = line
            widget.setObjectName(f"feature_{f.name}")
            self.inputs[f.name] = widget
            self._form.addRow(f.name, widget)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, widget in self.inputs.items():
            if isinstance(widget, QDoubleSpinBox):
                out[name] = widget.value()
            elif isinstance(widget, QComboBox):
                out[name] = widget.currentText()
            elif isinstance(widget, QLineEdit):
                out[name] = widget.text()
        return out

    def predict(self, table: Table, result: MineResult) -> None:
        """The recommended model's prediction for the values in the form (a value it refuses: the reason)."""
        from engine.tables.explain import predict_frame
        from engine.tables.predict import form_row, out_of_range
        from engine.tables.settings import model_label
        from gui.tables.data_page import shown_number

        values = self.values()
        try:
            pred, proba = predict_frame(result, form_row(table, result, values))
        except Exception as exc:  # noqa: BLE001 — shown, not raised
            self.result.setText(str(exc))
            return
        share = float(proba[0].max()) if proba is not None and result.classes else None
        self.show_prediction(result.target, shown_number(pred[0]), model_label(result.best), share,
                             out_of_range(table, result, values))

    def show_prediction(self, target: str, prediction: str, model: str, share: float | None,
                        outside: list[str]) -> None:
        """The result line: the target's predicted value (with the model's probability for a class), and the
        columns whose value lies outside the table's range."""
        if share is not None:
            text = self.tr("{target}: {prediction} ({model}, probability {share})").format(
                target=target, prediction=prediction, model=model, share=f"{share:.0%}")
        else:
            text = self.tr("{target}: {prediction} ({model})").format(target=target, prediction=prediction,
                                                                       model=model)
        if outside:
            text += " — " + QCoreApplication.translate("TablesTab", "outside the table's range for {names}").format(
                names=", ".join(outside))
        self.result.setText(text)
