"""Every user-visible string is in every catalogue, translated, not fuzzy, compiled.

Runs Babel's extraction over the package (as ``pybabel extract -F babel.cfg`` would)
and compares it with each ``posture_cam/locale/<lang>/LC_MESSAGES/posture_cam.po``.
Fix a failure with ``python tools/i18n_catalogues.py update``, then translate the
empty entries (docs/i18n.md).
"""

from __future__ import annotations

import tomllib

from posture_cam.i18n import LOCALE_DIR
from tests._helpers import load_tool

i18n_catalogues = load_tool("i18n_catalogues")


def test_catalogues_match_the_code_and_are_fully_translated():
    problems = i18n_catalogues.problems()
    assert not problems, "\n".join(problems)


def test_extraction_finds_marked_strings_of_core_and_ui():
    ids = {m.id for m in i18n_catalogues.extract() if m.id}
    assert "Snapshot" in ids  # ui
    assert "Screening aid, not a diagnosis." in ids  # overlay (core)


def test_the_check_catches_an_untranslated_entry(tmp_path, monkeypatch):
    po = tmp_path / "xx" / "LC_MESSAGES" / "posture_cam.po"
    po.parent.mkdir(parents=True)
    catalog = i18n_catalogues.read_catalog(LOCALE_DIR / "nl" / "LC_MESSAGES" / "posture_cam.po")
    catalog.locale = "xx"
    next(m for m in catalog if m.id).string = ""
    i18n_catalogues.write_catalog(catalog, po)
    po.with_suffix(".mo").write_bytes(i18n_catalogues.compile_catalog(catalog))
    monkeypatch.setattr(i18n_catalogues, "po_paths", lambda: [po])
    found = i18n_catalogues.problems()
    assert len(found) == 1 and "untranslated" in found[0]


def test_compiled_catalogues_ship_in_the_package():
    with open(i18n_catalogues.REPO_DIR / "pyproject.toml", "rb") as fp:
        project = tomllib.load(fp)
    data = project["tool"]["setuptools"]["package-data"]["posture_cam"]
    assert "locale/*/LC_MESSAGES/*.mo" in data
    assert any(dep.startswith("babel") for dep in project["project"]["dependencies"])
