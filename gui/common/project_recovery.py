"""Nothing lost on a crash: the window's autosave (into the data folder, never over the person's
file) and, at the next start, the offer to restore what a session that did not close left.

``Recovery`` is a part of ``gui.common.project_actions.ProjectActions``; tests and scripts answer the
offer through its public ``recovery_prompt`` hook (returns True to restore) instead of the dialog.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from engine.core.session import Session
from engine.project import autosave
from engine.project.part import ProjectContext

AUTOSAVE_MS = 3 * 60 * 1000
AUTOSAVE, RECOVERY = "autosave", "recovery"


def save_task(session: Session, path: str, context: ProjectContext, overwrite: bool):
    """The engine's save as a task for a ``TaskOwner`` (Save, Save as and the autosave share it)."""
    from engine.project.files import save_project_task
    from engine.workbench import project_parts

    return (yield from save_project_task(session, project_parts(), path, context=context, overwrite=overwrite))


class Recovery:
    """Mixed into ``ProjectActions``: uses its ``window``, ``session``, ``tasks``, ``signature()``,
    ``_context()``, ``open_project`` and the ``autosaved`` / ``recoveryChecked`` signals."""

    def autosave_now(self) -> None:
        """Into the data folder's autosave, only when something changed since the last one."""
        signature = self.signature()
        if signature == self._autosaved:
            return
        self.tasks.start(AUTOSAVE, save_task, self.session, str(autosave.autosave_path()), self._context(), True,
                         on_done=lambda saved: self._autosave_done(saved, signature),
                         on_error=lambda exc: self.window.show_status(QCoreApplication.translate(
                             "ProjectActions", "The autosave failed: {reason}").format(reason=exc)))

    def _autosave_done(self, saved, signature: tuple) -> None:  # noqa: ANN001 — an engine SavedProject
        self._autosaved = signature
        self.autosaved.emit(str(saved.path))

    def _after_training(self) -> None:
        if self.is_modified():
            self.autosave_now()

    def _check_recovery(self) -> None:
        self.tasks.start(RECOVERY, autosave.crashed_sessions, on_done=self._offer_recovery, on_error=self._failed)

    def _offer_recovery(self, offers: list) -> None:
        if not offers:
            self.recoveryChecked.emit(False)
            return
        offer, *older = offers
        for stale in older:
            autosave.dismiss(stale)
        if self.recovery_prompt(offer):
            self.open_project(str(offer.autosave), recovered=offer)
        else:
            autosave.dismiss(offer)
        self.recoveryChecked.emit(True)

    def _ask_recovery(self, offer: autosave.RecoveryOffer) -> bool:
        answer = QMessageBox.question(
            self.window, QCoreApplication.translate("ProjectActions", "Restore your work?"),
            QCoreApplication.translate("ProjectActions", "DeepMine Workbench did not close properly last time. "
                                       "Restore the work it autosaved at {time}?")
            .format(time=offer.saved.replace("T", " ")[:16]))
        return answer == QMessageBox.StandardButton.Yes
