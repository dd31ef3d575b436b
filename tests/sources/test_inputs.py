"""``open_source`` on bad input: one line naming the file and what to do."""

from __future__ import annotations

import pytest

from posture_cam.errors import InputError
from posture_cam.sources import open_source


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.jpg", b"", "file is empty"),
        ("corrupt.jpg", b"\xff\xd8\xff\xe0garbage" * 10, "not a readable image"),
        ("clip.mp4", b"\x00\x00\x00\x18ftypmp42 not a video" * 5, "not a readable video"),
        ("notes.txt", b"hello", "unsupported file type '.txt'"),
    ],
)
def test_bad_files_raise_one_line_input_errors(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        open_source(path)
    text = str(info.value)
    assert message in text and str(path) in text and "\n" not in text


def test_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        open_source(tmp_path / "nope.jpg")
    with pytest.raises(InputError, match="no images"):
        open_source(tmp_path)
