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

Imports point one way: ``store`` → ``build`` → ``bundle`` → ``files`` (``build_heavy``
→ ``build``). Running the model is the rest of ``posture_cam.pose``; nothing here imports
it, and MediaPipe is imported only inside ``bundle``'s functions.
"""
