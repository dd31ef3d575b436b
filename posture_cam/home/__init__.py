"""Home mode: a patient alone at a laptop webcam checks head and shoulder posture.

Qt-free core (the UI lives in ``posture_cam.ui.home``):

* :mod:`~posture_cam.home.guidance` — one plain instruction at a time;
* :mod:`~posture_cam.home.session` — the state machine with the automatic capture;
* :mod:`~posture_cam.home.patient_sentences` — every sentence home mode shows the
  patient (instructions, countdown, the result card);
* :mod:`~posture_cam.home.history` — previous checks in the user data dir;
* :mod:`~posture_cam.home.check_file` — the one-file export for the therapist and
  :func:`load_home_check`, which ``posture-cam visit import`` uses (docs/home.md).
"""

from posture_cam.home.check_file import (
    FORMAT_ID,
    FORMAT_VERSION,
    HomeCheckFile,
    HomeImage,
    build_home_check,
    load_home_check,
    validate_home_check,
    write_home_check,
)

__all__ = [
    "FORMAT_ID",
    "FORMAT_VERSION",
    "HomeCheckFile",
    "HomeImage",
    "build_home_check",
    "load_home_check",
    "validate_home_check",
    "write_home_check",
]
