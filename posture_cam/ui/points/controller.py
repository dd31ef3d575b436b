"""Opens the point-correction dialog from the main window (menu, shortcut, button).

Two ways to freeze a capture:

* **this frame** (``P``): the newest live result, as drawn (a photo, a paused video, a
  camera frame);
* **the last snapshot** (``Shift+P``): the snapshot's median pose over its hold, on its
  last frame (``SnapshotController.last_shown``); a number the edit changes is
  recomputed from that pose, every other keeps the snapshot's own average and ± (read
  from its sidecar), and the saved result names the snapshot it was made from.

Saving (``Save as snapshot``) while a visit is open also hands the corrected capture to
the visit through :meth:`VisitController.attach_snapshot`, the path a Space snapshot
takes (``ui.records.visit_snapshots``): it fills the current step when it shows that
step's view and passed the quality gate, else it is kept as an extra capture.

The window keeps one hook: ``self.points = PointsController(self)``. Everything else
(the actions, the button, saving, the visit) lives here and uses the window's public
parts: ``session``, ``snapshots``, ``store``, ``visit``, ``notice``, ``session_dir()``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QPushButton

from posture_cam import wording
from posture_cam.capture.snapshot import SnapshotFiles
from posture_cam.capture_summary import CaptureSummary
from posture_cam.errors import PostureCamError
from posture_cam.i18n import _, using_language
from posture_cam.markers.editor import PointEditor
from posture_cam.markers.uncertainty import EditedNumbers
from posture_cam.records.ingest import CaptureData
from posture_cam.ui.points import save as saving
from posture_cam.ui.points.dialog import PointsDialog, point_label


class PointsController(QObject):
    """The main window's way into point correction.

    Args:
        window: the :class:`~posture_cam.ui.window.main_window.MainWindow`.
        export_renderer_factory: ``(privacy, language) -> renderer`` for the saved image
            (the window's snapshot renderer).
    """

    def __init__(self, window: Any, export_renderer_factory: Callable[[str, str], Any]) -> None:
        super().__init__(window)
        self.window = window
        self._renderer_factory = export_renderer_factory
        self.dialog: PointsDialog | None = None
        self.last_saved: SnapshotFiles | None = None
        self.frame_action = self._action("P", self.correct_frame)
        self.snapshot_action = self._action("Shift+P", self.correct_snapshot)
        menu = window.window_actions.menus.get("menu_file")
        if menu is not None:
            first = menu.actions()[0] if menu.actions() else None
            for action in (self.frame_action, self.snapshot_action):
                menu.insertAction(first, action)
            menu.insertSeparator(first)
        self.button = QPushButton()
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep keys for the shortcuts
        self.button.clicked.connect(self.correct_frame)
        window.add_side_widget(self.button)
        window.store.settingsChanged.connect(lambda *_a: self.retranslate())
        self.retranslate()

    def _action(self, keys: str, slot: Any) -> QAction:
        action = QAction(self.window)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.window.addAction(action)
        return action

    def retranslate(self) -> None:
        with using_language(self.window.store.language):
            self.frame_action.setText(_("Correct points on this frame…"))
            self.snapshot_action.setText(_("Correct points on the last snapshot…"))
            self.button.setText(_("Correct points") + "  (P)")
            self.button.setToolTip(
                _("Freeze this frame, drag landmarks or place named points; numbers update.")
            )

    # -- freezing ---------------------------------------------------------------------

    def correct_frame(self) -> PointsDialog | None:
        """Freeze the newest live result and open the dialog (non-modal)."""
        latest = self.window.session.latest
        result = latest.result if latest is not None else None
        return self._open(result, _("this frame"), "frame", None)

    def correct_snapshot(self) -> PointsDialog | None:
        """Freeze the last snapshot's median pose and open the dialog."""
        snaps = self.window.snapshots
        shown = getattr(snaps, "last_shown", None)
        files = snaps.last_files
        if shown is None or files is None:
            self._notice(_("Take a snapshot first (Space)."))
            return None
        title = _("snapshot {name}").format(name=files.png.name)
        return self._open(shown, title, "snapshot", files)

    def _open(self, result: Any, title: str, kind: str, files: Any) -> PointsDialog | None:
        if result is None or result.pose_image is None:
            self._notice(_("No person in the picture: nothing to correct."))
            return None
        editor = PointEditor(result, self._corrector(result.frame.resolution_wh))
        edited_from = files.png.name if files is not None else None

        def save(numbers: EditedNumbers) -> str:
            return self._save(numbers, kind, edited_from)

        visit = self.window.visit.visit
        use = self._use_in_visit if visit is not None and visit.visit_id is None else None
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = PointsDialog(
            editor,
            self.window.store.language,
            title,
            save,
            use,
            parent=self.window,
            snapshot=_snapshot_summary(files),
            # The privacy setting (blur face, skeleton only) holds on screen here too.
            privacy=self.window.store.settings.records_image(shown=True),
        )
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.dialog.destroyed.connect(self._forget)
        self.dialog.show()
        return self.dialog

    def _forget(self, *_args: object) -> None:
        self.dialog = None

    def _corrector(self, resolution_wh: tuple[int, int]) -> Any:
        """The calibration applied to the live frames, at their resolution (or None)."""
        name = self.window.store.config.profile
        if not name:
            return None
        from posture_cam.calibration import load_profile

        try:
            return load_profile(name).for_resolution((int(resolution_wh[0]), int(resolution_wh[1])))
        except PostureCamError:
            return None  # the live session failed the same way and says why

    # -- output -----------------------------------------------------------------------

    def _save(self, numbers: EditedNumbers, kind: str, edited_from: str | None) -> str:
        editor = numbers.editor
        s = self.window.store.settings
        info = self.window.session.source_info
        try:
            files = saving.write_edited_snapshot(
                numbers,
                folder=self.window.session_dir(),
                renderer=self._renderer_factory(s.export_privacy, s.language),
                label=point_label,
                source=editor.frozen.frame.source_id,
                privacy=s.export_privacy,
                model_path=info.model_path if info else None,
                profile=self.window.store.config.profile,
                frozen=kind,
                edited_from=edited_from,
            )
        except (PostureCamError, OSError, ValueError) as exc:
            return _("Not saved: {reason}").format(reason=exc)
        self.last_saved = files
        saved = _("Saved {name} in {folder}").format(name=files.png.name, folder=files.folder)
        controller = self.window.visit
        if not controller.visit_open:
            return saved
        # Like a Space snapshot during a visit: it belongs to the visit.
        try:
            capture = self._visit_capture(numbers, "snapshot")
        except PostureCamError as exc:
            # The problem only: a file name and the CLI's hint mean nothing here.
            reason = getattr(exc, "problem", None) or str(exc)
            return saved + " " + _("Not added to the visit: {reason}").format(reason=reason)
        controller.attach_snapshot(capture)
        return saved + " " + _("Added to the open visit.")

    def _visit_capture(self, numbers: EditedNumbers, kind: str) -> CaptureData:
        from posture_cam.capture.snapshot import file_sha256

        info = self.window.session.source_info
        model = info.model_path if info else None
        name = Path(model).name if model else None
        return saving.visit_capture(numbers, name, file_sha256(model), point_label, kind)

    def _use_in_visit(self, numbers: EditedNumbers) -> str:
        controller = self.window.visit
        visit = controller.visit
        if visit is None or visit.visit_id is not None:
            return _("Open a visit first (patient panel).")
        try:
            capture = self._visit_capture(numbers, "live")
        except PostureCamError as exc:
            return _("Not used in the visit: {reason}").format(reason=exc)
        view = wording.view_name(capture.view)
        if capture.view not in visit.protocol:
            return _("This visit has no {view} step.").format(view=view)
        visit.steps[capture.view] = capture
        # Move on past the steps already done, as a capture from the live view would.
        while visit.index < len(visit.protocol) and visit.protocol[visit.index] in visit.steps:
            visit.index += 1
        controller.changed.emit()
        return _("Used as the {view} capture of the visit (with its point audit).").format(
            view=view
        )

    def _notice(self, text: str) -> None:
        self.window.notice.show_notice(text, error=True)


def _snapshot_summary(files: SnapshotFiles | None) -> CaptureSummary | None:
    """The averaged summary a snapshot's sidecar holds (None: a frame, or a sidecar that
    cannot be read: then every number is recomputed from the median pose)."""
    if files is None:
        return None
    try:
        record = json.loads(Path(files.sidecar).read_text(encoding="utf-8"))
        return CaptureSummary.from_json(record)
    except (OSError, ValueError, KeyError, TypeError):
        return None
