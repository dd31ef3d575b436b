"""A capture: a few seconds of frames averaged into one set of numbers, and the snapshot
that keeps it for the patient file (no Qt).

The parts; import each by name (this package re-exports nothing):

* :mod:`~posture_cam.capture.averaging` — :class:`~posture_cam.capture.averaging.AveragedCapture`:
  frame results in, the median, spread and count of every metric out, over the frames
  that pass the quality gate and show the dominant view;
* :mod:`~posture_cam.capture.photo` — one photo as such a capture
  (:func:`~posture_cam.capture.photo.photo_stats`): the ± of each of its numbers, the
  one ``visit add`` stores, for ``analyze``;
* :mod:`~posture_cam.capture.hand_points` — numbers from points given by hand
  (``--point``): the points editor's view of a frame, and the parts a video's averaged
  ± of such a number lacks (model, placement);
* :mod:`~posture_cam.capture.snapshot` — the PNG (text metadata) and JSON sidecar a
  capture is saved as, written atomically (``write_snapshot``, ``build_record``), and
  the sidecar's file hashes that the home check and the records cite.

What a capture produces, :class:`~posture_cam.capture_summary.CaptureSummary`, is plain data in
:mod:`posture_cam.capture_summary` at the top level, because the layers below this package read
it too (``markers.uncertainty`` recomputes a corrected capture's ±, while averaging uses
``markers.sticker_error``). The app, home mode, the records and the batch use the
package: home mode and the app's snapshot button through ``averaging``, the records and
the home check through ``snapshot``, the batch for each video's ``aggregate``
(``hand_points`` with ``--point``) and each photo's ± (``photo``).
"""
