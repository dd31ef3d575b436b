"""The overview's picture of a capture: the privacy asked for, else one that shows less."""

from __future__ import annotations

from types import SimpleNamespace


def test_a_home_check_shows_its_skeleton_picture_under_any_privacy():
    # A home visit stores only its skeleton picture (in the patient's language): under
    # the default privacy (full) the overview showed "—".
    from posture_cam.ui.records.overview_dialog import image_bytes

    home = SimpleNamespace(images={("skeleton", "nl"): b"skeleton-nl"})
    for privacy in ("full", "blur", "skeleton"):
        assert image_bytes(home, privacy, "en") == b"skeleton-nl"
    clinic = SimpleNamespace(
        images={("full", "en"): b"full", ("blur", "en"): b"blur", ("skeleton", "en"): b"sk"}
    )
    assert [image_bytes(clinic, p, "en") for p in ("full", "blur", "skeleton")] == [
        b"full",
        b"blur",
        b"sk",
    ]
    # never more than asked for
    assert image_bytes(SimpleNamespace(images={("full", "en"): b"full"}), "blur", "en") is None
