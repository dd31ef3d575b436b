"""Keep the message catalogues in step with the code (a developer tool; needs a checkout,
so it lives beside the package, not in it).

``python tools/i18n_catalogues.py update``  extract every marked string (``_``, ``N_``,
``ngettext``, ``pgettext``, ``NP_``, ``Text``) with Babel, plus argparse's own strings
from the standard library (the CLI's "usage:", "options", its errors), merge it into each
``posture_cam/locale/<lang>/LC_MESSAGES/posture_cam.po`` (new entries empty, removed ones
dropped, never fuzzy-matched) and compile the ``.mo`` files.

``python tools/i18n_catalogues.py compile``  compile the ``.po`` files only.

``python tools/i18n_catalogues.py check``  print every problem :func:`problems` finds
(exit 1 if any); ``tests/test_i18n_catalogue.py`` runs the same check.

It works on the checkout it lives in: its folder goes on ``sys.path`` when missing, so
that checkout's package (and its ``posture_cam/locale``) is the one read and updated; it
refuses to run when another copy of the package comes first.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_from_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

REPO_DIR = Path(__file__).resolve().parents[1]
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

from posture_cam.i18n import DOMAIN, LOCALE_DIR  # noqa: E402

PACKAGE_DIR = REPO_DIR / "posture_cam"
if LOCALE_DIR.parent != PACKAGE_DIR:  # another copy came first on sys.path
    raise SystemExit(f"posture_cam was imported from {LOCALE_DIR.parent}, not {PACKAGE_DIR}")
BABEL_CFG = REPO_DIR / "babel.cfg"
KEYWORDS = {**DEFAULT_KEYWORDS, "NP_": ((1, "c"), 2), "Text": None}
ARGPARSE_NOTE = "argparse (Python standard library); keep %(name)s and %s as they are"
_PERCENT = re.compile(r"(?<!%)%(?:\(([a-z_]+)\))?([srd])")
_FIELD = re.compile(r"(?<!\{)\{([^{}!:]*)[^{}]*\}(?!\})")


def extract() -> Catalog:
    """A template catalogue of every marked string in the package (like ``pybabel extract``)."""
    if not BABEL_CFG.is_file():
        raise SystemExit(f"{BABEL_CFG} not found: run this from a posture_cam checkout.")
    with BABEL_CFG.open(encoding="utf-8") as fp:
        method_map, options_map = parse_mapping_cfg(fp)
    template = Catalog(project="posture_cam", domain=DOMAIN, charset="utf-8")
    found = extract_from_dir(
        str(REPO_DIR),
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    # argparse's own words ("usage:", "options", its errors): the CLI points the stdlib
    # gettext domain at this catalogue (posture_cam.cli.language), so they live here too.
    argparse_py = Path(argparse.__file__)
    for lineno, message, _comments, context in extract_from_file(
        "python", str(argparse_py), keywords=DEFAULT_KEYWORDS
    ):
        template.add(
            message,
            None,
            [(f"<stdlib>/{argparse_py.name}", lineno)],
            auto_comments=[ARGPARSE_NOTE],
            context=context,
        )
    return template


def _show(path: Path) -> str:
    return str(path.relative_to(REPO_DIR)) if path.is_relative_to(REPO_DIR) else str(path)


def po_paths() -> list[Path]:
    """Every catalogue source file, one per language."""
    return sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def read_catalog(po: Path) -> Catalog:
    with po.open("rb") as fp:
        return read_po(fp, locale=po.parent.parent.name, domain=DOMAIN)


def write_catalog(catalog: Catalog, po: Path) -> None:
    buf = io.BytesIO()
    # Sorted, without source locations: entries do not move when code moves, so helpers
    # adding strings in parallel rarely conflict in the .po.
    write_po(buf, catalog, width=100, no_location=True, sort_output=True, ignore_obsolete=True)
    po.write_bytes(buf.getvalue())


def compile_catalog(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def update() -> None:
    """Merge the extracted strings into every catalogue and compile it."""
    template = extract()
    for po in po_paths():
        catalog = read_catalog(po)
        created = catalog.creation_date  # keep the header stable (no churn per update)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.creation_date = created
        write_catalog(catalog, po)
        compile_all([po])
        print(
            f"{_show(po)}: {len(template)} messages, "
            f"{sum(1 for m in catalog if m.id and not _translated(m))} to translate"
        )


def compile_all(paths: Iterable[Path] | None = None) -> None:
    for po in paths or po_paths():
        po.with_suffix(".mo").write_bytes(compile_catalog(read_catalog(po)))


def _translated(message: Message) -> bool:
    if isinstance(message.string, (tuple, list)):
        return all(message.string)
    return bool(message.string)


def _fields(text: str | tuple | list | None) -> set[str]:
    texts = text if isinstance(text, (tuple, list)) else (text,)
    names = {name for t in texts for name in _FIELD.findall(t or "")}
    # argparse's %-style fields: named ones by name, bare %s / %r by position.
    for t in texts:
        bare = 0
        for name, conversion in _PERCENT.findall(t or ""):
            if name:
                names.add(f"%({name}){conversion}")
            else:
                names.add(f"%{bare}{conversion}")
                bare += 1
    return names


def _strings(message: Message) -> tuple[str, ...]:
    string = message.string
    return tuple(string) if isinstance(string, (tuple, list)) else (string or "",)


def _key(message: Message) -> tuple[str, str | None]:
    msgid = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
    return msgid, message.context


def problems() -> list[str]:
    """Everything wrong with the catalogues, one line each (empty when all is well)."""
    template = extract()
    wanted = {_key(m) for m in template if m.id}
    out: list[str] = []
    if not po_paths():
        out.append(f"no catalogue under {LOCALE_DIR}")
    for po in po_paths():
        name = _show(po)
        catalog = read_catalog(po)
        have = {_key(m): m for m in catalog if m.id}
        for key in sorted(wanted - have.keys(), key=str):
            out.append(f"{name}: missing {key[0]!r} (run python tools/i18n_catalogues.py update)")
        for key in sorted(have.keys() - wanted, key=str):
            out.append(
                f"{name}: no longer in the code: {key[0]!r} (run ... i18n_catalogues.py update)"
            )
        for key, message in have.items():
            if message.fuzzy:
                out.append(f"{name}: fuzzy {key[0]!r}")
            elif not _translated(message):
                out.append(f"{name}: untranslated {key[0]!r}")
            elif _fields(message.id) != _fields(message.string):
                out.append(f"{name}: placeholders differ in {key[0]!r}")
        mo = po.with_suffix(".mo")
        if not mo.is_file():
            out.append(f"{_show(mo)} missing (run ... i18n_catalogues.py compile)")
            continue
        with mo.open("rb") as fp:
            compiled = {_key(m): _strings(m) for m in read_mo(fp) if m.id}
        expected = {k: _strings(m) for k, m in have.items() if not m.fuzzy and _translated(m)}
        if compiled != expected:
            out.append(f"{_show(mo)} is out of date (run ... i18n_catalogues.py compile)")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/i18n_catalogues.py")
    parser.add_argument("command", choices=("update", "compile", "check"))
    args = parser.parse_args(argv)
    if args.command == "update":
        update()
    elif args.command == "compile":
        compile_all()
    else:
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
