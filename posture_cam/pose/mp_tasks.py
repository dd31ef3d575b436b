"""The MediaPipe classes the pose landmarker needs, imported without the rest of MediaPipe.

``import mediapipe`` (1.2) runs package ``__init__`` files that import every task:
the audio tasks import sounddevice, whose ``ctypes.util.find_library`` runs gcc and
ldconfig (about 0.3-0.6 s here), and the vision package imports its drawing
utilities, which import ``matplotlib.pyplot`` (about 0.8 s). The pose landmarker uses
neither; every process that runs the model (the CLI, each ``--jobs`` worker's fork
server, the app's model process) paid them before its first frame.

How: the packages whose ``__init__`` imports everything (``DEFERRED``) are put in
``sys.modules`` as *deferred* packages: module objects made from their real specs,
their ``__init__`` not run yet. The ``NEEDED`` modules then import as usual (they name
the modules they need, never those packages' contents). The first time anything asks
a deferred package for a name it lacks (``mediapipe.Image``, ``vision.FaceDetector``)
or imports any other MediaPipe module (``vision.drawing_utils``), the real ``__init__``
files run into the same module objects (:func:`complete`), so any other user of
MediaPipe in the process still gets the whole package, each module loaded once
(tests/pose/test_mp_tasks.py). If the minimal import fails (another MediaPipe layout),
what it loaded is dropped and the plain import runs.

Importing this module applies :mod:`posture_cam.runtime.no_telemetry` first, then loads
MediaPipe: a fork server that preloads it hands every child a MediaPipe that cannot
phone home.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import threading
import types
from typing import Any

from posture_cam.runtime import no_telemetry

no_telemetry.block()  # before MediaPipe loads: its uploader must never run unblocked

#: Packages whose ``__init__`` imports every MediaPipe task (audio, text, all of vision).
DEFERRED = ("mediapipe", "mediapipe.tasks.python", "mediapipe.tasks.python.vision")
#: The modules that hold what the pose landmarker needs (see the names below).
NEEDED = (
    "mediapipe.tasks.c",  # the native library's folder, looked up when a task is created
    "mediapipe.tasks.python.core.base_options",
    "mediapipe.tasks.python.vision.core.image",
    "mediapipe.tasks.python.vision.core.vision_task_running_mode",
    "mediapipe.tasks.python.vision.pose_landmarker",
)


class _DeferredPackage(types.ModuleType):
    """A package whose ``__init__`` runs when a name it lacks is first asked for."""

    def __getattr__(self, name: str) -> Any:  # only called for names the module lacks
        # Probes for optional dunders (inspect's ``__wrapped__``, asked by PySide6's
        # import hook of every module imported) must not load everything.
        probe = name.startswith("__") and name.endswith("__") and name != "__version__"
        with _lock:
            # While the packages load, a missing name is just missing: the import
            # system then finds a submodule in sys.modules.
            if probe or _completing or _loading:
                raise AttributeError(name)
            complete()
        return types.ModuleType.__getattribute__(self, name)


class _CompleteFirst(importlib.abc.MetaPathFinder):
    """Completes the deferred packages before any other MediaPipe module is imported.

    Such a module may be one that a package's ``__init__`` imports and that imports from
    that package in turn (``vision.drawing_utils``); loaded on its own it would see a
    half-made package. After completing, a module the ``__init__`` files loaded is
    handed over as it is instead of running a second time."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if not name.startswith("mediapipe.") or _completing:
            return None
        complete()
        loaded = sys.modules.get(name)
        if loaded is None or loaded.__spec__ is None:
            return None  # not one of theirs: imported as usual
        # The import system takes the spec of a module that appeared in sys.modules
        # meanwhile (and would run it again): that one must hand it over too.
        loaded.__spec__ = importlib.machinery.ModuleSpec(name, _Loaded(loaded.__spec__))
        return loaded.__spec__


class _Loaded(importlib.abc.Loader):
    """Hands over a module that is already in ``sys.modules`` (see _CompleteFirst)."""

    def __init__(self, spec: importlib.machinery.ModuleSpec) -> None:
        self.spec = spec

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return sys.modules[spec.name]

    def exec_module(self, module: types.ModuleType) -> None:
        module.__spec__ = self.spec  # the import system set this loader's spec on it


_lock = threading.RLock()
_completing = False
_loading = False
_finder = _CompleteFirst()


def complete() -> None:
    """Run the real ``__init__`` of every deferred package (once), deepest first, as
    the plain import finishes them (``mediapipe``'s own binds ``mediapipe.tasks`` to
    ``mediapipe.tasks.python``, which its children's imports must not see yet)."""
    global _completing
    with _lock:
        if _finder in sys.meta_path:
            sys.meta_path.remove(_finder)
        _completing = True
        try:
            for name in reversed(DEFERRED):
                module = sys.modules.get(name)
                if module is not None and type(module) is _DeferredPackage:
                    _run_init(module)
        finally:
            _completing = False


def _run_init(module: types.ModuleType) -> None:
    module.__class__ = types.ModuleType  # a plain package from now on
    spec = module.__spec__
    assert spec is not None and spec.loader is not None
    spec.loader.exec_module(module)


def _import_minimal() -> list[types.ModuleType]:
    """Import ``NEEDED`` behind deferred ``DEFERRED`` packages; returns the modules."""
    for name in DEFERRED:
        if name in sys.modules:
            continue
        parent, _, child = name.rpartition(".")
        if parent:
            importlib.import_module(parent)  # a plain package (its __init__ is small)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None or spec.submodule_search_locations is None:
            raise ImportError(f"{name} is not a package")
        module = importlib.util.module_from_spec(spec)
        module.__class__ = _DeferredPackage
        sys.modules[name] = module
        if parent:
            setattr(sys.modules[parent], child, module)
    modules = [importlib.import_module(name) for name in NEEDED]
    if type(sys.modules["mediapipe"]) is _DeferredPackage:
        # Importing mediapipe.tasks bound it as ``mediapipe.tasks``, which the real
        # __init__ rebinds to mediapipe.tasks.python: asking for it must complete first.
        vars(sys.modules["mediapipe"]).pop("tasks", None)
        sys.meta_path.insert(0, _finder)
    return modules


def _load() -> list[types.ModuleType]:
    global _loading
    before = set(sys.modules)
    try:
        _loading = True
        try:
            return _import_minimal()
        finally:
            _loading = False
    except Exception:  # any layout surprise: the plain import decides
        for name in set(sys.modules) - before:
            if name == "mediapipe" or name.startswith("mediapipe."):
                del sys.modules[name]
        import mediapipe.tasks.python.vision  # noqa: F401

        return [importlib.import_module(name) for name in NEEDED]


_c, _base_options, _image, _running_mode, _pose_landmarker = _load()

BaseOptions = _base_options.BaseOptions
Image = _image.Image
ImageFormat = _image.ImageFormat
RunningMode = _running_mode.VisionTaskRunningMode
PoseLandmarker = _pose_landmarker.PoseLandmarker
PoseLandmarkerOptions = _pose_landmarker.PoseLandmarkerOptions
