"""Digits → Export model…: the model on the canvas written as Keras, LiteRT and TensorFlow SavedModel
files (with its card and a README) by the TensorFlow worker, never in the window's process.

``ModelExport`` is a part of ``gui.common.project_actions.ProjectActions`` (its ``export_model`` is
the menu action's slot and the scripted entry: pass ``out_dir`` to skip the dialog). A table-model
export belongs here too, beside the digit one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog

EXPORT = "model-export"


def _export_digits(files: Any, out_dir: str, overwrite: bool):
    from engine.project.export import export_digit_model_job
    from engine.project.parts.digits import model_card
    from engine.worker import in_worker

    return (yield from in_worker(export_digit_model_job, files.keras_path, files.tflite_path, model_card(files.info),
                                 out_dir, overwrite))


class ModelExport:
    """Mixed into ``ProjectActions``: uses its ``window``, ``tasks``, ``exported`` signal and ``_failed``."""

    def export_model(self, out_dir: str | None = None) -> None:
        tab = self.window.digit_tab
        if tab is None or tab.model is None:
            self._failed(RuntimeError(QCoreApplication.translate("ProjectActions",
                                                                 "There is no digit model to export yet.")))
            return
        overwrite = False
        if out_dir is None:
            title = QCoreApplication.translate("ProjectActions", "Export the digit model to a new folder")
            out_dir, _ = QFileDialog.getSaveFileName(self.window, title, str(Path(self._folder()) / "digit-model"))
            if not out_dir:
                return
            overwrite = True  # the dialog asked before replacing
        self.tasks.start(EXPORT, _export_digits, tab.model.files, out_dir, overwrite,
                         on_done=lambda names: self._exported(out_dir, names), on_error=self._failed)

    def _exported(self, out_dir: str, names: list[str]) -> None:
        self.window.show_status(QCoreApplication.translate("ProjectActions", "Exported the model to {path}: {files}.")
                                .format(path=out_dir, files=", ".join(names)))
        self.exported.emit(out_dir)
