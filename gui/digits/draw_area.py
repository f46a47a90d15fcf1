"""The left half of the digit workspace: the canvas, its tools, the answer and the model line."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QSlider, QToolButton, QVBoxLayout, QWidget

from gui.digits.canvas import DEFAULT_PEN, DigitCanvas


class DrawArea(QWidget):
    """View only: it says what the person asked for (signals); the workspace decides."""

    openImageRequested = Signal()
    correctionChosen = Signal(int)
    useShippedRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drawArea")
        self.canvas = DigitCanvas(self)
        self.canvas.setToolTip(self.tr("Draw one digit with the left mouse button. Right-click clears."))

        self.clear_button = self._button(self.tr("Clear"), "clearCanvasButton", self.tr("Clear the canvas (Del)"),
                                         self.canvas.clear)
        self.undo_button = self._button(self.tr("Undo"), "undoStrokeButton", self.tr("Remove the last stroke (Ctrl+Z)"),
                                        self.canvas.undo)
        self.open_button = self._button(self.tr("Open image…"), "openDigitImageButton",
                                        self.tr("Recognise a digit from an image file or a photo (you can also drop "
                                                "one here)"), self.openImageRequested.emit)
        self.pen = QSlider(Qt.Orientation.Horizontal, self)
        self.pen.setObjectName("penWidthSlider")
        self.pen.setRange(6, 40)
        self.pen.setValue(int(DEFAULT_PEN))
        self.pen.setToolTip(self.tr("Pen width"))
        self.pen.valueChanged.connect(lambda v: setattr(self.canvas, "pen_width", float(v)))
        self.pen.setMinimumWidth(70)
        self.pen.setMaximumWidth(140)
        tools = QHBoxLayout()
        for widget in (self.clear_button, self.undo_button, self.open_button):
            tools.addWidget(widget)
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
            action = menu.addAction(self.tr("It is a {digit}").format(digit=d))
            action.setObjectName(f"correctAs{d}")
            action.triggered.connect(lambda _=False, d=d: self.correctionChosen.emit(d))
        self.correct_button.setMenu(menu)
        self.correct_button.setEnabled(False)
        answer = QHBoxLayout()
        answer.addWidget(self.prediction, 1)
        answer.addWidget(self.correct_button)

        self.model_status = QLabel(self)
        self.model_status.setObjectName("digitModelStatus")
        self.model_status.setWordWrap(True)
        self.model_status.setStyleSheet("color: #5f6368;")
        self.use_shipped = QToolButton(self)
        self.use_shipped.setObjectName("useShippedModelButton")
        self.use_shipped.setText(self.tr("Use the shipped model"))
        self.use_shipped.setToolTip(self.tr("Go back to the model that came with the app (your trained models stay "
                                            "saved)"))
        self.use_shipped.clicked.connect(self.useShippedRequested.emit)
        self.use_shipped.setVisible(False)
        model_line = QHBoxLayout()
        model_line.addWidget(self.model_status, 1)
        model_line.addWidget(self.use_shipped, 0, Qt.AlignmentFlag.AlignTop)

        layout = QVBoxLayout(self)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(tools)
        layout.addLayout(answer)
        layout.addWidget(self.warning)
        layout.addLayout(model_line)
        for text, keys, slot in ((self.tr("Undo stroke"), QKeySequence(QKeySequence.StandardKey.Undo), self.canvas.undo),
                                 (self.tr("Clear canvas"), QKeySequence(Qt.Key.Key_Delete), self.canvas.clear)):
            action = QAction(text, self)
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

    def _button(self, text: str, name: str, tip: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    def warn(self, text: str) -> None:
        self.warning.setText(text)
