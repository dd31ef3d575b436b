"""The measuring pages of the calibration wizard: lens, level and scale.

Each page reads the newest frame the main window received (``WizardContext.frame``),
at most :data:`REFRESH_MS` apart and only while it is the wizard's current page. The
live readings are the core's own functions (``estimate_roll_from_board``,
``scale_from_marker``, ``scale_from_height``); a button saves the frame behind the
reading through :mod:`posture_cam.ui.calibration.steps`. The lens calibration (seconds)
runs in a :class:`~posture_cam.ui.calibration.widgets.LensJob` thread.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import (
    QButtonGroup,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from posture_cam.calibration import lens
from posture_cam.calibration.board import PAPER_SCALE_MARKER_MM, detect_charuco
from posture_cam.calibration.level import RollEstimate, estimate_roll_from_board, roll_from_points
from posture_cam.calibration.scale import (
    ScaleEstimate,
    ScaleProblem,
    scale_from_height,
    scale_from_marker,
)
from posture_cam.i18n import N_, _, ngettext, using_language
from posture_cam.types import FrameResult
from posture_cam.ui.calibration import steps
from posture_cam.ui.calibration.widgets import LensJob, MeasurePage, WizardContext

#: Two lens views whose board outlines differ by less than this (fraction of the image
#: diagonal) are the same view.
SIMILAR_VIEW = 0.03


class LevelPage(MeasurePage):
    """Camera roll from the board (live) or from two clicked points on a true vertical."""

    def __init__(self, ctx: WizardContext) -> None:
        super().__init__(
            ctx,
            N_("Level"),
            N_(
                "Hang the printed board flat at the patient's position, its rows level (check "
                "with a spirit level)."
            ),
        )
        self.estimate: RollEstimate | None = None
        self._estimate_frame: np.ndarray | None = None
        self._frozen: np.ndarray | None = None
        self.use_button = QPushButton(self.t(_("Use this level")))
        self.use_button.setEnabled(False)
        self.points_hint = QLabel(
            self.t(
                _(
                    "Or click two points on a true vertical (plumb line, door edge checked "
                    "with a spirit level):"
                )
            )
        )
        self.points_hint.setWordWrap(True)
        self.points_reading = QLabel()
        self.use_points_button = QPushButton(self.t(_("Use these points")))
        self.use_points_button.setEnabled(False)
        self.clear_points_button = QPushButton(self.t(_("Clear points")))
        row = QHBoxLayout()
        row.addWidget(self.points_reading, 1)
        row.addWidget(self.use_points_button)
        row.addWidget(self.clear_points_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.image, 1)
        layout.addWidget(self.reading)
        layout.addWidget(self.use_button)
        layout.addWidget(self.points_hint)
        layout.addLayout(row)
        layout.addWidget(self.result)
        self.use_button.clicked.connect(self._on_use_level_clicked)
        self.use_points_button.clicked.connect(self._on_use_points_clicked)
        self.clear_points_button.clicked.connect(self.clear_points)
        self.image.pointClicked.connect(self._on_point_clicked)

    def update_reading(self, frame: np.ndarray) -> None:
        if self._frozen is None:
            self.image.show_frame(frame)
        est = estimate_roll_from_board(frame, self.ctx.undistort(frame))
        self.estimate, self._estimate_frame = est, frame if est is not None else None
        self.use_button.setEnabled(est is not None)
        if est is None:
            self.reading.setText(
                self.t(_("no board in view: hang the printed board level and fully visible"))
            )
            return
        if steps.level_state(est) == "level":
            text = _("camera level: {roll:+.2f}°, {corners} corners ✓")
        else:
            text = _("camera tilted {roll:+.2f}°, {corners} corners")
        self.reading.setText(self.t(text, roll=est.roll_deg, corners=est.support))

    def _on_use_level_clicked(self) -> None:
        frame, ctx = self._estimate_frame, self.ctx
        if frame is not None:
            self.show_saved(
                lambda: steps.save_level_from_board(frame, ctx.profile_name, ctx.camera_id)
            )

    def _on_point_clicked(self, x: float, y: float) -> None:
        points = self.image.points
        if len(points) != 1:  # first point, or a third click: start again on this frame
            self._frozen = self._last_frame
            self.image.show_frame(self._frozen)
            points = []
        self.image.set_points([*points, (x, y)])
        self._update_points()

    def clear_points(self) -> None:
        self._frozen = None
        self.image.set_points([])
        if self._last_frame is not None:
            self.image.show_frame(self._last_frame)
        self._update_points()

    def points_estimate(self) -> RollEstimate | None:
        if len(self.image.points) != 2:
            return None
        (x1, y1), (x2, y2) = self.image.points
        try:
            return roll_from_points(x1, y1, x2, y2, "vertical")
        except ValueError:
            return None

    def _update_points(self) -> None:
        est = self.points_estimate()
        self.use_points_button.setEnabled(est is not None and self._frozen is not None)
        if len(self.image.points) == 1:
            self.points_reading.setText(self.t(_("click the second point")))
        elif est is not None:
            msg = _("two points: camera tilted {roll:+.2f}° (±{res:.2f}° per pixel of click error)")
            self.points_reading.setText(self.t(msg, roll=est.roll_deg, res=est.residual_deg))
        else:
            self.points_reading.setText("")

    def _on_use_points_clicked(self) -> None:
        frame, ctx = self._frozen, self.ctx
        if frame is None or len(self.image.points) != 2:
            return
        (x1, y1), (x2, y2) = self.image.points
        self.show_saved(
            lambda: steps.save_level_from_points(
                frame, (x1, y1, x2, y2), ctx.profile_name, ctx.camera_id
            )
        )


class ScalePage(MeasurePage):
    """cm per pixel from an ArUco marker (live) or from the patient's height and pose."""

    def __init__(self, ctx: WizardContext) -> None:
        super().__init__(
            ctx,
            N_("Scale"),
            N_("The scale holds only where the patient stands, facing the camera."),
        )
        self.estimate: ScaleEstimate | None = None
        # The frame (marker) or the live result (pose) behind the reading.
        self._source: np.ndarray | FrameResult | None = None
        self.marker_radio = QRadioButton(self.t(_("ArUco marker of known size")))
        self.height_radio = QRadioButton(self.t(_("Patient height (approximate, ±3 %)")))
        self.marker_radio.setChecked(True)
        self._group = QButtonGroup(self)
        self._group.addButton(self.marker_radio)
        self._group.addButton(self.height_radio)
        self.marker_cm = QDoubleSpinBox(decimals=1, minimum=1.0, maximum=100.0, suffix=" cm")
        self.marker_cm.setValue(PAPER_SCALE_MARKER_MM["A4"] / 10.0)
        self.height_cm = QDoubleSpinBox(decimals=1, minimum=50.0, maximum=250.0, suffix=" cm")
        self.height_cm.setValue(170.0)
        self.use_button = QPushButton(self.t(_("Use this scale")))
        self.use_button.setEnabled(False)
        grid = QGridLayout()
        grid.addWidget(self.marker_radio, 0, 0)
        grid.addWidget(self.marker_cm, 0, 1)
        grid.addWidget(self.height_radio, 1, 0)
        grid.addWidget(self.height_cm, 1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.image, 1)
        layout.addWidget(self.reading)
        layout.addWidget(self.use_button)
        layout.addWidget(self.result)
        self.use_button.clicked.connect(self._on_use_scale_clicked)
        for signal in (
            self.marker_radio.toggled,
            self.marker_cm.valueChanged,
            self.height_cm.valueChanged,
        ):
            signal.connect(self._on_method_changed)

    def _on_method_changed(self, *_args: object) -> None:
        self.refresh(force=True)  # read the current frame again with the new input

    def update_reading(self, frame: np.ndarray) -> None:
        self.image.show_frame(frame)
        self.estimate, self._source = None, None
        try:
            if self.marker_radio.isChecked():
                est = scale_from_marker(frame, self.marker_cm.value(), self.ctx.undistort(frame))
                source: np.ndarray | FrameResult = frame
            else:
                result = self.ctx.latest_result()
                pose = None if result is None else result.pose_image
                if result is None or pose is None:
                    raise ScaleProblem(_("no person in view: the patient must stand fully in view"))
                est = scale_from_height(
                    self.ctx.profile().correct_pose(pose), self.height_cm.value()
                )
                source = result
        except ScaleProblem as exc:
            self.reading.setText(str(exc))
            self.use_button.setEnabled(False)
            return
        self.estimate, self._source = est, source
        self.use_button.setEnabled(True)
        self.reading.setText(
            self.t(_("{value:.4f} cm per pixel: {detail}"), value=est.cm_per_px, detail=est.detail)
        )

    def _on_use_scale_clicked(self) -> None:
        ctx, source = self.ctx, self._source
        if source is None:
            return
        if isinstance(source, np.ndarray):
            cm = self.marker_cm.value()
            self.show_saved(
                lambda: steps.save_scale_from_marker(source, cm, ctx.profile_name, ctx.camera_id)
            )
        elif source.pose_image is not None:
            pose, height = source.pose_image, self.height_cm.value()
            self.show_saved(
                lambda: steps.save_scale_from_pose(
                    pose,
                    height,
                    ctx.profile_name,
                    ctx.camera_id,
                    f"live pose from {source.frame.source_id}",
                )
            )


