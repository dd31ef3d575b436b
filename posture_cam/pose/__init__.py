"""The pose layer: the only code that talks to MediaPipe. Two jobs: running the model
(the modules here) and getting its file (``model/``).

Running the model:

* ``estimator``: the ``PoseLandmarker`` wrapper (:class:`PoseEstimator`) that turns a
  ``Frame`` into a ``PoseEstimate``; target choice, the stream's crowd count.
* ``still_passes``: test-time averaging of stills (mirrored, rotated, cropped passes);
  ``transforms`` the image transforms of known geometry it rotates with (NumPy and
  OpenCV only; also the accuracy harness's).
* ``merge``: averaging flipped / rotated views of one still into one pose (NumPy only).
* ``process``: the same estimator in a process of its own (``ProcessEstimator``, live
  app); ``process_link`` the parent's end of it (the child's handle and pipe, the
  shared-memory frame slots), ``process_spare`` the child started early while the app
  starts, ``process_child`` the child's side (the model's loop), ``crowd_counter`` the
  child's crowd check beside the stream.
* ``mp_tasks``: the MediaPipe classes the estimator uses, imported without the rest of
  MediaPipe (its audio tasks and matplotlib: about 1 s of start-up).

Getting the model file, ``model/`` (nothing there runs the model):

* ``model.store``: finding, downloading and caching a model (``resolve_model``).
* ``model.files``: the catalogue (``catalogue.json``) and the checks on a ``.task`` bundle.
* ``model.build``: the offline build of the *full* model from the mediapipe wheel;
  ``model.build_heavy`` the *heavy* one from the ``@mediapipe/pose`` npm package;
  ``model.bundle`` the ``.task`` writer both use.

MediaPipe itself is imported lazily inside these modules, so importing this package is
cheap; the import contracts in ``pyproject.toml`` keep MediaPipe out of every other package.
"""

from posture_cam.pose.estimator import PoseEstimator, choose_target, quiet_native_stderr

#: The modules a :class:`PoseEstimator` imports when it creates its model (MediaPipe's
#: pose landmarker only, see ``mp_tasks``): a pool of workers imports them once for all.
RUNTIME_MODULES = ("posture_cam.pose.mp_tasks",)

__all__ = ["RUNTIME_MODULES", "PoseEstimator", "choose_target", "quiet_native_stderr"]
