"""Typed results of ``posture-cam analyze`` and :func:`posture_cam.batch.analysis.analyze`.

An :class:`AnalysisReport` holds one :class:`InputReport` per photo or video, in input
order. ``to_json()`` gives the document ``analyze --json`` prints (JSON data, never a
string; described by docs/schema/analyze.schema.json) and ``from_json`` reads it back.
The per-frame records are that document's ``frames`` entries (see
:func:`posture_cam.batch.serialize.frame_result_to_json`): plain JSON, because a long
video's frames would otherwise keep every landmark array alive twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from posture_cam.capture_summary import CaptureSummary
from posture_cam.metrics.catalogue import is_proxy


@dataclass(frozen=True)
class InputReport:
    """Results of one input file.

    Attributes:
        source: the file as given.
        kind: ``image`` or ``video``.
        frames: one JSON record per analysed frame (index, t_ms, person_found,
            num_people, landmarks, view, quality, metrics, markers).
        fps: the video's frame rate, None for a photo.
        aggregate: the video's averaged capture over all frames, None for a photo.
        output: the annotated PNG / MP4 written (``--out``), else None.
        error: why the input could not be read completely, else None.
        output_error: why the annotated output was not written, else None.
        models: the file names of the models that placed the landmarks (the pose
            model; on photos also the second keypoint model when it was weighed in).
    """

    source: str
    kind: str
    frames: Sequence[Mapping[str, Any]] = ()
    fps: float | None = None
    aggregate: CaptureSummary | None = None
    output: str | None = None
    error: str | None = None
    output_error: str | None = None
    models: tuple[str, ...] = ()

    @property
    def frame_count(self) -> int:
        return len(self.frames)

    @property
    def frames_with_person(self) -> int:
        return sum(1 for f in self.frames if f.get("person_found"))

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"source": self.source, "kind": self.kind}
        if self.fps is not None:
            doc["fps"] = round(self.fps, 3)
        doc["frame_count"] = self.frame_count
        if self.models:
            doc["models"] = list(self.models)
        doc["frames"] = [dict(f) for f in self.frames]
        if self.aggregate is not None:
            doc["aggregate"] = self.aggregate.to_json()
            for mid, entry in doc["aggregate"]["metrics"].items():
                measured = entry.get("median") is not None
                entry["proxy"] = measured and is_proxy(mid, entry.get("source"))
        if self.output:
            doc["output"] = self.output
        if self.error:
            doc["error"] = self.error
        if self.output_error:
            doc["output_error"] = self.output_error
        return doc

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> InputReport:
        aggregate = data.get("aggregate")
        return cls(
            source=data["source"],
            kind=data["kind"],
            frames=tuple(data.get("frames", ())),
            fps=data.get("fps"),
            aggregate=CaptureSummary.from_json(aggregate) if aggregate is not None else None,
            output=data.get("output"),
            error=data.get("error"),
            output_error=data.get("output_error"),
            models=tuple(data.get("models", ())),
        )


@dataclass(frozen=True)
class AnalysisReport:
    """Results of a batch, in input order.

    Attributes:
        inputs: one report per input that could be opened.
        failed_inputs: inputs that could not be opened or read completely.
        failed_outputs: annotated outputs that could not be written.
    """

    inputs: Sequence[InputReport] = field(default_factory=tuple)
    failed_inputs: int = 0
    failed_outputs: int = 0

    @property
    def inputs_ok(self) -> int:
        return sum(1 for r in self.inputs if r.error is None)

    @property
    def frames(self) -> int:
        return sum(r.frame_count for r in self.inputs)

    @property
    def frames_with_person(self) -> int:
        return sum(r.frames_with_person for r in self.inputs)

    def to_json(self) -> dict[str, Any]:
        """The ``analyze --json`` document: ``{"inputs": [...]}``."""
        return {"inputs": [r.to_json() for r in self.inputs]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AnalysisReport:
        """Read a document back; ``failed_inputs`` counts the inputs it records with an
        error and those it lists as not opened at all (``failed_inputs``, written by
        ``analyze --json``)."""
        inputs = tuple(InputReport.from_json(r) for r in data.get("inputs", ()))
        not_opened = len(data.get("failed_inputs", ()))
        return cls(inputs, failed_inputs=sum(1 for r in inputs if r.error) + not_opened)
