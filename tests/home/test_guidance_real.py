"""Home guidance on real photos: arms held out to the side get their own instruction."""

from __future__ import annotations

import pytest

from posture_cam.config import PipelineConfig
from posture_cam.home.guidance import Instruction, instruction_for
from posture_cam.home.patient_sentences import instruction_text
from posture_cam.i18n import using_language
from posture_cam.pipeline import Pipeline
from posture_cam.sources import read_image
from posture_cam.types import Frame

HANDS_ON_HIPS = "images/standing_frontal/frontal_shapy_img05_woman_hands_on_hips.jpg"
ARMS_DOWN = "images/standing_frontal/frontal_shapy_img18_woman_studio_neutral.jpg"


@pytest.mark.media
def test_arms_held_out_ask_to_let_them_hang_and_arms_down_pass(media, model_path):
    cfg = PipelineConfig(model_path=str(model_path), second_model=False)
    with Pipeline.open(cfg, mode="image", allow_network=False) as pipe:
        out = pipe.process(Frame(read_image(media(HANDS_ON_HIPS)), 0, 0.0, HANDS_ON_HIPS))
        pipe.reset()
        down = pipe.process(Frame(read_image(media(ARMS_DOWN)), 0, 0.0, ARMS_DOWN))
    failed = {c.id: c for c in out.quality.failed()}
    assert "arms_clear" in failed and "arm held out" in str(failed["arms_clear"].reason)
    assert instruction_for(out) is Instruction.ARMS_DOWN
    assert "arms_clear" not in {c.id for c in down.quality.failed()}
    assert instruction_for(down) is not Instruction.ARMS_DOWN
    assert instruction_text(Instruction.ARMS_DOWN) == "Let your arms hang by your sides"
    with using_language("nl"):
        assert instruction_text(Instruction.ARMS_DOWN) == "Laat uw armen langs uw lichaam hangen"
