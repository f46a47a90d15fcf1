"""Number fields that never turn a keystroke into a different number.

Qt's spin boxes read ``1,5`` as fifteen in an English locale (the comma is a thousands separator
there) and ``6,5`` as six: the house form priced other houses than the person typed. Here a
decimal comma and a decimal point both mean the decimal point, in every locale; thousands
separators are never read. Whatever cannot be used as typed (text, too many decimals, outside
the range, a fraction in a whole-number field) stays visible while the person types, and when they
leave the field it is refused *visibly*: the field turns red and ``refused`` carries a sentence
saying what was wrong and which value stays.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent, QValidator
from PySide6.QtWidgets import QDoubleSpinBox, QSpinBox, QWidget

_PARTIAL = re.compile(r"[+-]?[\d.,]*")  # may still become a number, or be refused visibly (never dropped)
_REFUSED_STYLE = "background: #fce8e6;"


def _number_text(text: str) -> str:
    return text.strip().replace(",", ".")


class _Refusing:
    """What both fields share: a sentence when typed text is refused, and the red mark until fixed."""

    refused: Signal

    def _problem(self, text: str) -> str | None:  # pragma: no cover - defined by each field
        raise NotImplementedError

    def typed_problem(self) -> str | None:
        """Why the text in the field now cannot be used (None when it can): for a check before work."""
        return self._problem(self.lineEdit().text())

    def _core(self, text: str) -> str:
        """The typed number without the field's prefix and suffix ("row 12" → "12")."""
        prefix, suffix = self.prefix(), self.suffix()
        if prefix and text.startswith(prefix):
            text = text[len(prefix):]
        if suffix and text.endswith(suffix):
            text = text[:-len(suffix)]
        return text.strip()

    def _note_start_of_edit(self) -> None:
        """Remember the value before the person's first keystroke: while they type, acceptable
        beginnings ("1.234" of "1.234,5") already update the value, and a refusal restores this one."""
        if getattr(self, "_value_before_edit", None) is None:
            self._value_before_edit = self.value()

    def _watch_keys(self, watched: QObject, event: QEvent) -> bool:
        """Keystrokes reach the line edit inside the field, not the field: watched there. Never eats one."""
        if watched is self.lineEdit() and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._check_before_leaving()
            elif event.text():
                self._note_start_of_edit()
        return False

    def _check_before_leaving(self) -> None:
        text = self.lineEdit().text()
        reason = self._problem(text)
        before, self._value_before_edit = getattr(self, "_value_before_edit", None), None
        if reason is None:
            self.setStyleSheet("")
            return
        if before is not None and before != self.value():
            self.setValue(before)
        self.setStyleSheet(_REFUSED_STYLE)
        self.refused.emit(reason)

    def _clear_mark(self) -> None:
        if self.styleSheet() and self._problem(self.lineEdit().text()) is None:
            self.setStyleSheet("")


class DecimalSpinBox(_Refusing, QDoubleSpinBox):
    """A decimal field: ``1,5`` and ``1.5`` are both one and a half, in every locale."""

    refused = Signal(str)  # why the typed text was not used (the previous value stays)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCorrectionMode(QDoubleSpinBox.CorrectionMode.CorrectToPreviousValue)
        self.lineEdit().textEdited.connect(lambda _text: self._clear_mark())
        self.lineEdit().installEventFilter(self)

    def textFromValue(self, value: float) -> str:  # noqa: N802 — Qt's name
        text = f"{value:.{self.decimals()}f}"
        return text.replace(".", self.locale().decimalPoint()) if self.locale().decimalPoint() != "." else text

    def valueFromText(self, text: str) -> float:  # noqa: N802
        try:
            return float(_number_text(self._core(text)))
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> object:
        s = _number_text(self._core(text))
        if not _PARTIAL.fullmatch(s):
            return QValidator.State.Invalid, text, pos  # a letter: not even a beginning of a number
        return (QValidator.State.Acceptable if self._problem(text) is None else QValidator.State.Intermediate,
                text, pos)

    def fixup(self, text: str) -> str:
        return text  # never "correct" what the person typed into another number

    def _problem(self, text: str) -> str | None:
        text = self._core(text)
        s = _number_text(text)
        if s.count(".") > 1:
            return self.tr("{text} has more than one decimal mark (write numbers without thousands separators, "
                           "e.g. 1234.5)").format(text=text)
        if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", s):
            return self.tr("{text} is not a number").format(text=text or "''")
        decimals = len(s.split(".", 1)[1]) if "." in s else 0
        if decimals > self.decimals():
            return self.tr("{text} has more than {n} decimals").format(text=text.strip(), n=self.decimals())
        value = float(s)
        if not self.minimum() <= value <= self.maximum():
            return self.tr("{text} is outside {low} to {high}").format(
                text=text.strip(), low=self.textFromValue(self.minimum()), high=self.textFromValue(self.maximum()))
        return None

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self._check_before_leaving()
        super().focusOutEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        return self._watch_keys(watched, event) or super().eventFilter(watched, event)


class WholeSpinBox(_Refusing, QSpinBox):
    """A whole-number field: ``1,5`` is refused with a sentence, never read as fifteen."""

    refused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCorrectionMode(QSpinBox.CorrectionMode.CorrectToPreviousValue)
        self.lineEdit().textEdited.connect(lambda _text: self._clear_mark())
        self.lineEdit().installEventFilter(self)

    def textFromValue(self, value: int) -> str:  # noqa: N802
        return str(value)  # no thousands separators: what is shown can be typed back

    def valueFromText(self, text: str) -> int:  # noqa: N802
        s = self._core(text)
        return int(s) if re.fullmatch(r"[+-]?\d+", s) else self.value()

    def validate(self, text: str, pos: int) -> object:
        if not _PARTIAL.fullmatch(_number_text(self._core(text))):
            return QValidator.State.Invalid, text, pos
        return (QValidator.State.Acceptable if self._problem(text) is None else QValidator.State.Intermediate,
                text, pos)

    def fixup(self, text: str) -> str:
        return text

    def _problem(self, text: str) -> str | None:
        s = self._core(text)
        if re.fullmatch(r"[+-]?[\d.,]*\d[\d.,]*", s) and not re.fullmatch(r"[+-]?\d+", s):
            return self.tr("{text} is not a whole number").format(text=s)
        if not re.fullmatch(r"[+-]?\d+", s):
            return self.tr("{text} is not a number").format(text=s or "''")
        if not self.minimum() <= int(s) <= self.maximum():
            return self.tr("{text} is outside {low} to {high}").format(text=s, low=self.minimum(), high=self.maximum())
        return None

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self._check_before_leaving()
        super().focusOutEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        return self._watch_keys(watched, event) or super().eventFilter(watched, event)
