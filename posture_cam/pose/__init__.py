"""The pose layer: the only code that talks to MediaPipe.

* ``estimator``: the ``PoseLandmarker`` wrapper (:class:`PoseEstimator`) that turns a
  ``Frame`` into a ``PoseEstimate``; target choice, the stream's crowd count.
* ``still_passes``: test-time averaging of stills (mirrored, rotated, cropped passes);
  ``transforms`` the image transforms of known geometry it rotates with (NumPy and
  OpenCV only; also the accuracy harness's).
* ``merge``: averaging flipped / rotated views of one still into one pose (NumPy only).
* ``process`` + ``process_child``: the same estimator in a process of its own (live
  app); ``crowd_counter`` its crowd check beside the stream.
* ``model/``: getting the model file, not running it: ``model.store.resolve_model``
  (path, environment, cache, download, offline build); its ``__init__`` says what each
  of its modules holds.
* ``mp_tasks``: the MediaPipe classes the estimator uses, imported without the rest of
  MediaPipe (its audio tasks and matplotlib: about 1 s of start-up).

MediaPipe itself is imported lazily inside these modules, so importing this package is
cheap; the import contracts in ``pyproject.toml`` keep MediaPipe out of every other package.
"""

from posture_cam.pose.estimator import PoseEstimator, choose_target, quiet_native_stderr

#: The modules a :class:`PoseEstimator` imports when it creates its model (MediaPipe's
#: pose landmarker only, see ``mp_tasks``): a pool of workers imports them once for all.
RUNTIME_MODULES = ("posture_cam.pose.mp_tasks",)

__all__ = ["RUNTIME_MODULES", "PoseEstimator", "choose_target", "quiet_native_stderr"]
