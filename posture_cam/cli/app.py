"""``posture-cam app`` (being built: see the issue tracker)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("app", help="(not yet available)")
    parser.set_defaults(func=lambda args: 1)
