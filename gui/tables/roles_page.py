"""The Tables workspace's Column roles page: each column's role (target, feature, ignored) with the reason a
column is left out, changeable; the person's changes become a ``RoleChoice``.

After a mining the leaking columns it found are known: they show as ignored with their single-column
score, and setting one to feature keeps it on purpose (``RoleChoice.keep``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QTableWidgetItem, QVBoxLayout, QWidget

from gui.tables.data_page import read_only_table

if TYPE_CHECKING:  # pandas
    from engine.tables.leakage import LeakFlag
    from engine.tables.roles import Roles
    from engine.tables.table import Table

FEATURE, IGNORED = "feature", "ignored"


class TableRolesPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.roles_table = read_only_table(self, "columnRolesTable", [
            QCoreApplication.translate("TablesTab", "column"), QCoreApplication.translate("TablesTab", "type"),
            QCoreApplication.translate("TablesTab", "role"), QCoreApplication.translate("TablesTab", "why")])
        self.roles_table.horizontalHeader().setStretchLastSection(True)
        self.suggested_reasons: dict[str, str] = {}  # column → reason code, before the person's changes
        self.leaks: dict[str, LeakFlag] = {}  # the leaking columns the last mining (same target, task) found
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.roles_table)

    def clear(self) -> None:
        self.roles_table.setRowCount(0)
        self.suggested_reasons, self.leaks = {}, {}

    def show_roles(self, table: Table, roles: Roles, suggested: Roles | None = None,
                   leaks: Sequence[LeakFlag] = ()) -> None:
        """``roles`` as chosen now; ``suggested`` the same target and task without the person's changes (the
        reasons a changed column had); ``leaks`` the leaking columns known for this target and task."""
        self.leaks = {f.column: f for f in leaks}
        self.suggested_reasons = {**(suggested or roles).ignored_reasons(),
                                  **{name: "leakage" for name in self.leaks}}
        left_out = set(roles.ignored_reasons()) | {name for name in self.leaks if name not in roles.kept}
        for i in range(self.roles_table.rowCount()):  # replaced combos are deleted later: none is found by name
            old = self.roles_table.cellWidget(i, 2)
            if old is not None:
                old.setObjectName("")
        self.roles_table.setRowCount(len(table.columns))
        for i, name in enumerate(table.columns):
            self.roles_table.setItem(i, 0, QTableWidgetItem(name))
            self.roles_table.setItem(i, 1, QTableWidgetItem(QCoreApplication.translate("TablesTab", table.kinds[name])))
            if name == roles.target:
                self.roles_table.removeCellWidget(i, 2)
                self.roles_table.setItem(i, 2, QTableWidgetItem(QCoreApplication.translate("TablesTab", "target")))
                self.roles_table.setItem(i, 3, QTableWidgetItem(""))
                continue
            combo = QComboBox(self.roles_table)
            combo.setObjectName(f"role_{name}")
            combo.addItem(QCoreApplication.translate("TablesTab", "feature"), FEATURE)
            combo.addItem(QCoreApplication.translate("TablesTab", "ignored"), IGNORED)
            combo.setCurrentIndex(1 if name in left_out else 0)
            self.roles_table.setCellWidget(i, 2, combo)
            self.roles_table.setItem(i, 3, QTableWidgetItem(self.why(name, combo.currentData())))
            combo.currentIndexChanged.connect(lambda _i, row=i, column=name, box=combo: self.roles_table.setItem(
                row, 3, QTableWidgetItem(self.why(column, box.currentData()))))
        self.roles_table.resizeColumnToContents(0)  # long column names, whole

    def why(self, name: str, role: str) -> str:
        """The reason shown beside a column in ``role``: why it is left out, or that the person keeps it."""
        from engine.tables.roles import reason_text

        code = self.suggested_reasons.get(name)
        if code is None:
            return reason_text("user") if role == IGNORED else ""
        reason = reason_text(code)
        flag = self.leaks.get(name) if code == "leakage" else None
        if flag is not None:
            from engine.tables.settings import metric_label

            reason = QCoreApplication.translate("TablesTab", "{reason} — {metric} {score}").format(
                reason=reason, metric=metric_label(flag.metric), score=f"{flag.score:.3f}")
        if role == FEATURE and code != "date":  # a date is a feature as suggested: nothing is overridden
            return QCoreApplication.translate("TablesTab", "kept on purpose — {reason}").format(reason=reason)
        return reason

    def overrides(self, suggested: Roles) -> tuple[list[str], list[str]]:
        """(columns to ignore, flagged columns to keep): where the person's choice differs from ``suggested``
        and from the leaks the last mining found."""
        ignore, keep = [], []
        reasons = {**suggested.ignored_reasons(), **{name: "leakage" for name in self.leaks}}
        for i in range(self.roles_table.rowCount()):
            combo = self.roles_table.cellWidget(i, 2)
            if not isinstance(combo, QComboBox):
                continue
            name = self.roles_table.item(i, 0).text()
            wanted = combo.currentData()
            if wanted == IGNORED and name not in reasons:
                ignore.append(name)
            elif wanted == FEATURE and name in reasons:
                keep.append(name)
        return ignore, keep
