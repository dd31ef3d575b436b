"""Where an edited capture goes: a snapshot (PNG + JSON) and the open visit (no Qt here).

The snapshot is written by :mod:`posture_cam.capture.snapshot` like any other (atomic, same
schema), with the corrected numbers as its ``metrics``
(:meth:`~posture_cam.markers.uncertainty.EditedNumbers.summary`: recomputed from the
frozen pose, or a corrected snapshot's own averages where the edit changed nothing; each
with its ± in ``uncertainty``) and a ``points`` block holding the audit trail
(:meth:`PointEditor.to_json`): which points were moved or placed, from where, to where,
by how many pixels and which fraction of the body height, plus how each ± was made
(``points.uncertainty``). The frozen original is never rewritten: ``points.edited_from`` names
it. The image is drawn by the overlay renderer on the edited pose; it rings and names the
points placed by hand (``posture_cam.overlay.points``), and a line along the bottom names
every point corrected by hand.

For a visit, the edited capture becomes a capture through the records' own
:func:`~posture_cam.records.ingest.build_capture`, with the audit trail in
``points_audit`` (a JSON column since revision 0002) and the same numbers and ± as the
saved snapshot.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from posture_cam.capture import snapshot
from posture_cam.capture.snapshot import SnapshotFiles
from posture_cam.i18n import _, using_language
from posture_cam.markers.editor import PointEditor
from posture_cam.markers.uncertainty import EditedNumbers
from posture_cam.records.ingest import CaptureCollector, CaptureData, build_capture

PLACED_BGR = (200, 0, 255)  # magenta: the dialog's colour for a point placed by hand


def stamp_edits(image_bgr: np.ndarray, editor: PointEditor, label: Callable[[str], str]) -> None:
    """One line along the bottom naming the points corrected by hand (in place)."""
    if not editor.edited_names:
        return
    names = ", ".join(label(n) for n in editor.edited_names)
    text = ascii_text(_("Points corrected by hand: {points}").format(points=names))
    h, w = image_bgr.shape[:2]
    scale = max(0.4, h / 1600)
    thickness = max(1, round(scale * 2))
    (tw, th), base = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thickness)
    pad = max(4, th // 2)
    y0 = h - th - base - 2 * pad
    cv2.rectangle(image_bgr, (0, y0), (min(w, tw + 2 * pad), h), (40, 40, 40), -1)
    cv2.putText(
        image_bgr,
        text,
        (pad, h - base - pad),
        cv2.FONT_HERSHEY_SIMPLEX,
        scale,
        PLACED_BGR,
        thickness,
        cv2.LINE_AA,
    )


def ascii_text(text: str) -> str:
    """OpenCV's Hershey fonts draw ASCII only: ë -> e, the rest dropped."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def points_block(numbers: EditedNumbers, frozen: str, edited_from: str | None) -> dict[str, Any]:
    """The sidecar's ``points``: the audit trail, what was frozen and how each ± was made."""
    return {
        **numbers.editor.to_json(),
        "frozen": frozen,
        "edited_from": edited_from,
        "uncertainty": numbers.to_json(),
    }


