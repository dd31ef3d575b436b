"""``python -m posture_cam`` runs the same entry point as the ``posture-cam`` script."""

import sys

from posture_cam.cli import main

sys.exit(main())
