"""How the app's and the batch's processes and threads are set up (no Qt, no MediaPipe).

One job: the plumbing under the live app and ``analyze --jobs N``, not what they compute.
Each module is one part; import it by name (this package re-exports nothing):

* :mod:`~posture_cam.runtime.fork_server` — the one fork server that the batch pool and
  the live pose model's process are forked from;
* :mod:`~posture_cam.runtime.process_pool` — the pool of worker processes of
  ``analyze --jobs N`` (forked from that server): longest task first, results in input
  order, the workers' stderr relayed whole;
* :mod:`~posture_cam.runtime.cpu_placement` — which CPUs the live model's process and
  the app's own threads run on, and the lowest priority for work that may wait;
* :mod:`~posture_cam.runtime.long_lived` — one ``gc.freeze()`` a process, when its live
  work starts;
* :mod:`~posture_cam.runtime.no_telemetry` — MediaPipe kept off the network (its
  uploader blocked; the user's own proxy for model downloads);
* :mod:`~posture_cam.runtime.frame_skips` — the frame-skip ration
  (:class:`~posture_cam.runtime.frame_skips.SkipRation`): how often the live path may
  skip a frame to keep the next one fresh.

The package sits in the bottom data layer: it imports nothing of ``posture_cam`` above it.
"""
