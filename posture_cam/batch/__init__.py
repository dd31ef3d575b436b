"""Batch analysis of photos and videos: the engine of ``posture-cam analyze`` and of the
Python API (no Qt).

One job: files in, one typed report out, in input order. The parts:

* :mod:`~posture_cam.batch.analysis` — chooses the model and the calibration once,
  hands the inputs out (in this process, or ``jobs`` at a time in worker processes,
  longest first: :func:`~posture_cam.batch.analysis.work_estimate`) and gathers the
  report: :func:`analyze_inputs`, and :func:`analyze` for one path;
* :mod:`~posture_cam.batch.one_input` — one photo or video through a pipeline
  (:class:`~posture_cam.batch.one_input.InputRunner`), with its annotated output;
* :mod:`~posture_cam.batch.results` — the report: :class:`AnalysisReport`, one
  :class:`InputReport` per input (``to_json()`` is the document ``analyze --json``
  prints, docs/schema/analyze.schema.json);
* :mod:`~posture_cam.batch.serialize` — one frame's result as JSON (a report's
  ``frames`` entries).

The worker processes come from :mod:`posture_cam.runtime.process_pool`; each input's
average is an :class:`~posture_cam.capture.averaging.AveragedCapture`.

The Python API is imported from here::

    from posture_cam.batch import analyze

    report = analyze("session.mp4", view="left")
"""

from posture_cam.batch.analysis import analyze, analyze_inputs
from posture_cam.batch.results import AnalysisReport, InputReport

__all__ = ["AnalysisReport", "InputReport", "analyze", "analyze_inputs"]
