"""Fixtures of the records tests: every store test runs on SQLite and on PostgreSQL.

PostgreSQL comes from ``POSTURE_CAM_TEST_DATABASE_URL`` (``.ci/run`` starts a server and
sets it). Each pytest-xdist worker gets its own database (``<name>_<worker>``), emptied
before each test. Without the variable the PostgreSQL cases skip with a reason; under
CI (``CI`` set) they fail.
"""

from __future__ import annotations

import os

import cv2
import numpy as np
import pytest

from posture_cam.records.ingest import CaptureData, MetricData

TEST_URL_ENV = "POSTURE_CAM_TEST_DATABASE_URL"


def _worker_url(base_url: str, worker: str) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(base_url)
    name = f"{url.database}_{worker}".replace("-", "_")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _empty(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> str:
    base = os.environ.get(TEST_URL_ENV)
    if not base:
        msg = f"{TEST_URL_ENV} not set: no PostgreSQL server for the records tests"
        if os.environ.get("CI"):
            pytest.fail(f"CI: {msg} (.ci/run starts one)")
        pytest.skip(msg)
    return _worker_url(base, os.environ.get("PYTEST_XDIST_WORKER", "main"))


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, monkeypatch, _isolated_user_data) -> str:
    """Point ``POSTURE_CAM_DATABASE_URL`` at an empty store of each backend; returns
    the backend name."""
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
        _empty(url)
        monkeypatch.setenv("POSTURE_CAM_DATABASE_URL", url)
    else:
        monkeypatch.delenv("POSTURE_CAM_DATABASE_URL", raising=False)
    return request.param


def _png(value: int) -> bytes:
    ok, png = cv2.imencode(".png", np.full((8, 6, 3), value, np.uint8))
    assert ok
    return png.tobytes()


def synthetic_capture(view: str = "front", shoulder_tilt: float = 2.0) -> CaptureData:
    """A capture as ingest would make it, without the model (for store mechanics)."""
    return CaptureData(
        view=view,
        source_file="synthetic.jpg",
        kind="image",
        metrics=[
            MetricData("shoulder_tilt", shoulder_tilt, 0.4, 0.5, 30, "deg", "borderline"),
            MetricData(
                "pelvic_tilt", None, None, None, 0, None, "not_measurable", reason="hips hidden"
            ),
        ],
        quality={"ok": True, "checks": [], "frames_seen": 30, "frames_used": 30},
        landmarks=[[1.0, 2.0]] * 33,
        resolution_wh=[6, 8],
        model_name="pose_landmarker_full.task",
        model_sha256="0" * 64,
        images={
            (p, lang): _png(i * 40)
            for i, p in enumerate(("full", "blur", "skeleton"))
            for lang in ("en", "nl")
        },
    )


@pytest.fixture
def make_capture():
    return synthetic_capture


@pytest.fixture
def cli(capsys, model_path, monkeypatch):
    """``cli(*args)`` -> (exit code, stdout, stderr) of ``posture-cam`` with the real model."""
    from posture_cam.cli import main

    monkeypatch.setenv("POSTURE_CAM_MODEL", str(model_path))

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


@pytest.fixture
def pdftext():
    """``pdftext(path)`` -> the PDF's text as ``pdftotext -layout`` reads it back."""
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed to read the report back")

    def read(path) -> str:
        return subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout

    return read