def write_edited_snapshot(
    numbers: EditedNumbers,
    *,
    folder: str | Path,
    renderer: Any,
    label: Callable[[str], str],
    source: str,
    privacy: str,
    model_path: str | None,
    profile: str | None,
    frozen: str,
    edited_from: str | None,
) -> SnapshotFiles:
    """Write the edited capture as a snapshot (see module docstring).

    Args:
        numbers: the edits (``numbers.editor``) and their numbers with ±.
        folder: the session folder.
        renderer: an overlay renderer (``render(image, result, mirror=False)``).
        label: point name -> its name in the export's language, for the image.
        source: the frozen frame's source id.
        privacy: ``none``, ``blur_face`` or ``skeleton_only``.
        model_path: the pose model used (hashed into the record).
        profile: the calibration profile name, or None.
        frozen: ``frame`` (one live frame) or ``snapshot`` (a snapshot's median pose).
        edited_from: the frozen snapshot's file name, or None.
    """
    editor = numbers.editor
    summary = numbers.summary().to_json(ndigits=None)
    result = editor.result
    # The renderer rings and names every placed point (``overlay.points``).
    stats = numbers.summary().metrics
    plus_minus = {mid: s.uncertainty for mid, s in stats.items()}
    image = renderer.render(
        result.frame.image_bgr, result, mirror=False, plus_minus=plus_minus
    ).copy()
    stamp_edits(image, editor, label)
    record = snapshot.build_record(
        metrics=summary["metrics"],
        # A corrected snapshot stands for the snapshot's frames (its numbers do too).
        quality={"frames": frames_of(numbers), "last_report": result.quality.to_json()},
        view=str(result.view.view),
        source=source,
        privacy=privacy,
        model_path=model_path,
        calibration_profile=profile,
        time=dt.datetime.now().astimezone(),
        extra={
            "capture": summary["capture"],
            "points": points_block(numbers, frozen, edited_from),
            "cm_per_px": result.cm_per_px,
            "roll_deg": result.roll_deg,
        },
        on_model=[mid for mid, m in result.metrics.items() if m.landmarks],
    )
    # A corrected capture is told apart by its name: <snapshot>_points, or for a frozen
    # frame snapshot_<time>_<view>_points.
    base = Path(edited_from).stem if edited_from else None
    base = base or f"snapshot_{dt.datetime.now():%H%M%S}_{result.view.view}"
    return snapshot.write_snapshot(image, record, folder, base + "_points")


def visit_capture(
    numbers: EditedNumbers,
    model_name: str | None,
    model_sha: str | None,
    label: Callable[[str], str],
    kind: str = "live",
) -> CaptureData:
    """The edited capture as a visit capture (``kind``: ``live`` for a protocol step,
    ``snapshot`` for a saved snapshot), its audit trail in ``points_audit``, its numbers
    and ± those of the saved snapshot (:meth:`EditedNumbers.summary`); its images (every
    privacy mode and language) show the placed points and name the points corrected by
    hand, like a saved snapshot.

    Raises:
        InputError: the frozen view is neither front, back nor side (not stored).
    """
    editor = numbers.editor
    collector = CaptureCollector()
    collector.add(editor.result)
    source = editor.result.frame.source_id
    capture = build_capture(source, kind, collector, model_name, model_sha)
    capture.source_file = Path(source).name
    capture.points_audit = editor.audit()
    if numbers.snapshot is not None:
        # The median pose of a snapshot stands for its frames: the quality says so, like
        # the numbers (``EditedNumbers.summary``), not the one frozen frame.
        window = numbers.snapshot.capture
        capture.quality = {
            **capture.quality,
            "frames_seen": window.frames_seen,
            "frames_used": window.frames_used,
        }
    _use_numbers(capture, numbers)
    for (privacy, language), png in capture.images.items():
        image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
        if image is None:
            continue  # build_capture encoded it just now; keep it as it is
        with using_language(language):
            stamp_edits(image, editor, label)
        ok, buf = cv2.imencode(".png", image)
        if ok:
            capture.images[(privacy, language)] = buf.tobytes()
    return capture


def frames_of(numbers: EditedNumbers) -> int:
    """How many frames a corrected capture stands for: 1 (a frozen frame) or the
    snapshot's used frames."""
    return 1 if numbers.snapshot is None else numbers.snapshot.capture.frames_used


def _use_numbers(capture: CaptureData, numbers: EditedNumbers) -> None:
    """The capture's metrics as the corrected numbers (median, spread, status, source, ±)."""
    stats = numbers.summary().metrics
    for m in capture.metrics:
        s = stats.get(m.metric_id)
        if s is None or not s.measured:
            continue
        m.median, m.sd, m.iqr, m.n = s.median, s.sd, s.iqr, s.n_frames
        m.status, m.source = str(s.status), s.source or m.source
        m.uncertainty = s.uncertainty