class LensPage(MeasurePage):
    """Capture views of the board, then calibrate the lens in a worker thread."""

    def __init__(self, ctx: WizardContext) -> None:
        super().__init__(
            ctx,
            N_("Lens (optional)"),
            N_(
                "For wide-angle webcams; do it before level and scale, which then use it. Hold "
                "the board at different places (centre, corners, edges), tilted, and capture a "
                "view each time: at least 5, better 10-20. Press Next to skip."
            ),
        )
        self.views: list[np.ndarray] = []
        self._outlines: list[np.ndarray] = []
        self.job: LensJob | None = None
        self.count = QLabel()
        self.capture_button = QPushButton(self.t(_("Capture view")))
        self.clear_button = QPushButton(self.t(_("Clear views")))
        self.calibrate_button = QPushButton(self.t(_("Calibrate")))
        row = QHBoxLayout()
        row.addWidget(self.count, 1)
        for button in (self.capture_button, self.clear_button, self.calibrate_button):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.image, 1)
        layout.addWidget(self.reading)
        layout.addLayout(row)
        layout.addWidget(self.result)
        self.capture_button.clicked.connect(self.capture)
        self.clear_button.clicked.connect(self._on_clear_clicked)
        self.calibrate_button.clicked.connect(self.calibrate)
        self._update_buttons()

    def update_reading(self, frame: np.ndarray) -> None:
        self.image.show_frame(frame)

    def capture(self) -> bool:
        """Keep the newest frame as a lens view when the board is usable in it."""
        frame = self.ctx.frame()
        if frame is None:
            self.reading.setText(self.t(_("no camera image")))
            return False
        det = detect_charuco(frame, min_corners=1)
        corners = 0 if det is None else det.num_corners
        if corners < lens.MIN_CORNERS_PER_VIEW:
            self.reading.setText(
                self.t(
                    _("only {corners} board corners in view (need {need}): show the whole board"),
                    corners=corners,
                    need=lens.MIN_CORNERS_PER_VIEW,
                )
            )
            return False
        assert det is not None  # corners > 0
        pts = det.corners_px
        outline = np.array([*pts.min(axis=0), *pts.max(axis=0)])
        diagonal = float(np.hypot(frame.shape[0], frame.shape[1]))
        for i, other in enumerate(self._outlines):
            if np.max(np.abs(outline - other)) < SIMILAR_VIEW * diagonal:
                self.reading.setText(
                    self.t(_("too much like view {n}: move or tilt the board"), n=i + 1)
                )
                return False
        self.views.append(frame.copy())
        self._outlines.append(outline)
        self.reading.setText(
            self.t(_("view {n} captured ({corners} corners)"), n=len(self.views), corners=corners)
        )
        self._update_buttons()
        return True

    def _on_clear_clicked(self) -> None:
        self.views.clear()
        self._outlines.clear()
        self.result.setText("")
        self._update_buttons()

    def calibrate(self) -> None:
        """Start the lens calibration on the captured views (runs in a thread)."""
        if self.busy or len(self.views) < lens.MIN_VIEWS:
            return
        self.result.setStyleSheet("")
        self.result.setText(self.t(_("Calibrating… (a few seconds)")))
        self.job = LensJob(self.views, self.ctx.profile_name, self.ctx.camera_id, self)
        self.job.calibrated.connect(self._on_lens_calibrated)
        self.job.failed.connect(self._on_lens_failed)
        self.job.finished.connect(self._update_buttons)
        self.job.start()
        self._update_buttons()

    @property
    def busy(self) -> bool:
        return self.job is not None and not self.job.isFinished()

    def wait(self) -> None:
        """Block until a running calibration has ended (it cannot be interrupted)."""
        if self.job is not None:
            self.job.wait()

    def _on_lens_calibrated(self, step: steps.workflow.StepResult) -> None:
        self.show_saved(lambda: step)

    def _on_lens_failed(self, message: str) -> None:
        self.result.setStyleSheet("color: #c0392b;")
        self.result.setText(message)

    def _update_buttons(self) -> None:
        n = len(self.views)
        with using_language(self.ctx.language):
            text = ngettext(
                "{n} view captured (need {need})", "{n} views captured (need {need})", n
            )
        self.count.setText(text.format(n=n, need=lens.MIN_VIEWS))
        self.capture_button.setEnabled(not self.busy)
        self.clear_button.setEnabled(not self.busy and n > 0)
        self.calibrate_button.setEnabled(not self.busy and n >= lens.MIN_VIEWS)
