"""The six steps of deep learning as controls: data, model, loss, optimiser, training (the test is
the lab's fixed held-out digits). ``recipe()`` is the checked ``LabRecipe``; a lesson locks or
hides controls by the recipe's field names."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget)

from engine.core.errors import DeepMineError
from engine.lab.recipe import LIMITS, LabRecipe, recipe_from_dict
from engine.lab.spec import classic_mlp, default_cnn
from gui.common.number_input import DecimalSpinBox, WholeSpinBox
from gui.lab.layer_editor import LayerEditor

PRESETS = {"classic_mlp": classic_mlp, "default_cnn": default_cnn}


class LabSteps(QWidget):
    """Emits ``changed`` whenever a control changes; ``problem`` says why the recipe cannot run."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self.problem = ""
        self.preset = QComboBox(self)
        self.preset.setObjectName("labPresetCombo")
        self.preset.addItem(self.tr("Classic MLP (the article's: 784 → 128 → 10)"), "classic_mlp")
        self.preset.addItem(self.tr("Default CNN (the Digits workspace's)"), "default_cnn")
        self.preset.setToolTip(self.tr("Start from a preset network; every step stays editable"))
        self.preset.activated.connect(lambda _i: self.apply_preset(self.preset.currentData()))
        _fit(self.preset)

        # 1 data
        self.train_size = _whole(self, "labTrainSize", *LIMITS["train_size"], step=100)
        self.train_size.setToolTip(self.tr("How many digits the network learns from (1,000 more are held out "
                                           "for validation and the test)"))
        self.normalize = QCheckBox(self.tr("Normalise pixels to 0–1 (off: raw 0–255)"), self)
        self.normalize.setObjectName("labNormalize")
        self.augment = QCheckBox(self.tr("Augment: small shifts and rotations"), self)
        self.augment.setObjectName("labAugment")
        data_form = QFormLayout()
        data_form.addRow(self.tr("Training digits"), self.train_size)
        data_form.addRow(self.normalize)
        data_form.addRow(self.augment)
        # 2 model
        self.layers = LayerEditor(self)
        # 3 loss
        self.loss = QComboBox(self)
        self.loss.setObjectName("labLoss")
        self.loss.addItem(self.tr("Cross-entropy"), "cross_entropy")
        self.loss.addItem(self.tr("Mean squared error (on one-hot digits)"), "mse")
        _fit(self.loss)
        loss_form = QFormLayout()
        loss_form.addRow(self.tr("Loss"), self.loss)
        # 4 optimiser
        self.optimizer = QComboBox(self)
        self.optimizer.setObjectName("labOptimizer")
        for text, name in ((self.tr("SGD"), "sgd"), (self.tr("SGD + momentum (0.9)"), "momentum"),
                           (self.tr("RMSprop"), "rmsprop"), (self.tr("Adam"), "adam")):
            self.optimizer.addItem(text, name)
        self.learning_rate = _decimal(self, "labLearningRate", 6, *LIMITS["learning_rate"])
        self.clip = QCheckBox(self.tr("Clip the gradient norm to"), self)
        self.clip.setObjectName("labClip")
        self.clipnorm = _decimal(self, "labClipNorm", 4, *LIMITS["clipnorm"])
        self.clip.toggled.connect(self.clipnorm.setEnabled)
        opt_form = QFormLayout()
        opt_form.addRow(self.tr("Optimiser"), self.optimizer)
        opt_form.addRow(self.tr("Learning rate"), self.learning_rate)
        opt_form.addRow(self.clip, self.clipnorm)
        # 5 training
        self.epochs = _whole(self, "labEpochs", *LIMITS["epochs"])
        self.batch_size = _whole(self, "labBatchSize", *LIMITS["batch_size"])
        self.early = QCheckBox(self.tr("Stop early after epochs without progress:"), self)
        self.early.setObjectName("labEarlyStopping")
        self.patience = _whole(self, "labPatience", *LIMITS["early_stopping"])
        self.early.toggled.connect(self.patience.setEnabled)
        self.seed = _whole(self, "labSeed", *LIMITS["seed"])
        train_form = QFormLayout()
        train_form.addRow(self.tr("Epochs"), self.epochs)
        train_form.addRow(self.tr("Batch size"), self.batch_size)
        train_form.addRow(self.early, self.patience)
        train_form.addRow(self.tr("Random seed"), self.seed)

        self.groups = []
        layout = QVBoxLayout(self)
        layout.addWidget(self.preset)
        for title, inner in ((self.tr("1 · Data"), data_form), (self.tr("2 · Model"), self.layers),
                             (self.tr("3 · Loss"), loss_form), (self.tr("4 · Optimiser"), opt_form),
                             (self.tr("5 · Training"), train_form)):
            box = QGroupBox(title, self)
            if isinstance(inner, QWidget):
                QVBoxLayout(box).addWidget(inner)
            else:
                box.setLayout(inner)
            layout.addWidget(box)
            self.groups.append(box)
        test = QLabel(self.tr("6 · Test: the trained network is measured on 1,000 held-out digits it never "
                              "trained on (accuracy and confusion matrix, on the right)."), self)
        test.setWordWrap(True)
        layout.addWidget(test)
        layout.addStretch(1)

        # which widgets a lesson locks or hides, by the recipe's field names
        self.controls: dict[str, list[QWidget]] = {
            "network": [self.preset, self.layers], "loss": [self.loss], "optimizer": [self.optimizer],
            "learning_rate": [self.learning_rate], "clipnorm": [self.clip, self.clipnorm], "epochs": [self.epochs],
            "batch_size": [self.batch_size], "train_size": [self.train_size], "normalize": [self.normalize],
            "augment": [self.augment], "early_stopping": [self.early, self.patience], "seed": [self.seed]}
        self._forms = {self.train_size: data_form, self.normalize: data_form, self.augment: data_form,
                       self.loss: loss_form, self.optimizer: opt_form, self.learning_rate: opt_form,
                       self.clip: opt_form, self.epochs: train_form, self.batch_size: train_form,
                       self.early: train_form, self.seed: train_form}
        for widget in (self.normalize, self.augment, self.clip, self.early):
            widget.toggled.connect(self._changed)
        for widget in (self.loss, self.optimizer):
            widget.currentIndexChanged.connect(self._changed)
        for widget in (self.train_size, self.learning_rate, self.clipnorm, self.epochs, self.batch_size,
                       self.patience, self.seed):
            widget.valueChanged.connect(self._changed)
        self.layers.changed.connect(self._changed)
        self.apply_recipe(LabRecipe())

    # -- reading and writing the recipe ----------------------------------------------------
    def recipe_dict(self) -> dict[str, Any]:
        return {"network": {"name": self.layers.name, "layers": [dict(layer) for layer in self.layers.layers]},
                "loss": self.loss.currentData(), "optimizer": self.optimizer.currentData(),
                "learning_rate": self.learning_rate.value(),
                "clipnorm": self.clipnorm.value() if self.clip.isChecked() else None,
                "epochs": self.epochs.value(), "batch_size": self.batch_size.value(),
                "train_size": self.train_size.value(), "normalize": self.normalize.isChecked(),
                "augment": self.augment.isChecked(),
                "early_stopping": self.patience.value() if self.early.isChecked() else None,
                "seed": self.seed.value()}

    def recipe(self) -> LabRecipe | None:
        """The checked recipe, or None with ``problem`` set to the one line that says why."""
        if self.layers.problem:
            self.problem = self.layers.problem
            return None
        try:
            recipe = recipe_from_dict(self.recipe_dict())
        except DeepMineError as exc:
            self.problem = str(exc)
            return None
        self.problem = ""
        return recipe

    def apply_recipe(self, recipe: LabRecipe) -> None:
        self._loading = True
        try:
            self.train_size.setValue(recipe.train_size)
            self.normalize.setChecked(recipe.normalize)
            self.augment.setChecked(recipe.augment)
            self.loss.setCurrentIndex(self.loss.findData(recipe.loss))
            self.optimizer.setCurrentIndex(self.optimizer.findData(recipe.optimizer))
            self.learning_rate.setValue(recipe.learning_rate)
            self.clip.setChecked(recipe.clipnorm is not None)
            self.clipnorm.setValue(recipe.clipnorm if recipe.clipnorm is not None else 1.0)
            self.clipnorm.setEnabled(self.clip.isChecked() and self.clip.isEnabled())
            self.epochs.setValue(recipe.epochs)
            self.batch_size.setValue(recipe.batch_size)
            self.early.setChecked(recipe.early_stopping is not None)
            self.patience.setValue(recipe.early_stopping or 3)
            self.patience.setEnabled(self.early.isChecked() and self.early.isEnabled())
            self.seed.setValue(recipe.seed)
            network = recipe.network.to_dict()
            self.layers.set_network(network["layers"], network["name"])
            index = self.preset.findData(recipe.network.name)
            if index >= 0:
                self.preset.setCurrentIndex(index)
        finally:
            self._loading = False
        self._changed()

    def apply_preset(self, name: str) -> None:
        """A preset replaces the network only: the other steps keep what the person chose."""
        network = PRESETS[name]().to_dict()
        self.layers.set_network(network["layers"], network["name"])

    # -- lessons ---------------------------------------------------------------------------
    def apply_lesson_controls(self, locked: frozenset[str], hidden: frozenset[str]) -> None:
        for name, widgets in self.controls.items():
            for widget in widgets:
                if widget is self.layers:
                    self.layers.set_editable(name not in locked)
                else:
                    widget.setEnabled(name not in locked)
                form = self._forms.get(widget)
                if form is not None:
                    form.setRowVisible(widget, name not in hidden)
                elif widget is self.layers:
                    self.groups[1].setVisible(name not in hidden)
                elif widget is self.preset:
                    widget.setVisible(name not in hidden)
        self.clipnorm.setEnabled("clipnorm" not in locked and self.clip.isChecked())
        self.patience.setEnabled("early_stopping" not in locked and self.early.isChecked())

    def _changed(self, *_args: Any) -> None:
        if not self._loading:
            self.changed.emit()


def _fit(combo: QComboBox) -> None:
    """Long item texts must not set the window's minimum width."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)


def _whole(parent: QWidget, name: str, low: float, high: float, step: int = 1) -> WholeSpinBox:
    box = WholeSpinBox(parent)
    box.setObjectName(name)
    box.setRange(int(low), int(high))
    box.setSingleStep(step)
    return box


def _decimal(parent: QWidget, name: str, decimals: int, low: float, high: float) -> DecimalSpinBox:
    box = DecimalSpinBox(parent)
    box.setObjectName(name)
    box.setDecimals(decimals)
    box.setRange(low, high)
    box.setStepType(DecimalSpinBox.StepType.AdaptiveDecimalStepType)
    return box
