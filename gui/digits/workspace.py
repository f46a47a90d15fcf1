"""Digit workspace: draw, see the live prediction and its reasons, correct it, train models.

The tab wires views to the engine's digit service; every task (recognition, training, files)
runs under the workspace's one ``TaskOwner``, off the GUI thread.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QSplitter, QTabWidget, QVBoxLayout, QWidget
from superqt.utils import qthrottled

from engine.core.session import DrawnDigit, Session
from engine.core.tasks import Progress
from engine.digits import app_tasks, service
from engine.digits.live import recognise_task
from engine.digits.models import DigitParams
from engine.digits.service import DigitSettings
from gui.common.durations import duration_text
from gui.common.tasks import TaskOwner
from gui.digits.draw_area import DrawArea
from gui.digits.prediction_page import PredictionPage
from gui.digits.samples_page import SamplesPage
from gui.digits.training_panel import TrainingPanel

LIVE_INTERVAL_MS = 40  # while the pen moves, at most one prediction request per 40 ms
TRAIN, PREDICT, SALIENCY, WARM = "training", "prediction", "saliency", "warm-up"
SAMPLES_LIST, IMAGE_OPEN, ONLINE_LOAD, ONLINE_TUNE = "samples-list", "image-open", "pen-model", "pen-fine-tune"


class DigitTab(QWidget):
    modelReady = Signal()
    trainingStarted = Signal()  # the first batch of a training ran
    statusMessage = Signal(str)
    predictionShown = Signal(int)  # request id of the drawing whose prediction is on screen
    saliencyShown = Signal(int)  # request id of the drawing whose saliency map is on screen
    penModelTuned = Signal()  # the pen-path network was fine-tuned on the person's strokes
    penModelLoaded = Signal(bool)  # True: the pen-path network answers beside the CNN

    def __init__(self, session: Session, settings: DigitSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings or DigitSettings()
        self.tasks = TaskOwner(self)
        self.model: Any = None
        self.online: Any = None  # the pen-path network (LiteRT), or None: the CNN answers alone
        self._strokes = None  # the strokes of the drawing whose prediction is shown
        self._picture_tuned = ""
        self.failure: str | None = None  # why the last training failed (self-test, status)
        self._started = False
        self._request_id = 0
        self._cleared_at = 0
        self._writes = 0  # every write is its own kind: a later one never drops an earlier one's answer
        self._last = None
        self._last_request_id = 0
        self._entry: int | None = None  # session index of the digit on the canvas
        self._notice = ""
        self._build()
        self.canvas.set_placeholder(self.tr("Loading the digit model…"))

    # -- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        self.draw = DrawArea(self)
        self.canvas, self.prediction = self.draw.canvas, self.draw.prediction
        self.correct_button = self.draw.correct_button
        self.model_status = self.draw.model_status
        self._stroke_moved = qthrottled(self.request_prediction, LIVE_INTERVAL_MS, leading=True)
        self.canvas.strokeMoved.connect(self._stroke_moved)
        self.canvas.strokeFinished.connect(self._stroke_finished)
        self.canvas.cleared.connect(self._canvas_cleared)
        self.canvas.imageDropped.connect(self.open_image)
        self.draw.openImageRequested.connect(self._choose_image)
        self.draw.correctionChosen.connect(self.correct)
        self.draw.useShippedRequested.connect(self.use_shipped_model)

        self.prediction_page = prediction_page = PredictionPage(self)
        self.probabilities, self.show_seen, self.seen = (prediction_page.probabilities, prediction_page.show_seen,
                                                         prediction_page.seen)
        self.path_view, self.answered_by = prediction_page.path_view, prediction_page.answered_by
        self.show_seen.toggled.connect(self._toggle_seen)

        self.panel = TrainingPanel(self)
        self.panel.startRequested.connect(self.start_training)
        self.panel.cancelRequested.connect(self.cancel_training)
        self.panel.misclassifiedChosen.connect(self.load_digit)
        self.samples_page = SamplesPage(self.panel.gallery.iconSize(), self)
        self.samples_page.deleteRequested.connect(
            lambda paths: self.tasks.start(self._write_kind(), app_tasks.delete_samples, paths,
                                           on_done=self._show_samples, on_error=self._status_error))
        self.samples_page.fineTuneRequested.connect(self.start_fine_tune)
        self.samples_page.sampleChosen.connect(self.load_digit)
        self.fine_tune_button = self.samples_page.fine_tune_button

        self.pages = QTabWidget(self)
        self.pages.setObjectName("digitPages")
        self.pages.addTab(prediction_page, self.tr("Prediction"))
        self.pages.addTab(self.panel, self.tr("Training"))
        self.pages.addTab(self.samples_page, self.tr("My handwriting"))

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setObjectName("digitSplitter")
        split.addWidget(self.draw)
        split.addWidget(self.pages)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        split.setSizes([10_000, 11_000])  # about half and half, whatever the window size
        self.split = split
        QVBoxLayout(self).addWidget(split)

    # -- automation contract -------------------------------------------------------------
    def isModelReady(self) -> bool:  # noqa: N802
        return self.model is not None

    # -- start-up ------------------------------------------------------------------------
    def start_background_work(self) -> None:
        """The shipped (or the person's chosen) model, loaded off the GUI thread."""
        if self._started:
            return
        self._started = True
        self.tasks.start(SAMPLES_LIST, app_tasks.list_samples, on_done=self._show_samples, on_error=self._status_error)
        self._load_pen_model()
        self._run_training(app_tasks.startup_task, self.settings)

    def _load_pen_model(self) -> None:
        self.tasks.start(ONLINE_LOAD, app_tasks.load_online, self.settings.shipped_root, on_done=self._pen_model_loaded,
                         on_error=self._status_error)

    def _pen_model_loaded(self, loaded) -> None:
        self.online, notices = loaded
        for message in notices:
            self.statusMessage.emit(message)
        self.penModelLoaded.emit(self.online is not None)
        self.request_prediction()

    def shutdown(self, msecs: int = 3000) -> bool:
        return self.tasks.shutdown(msecs)

    def _write_kind(self) -> str:
        self._writes += 1
        return f"write-{self._writes}"

    # -- drawing and live prediction -----------------------------------------------------
    @Slot()
    def _stroke_finished(self) -> None:
        self._stroke_moved.cancel()  # no late request for a move: the finished stroke is read now
        self.request_prediction()

    @Slot()
    def request_prediction(self) -> None:
        if self.canvas.is_blank():
            self._canvas_cleared()
            return
        if self.model is None:
            self.prediction.setText("")
            self.draw.warn(self.tr("The model is not ready yet; your digit will be recognised as soon as it is."))
            return
        self._request_id += 1
        request_id = self._request_id
        strokes = self._canvas_strokes()
        self.tasks.start(PREDICT, recognise_task, self.model, self.canvas.render_array(), strokes, self.online,
                         self.show_seen.isChecked(),
                         on_progress=lambda p: self._recognised(request_id, strokes, p),
                         on_error=lambda exc: self.draw.warn(
                             self.tr("Recognition failed: {reason}").format(reason=exc)))

    def _canvas_strokes(self) -> list | None:
        """The pen's path in drawing order (unit coordinates, y down); None for a loaded image."""
        if self.canvas.background is not None or not self.canvas.strokes:
            return None
        return [np.array([(p.x(), p.y()) for p in points], np.float32) for _, points in self.canvas.strokes]

    def _recognised(self, request_id: int, strokes, p: Progress) -> None:
        if request_id <= self._cleared_at:
            return  # the canvas was cleared after this drawing was sent
        if p.stage == "path":
            self.path_view.show_path(p.data["path"])
            return
        if p.stage == "prediction":
            self._strokes = strokes
            self._show_prediction(request_id, p.data["prediction"])
            self._show_answered_by(p.data.get("reading"), p.data["prediction"])
            if p.data.get("reading") is None or p.data["reading"].online_probabilities is None:
                self.path_view.show_path(None)
            pred = p.data["prediction"]
            if self.show_seen.isChecked() and pred.input28 is not None:
                self._request_saliency(request_id, pred)

    def _request_saliency(self, request_id: int, pred) -> None:
        """The map comes from the TensorFlow worker, after the prediction is already on screen."""
        self._last_request_id = request_id
        model = self.model
        self.tasks.start(SALIENCY, app_tasks.saliency_task, model.keras_path, pred.input28,
                         on_done=lambda saliency: self._saliency_arrived(request_id, model, pred, saliency),
                         on_error=lambda exc: self.statusMessage.emit(
                             self.tr("The saliency map could not be computed: {reason}").format(reason=exc)))

    def _saliency_arrived(self, request_id: int, model, pred, saliency) -> None:
        if request_id <= self._cleared_at or model is not self.model or self._last is not pred:
            return  # the drawing or the model changed meanwhile
        self.seen.show_images(pred.input28, saliency)
        self.saliencyShown.emit(request_id)

    @Slot()
    def _canvas_cleared(self) -> None:
        self._cleared_at = self._request_id
        self._strokes = None
        self.answered_by.setText("")
        self.path_view.show_path(None)
        self._last = None
        self._entry = None
        self.prediction.setText("")
        self.correct_button.setEnabled(False)
        self.draw.warn("")
        self.probabilities.set_probabilities(np.zeros(10), None)
        self.seen.show_images(None, None)

    def _show_prediction(self, request_id: int, pred) -> None:
        self._last = pred
        if pred.digit is None:
            self.prediction.setText("")
            self.correct_button.setEnabled(False)
            self.draw.warn(self.tr("No digit found: the canvas is empty or holds only specks."))
            self.probabilities.set_probabilities(np.zeros(10), None)
            self.predictionShown.emit(request_id)
            return
        self.prediction.setText(self.tr("{digit}  ({confidence} sure)").format(
            digit=pred.digit, confidence=f"{pred.confidence:.0%}"))
        self.correct_button.setEnabled(True)
        self.draw.warn(self.tr("Low confidence: this may not be a clear digit. Try drawing it larger, centred, "
                               "in one go.") if pred.low_confidence else "")
        self.probabilities.set_probabilities(pred.probabilities, pred.digit)
        fields = dict(image28=pred.input28, digit=pred.digit, confidence=pred.confidence,
                      probabilities=[float(p) for p in pred.probabilities])
        if self._entry is None:
            self._entry = self.session.add_digit(DrawnDigit(**fields))
        else:
            self.session.update_digit(self._entry, **fields)
        if self.show_seen.isChecked():
            self.seen.show_images(pred.input28, None)
        self.predictionShown.emit(request_id)

    def _show_answered_by(self, reading, pred) -> None:
        why = (self.tr("a loaded image has no pen path") if self._strokes is None and not self.canvas.is_blank()
               and self.canvas.background is not None else self.tr("no pen-path network is loaded")
               if self.online is None else self.tr("this drawing has no pen path"))
        self.prediction_page.show_answered_by(reading, pred, why)

    def load_digit(self, image28: np.ndarray) -> None:
        """Put a 28×28 digit (a misclassified test digit, a saved sample) on the canvas."""
        self.canvas.clear()
        self.canvas.set_image(image28)
        self.canvas.setFocus()

    @Slot(bool)
    def _toggle_seen(self, on: bool) -> None:
        self.seen.setVisible(on)
        if on:
            self.request_prediction()

    # -- corrections and the person's handwriting ----------------------------------------
    def correct(self, label: int) -> None:
        pred = self._last
        if pred is None or pred.input28 is None:
            return
        if self._entry is not None:
            self.session.correct_digit(self._entry, label)
        self.tasks.start(self._write_kind(), app_tasks.add_sample, pred.input28, label, self._strokes,
                         on_done=lambda _path: self._sample_saved(label),
                         on_error=self._status_error)

    def _sample_saved(self, label: int) -> None:
        self.statusMessage.emit(self.tr("Saved as a {digit} in your handwriting set.").format(digit=label))
        self.draw.warn(self.tr("Thanks — saved as a {digit}. Fine-tune on your handwriting to teach the model.")
                       .format(digit=label))
        self.tasks.start(SAMPLES_LIST, app_tasks.list_samples, on_done=self._show_samples, on_error=self._status_error)

    def _show_samples(self, samples: list) -> None:
        self.samples_page.show_samples(samples, self.model is not None and not self.tasks.is_running(TRAIN))

    def start_fine_tune(self) -> None:
        if self.model is None or self.tasks.is_running(TRAIN):
            return
        self.samples_page.result.setText(self.tr("Fine-tuning on MNIST plus your digits…"))
        self._run_training(app_tasks.fine_tune_task, self.model.files, self.settings, on_result=self._fine_tuned)
        self.pages.setCurrentWidget(self.panel)

    def _fine_tuned(self, result) -> Any:
        model, before, after, n = result
        self.samples_page.result.setText(self.tr("Accuracy on your {n} digits: {before} before, {after} after "
                                                 "fine-tuning.").format(n=n, before=f"{before:.0%}",
                                                                        after=f"{after:.0%}"))
        self._picture_tuned = self.samples_page.result.text()
        # the pen-path network learns from the corrections kept with their strokes (older ones: CNN only)
        self.tasks.start(ONLINE_TUNE, app_tasks.fine_tune_pen_task, on_done=self._pen_tuned,
                         on_error=lambda exc: self.samples_page.result.setText(
                             self._picture_tuned + " " + self.tr("The pen-path network was not fine-tuned: {reason}")
                             .format(reason=exc)))
        return model

    def _pen_tuned(self, result) -> None:
        self.samples_page.result.setText(self._picture_tuned + " " + self.tr(
            "Pen-path network on your {n} drawings with strokes: {before} before, {after} after.").format(
            n=result.n_samples, before=f"{result.accuracy_before:.0%}", after=f"{result.accuracy_after:.0%}"))
        self._load_pen_model()
        self.penModelTuned.emit()

    # -- images from files ---------------------------------------------------------------
    def _choose_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a digit image"), "",
                                              self.tr("Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp);;"
                                                      "All files (*)"))
        if path:
            self.open_image(path)

    @Slot(str)
    def open_image(self, path: str) -> None:
        self.tasks.start(IMAGE_OPEN, app_tasks.read_image, path, on_done=self.canvas.set_image,
                         on_error=lambda exc: self.draw.warn(self.tr("Could not open the image: {reason}")
                                                             .format(reason=exc)))

    def _status_error(self, exc: BaseException) -> None:
        self.statusMessage.emit(str(exc))

    # -- training ------------------------------------------------------------------------
    @Slot(object, str, object, object)
    def start_training(self, params: DigitParams, source: str, path: str | None, samples: int | None = None) -> None:
        """A new training replaces a running one (which stops first: never two at once)."""
        settings = replace(self.settings, source=source if source in ("offline", "file") else self.settings.source)
        self._run_training(app_tasks.train_task, params, settings, path, samples)

    @Slot()
    def cancel_training(self) -> None:
        if self.tasks.is_running(TRAIN):
            self.tasks.cancel(TRAIN)
            self.panel.status.setText(self.tr("Cancelling…"))

    def use_shipped_model(self) -> None:
        self._run_training(app_tasks.use_shipped_task, self.settings)

    def _run_training(self, task_fn, *args, on_result=None) -> None:
        self.panel.set_running(True)
        self.fine_tune_button.setEnabled(False)
        self.tasks.start(TRAIN, task_fn, *args, on_progress=self._training_progress,
                         on_done=lambda result: self._training_finished(on_result(result) if on_result else result),
                         on_error=self._training_failed, on_cancelled=self._training_cancelled,
                         on_ended=self._training_ended)

    def _training_progress(self, p: Progress) -> None:
        if p.stage == "notice":
            self._notice = p.message
            self.panel.status.setText(p.message)
            self.statusMessage.emit(p.message)
            return
        if p.stage == "data":
            self.panel.data_line.setText(p.message)
            return
        if p.stage == "batch" and p.data.get("epoch") == 1 and p.data.get("batch", 0) <= 1:
            self.trainingStarted.emit()
        text = self.panel.show_progress(p)
        if self.model is None:
            pct = f" {p.fraction:.0%}" if p.fraction is not None and p.stage == "batch" else ""
            self.canvas.set_placeholder(self.tr("No trained model yet: training a model in the background{pct}. "
                                                "Recognition starts when it is done.").format(pct=pct)
                                        if p.stage in ("batch", "epoch") else p.message)
            self.model_status.setText(text)

    def use_model(self, model) -> None:
        """Put another ready model on the canvas (e.g. a network trained in the Lab): a
        ``LiteDigitModel``; "Use the shipped model" goes back."""
        self._training_finished(model)

    def refresh_samples(self) -> None:
        """Read the handwriting set again (a project added samples to it), off the GUI thread."""
        self.tasks.start(SAMPLES_LIST, app_tasks.list_samples, on_done=self._show_samples, on_error=self._status_error)

    def _training_finished(self, model) -> None:
        self.model = model
        info = model.info
        self.session.digit_model = info
        self.panel.show_model(info)
        self.panel.progress.setValue(100)
        origin = (self.tr("shipped with the app") if info.card is not None else
                  self.tr("loaded from your saved models") if info.from_cache else
                  self.tr("trained in {duration}").format(duration=duration_text(info.train_seconds)))
        self.model_status.setText(self.tr("Model: {line}; {origin}.").format(line=service.describe(info), origin=origin)
                                  + (f" {self._notice}" if self._notice else ""))
        self.draw.use_shipped.setVisible(info.card is None)
        self.panel.status.setText(self.tr("Ready."))
        self.canvas.set_placeholder(self.tr("Draw a digit here"))
        self.statusMessage.emit(self.tr("The digit model is ready."))
        self.modelReady.emit()
        # the worker loads this model (and TensorFlow) now, so the first saliency map follows at once
        self.tasks.start(WARM, app_tasks.warm_task, model.keras_path, on_error=self._status_error)
        self.request_prediction()

    def _training_failed(self, exc: BaseException) -> None:
        message = self.tr("Training failed: {reason}").format(reason=exc)
        self.failure = str(exc)
        self.panel.status.setText(message)
        self.statusMessage.emit(message)
        if self.model is None:
            self.canvas.set_placeholder(self.tr("No digit model: {reason} Choose settings and press Train.")
                                        .format(reason=exc))
            self.model_status.setText(message)

    def _training_cancelled(self) -> None:
        message = (self.tr("Training cancelled; the previous model is still in use.") if self.model is not None
                   else self.tr("Training cancelled. There is no digit model yet: press Train to make one."))
        self.panel.status.setText(message)
        self.statusMessage.emit(message)
        if self.model is None:
            self.canvas.set_placeholder(message)

    def _training_ended(self) -> None:
        if not self.tasks.is_running(TRAIN):
            self.panel.set_running(False)
            self.fine_tune_button.setEnabled(self.samples_page.samples.count() > 0 and self.model is not None)
