"""Folders that hold patient records are private (0700), the ones created above them too:
with PostgreSQL the records folder above ``files`` was made with the umask's 0755."""

from __future__ import annotations

import os
import stat

from posture_cam.records import db


def test_missing_parents_are_created_private_and_existing_ones_keep_their_mode(tmp_path):
    os.chmod(tmp_path, 0o755)  # the user's own folder
    old = os.umask(0o022)
    try:
        files = db.ensure_private_dir(tmp_path / "data" / "records" / "files")
    finally:
        os.umask(old)
    for folder in (files, files.parent, files.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755
    # A records folder that exists with a wider mode is made private (it holds records).
    os.chmod(files, 0o755)
    db.ensure_private_dir(files)
    assert stat.S_IMODE(files.stat().st_mode) == 0o700
