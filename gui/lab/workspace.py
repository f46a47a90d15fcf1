"""Lab workspace: build a network step by step, watch inside it while it trains, reproduce the
article's problems in guided experiments, open a teacher's lesson, try the network on the canvas.

Every training runs in the app's TensorFlow worker (``in_worker``); this window never imports
TensorFlow. One kind of task, ``RUN``, serves the person's runs and the experiments: the worker
trains one lab network at a time, and starting one cancels the other first.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFileDialog, QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QScrollArea,
                               QSplitter, QTabWidget, QVBoxLayout, QWidget)

from engine.core.errors import DeepMineError
from engine.core.i18n import get_language
from engine.core.session import Session
from engine.core.tasks import Progress
from engine.lab.canvas_export import canvas_files_job, lab_run_task
from engine.lab.experiments import run_experiment_task
from engine.lab.lessons import Lesson, lessons_dir, read_lesson
from engine.lab.readings import experiment_title
from engine.lab.report_section import record_experiment, record_lab_run
from engine.lab.spec import WEIGHTED, NetworkSpec
from engine.worker import in_worker
from gui.common.durations import duration_text
from gui.common.tasks import TaskOwner
from gui.lab.experiments_page import ExperimentsPage
from gui.lab.inside import HeldOutView, InsideView
from gui.lab.steps import LabSteps

RUN, EXPORT, LOAD, LESSON = "lab", "lab-export", "lab-load-model", "lab-lesson"


def _load_lite_model(files: Any) -> Any:
    """Off the GUI thread: the LiteRT interpreter's first set-up takes ~20 ms."""
    from engine.digits.lite import LiteDigitModel

    return LiteDigitModel(files)


