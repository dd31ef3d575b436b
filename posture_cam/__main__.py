"""``python -m posture_cam`` runs the same entry point as the ``posture-cam`` script."""

import sys

from posture_cam.cli import main

if __name__ == "__main__":  # spawned --jobs workers import this module too
    sys.exit(main())
