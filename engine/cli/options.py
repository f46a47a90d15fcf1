"""Numbers given as command-line options, checked before any work: range, whole or finite.

argparse's own ``type=int`` lets ``--seed -1`` or ``--max-depth 99999999999999999999`` through to
the libraries, which answer with a traceback (or, for ``--learning-rate nan``, a useless model
that is then saved and used). These checks raise ``InputError``: one line, exit 2.
"""

from __future__ import annotations

import math

from engine.core.errors import InputError


def whole_number(option: str, text: str | int | None, low: int, high: int) -> int | None:
    """``text`` as an int in [low, high]; None stays None (the option was not given)."""
    if text is None:
        return None
    raw = str(text).strip()
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise InputError("{option} must be a whole number from {low} to {high}, not {value}.", option=option,
                         low=f"{low:,}", high=f"{high:,}", value=raw)
    return value


def positive_number(option: str, text: str | float | None, high: float) -> float | None:
    """``text`` as a finite float in (0, high]; None stays None."""
    if text is None:
        return None
    raw = str(text).strip()
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not 0 < value <= high:
        raise InputError("{option} must be a number greater than 0 and at most {high}, not {value}.", option=option,
                         high=f"{high:g}", value=raw)
    return value
