"""House workspace: a feature form that prices a house live, explains the price, and a model lab.

The decision tree answers on the GUI thread (~0.1 ms); the forest and boosting prices, all
training, CSV reading and writing run as tasks under the workspace's one ``TaskOwner``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QSplitter, QTabWidget,
                               QVBoxLayout, QWidget)

from engine.core.i18n import t
from engine.core.results import HousePrediction
from engine.core.session import PricedHouse, Session
from engine.houses import service
from engine.houses.boston import FEATURE_INFO, FEATURES, HouseData
from engine.houses.csv_io import batch_predict_csv, import_house_csv, read_csv_columns
from engine.houses.models import HouseModels, model_label
from engine.houses.service import HouseSettings
from gui.common.plots import PlotCanvas
from gui.common.settings import app_settings
from gui.common.tasks import TaskOwner
from gui.houses.plots import HousePlots
from gui.houses.data_page import DataPage
from gui.houses.dialogs import ColumnMappingDialog
from gui.houses.form import HouseForm
from gui.houses.lab_page import LabPage

TRAIN, CURVE, OTHERS, FILES = "training", "depth-curve", "other-models", "files"


class HouseTab(QWidget):
    statusMessage = Signal(str)
    modelsReady = Signal()
    predictionShown = Signal()  # after housePrediction's text changed (benchmarks wait on it)
    fileError = Signal(str)  # a CSV was refused: the message the person sees

    def __init__(self, session: Session, settings: HouseSettings | None = None, modal_errors: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings or HouseSettings()
        self.modal_errors = modal_errors
        self.tasks = TaskOwner(self)
        self.plots = HousePlots(self)
        self.models: HouseModels | None = None
        self.data: HouseData | None = None  # what the current models were trained on
        self.params = self.settings.params()
        self.last: HousePrediction | None = None
        self.true_price: float | None = None
        self._curve: list[dict[str, float]] = []
        self._started = False
        self._tree_path_key: tuple | None = None
        self._pages_stale = False  # models arrived while another workspace was in front
        self._restored_form: dict[str, float] = {}  # a project's form values: kept over the first models' medians

        self._live = QTimer(self)
        self._live.setSingleShot(True)
        self._live.setInterval(0)  # coalesce a burst of edits into one prediction
        self._live.timeout.connect(self.update_prediction)

        self.form = HouseForm(self)
        self.inputs = self.form.inputs
        self.form.changed.connect(self._changed)
        self.form.predictRequested.connect(self.predict_and_record)
        self.form.typicalRequested.connect(self.reset_to_typical)
        self.form.rowRequested.connect(self.load_row)
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self._build_result())
        rl.addWidget(self._build_pages(), 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.form)
        split.addWidget(right)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        split.setSizes([430, 800])
        QVBoxLayout(self).addWidget(split)
        self._set_enabled(False)

    # -- building ---------------------------------------------------------------------------
    def _build_result(self) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 0, 4, 0)
        self.price, self.others, self.explanation, self.status = (QLabel(box) for _ in range(4))
        for w, name in ((self.price, "housePrediction"), (self.others, "otherModelPrices"),
                        (self.explanation, "houseExplanation"), (self.status, "houseStatus")):
            w.setObjectName(name)
            w.setWordWrap(True)
            layout.addWidget(w)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.price.setFont(font)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setStyleSheet("color: #5f6368;")
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
        self.lab = LabPage(self.params, self)
        self.lab.retrainRequested.connect(self.retrain)
        self.drop_b = self.lab.drop_b
        self.pages.addTab(self.lab, self.tr("Model lab"))
        self.data_page = DataPage(self)
        self.data_page.importRequested.connect(self._choose_import)
        self.data_page.bostonRequested.connect(lambda: self.retrain(use_boston=True))
        self.data_page.batchRequested.connect(self._choose_batch)
        self.pages.addTab(self.data_page, self.tr("Data"))
        self.pages.currentChanged.connect(lambda _i: self._refresh_visible_page())
        return self.pages

    # -- start-up and training ---------------------------------------------------------------
    def start_background_work(self) -> None:
        if self._started:
            return
        self._started = True
        self.retrain()

    def shutdown(self, msecs: int = 3000) -> bool:
        return self.tasks.shutdown(msecs)

    def retrain(self, use_boston: bool = False, data: HouseData | None = None) -> None:
        """Train on ``data``, or the current data (Boston at first), with the lab's settings; a
        running training is cancelled and this one starts when it has stopped."""
        self.lab.timer.stop()
        self.params = self.settings.params(**self.lab.lab_settings())
        source = data if data is not None else (None if use_boston else self.data)
        self.status.setText(self.tr("Training the house models…"))
        self.tasks.start(TRAIN, service.train_task, source, self.params,
                         on_progress=lambda p: self.status.setText(p.message),
                         on_done=lambda result: self._trained(*result), on_error=self._train_failed)

    def _trained(self, data: HouseData, models: HouseModels) -> None:
        first = self.models is None or self.data is None or data.provenance != self.data.provenance
        self.models, self.data = models, data
        self.session.house_models = info = models.info
        self.form.show_model(info, len(data.y))
        if first and not self._restored_form:
            self.reset_to_typical()
        self._restored_form = {}
        self._set_enabled(True)
        self.lab.armed = True
        self.lab.show_models(info, len(data.y), self.params, self._curve)
        self.data_page.show_data(info)
        self._tree_path_key = None
        self.status.setText(self.tr("Trained on {data}: {n} houses. Recommended model: {model}.").format(
            data=t(info.provenance.label), n=len(data.y), model=model_label(info.recommended)))
        self.update_prediction()
        self.tasks.start(CURVE, service.depth_curve, data, self.params, on_done=self._curve_done)
        self.statusMessage.emit(self.tr("The house models are ready."))
        self.modelsReady.emit()

    def _train_failed(self, exc: BaseException) -> None:
        message = self.tr("Training failed: {reason}").format(reason=exc)
        self.status.setText(message + (" " + self.tr("The previous models are still in use.") if self.models else ""))
        self.statusMessage.emit(message)

    def _curve_done(self, curve: list[dict[str, float]]) -> None:
        self._curve = curve
        self.lab.show_curve(curve, self.params.max_depth)

    def _set_enabled(self, on: bool) -> None:
        self.form.set_enabled(on)
        self.data_page.batch_button.setEnabled(on)

    def restore_project_part(self, objects: dict) -> None:
        """A project was opened: its lab settings back (the models retrained with them) and its form values."""
        if objects.get("house_settings") or objects.get("house_form"):
            self.lab.set_lab_settings(objects.get("house_settings") or {})
            self._restored_form = {k: v for k, v in (objects.get("house_form") or {}).items() if k in FEATURES}
            self.form.set_values(self._restored_form)
            self._started = True  # this training is the workspace's first when it had not started yet
            self.retrain()

    # -- the form ------------------------------------------------------------------------------
    def values(self) -> dict[str, float]:
        return self.form.values(self.models.features if self.models is not None else None)

    def set_values(self, values: dict[str, float]) -> None:
        self.form.set_values(values)
        self._live.start()

    def reset_to_typical(self) -> None:
        if self.data is not None:
            self.true_price = None
            self.set_values(self.data.medians())

    def load_row(self, row: int) -> None:
        """Row numbers start at 1, as a person counts them."""
        if self.data is None or not 1 <= row <= len(self.data.y):
            return
        self.set_values(dict(zip(self.data.features, self.data.X[row - 1])))
        self.true_price = float(self.data.y[row - 1])
        self.update_prediction()
        self.record()

    @Slot()
    def _changed(self) -> None:
        self.true_price = None
        self._live.start()

    @Slot()
    def update_prediction(self) -> None:
        """The tree's price at once; the forest's and boosting's from the background."""
        if self.models is None:
            return
        try:
            pred = self.models.predict(self.values(), which=("tree",))
        except Exception as exc:  # noqa: BLE001 — an input the engine refuses is shown, not raised
            self.price.setText(self.tr("Cannot price this house: {reason}").format(reason=exc))
            return
        self._show(pred)
        self.tasks.start(OTHERS, self.models.predict, self.values(), on_done=self._others_done)

    def _show(self, pred: HousePrediction) -> None:
        self.last = pred
        text = self.tr("{price} thousand dollars (± {err}, decision tree)").format(
            price=f"{pred.price:.1f}", err=f"{pred.error_bar:.1f}")
        if self.true_price is not None:
            text += "  " + self.tr("true price: {price}").format(price=f"{self.true_price:.1f}")
        self.price.setText(text)
        self.explanation.setText(self.tr("Why: {explanation}").format(explanation=self.models.explain(pred)))
        self.form.flag_ranges(pred.out_of_range)
        self.predictionShown.emit()
        key = (pred.leaf_node, tuple(s.node_id for s in pred.path))
        if key != self._tree_path_key:
            self._tree_path_key = key
            self._refresh_visible_page()
        elif self.pages.currentIndex() == 2:
            self._draw_what_if()

    def _others_done(self, pred: HousePrediction) -> None:
        if self.last is None or pred.inputs != self.last.inputs:
            return  # the form changed meanwhile; a newer request follows
        self.last = pred
        recommended = self.models.info.recommended if self.models else ""
        parts = []
        for name in ("forest", "boosting"):
            if name in pred.per_model:
                label = model_label(name) + (" " + self.tr("(recommended)") if name == recommended else "")
                parts.append(f"{label}: <b>{pred.per_model[name]:.1f}</b>")
        self.others.setText(" · ".join(parts))

    @Slot()
    def predict_and_record(self) -> None:
        """The button: price with all three models now and add the house to the session."""
        if self.models is None:
            return
        self._live.stop()
        try:
            pred = self.models.predict(self.values())
        except Exception as exc:  # noqa: BLE001
            self.price.setText(self.tr("Cannot price this house: {reason}").format(reason=exc))
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
        self.statusMessage.emit(self.tr("House added to the report ({n} so far).").format(n=len(self.session.houses)))

    # -- pages -----------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._pages_stale:
            self._refresh_visible_page()

    def _refresh_visible_page(self) -> None:
        if self.models is None:
            return
        if not self.isVisible():  # another workspace is in front: drawing the tree there took 200 ms
            self._pages_stale = True
            return
        self._pages_stale = False
        index = self.pages.currentIndex()
        if index == 0:
            self.plots.draw_tree(self.tree_plot, self.models.tree, self.models.features, self.last)
        elif index == 1:
            self.plots.draw_importances(self.importance_plot, self.models.info)
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
        self.plots.draw_what_if(self.what_if_plot, feature, xs, ys, inputs[feature], FEATURE_INFO[feature].unit)

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
            self.tasks.start(FILES, read_csv_columns, path, on_done=lambda columns: self._columns_read(path, columns),
                             on_error=self._file_error)
            return
        self._import(path, mapping)

    def _columns_read(self, path: str, columns: list[str]) -> None:
        upper = {c.strip().upper() for c in columns}
        if all(f in upper for f in [f for f in FEATURES if f != "B"] + ["MEDV"]):
            self._import(path, None)
            return
        dialog = ColumnMappingDialog(Path(path).name, columns, need_target=True, parent=self)
        if dialog.exec():
            self._import(path, dialog.mapping())

    def _import(self, path: str, mapping: dict[str, str] | None) -> None:
        self.status.setText(self.tr("Reading {name}…").format(name=Path(path).name))
        self.tasks.start(FILES, import_house_csv, path, mapping=mapping, on_done=lambda data: self.retrain(data=data),
                         on_error=self._file_error)

    def _file_error(self, exc: BaseException) -> None:
        message = str(exc)
        self.status.setText(message + (" " + self.tr("The current model stays.") if self.models else ""))
        self.statusMessage.emit(message)
        self.fileError.emit(message)
        if self.modal_errors:
            QMessageBox.warning(self, self.tr("The file was not used"), message)

    def _choose_batch(self) -> None:
        if self.models is None:
            return
        in_path, _ = QFileDialog.getOpenFileName(self, self.tr("Houses to price"), self._last_folder(),
                                                 self.tr("CSV files (*.csv *.txt);;All files (*)"))
        if not in_path:
            return
        suggestion = str(Path(in_path).with_name(Path(in_path).stem + "-priced.csv"))
        # Qt's save dialog asks before replacing an existing file: the answer is the person's consent.
        out_path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the prices as"), suggestion,
                                                  self.tr("CSV files (*.csv)"))
        if out_path:
            self._remember_folder(out_path)
            self.batch_predict(in_path, out_path, replace=True)

    def batch_predict(self, in_path: str, out_path: str, mapping: dict[str, str] | None = None,
                      replace: bool = False) -> None:
        self.tasks.start(FILES, batch_predict_csv, self.models, in_path, out_path, mapping=mapping, force=replace,
                         on_done=lambda n: self._batch_done(n, out_path), on_error=self._file_error)

    def _batch_done(self, n: int, path: str) -> None:
        message = self.tr("Priced {n} houses → {path}").format(n=n, path=path)
        self.status.setText(message)
        self.statusMessage.emit(message)