class LabTab(QWidget):
    statusMessage = Signal(str)
    runEnded = Signal(str)  # "done", "diverged", "cancelled" or "failed"
    experimentEnded = Signal(str)  # "done", "cancelled" or "failed"
    canvasModelReady = Signal(object)  # a LiteDigitModel of the last lab network, for the Digits canvas
    lessonOpened = Signal(str)  # the lesson's id

    def __init__(self, session: Session, parent: QWidget | None = None, *, source: str = "auto",
                 experiment_size: str = "full") -> None:
        """``source``: the digits (``auto``: the full MNIST when the app has it); ``experiment_size``:
        ``full`` or ``tiny`` (tests)."""
        super().__init__(parent)
        self.session = session
        self.source = source
        self.experiment_size = experiment_size
        self.tasks = TaskOwner(self)
        self.last_run: dict[str, Any] | None = None
        self.lesson: Lesson | None = None
        self._running = ""  # "run" or "experiment"
        self._started = 0.0
        self._build()
        self._validate()

    # -- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        self.banner = QFrame(self)
        self.banner.setObjectName("labLessonBanner")
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.banner.setStyleSheet("#labLessonBanner { background: #e8f0fe; }")
        self.lesson_text = QLabel(self.banner)
        self.lesson_text.setObjectName("labLessonText")
        self.lesson_text.setWordWrap(True)
        self.leave_button = QPushButton(self.tr("Leave the lesson"), self.banner)
        self.leave_button.setObjectName("labLeaveLessonButton")
        self.leave_button.clicked.connect(self.leave_lesson)
        banner_row = QHBoxLayout(self.banner)
        banner_row.addWidget(self.lesson_text, 1)
        banner_row.addWidget(self.leave_button, 0, Qt.AlignmentFlag.AlignTop)
        self.banner.hide()

        self.steps = LabSteps(self)
        self.steps.changed.connect(self._validate)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.steps)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # the steps never scroll sideways: the pane is at least as wide as they need
        scroll.setMinimumWidth(self.steps.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width()
                               + 2 * scroll.frameWidth())
        self.run_button = QPushButton(self.tr("Run"), self)
        self.run_button.setObjectName("labRunButton")
        self.run_button.setToolTip(self.tr("Train this network on the digits (in the background)"))
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("labCancelButton")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("labProgress")
        self.progress.setRange(0, 100)
        self.status = QLabel(self)
        self.status.setObjectName("labStatus")
        self.status.setWordWrap(True)
        run_row = QHBoxLayout()
        run_row.addWidget(self.run_button)
        run_row.addWidget(self.cancel_button)
        run_row.addWidget(self.progress, 1)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(scroll, 1)
        left_layout.addLayout(run_row)
        left_layout.addWidget(self.status)

        self.inside = InsideView(self)
        self.held_out = HeldOutView(self)
        self.held_out.tryRequested.connect(self.try_on_canvas)
        self.experiments = ExperimentsPage(self)
        self.experiments.runRequested.connect(self.run_experiment)
        self.pages = QTabWidget(self)
        self.pages.setObjectName("labPages")
        self.pages.addTab(self.inside, self.tr("Inside the network"))
        self.pages.addTab(self.held_out, self.tr("Test results"))
        self.pages.addTab(self.experiments, self.tr("Guided experiments"))

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setObjectName("labSplitter")
        split.addWidget(left)
        split.addWidget(self.pages)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 5)
        split.setChildrenCollapsible(False)
        split.setSizes([4_000, 9_000])
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(split, 1)

    def title(self) -> str:
        """The workspace's tab title."""
        return self.tr("Lab — inside a network")

    def shutdown(self, msecs: int = 3000) -> bool:
        views = [self.inside.shutdown(msecs), self.held_out.shutdown(msecs), self.experiments.shutdown(msecs)]
        return self.tasks.shutdown(msecs) and all(views)

    # -- the person's network --------------------------------------------------------------
    def _validate(self) -> None:
        recipe = self.steps.recipe()
        self.run_button.setEnabled(recipe is not None and not self.tasks.is_running(RUN))
        if recipe is None:
            self.status.setText(self.tr("Cannot run: {problem}").format(problem=self.steps.problem))
        elif not self.tasks.is_running(RUN):
            self.status.setText(self.tr("Ready: {n} training digits, {params} parameters.").format(
                n=f"{recipe.train_size:,}", params=f"{recipe.network.params:,}"))

    def layer_names(self, network: NetworkSpec) -> list[str]:
        """The weighted layers (those whose gradient is tracked), as the list numbers them."""
        names = [f"{i}. {layer.kind} {layer.units or layer.filters}"
                 for i, layer in enumerate(network.layers, 1) if layer.kind in WEIGHTED]
        return [*names, self.tr("output")]

    def run(self) -> None:
        recipe = self.steps.recipe()
        if recipe is None:
            self.status.setText(self.tr("Cannot run: {problem}").format(problem=self.steps.problem))
            return
        self._begin("run")
        self.pages.setCurrentWidget(self.inside)  # first shown, then filled: its figures render one by one
        self.inside.start(self.layer_names(recipe.network))
        self.tasks.start(RUN, in_worker, lab_run_task, recipe.to_dict(), self.source,
                         on_progress=self._progress, on_done=self._run_done, on_error=self._failed,
                         on_cancelled=self._cancelled, on_ended=self._ended)

    def _begin(self, what: str) -> None:
        self._running = what
        self._started = time.monotonic()
        self.progress.setValue(0)
        self.run_button.setEnabled(False)
        self.experiments.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.status.setText(self.tr("Starting… (the first run also loads TensorFlow in the background)"))

    def cancel(self) -> None:
        if self.tasks.is_running(RUN):
            self.tasks.cancel(RUN)
            self.status.setText(self.tr("Cancelling…"))

    def _progress(self, p: Progress) -> None:
        data = p.data or {}
        if p.fraction is not None:
            self.progress.setValue(int(round(p.fraction * 100)))
        if self._running == "run":
            if p.stage == "batch":
                self.inside.batch(data)
            elif p.stage == "epoch":
                self.inside.epoch(data)
            elif p.stage == "diverged":
                self.inside.diverged(p.message)
        elif p.stage == "variant" and isinstance(data.get("variant"), dict):
            self.experiments.variant_measured(data["variant"])
        self.status.setText(self._with_eta(p))

    def _with_eta(self, p: Progress) -> str:
        eta = (p.data or {}).get("eta_seconds") if self._running == "run" else None
        if self._running == "experiment" and p.fraction:
            spent = time.monotonic() - self._started
            eta = spent / p.fraction * (1 - p.fraction) if p.fraction > 0.02 else None
        if eta is None:
            return p.message
        return self.tr("{step} — about {eta} left").format(step=p.message, eta=duration_text(eta))

    def _run_done(self, result: dict[str, Any]) -> None:
        self.last_run = result
        record_lab_run(self.session, result)
        self.inside.finish(result)
        self.held_out.show_result(result)
        self.progress.setValue(100)
        if result["diverged"]:
            self.status.setText(result["reason"])
            self.statusMessage.emit(result["reason"])
            self.runEnded.emit("diverged")
            return
        message = self.tr("Trained in {seconds} s: held-out accuracy {val} (training {train}).").format(
            seconds=f"{result['seconds']:.1f}", val=f"{result['val_accuracy']:.1%}",
            train=f"{result['train_accuracy']:.1%}")
        self.status.setText(message)
        self.statusMessage.emit(message)
        self.runEnded.emit("done")

    def _failed(self, exc: BaseException) -> None:
        message = self.tr("The lab stopped: {reason}").format(reason=exc)
        self.status.setText(message)
        self.statusMessage.emit(message)
        (self.runEnded if self._running == "run" else self.experimentEnded).emit("failed")

    def _cancelled(self) -> None:
        self.status.setText(self.tr("Cancelled."))
        (self.runEnded if self._running == "run" else self.experimentEnded).emit("cancelled")

    def _ended(self) -> None:
        if not self.tasks.is_running(RUN):
            self._running = ""
            self.cancel_button.setEnabled(False)
            self.experiments.run_button.setEnabled(True)
            self.run_button.setEnabled(self.steps.recipe() is not None)

    # -- guided experiments ------------------------------------------------------------------
    def run_experiment(self, name: str) -> None:
        self._begin("experiment")
        self.experiments.select(name)
        self.experiments.start(name)
        self.pages.setCurrentWidget(self.experiments)
        self.tasks.start(RUN, in_worker, run_experiment_task, name, self.experiment_size, source=self.source,
                         on_progress=self._progress, on_done=self._experiment_done, on_error=self._failed,
                         on_cancelled=self._cancelled, on_ended=self._ended)

    def _experiment_done(self, result: dict[str, Any]) -> None:
        record_experiment(self.session, result)
        self.experiments.show_result(result)
        self.progress.setValue(100)
        message = self.tr("{experiment}: measured in {seconds} s.").format(
            experiment=experiment_title(result["experiment"], get_language()), seconds=f"{result['seconds']:.1f}")
        self.status.setText(message)
        self.statusMessage.emit(message)
        self.experimentEnded.emit("done")

    # -- the canvas ----------------------------------------------------------------------------
    def try_on_canvas(self) -> None:
        run = self.last_run
        if not run or not run.get("keras_path"):
            return
        self.held_out.try_button.setEnabled(False)
        self.status.setText(self.tr("Preparing the network for the canvas…"))
        summary = {k: run.get(k) for k in ("recipe", "confusion", "val_accuracy", "val_size", "history", "params",
                                           "data_label", "train_size", "seconds")}
        self.tasks.start(EXPORT, in_worker, canvas_files_job, run["keras_path"], summary,
                         on_done=lambda files: self.tasks.start(LOAD, _load_lite_model, files,
                                                                on_done=self._model_loaded,
                                                                on_error=self._canvas_failed),
                         on_error=self._canvas_failed,
                         on_ended=lambda: self.held_out.try_button.setEnabled(bool(self.last_run and
                                                                                  self.last_run.get("keras_path"))))

    def _model_loaded(self, model: Any) -> None:
        self.status.setText(self.tr("The lab network is on the Digits canvas: draw a digit there."))
        self.canvasModelReady.emit(model)

    def _canvas_failed(self, exc: BaseException) -> None:
        message = self.tr("The network could not be put on the canvas: {reason}").format(reason=exc)
        self.status.setText(message)
        self.statusMessage.emit(message)

    # -- projects ------------------------------------------------------------------------------
    def restore_project_part(self, objects: dict[str, Any]) -> None:
        """A project was opened: the network it was building in the steps, its last run and guided
        experiment shown again (a run's network file stays behind on the other machine: no "Try it";
        a path the project names is used only for a file in this app's data folder)."""
        lab, recipe = objects.get("lab") or {}, objects.get("lab_recipe")
        runs, experiments = lab.get("runs") or [], lab.get("experiments") or {}
        if recipe is None and not runs and not experiments:
            return
        self.cancel()
        if self.lesson is not None:
            self.leave_lesson()
        if runs:
            run = dict(runs[-1])
            run["keras_path"] = own_network_file(run.get("keras_path"))
            self.last_run = run
            network = recipe.network if recipe is not None else None
            self.inside.start(self.layer_names(network) if network is not None else [])
            self.inside.history = list(run.get("history") or [])
            self.inside.finish(run)
            self.held_out.show_result(run)
        if recipe is not None:
            self.steps.apply_recipe(recipe)
        if experiments:
            name, result = list(experiments.items())[-1]
            self.experiments.select(name)
            self.experiments.show_result(result)
        self._validate()

    # -- lessons -------------------------------------------------------------------------------
    def choose_lesson(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a lesson"), str(lessons_dir()),
                                              self.tr("Lessons (*.json);;All files (*)"))
        if path:
            self.open_lesson(path)

    def open_lesson(self, path: str) -> None:
        """Read and check the lesson off the GUI thread; a bad file is refused with one line."""
        self.tasks.start(LESSON, read_lesson, path, on_done=self.apply_lesson, on_error=self._lesson_refused)

    def _lesson_refused(self, exc: BaseException) -> None:
        reason = str(exc) if isinstance(exc, DeepMineError) else (str(exc).splitlines() or [type(exc).__name__])[0]
        self.statusMessage.emit(self.tr("Lesson not opened: {reason}").format(reason=reason))

    def apply_lesson(self, lesson: Lesson) -> None:
        if self.tasks.is_running(RUN):
            self.tasks.cancel(RUN)
        self.lesson = lesson
        lang = get_language()
        self.steps.apply_lesson_controls(frozenset(), frozenset())
        self.steps.apply_recipe(lesson.recipe)
        self.steps.apply_lesson_controls(lesson.locked, lesson.hidden)
        self.lesson_text.setText(f"<b>{_escape(lesson.text('title', lang))}</b><br>"
                                 f"{_escape(lesson.text('instructions', lang))}")
        self.banner.show()
        if lesson.experiment:
            self.experiments.select(lesson.experiment)
        self.statusMessage.emit(self.tr("Lesson opened: {title}").format(title=lesson.text("title", lang)))
        self.lessonOpened.emit(lesson.id)

    def leave_lesson(self) -> None:
        self.lesson = None
        self.steps.apply_lesson_controls(frozenset(), frozenset())
        self.banner.hide()
        self._validate()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")


def own_network_file(path: Any) -> str | None:
    """``path`` when it names a file inside the app's data folder (where the Lab keeps its networks);
    else None: a project from someone else may name any file on this machine."""
    from engine.core.paths import data_home

    if not isinstance(path, str) or not path:
        return None
    try:
        file, home = Path(path).resolve(), data_home().resolve()
        return str(file) if file.is_relative_to(home) and file.is_file() else None
    except (OSError, RuntimeError, ValueError):
        return None
