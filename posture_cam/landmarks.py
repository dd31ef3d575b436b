"""BlazePose landmark ids (0-based), skeleton edges and the left/right mirror map.

"Left" and "right" are always the patient's anatomical sides, as MediaPipe reports
them. In a front view the patient's left shoulder appears on the image's right
(larger x); in a back view it appears on the image's left.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from posture_cam.i18n import N_

NUM_LANDMARKS = 33


class LM(IntEnum):
    """BlazePose landmark indices."""

    NOSE = 0
    LEFT_EYE_INNER = 1
    LEFT_EYE = 2
    LEFT_EYE_OUTER = 3
    RIGHT_EYE_INNER = 4
    RIGHT_EYE = 5
    RIGHT_EYE_OUTER = 6
    LEFT_EAR = 7
    RIGHT_EAR = 8
    MOUTH_LEFT = 9
    MOUTH_RIGHT = 10
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_ELBOW = 13
    RIGHT_ELBOW = 14
    LEFT_WRIST = 15
    RIGHT_WRIST = 16
    LEFT_PINKY = 17
    RIGHT_PINKY = 18
    LEFT_INDEX = 19
    RIGHT_INDEX = 20
    LEFT_THUMB = 21
    RIGHT_THUMB = 22
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT_INDEX = 31
    RIGHT_FOOT_INDEX = 32


LANDMARK_NAMES: tuple[str, ...] = tuple(m.name.lower() for m in LM)

#: Landmarks in plain words, for messages a person reads (English msgids; translate
#: with ``posture_cam.i18n``). "left" is the patient's left.
LANDMARK_WORDS: tuple[str, ...] = (
    N_("nose"),
    N_("left eye (inner corner)"),
    N_("left eye"),
    N_("left eye (outer corner)"),
    N_("right eye (inner corner)"),
    N_("right eye"),
    N_("right eye (outer corner)"),
    N_("left ear"),
    N_("right ear"),
    N_("mouth (left corner)"),
    N_("mouth (right corner)"),
    N_("left shoulder"),
    N_("right shoulder"),
    N_("left elbow"),
    N_("right elbow"),
    N_("left wrist"),
    N_("right wrist"),
    N_("left little finger"),
    N_("right little finger"),
    N_("left index finger"),
    N_("right index finger"),
    N_("left thumb"),
    N_("right thumb"),
    N_("left hip"),
    N_("right hip"),
    N_("left knee"),
    N_("right knee"),
    N_("left ankle"),
    N_("right ankle"),
    N_("left heel"),
    N_("right heel"),
    N_("left toes"),
    N_("right toes"),
)

#: Pairs (left id, right id) of bilateral landmarks.
LEFT_RIGHT_PAIRS: tuple[tuple[int, int], ...] = (
    (LM.LEFT_EYE_INNER, LM.RIGHT_EYE_INNER),
    (LM.LEFT_EYE, LM.RIGHT_EYE),
    (LM.LEFT_EYE_OUTER, LM.RIGHT_EYE_OUTER),
    (LM.LEFT_EAR, LM.RIGHT_EAR),
    (LM.MOUTH_LEFT, LM.MOUTH_RIGHT),
    (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER),
    (LM.LEFT_ELBOW, LM.RIGHT_ELBOW),
    (LM.LEFT_WRIST, LM.RIGHT_WRIST),
    (LM.LEFT_PINKY, LM.RIGHT_PINKY),
    (LM.LEFT_INDEX, LM.RIGHT_INDEX),
    (LM.LEFT_THUMB, LM.RIGHT_THUMB),
    (LM.LEFT_HIP, LM.RIGHT_HIP),
    (LM.LEFT_KNEE, LM.RIGHT_KNEE),
    (LM.LEFT_ANKLE, LM.RIGHT_ANKLE),
    (LM.LEFT_HEEL, LM.RIGHT_HEEL),
    (LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX),
)


def _mirror_index() -> np.ndarray:
    index = np.arange(NUM_LANDMARKS)
    for left, right in LEFT_RIGHT_PAIRS:
        index[left], index[right] = right, left
    return index


#: ``MIRROR_INDEX[i]`` is the id of the anatomical twin of landmark ``i`` (itself for the nose).
MIRROR_INDEX: np.ndarray = _mirror_index()

LEFT_IDS: frozenset[int] = frozenset(int(a) for a, _ in LEFT_RIGHT_PAIRS)
RIGHT_IDS: frozenset[int] = frozenset(int(b) for _, b in LEFT_RIGHT_PAIRS)

#: Skeleton edges (0-based landmark ids) for drawing.
SKELETON_EDGES: tuple[tuple[int, int], ...] = (
    (LM.LEFT_EAR, LM.LEFT_EYE),
    (LM.LEFT_EYE, LM.NOSE),
    (LM.NOSE, LM.RIGHT_EYE),
    (LM.RIGHT_EYE, LM.RIGHT_EAR),
    (LM.MOUTH_LEFT, LM.MOUTH_RIGHT),
    (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER),
    (LM.LEFT_SHOULDER, LM.LEFT_ELBOW),
    (LM.LEFT_ELBOW, LM.LEFT_WRIST),
    (LM.RIGHT_SHOULDER, LM.RIGHT_ELBOW),
    (LM.RIGHT_ELBOW, LM.RIGHT_WRIST),
    (LM.LEFT_SHOULDER, LM.LEFT_HIP),
    (LM.RIGHT_SHOULDER, LM.RIGHT_HIP),
    (LM.LEFT_HIP, LM.RIGHT_HIP),
    (LM.LEFT_HIP, LM.LEFT_KNEE),
    (LM.LEFT_KNEE, LM.LEFT_ANKLE),
    (LM.LEFT_ANKLE, LM.LEFT_HEEL),
    (LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX),
    (LM.LEFT_ANKLE, LM.LEFT_FOOT_INDEX),
    (LM.RIGHT_HIP, LM.RIGHT_KNEE),
    (LM.RIGHT_KNEE, LM.RIGHT_ANKLE),
    (LM.RIGHT_ANKLE, LM.RIGHT_HEEL),
    (LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX),
    (LM.RIGHT_ANKLE, LM.RIGHT_FOOT_INDEX),
)


def side_of(landmark_id: int) -> str:
    """Return ``"left"``, ``"right"`` or ``"center"`` for a landmark id (anatomical side)."""
    if landmark_id in LEFT_IDS:
        return "left"
    if landmark_id in RIGHT_IDS:
        return "right"
    return "center"
