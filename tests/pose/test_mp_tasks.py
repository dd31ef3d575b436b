"""pose.mp_tasks: the pose landmarker's MediaPipe classes without the rest of MediaPipe.

Each check runs in a fresh interpreter: what matters is which modules a process that
starts from nothing ends up importing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PHOTO = "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg"


def _run(code: str) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON object as its last line."""
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_only_the_pose_landmarker_is_imported_and_telemetry_is_blocked_first():
    seen = _run(
        """
        import json, os, sys
        from posture_cam.runtime import no_telemetry
        from posture_cam.pose import mp_tasks
        print(json.dumps({
            "heavy": sorted(m for m in ("matplotlib", "sounddevice") if m in sys.modules),
            "audio": any(m.startswith("mediapipe.tasks.python.audio") for m in sys.modules),
            "proxy": os.environ.get("https_proxy") == no_telemetry.BLOCKING_PROXY,
            "landmarker": mp_tasks.PoseLandmarker.__module__,
        }))
        """
    )
    assert seen == {
        "heavy": [],
        "audio": False,
        "proxy": True,
        "landmarker": "mediapipe.tasks.python.vision.pose_landmarker",
    }


@pytest.mark.media
def test_running_the_model_loads_nothing_more_nor_does_inspecting_it(model_path, media):
    """The estimator creates a landmarker and runs it on a photo without the rest of
    MediaPipe; nor do probes for optional dunders load it (PySide6's import hook runs
    ``inspect.getsource`` on modules as they are imported: in the test suite's process
    that completed the packages halfway through their minimal import)."""
    seen = _run(
        f"""
        import inspect, json, sys
        from posture_cam.pose import PoseEstimator, mp_tasks
        for name in mp_tasks.DEFERRED:
            inspect.unwrap(sys.modules[name])  # asks for __wrapped__
        from posture_cam.sources import ImageSource
        with ImageSource({str(media(PHOTO))!r}) as source, PoseEstimator(
            {str(model_path)!r}, mode="image", flip_average=False
        ) as estimator:
            found = estimator.estimate(next(iter(source))).num_people
        print(json.dumps({{
            "found": found,
            "heavy": sorted(m for m in ("matplotlib", "sounddevice") if m in sys.modules),
            "deferred": [type(sys.modules[n]).__name__ for n in mp_tasks.DEFERRED],
        }}))
        """
    )
    assert seen == {"found": 1, "heavy": [], "deferred": ["_DeferredPackage"] * 3}


@pytest.mark.parametrize(
    "first_use",
    [
        "import mediapipe as mp; mp.Image",
        "import mediapipe as mp; mp.tasks.vision.FaceDetector",
        "from mediapipe.tasks.python import vision, BaseOptions",
        # A module the vision package imports that imports from that package in turn.
        "from mediapipe.tasks.python.vision import drawing_utils",
        "import mediapipe.tasks.python.vision.drawing_styles",
        "from mediapipe.tasks.python.audio import AudioClassifier",
    ],
)
def test_any_other_use_of_mediapipe_gets_the_whole_package(first_use):
    """After mp_tasks, the rest of MediaPipe behaves as after a plain import: the same
    classes, every package complete, each module loaded once."""
    seen = _run(
        f"""
        import json, sys
        from posture_cam.pose import mp_tasks
        {first_use}
        import mediapipe as mp
        from mediapipe.tasks.python.vision import drawing_utils
        vision = mp.tasks.vision
        print(json.dumps({{
            "same": [
                mp.Image is mp_tasks.Image,
                vision.PoseLandmarker is mp_tasks.PoseLandmarker,
                vision.RunningMode is mp_tasks.RunningMode,
                mp.tasks.BaseOptions is mp_tasks.BaseOptions,
                vision.drawing_utils is drawing_utils
                    is sys.modules["mediapipe.tasks.python.vision.drawing_utils"],
            ],
            "plain_modules": all(type(sys.modules[n]) is type(sys) for n in mp_tasks.DEFERRED),
            "handed_over_specs": [n for n, m in sys.modules.items()
                                  if n.startswith("mediapipe") and m.__spec__
                                  and type(m.__spec__.loader).__name__ == "_Loaded"],
            "loaded_twice": [n for n, m in list(sys.modules.items())
                             if n.startswith("mediapipe.")
                             and getattr(getattr(sys.modules.get(n.rpartition(".")[0]),
                                                 n.rpartition(".")[2], None),
                                         "__name__", None) == n
                             and getattr(sys.modules[n.rpartition(".")[0]],
                                         n.rpartition(".")[2]) is not m],
            "finder_left": mp_tasks._finder in sys.meta_path,
            "matplotlib": "matplotlib" in sys.modules,
        }}))
        """
    )
    assert seen == {
        "same": [True] * 5,
        "plain_modules": True,
        "handed_over_specs": [],
        "loaded_twice": [],
        "finder_left": False,
        "matplotlib": True,
    }


def test_an_unexpected_layout_falls_back_to_the_plain_import():
    """When the minimal import fails (here: one module refuses to load the first time),
    the half-made packages are dropped and the plain ``import mediapipe`` runs."""
    seen = _run(
        """
        import importlib.abc, json, sys
        class RefuseOnce(importlib.abc.MetaPathFinder):
            refused = 0
            def find_spec(self, name, path=None, target=None):
                if name.endswith("vision_task_running_mode") and not self.refused:
                    self.refused += 1
                    raise ImportError("moved in this MediaPipe")
                return None
        refuse = RefuseOnce()
        sys.meta_path.insert(0, refuse)
        from posture_cam.pose import mp_tasks
        import mediapipe as mp
        print(json.dumps({
            "refused": refuse.refused,
            "plain": type(sys.modules["mediapipe"]) is type(sys),
            "matplotlib": "matplotlib" in sys.modules,
            "same": mp.tasks.vision.PoseLandmarker is mp_tasks.PoseLandmarker,
        }))
        """
    )
    assert seen == {"refused": 1, "plain": True, "matplotlib": True, "same": True}
