"""Digit workspace: draw, see the live prediction and its reasons, correct it, train models.

The tab is an adapter: drawing and display happen here; preprocessing, inference, training
and files happen in the engine, off the GUI thread (``LivePredictor`` and ``start_job``).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (QCheckBox, QFileDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMenu,
                               QPushButton, QSlider, QSplitter, QTabWidget, QToolButton, QVBoxLayout,
                               QWidget)

from engine.digits.models import DigitParams, arch_label, fine_tune, load_or_train_default, save_digit_model, \
    train_digit_model
from engine.core.errors import InputError
from engine.core.i18n import t
from engine.core.tasks import CancelToken, JobRunner, Progress
from engine.digits.mnist import load_training_data
from engine.core.results import DigitPrediction
from engine.core.session import DrawnDigit, Session
from engine.digits.user_samples import UserSamples
from gui.digits.canvas import DEFAULT_PEN, DigitCanvas
from gui.digits.images import NetworkView, digit_icon
from gui.digits.predictor import LivePredictor
from gui.digits.probability_bars import ProbabilityBars
from gui.digits.training_panel import TrainingPanel
from gui.common.tasks import QtJob, start_job

LIVE_INTERVAL_S = 0.04  # while the pen moves, at most one prediction request per 40 ms


# --- job functions (run in the job runner's threads) -------------------------------------
def train_and_save(params: DigitParams, source: str, path: str | None, allow_download: bool, *,
                   progress, token: CancelToken):
    """Training from the panel: data, fit, evaluate, cache — the model is kept even if caching fails."""
    data = load_training_data(source if source in ("offline", "file") else "auto", path, progress=progress,
                              token=token, allow_download=allow_download)
    if data.notice:
        progress(Progress(None, data.notice, "notice"))
    model = train_digit_model(data, params, progress=progress, token=token)
    _save_quietly(model, progress)
    return model


def fine_tune_on_samples(model, *, progress, token: CancelToken):
    samples = UserSamples().arrays()
    if len(samples[1]) == 0:
        raise InputError("Save a few corrected digits first: fine-tuning learns from them.")
    base = load_training_data("auto", progress=progress, token=token, allow_download=False)
    base = base.subset(min(len(base), 5000), seed=1)
    tuned, before, after = fine_tune(model, base, samples, progress=progress, token=token)
    _save_quietly(tuned, progress)
    return tuned, before, after, len(samples[1])


def _save_quietly(model, progress) -> None:
    try:
        save_digit_model(model)
    except Exception as exc:  # noqa: BLE001 — an unwritable cache must not cost the trained model
        from engine.core.i18n import t

        progress(Progress(None, t("The model works but could not be saved: {reason}", reason=exc), "notice"))


def list_samples(*, progress, token):
    return UserSamples().list()


def add_sample(image28: np.ndarray, label: int, *, progress, token):
    return UserSamples().add(image28, label)


def delete_samples(paths: list[str], *, progress, token):
    store = UserSamples()
    for p in paths:
        store.delete(p)


def read_image(path: str, *, progress, token) -> np.ndarray:
    from engine.digits.preprocess import load_image_file

    return load_image_file(path)


# --- the tab -----------------------------------------------------------------------------
class DigitTab(QWidget):
    modelReady = Signal()
    trainingStarted = Signal()  # the first batch of a training ran
    statusMessage = Signal(str)

    def __init__(self, session: Session, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.runner = session, runner
        # What the first run trains when nothing is cached; tests swap in a tiny model.
        self.default_params: DigitParams | None = None
        self.default_source = "auto"
        self.allow_download = True

        self.model: Any = None
        self._jobs: set[QtJob] = set()
        self._training: QtJob | None = None
        self._started = False
        self._request_id = 0
        self.shown_request_id = 0  # the newest drawing whose prediction is on screen (benchmarks wait on it)
        self._cleared_at = 0
        self._last_request = 0.0
        self._last: DigitPrediction | None = None
        self._entry: int | None = None  # session index of the digit on the canvas
        self._notice = ""
        self.failure: str | None = None  # why the last training failed (self-test, status)

        self.predictor = LivePredictor(self)
        self.predictor.predicted.connect(self._show_prediction)
        self.predictor.saliencyReady.connect(self._show_saliency)
        self.predictor.failed.connect(lambda _id, msg: self._warn(self.tr("Recognition failed: {0}").format(msg)))

        self._build()
        self.canvas.set_placeholder(self.tr("Loading the digit model…"))

    # -- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        self.canvas = DigitCanvas(self)
        self.canvas.setToolTip(self.tr("Draw one digit with the left mouse button. Right-click clears."))
        self.canvas.strokeMoved.connect(self._stroke_moved)
        self.canvas.strokeFinished.connect(self.request_prediction)
        self.canvas.cleared.connect(self._canvas_cleared)
        self.canvas.imageDropped.connect(self.open_image)

        self.clear_button = QPushButton(self.tr("Clear"), self)
        self.clear_button.setObjectName("clearCanvasButton")
        self.clear_button.setToolTip(self.tr("Clear the canvas (Del)"))
        self.clear_button.clicked.connect(self.canvas.clear)
        self.undo_button = QPushButton(self.tr("Undo"), self)
        self.undo_button.setObjectName("undoStrokeButton")
        self.undo_button.setToolTip(self.tr("Remove the last stroke (Ctrl+Z)"))
        self.undo_button.clicked.connect(self.canvas.undo)
        self.open_button = QPushButton(self.tr("Open image…"), self)
        self.open_button.setObjectName("openDigitImageButton")
        self.open_button.setToolTip(self.tr("Recognise a digit from an image file (you can also drop one here)"))
        self.open_button.clicked.connect(self._choose_image)
        self.pen = QSlider(Qt.Orientation.Horizontal, self)
        self.pen.setObjectName("penWidthSlider")
        self.pen.setRange(6, 40)
        self.pen.setValue(int(DEFAULT_PEN))
        self.pen.setToolTip(self.tr("Pen width"))
        self.pen.valueChanged.connect(lambda v: setattr(self.canvas, "pen_width", float(v)))
        self.pen.setMinimumWidth(70)
        self.pen.setMaximumWidth(140)

        tools = QHBoxLayout()
        tools.addWidget(self.clear_button)
        tools.addWidget(self.undo_button)
        tools.addWidget(self.open_button)
        tools.addStretch(1)
        tools.addWidget(QLabel(self.tr("Pen:"), self))
        tools.addWidget(self.pen)

        self.prediction = QLabel(self)
        self.prediction.setObjectName("digitPrediction")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.prediction.setFont(font)
        self.prediction.setMinimumHeight(self.prediction.fontMetrics().height() + 4)
        self.warning = QLabel(self)
        self.warning.setObjectName("digitWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b3261e;")
        self.correct_button = QToolButton(self)
        self.correct_button.setObjectName("correctDigitButton")
        self.correct_button.setText(self.tr("That's wrong…"))
        self.correct_button.setToolTip(self.tr("Tell the app the right digit; the drawing is saved to your "
                                               "handwriting set"))
        self.correct_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.correct_button)
        for d in range(10):
            action = menu.addAction(self.tr("It is a {0}").format(d))
            action.setObjectName(f"correctAs{d}")
            action.triggered.connect(lambda _=False, d=d: self.correct(d))
        self.correct_button.setMenu(menu)
        self.correct_button.setEnabled(False)
        answer = QHBoxLayout()
        answer.addWidget(self.prediction, 1)
        answer.addWidget(self.correct_button)

        self.model_status = QLabel(self)
        self.model_status.setObjectName("digitModelStatus")
        self.model_status.setWordWrap(True)
        self.model_status.setStyleSheet("color: #5f6368;")

        draw_area = QWidget(self)
        draw_area.setObjectName("drawArea")
        left = QVBoxLayout(draw_area)
        left.addWidget(self.canvas, 1)
        left.addLayout(tools)
        left.addLayout(answer)
        left.addWidget(self.warning)
        left.addWidget(self.model_status)
        for text, keys, slot in ((self.tr("Undo stroke"), QKeySequence.StandardKey.Undo, self.canvas.undo),
                                 (self.tr("Clear canvas"), QKeySequence(Qt.Key.Key_Delete), self.canvas.clear)):
            action = QAction(text, draw_area)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            draw_area.addAction(action)

        # prediction page: probabilities, and what the network saw
        self.probabilities = ProbabilityBars(self.tr("How sure the network is about each digit"), self.tr("Digit"),
                                             self.tr("Probability"), self)
        self.show_seen = QCheckBox(self.tr("Show what the network saw (28×28 input and saliency)"), self)
        self.show_seen.setObjectName("showNetworkInput")
        self.show_seen.setChecked(True)  # "what it looked at" is half the point: on unless switched off
        self.show_seen.toggled.connect(self._toggle_seen)
        self.seen = NetworkView(self.tr("Network input (28×28)"), self.tr("Where it looked"), self)
        prediction_page = QWidget(self)
        pl = QVBoxLayout(prediction_page)
        pl.addWidget(self.probabilities, 3)
        pl.addWidget(self.show_seen)
        pl.addWidget(self.seen, 3)

        self.panel = TrainingPanel(self)
        self.panel.startRequested.connect(self.start_training)
        self.panel.cancelRequested.connect(self.cancel_training)
        self.panel.misclassifiedChosen.connect(self.load_digit)

        self.pages = QTabWidget(self)
        self.pages.setObjectName("digitPages")
        self.pages.addTab(prediction_page, self.tr("Prediction"))
        self.pages.addTab(self.panel, self.tr("Training"))
        self.pages.addTab(self._build_samples_page(), self.tr("My handwriting"))

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setObjectName("digitSplitter")
        split.addWidget(draw_area)
        split.addWidget(self.pages)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        split.setSizes([10_000, 11_000])  # about half and half, whatever the window size
        self.split = split
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    def _build_samples_page(self) -> QWidget:
        page = QWidget(self)
        self.samples = QListWidget(page)
        self.samples.setObjectName("handwritingSamples")
        self.samples.setViewMode(QListWidget.ViewMode.IconMode)
        self.samples.setIconSize(self.panel.gallery.iconSize())
        self.samples.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.samples.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.samples.itemDoubleClicked.connect(
            lambda item: self.load_digit(item.data(Qt.ItemDataRole.UserRole + 1)))
        self.delete_samples_button = QPushButton(self.tr("Delete selected"), page)
        self.delete_samples_button.setObjectName("deleteSamplesButton")
        self.delete_samples_button.clicked.connect(self._delete_selected)
        self.fine_tune_button = QPushButton(self.tr("Fine-tune on my handwriting"), page)
        self.fine_tune_button.setObjectName("fineTuneButton")
        self.fine_tune_button.setToolTip(self.tr("Retrain the current model on MNIST plus your saved digits"))
        self.fine_tune_button.clicked.connect(self.start_fine_tune)
        self.fine_tune_result = QLabel(page)
        self.fine_tune_result.setObjectName("fineTuneResult")
        self.fine_tune_result.setWordWrap(True)
        explain = QLabel(self.tr("Digits you corrected with “That's wrong…” are kept here, in your own data "
                                 "folder. Double-click one to put it on the canvas."), page)
        explain.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.fine_tune_button)
        buttons.addWidget(self.delete_samples_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(explain)
        layout.addWidget(self.samples, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.fine_tune_result)
        return page

    # -- automation contract -------------------------------------------------------------
    def isModelReady(self) -> bool:  # noqa: N802
        return self.model is not None

    # -- start-up ------------------------------------------------------------------------
    def start_background_work(self) -> None:
        """Load the cached digit model or train the default one, off the GUI thread."""
        if self._started:
            return
        self._started = True
        self._run(list_samples, on_done=self._show_samples)
        job = start_job(self.runner, "digit-model", load_or_train_default, params=self.default_params,
                        source=self.default_source, allow_download=self.allow_download, parent=self)
        self._watch_training(job)

    def shutdown(self) -> None:
        self.predictor.stop()

    # -- drawing and live prediction -----------------------------------------------------
    @Slot()
    def _stroke_moved(self) -> None:
        now = time.monotonic()
        if now - self._last_request >= LIVE_INTERVAL_S:
            self.request_prediction()

    @Slot()
    def request_prediction(self) -> None:
        self._last_request = time.monotonic()
        if self.canvas.is_blank():
            self._canvas_cleared()
            return
        if self.model is None:
            self.prediction.setText("")
            self._warn(self.tr("The model is not ready yet; your digit will be recognised as soon as it is."))
            return
        self._request_id += 1
        self.predictor.request(self._request_id, self.canvas.render_array(), self.show_seen.isChecked())

    @Slot()
    def _canvas_cleared(self) -> None:
        self._cleared_at = self._request_id
        self._last = None
        self._entry = None
        self.prediction.setText("")
        self.correct_button.setEnabled(False)
        self._warn("")
        self._draw_probabilities(np.zeros(10))
        self.seen.show_images(None, None)

    @Slot(int, object)
    def _show_prediction(self, request_id: int, pred: DigitPrediction) -> None:
        if request_id <= self._cleared_at:
            return  # the canvas was cleared after this drawing was sent
        self._last = pred
        self.shown_request_id = request_id
        if pred.digit is None:
            self.prediction.setText("")
            self.correct_button.setEnabled(False)
            self._warn(self.tr("No digit found: the canvas is empty or holds only specks."))
            self._draw_probabilities(np.zeros(10))
            return
        self.prediction.setText(self.tr("{digit}  ({confidence} sure)").format(
            digit=pred.digit, confidence=f"{pred.confidence:.0%}"))
        self.correct_button.setEnabled(True)
        self._warn(self.tr("Low confidence: this may not be a clear digit. Try drawing it larger, centred, "
                           "in one go.") if pred.low_confidence else "")
        self._draw_probabilities(pred.probabilities, pred.digit)
        fields = dict(image28=pred.input28, digit=pred.digit, confidence=pred.confidence,
                      probabilities=[float(p) for p in pred.probabilities])
        if self._entry is None:
            self._entry = self.session.add_digit(DrawnDigit(**fields))
        else:
            self.session.update_digit(self._entry, **fields)
        if self.show_seen.isChecked():
            self._draw_seen(pred.input28, None)

    @Slot(int, object)
    def _show_saliency(self, request_id: int, saliency: np.ndarray) -> None:
        if request_id > self._cleared_at and self._last is not None and self._last.input28 is not None:
            self._draw_seen(self._last.input28, saliency)

    def _warn(self, text: str) -> None:
        self.warning.setText(text)

    def load_digit(self, image28: np.ndarray) -> None:
        """Put a 28×28 digit (a misclassified test digit, a saved sample) on the canvas."""
        self.canvas.clear()
        self.canvas.set_image(image28)
        self.canvas.setFocus()

    # -- plots ---------------------------------------------------------------------------
    def _draw_probabilities(self, probs: np.ndarray, winner: int | None = None) -> None:
        self.probabilities.set_probabilities(probs, winner)

    @Slot(bool)
    def _toggle_seen(self, on: bool) -> None:
        self.seen.setVisible(on)
        if on:
            self.request_prediction()

    def _draw_seen(self, image28: np.ndarray | None, saliency: np.ndarray | None) -> None:
        self.seen.show_images(image28, saliency)

    # -- corrections and the person's handwriting ----------------------------------------
    def correct(self, label: int) -> None:
        pred = self._last
        if pred is None or pred.input28 is None:
            return
        if self._entry is not None:
            self.session.correct_digit(self._entry, label)
        self._run(add_sample, pred.input28, label, on_done=lambda _path: self._sample_saved(label))

    def _sample_saved(self, label: int) -> None:
        self.statusMessage.emit(self.tr("Saved as a {0} in your handwriting set.").format(label))
        self._warn(self.tr("Thanks — saved as a {0}. Fine-tune on your handwriting to teach the model.")
                   .format(label))
        self._run(list_samples, on_done=self._show_samples)

    def _show_samples(self, samples: list) -> None:
        self.samples.clear()
        for s in samples:
            item = QListWidgetItem(digit_icon(s.image28), str(s.label))
            item.setData(Qt.ItemDataRole.UserRole, str(s.path))
            item.setData(Qt.ItemDataRole.UserRole + 1, s.image28)
            self.samples.addItem(item)
        self.fine_tune_button.setEnabled(bool(samples) and self.model is not None and self._training is None)
        self.delete_samples_button.setEnabled(bool(samples))

    def _delete_selected(self) -> None:
        paths = [item.data(Qt.ItemDataRole.UserRole) for item in self.samples.selectedItems()]
        if paths:
            self._run(delete_samples, paths, on_done=lambda _: self._run(list_samples, on_done=self._show_samples))

    def start_fine_tune(self) -> None:
        if self.model is None or self._training is not None:
            return
        self.fine_tune_result.setText(self.tr("Fine-tuning on MNIST plus your digits…"))
        job = start_job(self.runner, "digit-fine-tune", fine_tune_on_samples, self.model, parent=self)
        self._watch_training(job, on_result=self._fine_tuned)
        self.pages.setCurrentWidget(self.panel)

    def _fine_tuned(self, result) -> None:
        model, before, after, n = result
        self.fine_tune_result.setText(self.tr("Accuracy on your {n} digits: {before} before, {after} after "
                                              "fine-tuning.").format(n=n, before=f"{before:.0%}",
                                                                     after=f"{after:.0%}"))
        return model

    # -- images from files ---------------------------------------------------------------
    def _choose_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a digit image"), "",
                                              self.tr("Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp);;"
                                                      "All files (*)"))
        if path:
            self.open_image(path)

    @Slot(str)
    def open_image(self, path: str) -> None:
        self._run(read_image, path, on_done=self.canvas.set_image,
                  on_error=lambda exc: self._warn(self.tr("Could not open the image: {0}").format(exc)))

    # -- training ------------------------------------------------------------------------
    @Slot(object, str, object)
    def start_training(self, params: DigitParams, source: str, path: str | None) -> None:
        if self._training is not None:
            return
        job = start_job(self.runner, "digit-training", train_and_save, params, source, path, self.allow_download,
                        parent=self)
        self._watch_training(job)
        self.panel.set_running(True)

    @Slot()
    def cancel_training(self) -> None:
        if self._training is not None:
            self._training.cancel()
            self.panel.status.setText(self.tr("Cancelling…"))

    def _watch_training(self, job: QtJob, on_result=None) -> None:
        self._training = job
        self._jobs.add(job)
        self.fine_tune_button.setEnabled(False)
        job.signals.progress.connect(self._training_progress)
        job.signals.finished.connect(lambda result: self._training_finished(on_result(result) if on_result
                                                                            else result))
        job.signals.failed.connect(self._training_failed)
        job.signals.cancelled.connect(self._training_cancelled)
        job.signals.ended.connect(lambda: self._training_ended(job))

    @Slot(object)
    def _training_progress(self, p: Progress) -> None:
        if p.stage == "notice":
            self._notice = p.message
            self.panel.status.setText(p.message)
            self.statusMessage.emit(p.message)
            return
        if p.stage == "epoch":
            self.panel.epoch_done(p.data)
        if p.stage in ("batch", "epoch") and not self.panel.cancel.isEnabled():
            self.panel.set_running(True)  # the first-run default training, started without the panel
            self.trainingStarted.emit()
        if p.fraction is not None:
            self.panel.progress.setValue(int(round(p.fraction * 100)))
        text = p.message
        eta = (p.data or {}).get("eta_seconds")
        if eta is not None:
            text = self.tr("{progress} — about {eta} left").format(progress=p.message, eta=_duration(eta))
        self.panel.status.setText(text)
        if self.model is None:
            pct = f" {p.fraction:.0%}" if p.fraction is not None and p.stage == "batch" else ""
            self.canvas.set_placeholder(self.tr("No trained model yet: training the default model in the "
                                                "background{0}. Recognition starts when it is done.").format(pct)
                                        if p.stage in ("batch", "epoch") else p.message)
            self.model_status.setText(text)

    def _training_finished(self, model) -> None:
        self.model = model
        self.predictor.set_model(model)
        self.session.digit_model = model.info
        self.panel.show_model(model.info)
        self.panel.progress.setValue(100)
        info = model.info
        ev = info.evaluation
        acc = self.tr(", test accuracy {0}").format(f"{ev.accuracy:.1%}") if ev else ""
        origin = self.tr("loaded from cache") if info.from_cache else self.tr("trained in {0}").format(
            _duration(info.train_seconds))
        self.model_status.setText(self.tr("Model: {arch} on {data}{acc}; {origin}.").format(
            arch=arch_label(info.arch), data=t(info.train_provenance.label), acc=acc, origin=origin) + (f" {self._notice}" if self._notice else ""))
        self.panel.status.setText(self.tr("Ready."))
        self.canvas.set_placeholder(self.tr("Draw a digit here"))
        self.statusMessage.emit(self.tr("The digit model is ready."))
        self.modelReady.emit()
        self.request_prediction()

    def _training_failed(self, exc: BaseException) -> None:
        message = self.tr("Training failed: {0}").format(exc)
        self.failure = str(exc)
        self.panel.status.setText(message)
        self.statusMessage.emit(message)
        if self.model is None:
            self.canvas.set_placeholder(self.tr("No digit model: {0} Choose settings and press Train.").format(exc))
            self.model_status.setText(message)

    def _training_cancelled(self) -> None:
        message = (self.tr("Training cancelled; the previous model is still in use.") if self.model is not None
                   else self.tr("Training cancelled. There is no digit model yet: press Train to make one."))
        self.panel.status.setText(message)
        self.statusMessage.emit(message)
        if self.model is None:
            self.canvas.set_placeholder(message)

    def _training_ended(self, job: QtJob) -> None:
        self._jobs.discard(job)
        if self._training is job:
            self._training = None
        self.panel.set_running(False)
        self.fine_tune_button.setEnabled(self.samples.count() > 0 and self.model is not None)

    # -- small jobs ----------------------------------------------------------------------
    def _run(self, fn, *args, on_done=None, on_error=None) -> QtJob:
        job = start_job(self.runner, fn.__name__, fn, *args, parent=self)
        self._jobs.add(job)
        if on_done is not None:
            job.signals.finished.connect(on_done)
        job.signals.failed.connect(on_error or (lambda exc: self.statusMessage.emit(str(exc))))
        job.signals.ended.connect(lambda: self._jobs.discard(job))
        return job


def _duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return QCoreApplication.translate("DigitTab", "{0} s").format(seconds)
    return QCoreApplication.translate("DigitTab", "{0} min {1} s").format(seconds // 60, f"{seconds % 60:02d}")
