"""House workspace: a feature form that prices a house live, explains the price, and a model lab.

The decision tree answers on the GUI thread (~0.1 ms); the forest and boosting prices, all
training, CSV reading and writing run through the engine's job runner.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QAbstractSpinBox, QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout,
                               QGroupBox, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QScrollArea,
                               QSpinBox, QSplitter, QTableWidget, QTableWidgetItem, QTabWidget,
                               QVBoxLayout, QWidget)

from engine.houses.boston import FEATURE_INFO, FEATURES, HouseData, about_dataset, b_column_note, load_boston
from engine.houses.csv_io import batch_predict_csv, import_house_csv, read_csv_columns
from engine.houses.models import HouseModels, HouseParams, depth_curve, model_label, train_house_models
from engine.core.i18n import t
from engine.core.tasks import JobRunner
from engine.core.results import HousePrediction
from engine.core.session import PricedHouse, Session
from gui.houses import plots as house_plots
from gui.houses.dialogs import ColumnMappingDialog
from gui.common.plots import PlotCanvas
from gui.common.settings import app_settings
from gui.common.tasks import QtJob, start_job


# --- job functions -------------------------------------------------------------------------
def train_job(data: HouseData | None, params: HouseParams, *, progress, token) -> tuple[HouseData, HouseModels]:
    data = data if data is not None else load_boston()
    return data, train_house_models(data, params, progress=progress, token=token)


def curve_job(data: HouseData, params: HouseParams, *, progress, token) -> list[dict[str, float]]:
    return depth_curve(data, range(1, 16), params=params, progress=progress, token=token)


def others_job(models: HouseModels, inputs: dict[str, float], *, progress, token) -> HousePrediction:
    return models.predict(inputs)


def columns_job(path: str, *, progress, token) -> list[str]:
    return read_csv_columns(path)


def import_job(path: str, mapping: dict[str, str] | None, *, progress, token) -> HouseData:
    return import_house_csv(path, mapping=mapping)


def batch_job(models: HouseModels, in_path: str, out_path: str, mapping: dict[str, str] | None, *, progress,
              token) -> tuple[int, str]:
    return batch_predict_csv(models, in_path, out_path, mapping=mapping), out_path


class HouseTab(QWidget):
    statusMessage = Signal(str)
    modelsReady = Signal()
    predictionShown = Signal()  # after housePrediction's text changed (benchmarks wait on it)

    def __init__(self, session: Session, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.runner = session, runner
        self.models: HouseModels | None = None
        self.data: HouseData | None = None  # what the current models were trained on
        self.params = HouseParams()
        self.model_options: dict[str, Any] = {}  # e.g. fewer trees; tests use small but real ensembles
        self.last: HousePrediction | None = None
        self.true_price: float | None = None
        self._jobs: set[QtJob] = set()
        self._training: QtJob | None = None
        self._others: QtJob | None = None
        self._others_pending = False
        self._curve: list[dict[str, float]] = []
        self._started = False
        self._tree_path_key: tuple | None = None

        self._live = QTimer(self)
        self._live.setSingleShot(True)
        self._live.setInterval(0)  # coalesce a burst of edits into one prediction
        self._live.timeout.connect(self.update_prediction)

        form_box = self._build_form()
        result = self._build_result()
        pages = self._build_pages()
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(result)
        rl.addWidget(pages, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(form_box)
        split.addWidget(right)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        split.setSizes([430, 800])
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self._set_enabled(False)

    # -- building ---------------------------------------------------------------------------
    def _build_form(self) -> QWidget:
        self.inputs: dict[str, QWidget] = {}
        self.range_labels: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for name in FEATURES:
            info = FEATURE_INFO[name]
            if info.choices:
                w = QComboBox(self)
                for value, label_id in info.choices:
                    w.addItem(t(label_id), value)
                w.currentIndexChanged.connect(self._changed)
            elif info.integer:
                w = QSpinBox(self)
                w.setRange(0, 1000)
                w.valueChanged.connect(self._changed)
            else:
                w = QDoubleSpinBox(self)
                w.setDecimals(3)
                w.setRange(-1e6, 1e6)
                w.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
                w.valueChanged.connect(self._changed)
            w.setObjectName(f"feature_{name}")
            w.setToolTip(f"{info.meaning}" + (f" ({info.unit})" if info.unit else ""))
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
        self.predict_button.clicked.connect(self.predict_and_record)
        self.reset_button = QPushButton(self.tr("Typical house"), self)
        self.reset_button.setObjectName("resetHouseButton")
        self.reset_button.setToolTip(self.tr("Reset every feature to the data set's median"))
        self.reset_button.clicked.connect(self.reset_to_typical)
        self.row_spin = QSpinBox(self)
        self.row_spin.setObjectName("datasetRow")
        self.row_spin.setPrefix(self.tr("row "))
        self.row_spin.setToolTip(self.tr("A house from the data set, by row number"))
        self.load_row_button = QPushButton(self.tr("Load from data set"), self)
        self.load_row_button.setObjectName("loadHouseRowButton")
        self.load_row_button.setToolTip(self.tr("Fill the form with a real house and show its true price"))
        self.load_row_button.clicked.connect(lambda: self.load_row(self.row_spin.value()))
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

        box = QGroupBox(self.tr("The house"), self)
        inner = QVBoxLayout(box)
        inner.addLayout(form)
        inner.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(box)
        panel = QWidget(self)  # the buttons stay in view however far the form is scrolled
        pl = QVBoxLayout(panel)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addLayout(buttons)
        pl.addLayout(rows)
        pl.addWidget(self.range_warning)
        pl.addWidget(scroll, 1)
        panel.setMinimumWidth(340)
        return panel

    def _build_result(self) -> QWidget:
        self.price = QLabel(self)
        self.price.setObjectName("housePrediction")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.price.setFont(font)
        self.price.setWordWrap(True)
        self.others = QLabel(self)
        self.others.setObjectName("otherModelPrices")
        self.others.setWordWrap(True)
        self.explanation = QLabel(self)
        self.explanation.setObjectName("houseExplanation")
        self.explanation.setWordWrap(True)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel(self)
        self.status.setObjectName("houseStatus")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #5f6368;")
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 0, 4, 0)
        for w in (self.price, self.others, self.explanation, self.status):
            layout.addWidget(w)
        return box

    def _build_pages(self) -> QTabWidget:
        self.pages = QTabWidget(self)
        self.pages.setObjectName("housePages")
        self.tree_plot = PlotCanvas(self, 6, 3.2)
        self.pages.addTab(self.tree_plot, self.tr("Why: the tree"))
        self.importance_plot = PlotCanvas(self, 5, 3.2)
        self.pages.addTab(self.importance_plot, self.tr("Feature importances"))

        what_if = QWidget(self)
        self.what_if_feature = QComboBox(what_if)
        self.what_if_feature.setObjectName("whatIfFeature")
        for name in FEATURES:
            self.what_if_feature.addItem(f"{name} — {FEATURE_INFO[name].meaning}", name)
        self.what_if_feature.setCurrentIndex(FEATURES.index("RM"))
        self.what_if_feature.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.what_if_feature.setMinimumContentsLength(20)
        self.what_if_feature.currentIndexChanged.connect(self._draw_what_if)
        self.what_if_plot = PlotCanvas(what_if, 5, 3)
        wl = QVBoxLayout(what_if)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Sweep:"), what_if))
        row.addWidget(self.what_if_feature, 1)
        wl.addLayout(row)
        wl.addWidget(self.what_if_plot, 1)
        self.pages.addTab(what_if, self.tr("What if…"))
        self.pages.addTab(self._build_lab(), self.tr("Model lab"))
        self.pages.addTab(self._build_data_page(), self.tr("Data"))
        self.pages.currentChanged.connect(lambda _i: self._refresh_visible_page())
        return self.pages

    def _build_lab(self) -> QWidget:
        lab = QWidget(self)
        self.depth = QSpinBox(lab, minimum=1, maximum=20)
        self.depth.setObjectName("treeDepth")
        self.depth.setValue(self.params.max_depth)
        self.depth.setToolTip(self.tr("How many questions the tree may ask before it answers"))
        self.min_leaf = QSpinBox(lab, minimum=1, maximum=50)
        self.min_leaf.setObjectName("minSamplesLeaf")
        self.min_leaf.setValue(self.params.min_samples_leaf)
        self.min_leaf.setToolTip(self.tr("The fewest houses a leaf may hold: larger values give smoother trees"))
        self.drop_b = QCheckBox(self.tr("Train without the B column"), lab)
        self.drop_b.setObjectName("dropBColumn")
        self.drop_b.setToolTip(b_column_note())
        self.retrain_button = QPushButton(self.tr("Retrain"), lab)
        self.retrain_button.setObjectName("retrainHousesButton")
        self.retrain_button.clicked.connect(self.retrain)
        self.depth.valueChanged.connect(self._lab_changed)
        self.min_leaf.valueChanged.connect(self._lab_changed)
        self.drop_b.toggled.connect(self._lab_changed)
        self._lab_timer = QTimer(self)
        self._lab_timer.setSingleShot(True)
        self._lab_timer.setInterval(300)  # spin-box arrows: retrain once the person pauses
        self._lab_timer.timeout.connect(self.retrain)
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Tree depth:"), lab))
        controls.addWidget(self.depth)
        controls.addWidget(QLabel(self.tr("Min. houses per leaf:"), lab))
        controls.addWidget(self.min_leaf)
        controls.addWidget(self.drop_b)
        controls.addStretch(1)
        controls.addWidget(self.retrain_button)

        self.cv_table = QTableWidget(3, 4, lab)
        self.cv_table.setObjectName("cvTable")
        self.cv_table.setHorizontalHeaderLabels([self.tr("Model"), self.tr("MSE"), self.tr("MAE"), "R²"])
        self.cv_table.verticalHeader().setVisible(False)
        self.cv_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.cv_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.cv_table.setMaximumHeight(self.cv_table.verticalHeader().defaultSectionSize() * 4 + 8)
        self.cv_caption = QLabel(lab)
        self.cv_caption.setWordWrap(True)
        self.depth_plot = PlotCanvas(lab, 4, 3)
        self.scatter_plot = PlotCanvas(lab, 4, 3)
        plots = QSplitter(Qt.Orientation.Horizontal, lab)
        plots.addWidget(self.depth_plot)
        plots.addWidget(self.scatter_plot)
        layout = QVBoxLayout(lab)
        layout.addLayout(controls)
        layout.addWidget(self.cv_caption)
        layout.addWidget(self.cv_table)
        layout.addWidget(plots, 1)
        return lab

    def _build_data_page(self) -> QWidget:
        page = QWidget(self)
        self.data_summary = QLabel(page)
        self.data_summary.setObjectName("dataQuality")
        self.data_summary.setWordWrap(True)
        self.data_summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.import_button = QPushButton(self.tr("Import a CSV of houses…"), page)
        self.import_button.setObjectName("importHousesButton")
        self.import_button.clicked.connect(self._choose_import)
        self.boston_button = QPushButton(self.tr("Back to the Boston data"), page)
        self.boston_button.setObjectName("bostonDataButton")
        self.boston_button.clicked.connect(lambda: self.retrain(use_boston=True))
        self.batch_button = QPushButton(self.tr("Price every house in a CSV…"), page)
        self.batch_button.setObjectName("batchPredictButton")
        self.batch_button.clicked.connect(self._choose_batch)
        about = QLabel(about_dataset(), page)
        about.setWordWrap(True)
        note = QLabel(self.tr("About the B column: ") + b_column_note(), page)
        note.setObjectName("bColumnNote")
        note.setWordWrap(True)
        note.setStyleSheet("background: #fef7e0; padding: 6px; border-radius: 4px;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.boston_button)
        buttons.addWidget(self.batch_button)
        buttons.addStretch(1)
        inner = QWidget(page)
        il = QVBoxLayout(inner)
        il.addLayout(buttons)
        il.addWidget(self.data_summary)
        il.addWidget(about)
        il.addWidget(note)
        il.addStretch(1)
        scroll = QScrollArea(page)
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        return page

    # -- start-up and training ---------------------------------------------------------------
    def start_background_work(self) -> None:
        if self._started:
            return
        self._started = True
        self.retrain()

    def retrain(self, use_boston: bool = False, data: HouseData | None = None) -> None:
        """Train on ``data``, or the current data (Boston at first), with the lab's settings."""
        self._lab_timer.stop()
        if self._training is not None:
            self._training.cancel()
        self.params = HouseParams(**{**self.model_options, "max_depth": self.depth.value(),
                                     "min_samples_leaf": self.min_leaf.value(), "drop_b": self.drop_b.isChecked()})
        source = data if data is not None else (None if use_boston else self.data)
        self.status.setText(self.tr("Training the house models…"))
        job = start_job(self.runner, "house-models", train_job, source, self.params, parent=self)
        self._training = job
        self._jobs.add(job)
        job.signals.progress.connect(lambda p: self.status.setText(p.message))
        job.signals.finished.connect(lambda result, job=job: self._trained(job, *result))
        job.signals.failed.connect(lambda exc, job=job: self._train_failed(job, exc))
        job.signals.ended.connect(lambda job=job: self._ended(job))

    def _lab_changed(self) -> None:
        if self.models is not None:
            self._lab_timer.start()

    def _trained(self, job: QtJob, data: HouseData, models: HouseModels) -> None:
        if job is not self._training:
            return  # a newer training replaced this one
        first = self.models is None or self.data is None or data.provenance != self.data.provenance
        self.models, self.data = models, data
        self.session.house_models = models.info
        info = models.info
        for name in FEATURES:
            w = self.inputs[name]
            in_model = name in info.features
            w.setEnabled(in_model)
            if in_model:
                lo, hi = info.feature_ranges[name]
                self.range_labels[name].setText(f"{_fmt(lo)}–{_fmt(hi)}")
            else:
                self.range_labels[name].setText(self.tr("not used"))
        self.row_spin.setRange(1, len(data.y))
        if first:
            self.reset_to_typical()
        self._set_enabled(True)
        self._show_lab()
        self._show_data()
        self._tree_path_key = None
        self.status.setText(self.tr("Trained on {data}: {n} houses. Recommended model: {model}.")
                            .replace("{data}", t(info.provenance.label)).replace("{n}", str(len(data.y)))
                            .replace("{model}", model_label(info.recommended)))
        self.update_prediction()
        self._start_curve()
        self.statusMessage.emit(self.tr("The house models are ready."))
        self.modelsReady.emit()

    def _train_failed(self, job: QtJob, exc: BaseException) -> None:
        message = self.tr("Training failed: {0}").format(exc)
        self.status.setText(message + (" " + self.tr("The previous models are still in use.") if self.models else ""))
        self.statusMessage.emit(message)

    def _ended(self, job: QtJob) -> None:
        self._jobs.discard(job)
        if self._training is job:
            self._training = None

    def _start_curve(self) -> None:
        if self.data is None:
            return
        job = start_job(self.runner, "depth-curve", curve_job, self.data, self.params, parent=self)
        self._jobs.add(job)
        job.signals.finished.connect(self._curve_done)
        job.signals.ended.connect(lambda: self._jobs.discard(job))

    def _curve_done(self, curve: list[dict[str, float]]) -> None:
        self._curve = curve
        house_plots.draw_depth_curve(self.depth_plot, curve, self.params.max_depth)

    def _set_enabled(self, on: bool) -> None:
        for w in (self.predict_button, self.reset_button, self.load_row_button, self.batch_button):
            w.setEnabled(on)

    # -- the form ------------------------------------------------------------------------------
    def values(self) -> dict[str, float]:
        out = {}
        for name, w in self.inputs.items():
            if self.models is not None and name not in self.models.features:
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
        self._changed()

    def reset_to_typical(self) -> None:
        if self.data is not None:
            self.true_price = None
            self.set_values(self.data.medians())

    def load_row(self, row: int) -> None:
        """Row numbers start at 1, as a person counts them."""
        if self.data is None or not 1 <= row <= len(self.data.y):
            return
        values = dict(zip(self.data.features, self.data.X[row - 1]))
        self.set_values(values)
        self.true_price = float(self.data.y[row - 1])
        self.update_prediction()
        self.record()

    @Slot()
    def _changed(self) -> None:
        self.true_price = None if self.sender() in self.inputs.values() else self.true_price
        self._live.start()

    @Slot()
    def update_prediction(self) -> None:
        """The tree's price at once; the forest's and boosting's from the background."""
        if self.models is None:
            return
        try:
            pred = self.models.predict(self.values(), which=("tree",))
        except Exception as exc:  # noqa: BLE001 — an input the engine refuses is shown, not raised
            self.price.setText(self.tr("Cannot price this house: {0}").format(exc))
            return
        self._show(pred)
        self._request_others()

    def _show(self, pred: HousePrediction) -> None:
        self.last = pred
        text = self.tr("{price} thousand dollars (± {err}, decision tree)").format(
            price=f"{pred.price:.1f}", err=f"{pred.error_bar:.1f}")
        if self.true_price is not None:
            text += "  " + self.tr("true price: {0}").format(f"{self.true_price:.1f}")
        self.price.setText(text)
        self.explanation.setText(self.tr("Why: {0}").format(self.models.explain(pred)))
        self._flag_ranges(pred)
        self.predictionShown.emit()
        key = (pred.leaf_node, tuple(s.node_id for s in pred.path))
        if key != self._tree_path_key:
            self._tree_path_key = key
            self._refresh_visible_page()
        elif self.pages.currentIndex() == 2:
            self._draw_what_if()

    def _flag_ranges(self, pred: HousePrediction) -> None:
        for name, w in self.inputs.items():
            w.setStyleSheet("background: #fce8e6;" if name in pred.out_of_range else "")
        if pred.out_of_range:
            names = ", ".join(pred.out_of_range)
            self.range_warning.setText(self.tr("Outside the training data: {names}. The model has never seen a "
                                               "house like this; treat the price with care.").replace("{names}",
                                                                                                      names))
        else:
            self.range_warning.setText("")

    def _request_others(self) -> None:
        if self._others is not None:
            self._others_pending = True
            return
        job = start_job(self.runner, "house-others", others_job, self.models, self.values(), parent=self)
        self._others = job
        self._jobs.add(job)
        job.signals.finished.connect(self._others_done)
        job.signals.ended.connect(lambda: self._others_ended(job))

    def _others_done(self, pred: HousePrediction) -> None:
        if self.last is None or pred.inputs != self.last.inputs:
            return  # the form changed meanwhile; a newer request follows
        self.last = pred
        recommended = self.models.info.recommended if self.models else ""
        parts = []
        for name in ("forest", "boosting"):
            if name in pred.per_model:
                label = model_label(name)
                if name == recommended:
                    label += " " + self.tr("(recommended)")
                parts.append(f"{label}: <b>{pred.per_model[name]:.1f}</b>")
        self.others.setText(" · ".join(parts))

    def _others_ended(self, job: QtJob) -> None:
        self._jobs.discard(job)
        self._others = None
        if self._others_pending:
            self._others_pending = False
            self._request_others()

    @Slot()
    def predict_and_record(self) -> None:
        """The button: price with all three models now and add the house to the session."""
        if self.models is None:
            return
        self._live.stop()
        try:
            pred = self.models.predict(self.values())
        except Exception as exc:  # noqa: BLE001
            self.price.setText(self.tr("Cannot price this house: {0}").format(exc))
            return
        self._show(pred)
        self._others_done(pred)
        self.record()

    def record(self) -> None:
        if self.last is None or self.models is None:
            return
        pred = self.last
        if len(pred.per_model) < 3:
            pred = self.models.predict(pred.inputs)
        self.session.add_house(PricedHouse(pred, self.models.explain(pred), self.true_price))
        self.statusMessage.emit(self.tr("House added to the report ({n} so far).")
                                .replace("{n}", str(len(self.session.houses))))

    # -- pages -----------------------------------------------------------------------------------
    def _refresh_visible_page(self) -> None:
        if self.models is None:
            return
        index = self.pages.currentIndex()
        if index == 0:
            house_plots.draw_tree(self.tree_plot, self.models.tree, self.models.features, self.last)
        elif index == 1:
            house_plots.draw_importances(self.importance_plot, self.models.info)
        elif index == 2:
            self._draw_what_if()

    def _draw_what_if(self) -> None:
        if self.models is None:
            return
        feature = self.what_if_feature.currentData()
        if feature not in self.models.features:
            self.what_if_plot.clear()
            self.what_if_plot.redraw()
            return
        inputs = self.values()
        xs, ys = self.models.what_if(inputs, feature)
        house_plots.draw_what_if(self.what_if_plot, feature, xs, ys, inputs[feature], FEATURE_INFO[feature].unit)

    def _show_lab(self) -> None:
        info = self.models.info
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
                                        "leaf{b}.").replace("{n}", str(len(self.data.y)))
                                .replace("{depth}", str(self.params.max_depth))
                                .replace("{leaf}", str(self.params.min_samples_leaf))
                                .replace("{b}", self.tr(", without B") if self.params.drop_b else ""))
        house_plots.draw_scatter(self.scatter_plot, info)
        house_plots.draw_depth_curve(self.depth_plot, self._curve, self.params.max_depth)
        if self.pages.currentIndex() == 1:
            house_plots.draw_importances(self.importance_plot, info)

    def _show_data(self) -> None:
        info = self.models.info
        q = info.quality
        lines = [self.tr("<b>Data:</b> {label} — {n} houses, fingerprint {sha}").replace("{label}",
                                                                                           t(info.provenance.label))
                 .replace("{n}", str(info.provenance.n_samples)).replace("{sha}", info.provenance.sha256[:12])]
        if q is not None:
            missing = sum(q.missing.values())
            non_numeric = sum(q.non_numeric.values())
            lines.append(self.tr("Rows read: {rows}; missing cells: {missing}; non-numeric cells: {bad}; rows "
                                 "dropped: {dropped}.").replace("{rows}", str(q.rows))
                         .replace("{missing}", str(missing)).replace("{bad}", str(non_numeric))
                         .replace("{dropped}", str(q.dropped_rows)))
            lines += [f"• {a}" for a in q.actions]
        self.data_summary.setText("<br>".join(lines))

    # -- files ----------------------------------------------------------------------------------
    def _last_folder(self) -> str:
        return str(app_settings().value("houses/lastFolder", str(Path.home())))

    def _remember_folder(self, path: str) -> None:
        app_settings().setValue("houses/lastFolder", str(Path(path).parent))

    def _choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import houses"), self._last_folder(),
                                              self.tr("CSV files (*.csv *.txt);;All files (*)"))
        if path:
            self._remember_folder(path)
            self.import_csv(path)

    def import_csv(self, path: str, mapping: dict[str, str] | None = None) -> None:
        """Check the columns, ask for a mapping if the names differ, import, then train on it."""
        if mapping is None:
            job = start_job(self.runner, "csv-columns", columns_job, path, parent=self)
            self._jobs.add(job)
            job.signals.finished.connect(lambda columns: self._columns_read(path, columns))
            job.signals.failed.connect(self._file_error)
            job.signals.ended.connect(lambda: self._jobs.discard(job))
            return
        self._import(path, mapping)

    def _columns_read(self, path: str, columns: list[str]) -> None:
        upper = {c.strip().upper() for c in columns}
        needed = [f for f in FEATURES if f != "B"] + ["MEDV"]
        if all(f in upper for f in needed):
            self._import(path, None)
            return
        dialog = ColumnMappingDialog(Path(path).name, columns, need_target=True, parent=self)
        if dialog.exec():
            self._import(path, dialog.mapping())

    def _import(self, path: str, mapping: dict[str, str] | None) -> None:
        self.status.setText(self.tr("Reading {0}…").format(Path(path).name))
        job = start_job(self.runner, "csv-import", import_job, path, mapping, parent=self)
        self._jobs.add(job)
        job.signals.finished.connect(lambda data: self.retrain(data=data))
        job.signals.failed.connect(self._file_error)
        job.signals.ended.connect(lambda: self._jobs.discard(job))

    def _file_error(self, exc: BaseException) -> None:
        message = str(exc)
        self.status.setText(message + (" " + self.tr("The current model stays.") if self.models else ""))
        self.statusMessage.emit(message)
        self.last_error = message
        if not getattr(self, "quiet_errors", False):
            QMessageBox.warning(self, self.tr("The file was not used"), message)

    def _choose_batch(self) -> None:
        if self.models is None:
            return
        in_path, _ = QFileDialog.getOpenFileName(self, self.tr("Houses to price"), self._last_folder(),
                                                 self.tr("CSV files (*.csv *.txt);;All files (*)"))
        if not in_path:
            return
        suggestion = str(Path(in_path).with_name(Path(in_path).stem + "-priced.csv"))
        out_path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the prices as"), suggestion,
                                                  self.tr("CSV files (*.csv)"))
        if out_path:
            self._remember_folder(out_path)
            self.batch_predict(in_path, out_path)

    def batch_predict(self, in_path: str, out_path: str, mapping: dict[str, str] | None = None) -> None:
        job = start_job(self.runner, "csv-batch", batch_job, self.models, in_path, out_path, mapping, parent=self)
        self._jobs.add(job)
        job.signals.finished.connect(self._batch_done)
        job.signals.failed.connect(self._file_error)
        job.signals.ended.connect(lambda: self._jobs.discard(job))

    def _batch_done(self, result: tuple[int, str]) -> None:
        n, path = result
        message = self.tr("Priced {n} houses → {path}").replace("{n}", str(n)).replace("{path}", path)
        self.status.setText(message)
        self.statusMessage.emit(message)


def _fmt(value: float) -> str:
    return f"{value:.4g}"
