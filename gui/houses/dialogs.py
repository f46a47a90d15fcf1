"""Dialogs of the house workspace: mapping a CSV's own column names to the Boston features."""

from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QScrollArea, QVBoxLayout,
                               QWidget)

from engine.houses.boston import FEATURE_INFO, FEATURES, TARGET

OPTIONAL = {"B"}


class ColumnMappingDialog(QDialog):
    """One row per needed column; each offers the CSV's columns (or "not in this file")."""

    def __init__(self, file_name: str, columns: list[str], need_target: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("columnMappingDialog")
        self.setWindowTitle(self.tr("Match your columns"))
        self.combos: dict[str, QComboBox] = {}
        intro = QLabel(self.tr("{file} uses other column names. Tell the app which of its columns holds each "
                               "feature.").format(file=file_name), self)
        intro.setWordWrap(True)
        form_widget = QWidget(self)
        form = QFormLayout(form_widget)
        lowered = {c.lower().strip(): c for c in columns}
        wanted = FEATURES + ([TARGET] if need_target else [])
        for name in wanted:
            combo = QComboBox(form_widget)
            combo.setObjectName(f"mapping_{name}")
            combo.addItem(self.tr("(not in this file)"), "")
            for c in columns:
                combo.addItem(c, c)
            guess = lowered.get(name.lower())
            if guess is not None:
                combo.setCurrentIndex(combo.findData(guess))
            meaning = FEATURE_INFO[name].meaning if name in FEATURE_INFO else self.tr("Price (the value to learn)")
            combo.setToolTip(meaning)
            form.addRow(f"{name} — {meaning}" if len(meaning) < 40 else name, combo)
            self.combos[name] = combo
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(520, 560)

    def mapping(self) -> dict[str, str]:
        """{the file's column: Boston name} (engine.houses.csv_io's convention), matched columns only."""
        return {combo.currentData(): name for name, combo in self.combos.items() if combo.currentData()}
