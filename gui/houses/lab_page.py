"""The model lab: tree depth and leaf size, cross-validation table, depth curve and scatter —
overfitting made visible."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from engine.core.results import HouseModelsInfo
from engine.houses.boston import b_column_note
from engine.houses.models import LAB_RANGES, HouseParams, model_label
from gui.common.number_input import WholeSpinBox
from gui.common.plots import PlotCanvas
from gui.houses.plots import HousePlots


class LabPage(QWidget):
    retrainRequested = Signal()  # the person pressed Retrain or paused after changing a setting

    def __init__(self, params: HouseParams, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plots = HousePlots(self)
        self.depth = WholeSpinBox(self)  # "1,5" is refused with a sentence, never read as fifteen
        self.depth.setRange(*LAB_RANGES["max_depth"])
        self.depth.setObjectName("treeDepth")
        self.depth.setValue(params.max_depth or 6)
        self.depth.setToolTip(self.tr("How many questions the tree may ask before it answers"))
        self.min_leaf = WholeSpinBox(self)
        self.min_leaf.setRange(*LAB_RANGES["min_samples_leaf"])
        self.min_leaf.setObjectName("minSamplesLeaf")
        self.min_leaf.setValue(params.min_samples_leaf)
        self.min_leaf.setToolTip(self.tr("The fewest houses a leaf may hold: larger values give smoother trees"))
        self.drop_b = QCheckBox(self.tr("Train without the B column"), self)
        self.drop_b.setObjectName("dropBColumn")
        self.drop_b.setToolTip(b_column_note())
        self.retrain_button = QPushButton(self.tr("Retrain"), self)
        self.retrain_button.setObjectName("retrainHousesButton")
        self.retrain_button.clicked.connect(self.retrainRequested.emit)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(300)  # spin-box arrows: retrain once the person pauses
        self.timer.timeout.connect(self.retrainRequested.emit)
        self.armed = False  # settings changes retrain only once there are models to compare with
        for signal in (self.depth.valueChanged, self.min_leaf.valueChanged, self.drop_b.toggled):
            signal.connect(lambda *_: self.timer.start() if self.armed else None)
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Tree depth:"), self))
        controls.addWidget(self.depth)
        controls.addWidget(QLabel(self.tr("Min. houses per leaf:"), self))
        controls.addWidget(self.min_leaf)
        controls.addWidget(self.drop_b)
        controls.addStretch(1)
        controls.addWidget(self.retrain_button)
        self.cv_table = QTableWidget(3, 4, self)
        self.cv_table.setObjectName("cvTable")
        self.cv_table.setHorizontalHeaderLabels([self.tr("Model"), self.tr("MSE"), self.tr("MAE"), "R²"])
        self.cv_table.verticalHeader().setVisible(False)
        self.cv_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.cv_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.cv_table.setMaximumHeight(self.cv_table.verticalHeader().defaultSectionSize() * 4 + 8)
        self.cv_caption = QLabel(self)
        self.cv_caption.setWordWrap(True)
        self.depth_plot = PlotCanvas(self, 4, 3)
        self.scatter_plot = PlotCanvas(self, 4, 3)
        plots = QSplitter(Qt.Orientation.Horizontal, self)
        plots.addWidget(self.depth_plot)
        plots.addWidget(self.scatter_plot)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.cv_caption)
        layout.addWidget(self.cv_table)
        layout.addWidget(plots, 1)

    def lab_settings(self) -> dict:
        return {"max_depth": self.depth.value(), "min_samples_leaf": self.min_leaf.value(),
                "drop_b": self.drop_b.isChecked()}

    def set_lab_settings(self, settings: dict) -> None:
        """Settings saved in a project (``lab_settings``' keys; missing ones stay), without a retrain of its own."""
        armed, self.armed = self.armed, False
        self.depth.setValue(int(settings.get("max_depth", self.depth.value())))
        self.min_leaf.setValue(int(settings.get("min_samples_leaf", self.min_leaf.value())))
        self.drop_b.setChecked(bool(settings.get("drop_b", self.drop_b.isChecked())))
        self.armed = armed

    def show_models(self, info: HouseModelsInfo, n_rows: int, params: HouseParams,
                    curve: list[dict[str, float]]) -> None:
        for row, score in enumerate(info.cv):
            name = model_label(score.model) + (" ★" if score.model == info.recommended else "")
            for col, value in enumerate((name, f"{score.mse:.2f} ± {score.mse_std:.2f}", f"{score.mae:.2f}",
                                         f"{score.r2:.3f}")):
                item = QTableWidgetItem(value)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter if col else Qt.AlignmentFlag.AlignLeft |
                                      Qt.AlignmentFlag.AlignVCenter)
                self.cv_table.setItem(row, col, item)
        self.cv_caption.setText(self.tr("5-fold cross-validation on {n} houses (lower MSE/MAE and higher R² are "
                                        "better; ★ = recommended). Tree depth {depth}, at least {leaf} houses per "
                                        "leaf{b}.").format(n=n_rows, depth=params.max_depth,
                                                           leaf=params.min_samples_leaf,
                                                           b=self.tr(", without B") if params.drop_b else ""))
        self.plots.draw_scatter(self.scatter_plot, info)
        self.show_curve(curve, params.max_depth)

    def show_curve(self, curve: list[dict[str, float]], depth: int | None) -> None:
        self.plots.draw_depth_curve(self.depth_plot, curve, depth)
