"""The Tables workspace's Explain page: the tree's rule path in words for any row, and "what if" — the
recommended model's prediction (the other models' beside it) as one feature sweeps its observed range or
its categories, the rest of the row as it is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from gui.common.plots import PlotCanvas
from gui.tables.plots import TablePlots

if TYPE_CHECKING:  # pandas
    from engine.tables.explain import WhatIf
    from engine.tables.mining import MineResult


class TableExplainPage(QWidget):
    explainRequested = Signal(int)  # 0-based row
    whatIfRequested = Signal(int, str)  # 0-based row, model input column

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plots = TablePlots(self)
        self.row_spin = QSpinBox(self)
        self.row_spin.setObjectName("explainRowSpin")
        self.row_spin.setPrefix(QCoreApplication.translate("TablesTab", "row "))
        self.row_spin.setMinimum(1)
        self.explain_button = QPushButton(QCoreApplication.translate("TablesTab", "Explain this row"), self)
        self.explain_button.setObjectName("explainRowButton")
        self.explain_button.clicked.connect(lambda: self.explainRequested.emit(self.row_spin.value() - 1))
        self.feature_combo = QComboBox(self)
        self.feature_combo.setObjectName("whatIfFeatureCombo")
        self.feature_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.feature_combo.setMinimumContentsLength(14)
        self.feature_combo.activated.connect(lambda _i: self.request_what_if())
        row = QHBoxLayout()
        row.addWidget(self.row_spin)
        row.addWidget(self.explain_button)
        row.addSpacing(24)
        row.addWidget(QLabel(self.tr("What if this feature changed:"), self))
        row.addWidget(self.feature_combo, 1)
        self.rule_path = QLabel(self)
        self.rule_path.setObjectName("tableRulePath")
        self.rule_path.setWordWrap(True)
        self.rule_path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.what_if_plot = PlotCanvas(self, 5, 3)
        self.what_if_plot.setObjectName("whatIfPlot")
        self.shown: WhatIf | None = None
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.rule_path)
        layout.addWidget(self.what_if_plot, 1)
        self.set_enabled(False)

    def set_enabled(self, on: bool) -> None:
        for w in (self.explain_button, self.feature_combo):
            w.setEnabled(on)

    def set_rows(self, rows: int) -> None:
        self.row_spin.setMaximum(max(1, rows))

    def set_result(self, result: MineResult | None) -> None:
        """New models: the features to sweep, the most informative first; the old sweep is cleared."""
        self.feature_combo.clear()
        self.rule_path.clear()
        self.shown = None
        self.what_if_plot.clear()
        self.what_if_plot.redraw()
        if result is None:
            self.set_enabled(False)
            return
        ranked = sorted(result.input_columns,
                        key=lambda c: -(result.ranking.get(c, {}).get("mutual_information", 0.0) or 0.0))
        for column in ranked:
            self.feature_combo.addItem(column, column)
        self.set_enabled(True)

    def current_row(self) -> int:
        return self.row_spin.value() - 1

    def request_what_if(self) -> None:
        column = self.feature_combo.currentData()
        if column:
            self.whatIfRequested.emit(self.current_row(), str(column))

    def show_path(self, text: str) -> None:
        self.rule_path.setText(text)

    def show_what_if(self, sweep: WhatIf, target: str, row: int) -> None:
        self.shown = sweep
        self.plots.draw_what_if(self.what_if_plot, sweep, target, row)
