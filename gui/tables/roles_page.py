"""The Tables workspace's Column roles page: each column's role (target, feature, ignored) with the reason a
column is left out, changeable; the person's changes become a ``RoleChoice``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QTableWidgetItem, QVBoxLayout, QWidget

from gui.tables.data_page import read_only_table

if TYPE_CHECKING:  # pandas
    from engine.tables.roles import Roles
    from engine.tables.table import Table


class TableRolesPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.roles_table = read_only_table(self, "columnRolesTable", [
            QCoreApplication.translate("TablesTab", "column"), QCoreApplication.translate("TablesTab", "type"),
            QCoreApplication.translate("TablesTab", "role"), QCoreApplication.translate("TablesTab", "why")])
        self.roles_table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.roles_table)

    def clear(self) -> None:
        self.roles_table.setRowCount(0)

    def show_roles(self, table: Table, roles: Roles) -> None:
        from engine.tables.roles import reason_text

        reasons = roles.ignored_reasons()
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
            combo.addItem(QCoreApplication.translate("TablesTab", "feature"), "feature")
            combo.addItem(QCoreApplication.translate("TablesTab", "ignored"), "ignored")
            combo.setCurrentIndex(1 if name in reasons else 0)
            self.roles_table.setCellWidget(i, 2, combo)
            self.roles_table.setItem(i, 3, QTableWidgetItem(reason_text(reasons[name]) if name in reasons else ""))
        self.roles_table.resizeColumnToContents(0)  # long column names, whole

    def overrides(self, suggested: Roles) -> tuple[list[str], list[str]]:
        """(columns to ignore, flagged columns to keep): where the person's choice differs from ``suggested``."""
        ignore, keep = [], []
        reasons = suggested.ignored_reasons()
        for i in range(self.roles_table.rowCount()):
            combo = self.roles_table.cellWidget(i, 2)
            if not isinstance(combo, QComboBox):
                continue
            name = self.roles_table.item(i, 0).text()
            wanted = combo.currentData()
            if wanted == "ignored" and name not in reasons:
                ignore.append(name)
            elif wanted == "feature" and name in reasons:
                keep.append(name)
        return ignore, keep
