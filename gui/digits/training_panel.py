"""Training controls, live curves and the results of the last training (accuracy, confusion
matrix, misclassified gallery)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QFormLayout, QGroupBox,
                               QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QProgressBar, QPushButton,
                               QSplitter, QTabWidget, QVBoxLayout, QWidget)
from PySide6.QtCore import Qt

from engine.digits.models import DigitParams
from engine.digits.service import describe
from engine.core.figures import draw_confusion, draw_curves
from engine.core.results import DigitModelInfo
from engine.core.tasks import Progress
from gui.digits.images import digit_icon
from gui.common.durations import duration_text
from gui.common.number_input import DecimalSpinBox, WholeSpinBox
from gui.common.plots import PlotCanvas


class TrainingPanel(QWidget):
    """Emits ``startRequested(params, source, path)``; the tab runs the job and feeds progress back."""

    startRequested = Signal(object, str, object, object)  # params, source, file path, number of digits (None = all)
    cancelRequested = Signal()
    misclassifiedChosen = Signal(object)  # a 28×28 image

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._file: str | None = None
        self._history: list[dict[str, float]] = []

        self.arch = QComboBox(self)
        self.arch.setObjectName("digitModelChoice")
        self.arch.addItem(self.tr("Convolutional network (CNN, default)"), "cnn")
        self.arch.addItem(self.tr("Classic MLP (the seed model)"), "mlp")
        self.arch.currentIndexChanged.connect(self._arch_changed)
        self.epochs = _whole(self, 1, 200, 1)
        self.batch = _whole(self, 8, 1024, 8)
        self.lr = _decimal(self, 4, 0.0001, 0.1, 0.0005)
        self.dropout = _decimal(self, 2, 0.0, 0.8, 0.05)
        # a field's problem is shown beside it, and training does not start until it is corrected
        self.field_problems: dict[str, QLabel] = {}
        for name, field in (("epochs", self.epochs), ("batch_size", self.batch), ("learning_rate", self.lr),
                            ("dropout", self.dropout)):
            label = QLabel(self)
            label.setObjectName(f"trainingProblem_{name}")
            label.setWordWrap(True)
            label.setStyleSheet("color: #b3261e;")
            label.hide()
            self.field_problems[name] = label
            field.refused.connect(lambda reason, label=label: _show(label, reason))
            field.valueChanged.connect(lambda *_, label=label: _show(label, ""))
        self.augment = QCheckBox(self.tr("Augment the data"), self)
        self.augment.setToolTip(self.tr("Show the network shifted, rotated, scaled, thicker and thinner copies of "
                                        "the digits while training"))
        self.typeset = QCheckBox(self.tr("Add typeset digits"), self)
        self.typeset.setObjectName("typesetDigits")
        self.typeset.setToolTip(self.tr("Also learn from digits typeset in 18 fonts: 1s with a flag and a foot, "
                                        "9s with a curved tail — shapes many people write and MNIST lacks"))
        self.source = QComboBox(self)
        self.source.setObjectName("digitDataSource")
        self.source.addItem(self.tr("Offline sample (5,000 digits, always available)"), "offline")
        self.source.addItem(self.tr("Full MNIST (60,000 digits; downloaded if possible)"), "full")
        self.source.addItem(self.tr("MNIST file on this computer…"), "file")
        self.source.activated.connect(self._source_chosen)
        self.size = QComboBox(self)
        self.size.setObjectName("digitTrainingSize")
        self.size.addItem(self.tr("All digits of the chosen data"), None)
        for n in (5000, 20000, 60000):
            self.size.addItem(self.tr("{n} digits").format(n=f"{n:,}"), n)
        self.size.setToolTip(self.tr("Train on a random subset: fewer digits train faster and show how much data "
                                     "a network needs"))
        for combo in (self.arch, self.source):  # long item texts must not set the window's minimum width
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
        for w, tip in ((self.epochs, self.tr("How many passes over the training data")),
                       (self.batch, self.tr("Digits per training step")),
                       (self.lr, self.tr("Step size of the Adam optimiser")),
                       (self.dropout, self.tr("Share of neurons switched off while training, against overfitting"))):
            w.setToolTip(tip)

        form = QFormLayout()
        form.addRow(self.tr("Model:"), self.arch)
        for title, name, field in ((self.tr("Epochs:"), "epochs", self.epochs),
                                   (self.tr("Batch size:"), "batch_size", self.batch),
                                   (self.tr("Learning rate:"), "learning_rate", self.lr),
                                   (self.tr("Dropout:"), "dropout", self.dropout)):
            row = QWidget(self)
            rl = QVBoxLayout(row)
            rl.setContentsMargins(0, 0, 0, 0)
            rl.setSpacing(0)
            rl.addWidget(field)
            rl.addWidget(self.field_problems[name])
            form.addRow(title, row)
        form.addRow("", self.augment)
        form.addRow("", self.typeset)
        form.addRow(self.tr("Training data:"), self.source)
        form.addRow(self.tr("Digits used:"), self.size)

        self.start = QPushButton(self.tr("Train"), self)
        self.start.setObjectName("trainDigitsButton")
        self.start.clicked.connect(self._start)
        self.cancel = QPushButton(self.tr("Cancel"), self)
        self.cancel.setObjectName("cancelTrainingButton")
        self.cancel.setEnabled(False)
        self.cancel.clicked.connect(self.cancelRequested)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("trainingProgress")
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.data_line = QLabel(self)  # which data the running or last training used
        self.data_line.setObjectName("trainingDataLine")
        self.data_line.setWordWrap(True)
        self.data_line.setStyleSheet("color: #5f6368;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.start)
        buttons.addWidget(self.cancel)

        controls = QGroupBox(self.tr("Train a model"), self)
        box = QVBoxLayout(controls)
        box.addLayout(form)
        box.addLayout(buttons)
        box.addWidget(self.progress)
        box.addWidget(self.data_line)
        box.addWidget(self.status)
        box.addStretch(1)

        self.curves = PlotCanvas(self, 4, 2.6)
        self.confusion = PlotCanvas(self, 3.2, 3)
        self.accuracy = QLabel(self)
        self.accuracy.setObjectName("testAccuracy")
        self.accuracy.setWordWrap(True)
        self.gallery = QListWidget(self)
        self.gallery.setObjectName("misclassifiedGallery")
        self.gallery.setViewMode(QListWidget.ViewMode.IconMode)
        self.gallery.setIconSize(QSize(48, 48))
        self.gallery.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.gallery.setToolTip(self.tr("Click a digit to load it into the canvas"))
        self.gallery.itemClicked.connect(self._gallery_clicked)

        results = QTabWidget(self)
        results.addTab(self.curves, self.tr("Learning curves"))
        results.addTab(self.confusion, self.tr("Confusion matrix"))
        gallery_page = QWidget(self)
        gl = QVBoxLayout(gallery_page)
        hint = QLabel(self.tr("Test digits the model got wrong (true → predicted). Click one to try it."),
                      gallery_page)
        hint.setWordWrap(True)
        gl.addWidget(hint)
        gl.addWidget(self.gallery)
        results.addTab(gallery_page, self.tr("Mistakes"))
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.accuracy)
        rl.addWidget(results, 1)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(controls)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self._arch_changed()
        self._draw_curves()

    # -- parameters ----------------------------------------------------------------------
    def _arch_changed(self) -> None:
        p = DigitParams.default(self.arch.currentData())
        self.epochs.setValue(p.epochs)
        self.batch.setValue(p.batch_size)
        self.lr.setValue(p.learning_rate)
        self.dropout.setValue(p.dropout)
        self.augment.setChecked(p.augment)
        self.typeset.setChecked(p.typeset_copies > 0)

    def params(self) -> DigitParams:
        return DigitParams(arch=self.arch.currentData(), epochs=self.epochs.value(), batch_size=self.batch.value(),
                           learning_rate=self.lr.value(), dropout=self.dropout.value(),
                           augment=self.augment.isChecked(),
                           typeset_copies=DigitParams().typeset_copies if self.typeset.isChecked() else 0)

    def _source_chosen(self) -> None:
        if self.source.currentData() == "file":
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose an MNIST file"), "",
                                                  self.tr("MNIST files (*.npz *.gz);;All files (*)"))
            if path:
                self._file = path
                self.source.setItemText(2, self.tr("MNIST file: {name}").format(name=path.rsplit("/", 1)[-1]))
            else:
                self.source.setCurrentIndex(0)

    def problems(self) -> dict[str, str]:
        """Every field that cannot be used as it reads now (typed text not yet taken, or a value the
        training refuses), with the reason; shown beside each field."""
        found: dict[str, str] = {}
        fields = {"epochs": self.epochs, "batch_size": self.batch, "learning_rate": self.lr, "dropout": self.dropout}
        for name, field in fields.items():
            reason = field.typed_problem()
            if reason is None:
                field.interpretText()  # typed but not yet taken (the field still has the focus): take it now
            else:
                found[name] = self.tr("{reason}; correct it before training.").format(reason=reason)
        if not found:
            for name, error in self.params().problems().items():
                found[name if name in fields else "epochs"] = str(error)
        return found

    def _start(self) -> None:
        problems = self.problems()
        for name, label in self.field_problems.items():
            _show(label, problems.get(name, ""))
        if problems:
            self.status.setText(self.tr("Training did not start: correct the marked field(s)."))
            return
        source = self.source.currentData()
        self.startRequested.emit(self.params(), source, self._file if source == "file" else None, self.size.currentData())

    # -- feedback from the running job ---------------------------------------------------
    def set_running(self, running: bool) -> None:
        self.start.setEnabled(not running)
        self.cancel.setEnabled(running)
        if running:
            self._history = []
            self._draw_curves()
            self.progress.setValue(0)

    def epoch_done(self, metrics: dict[str, float]) -> None:
        self._history.append(dict(metrics))
        self._draw_curves()

    def show_progress(self, p: Progress) -> str:
        """A training step on the bar, the curves and the status line; returns the line shown."""
        if p.stage == "epoch":
            self.epoch_done(p.data)
        if p.fraction is not None:
            self.progress.setValue(int(round(p.fraction * 100)))
        text = p.message
        eta, speed = p.data.get("eta_seconds"), p.data.get("samples_per_second")
        if eta is not None and speed:
            text = self.tr("{progress} — {speed} digits/s, about {eta} left").format(
                progress=p.message, speed=f"{speed:,.0f}", eta=duration_text(eta))
        self.status.setText(text)
        return text

    def show_model(self, info: DigitModelInfo) -> None:
        self._history = list(info.history)
        self._draw_curves()
        ev = info.evaluation
        if ev is None:
            self.accuracy.setText(describe(info) if info.card is not None else self.tr("No evaluation available."))
            return
        self.accuracy.setText(self.tr("Test accuracy: {acc} on {n} digits ({source})").format(
            acc=f"{ev.accuracy:.2%}", n=ev.n_samples, source=ev.source_label))
        draw_confusion(self.confusion.clear(), ev.confusion, self.tr("Predicted"), self.tr("True"))
        self.confusion.redraw()
        self.gallery.clear()
        for m in ev.misclassified:
            item = QListWidgetItem(digit_icon(m.image28), f"{m.true_label}→{m.predicted}")
            item.setData(Qt.ItemDataRole.UserRole, m.image28)
            item.setToolTip(self.tr("True {true}, predicted {pred} ({conf} sure)").format(
                true=m.true_label, pred=m.predicted, conf=f"{m.confidence:.0%}"))
            self.gallery.addItem(item)

    def _gallery_clicked(self, item: QListWidgetItem) -> None:
        self.misclassifiedChosen.emit(item.data(Qt.ItemDataRole.UserRole))

    def _draw_curves(self) -> None:
        self.curves.figure.clear()
        draw_curves(self.curves.figure, self._history,
                    {"loss": self.tr("Loss"), "accuracy": self.tr("Accuracy"), "epoch": self.tr("Epoch"),
                     "training": self.tr("training"), "validation": self.tr("validation")})
        self.curves.redraw()


def _whole(parent: QWidget, low: int, high: int, step: int) -> WholeSpinBox:
    box = WholeSpinBox(parent)
    box.setRange(low, high)
    box.setSingleStep(step)
    return box


def _decimal(parent: QWidget, decimals: int, low: float, high: float, step: float) -> DecimalSpinBox:
    box = DecimalSpinBox(parent)
    box.setDecimals(decimals)
    box.setRange(low, high)
    box.setSingleStep(step)
    return box


def _show(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))
