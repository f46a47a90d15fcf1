"""`deepmine` subcommands for the report part (owned by the report work; see engine/cli.py)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add this module's subcommands to the `deepmine` parser."""
