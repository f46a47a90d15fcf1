"""Find a CJK-capable font at run time so Chinese in plots and reports never shows as boxes."""

from __future__ import annotations

import logging
from functools import lru_cache

log = logging.getLogger(__name__)

# Families in order of preference; the first one installed wins.
CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei", "PingFang SC",
    "Hiragino Sans GB", "Heiti SC", "Noto Sans CJK JP", "Droid Sans Fallback",
)


@lru_cache(maxsize=1)
def find_cjk_font() -> tuple[str, str] | None:
    """(family, file path) of an installed CJK font, or None when the machine has none."""
    from matplotlib import font_manager

    by_name: dict[str, str] = {}
    for entry in font_manager.fontManager.ttflist:
        by_name.setdefault(entry.name, entry.fname)
    for family in CJK_FAMILIES:
        if family in by_name:
            return family, by_name[family]
    return None


@lru_cache(maxsize=1)
def configure_matplotlib() -> str | None:
    """Put the CJK font first in matplotlib's sans-serif fallback list; return its family.

    Returns None (and logs once) when no CJK font exists: Chinese labels would render as
    boxes, so callers show a message suggesting a font package.
    """
    import matplotlib

    found = find_cjk_font()
    families = list(matplotlib.rcParams["font.sans-serif"])
    if found:
        family = found[0]
        matplotlib.rcParams["font.sans-serif"] = ["DejaVu Sans", family] + [f for f in families if f not in (family, "DejaVu Sans")]
    else:
        log.warning("no CJK font found: Chinese text in plots will show as boxes")
    # Glyph fallback (matplotlib ≥ 3.6) works across an explicit family list, not across the
    # generic "sans-serif" list: Latin from DejaVu Sans, Chinese from the CJK font.
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", found[0]] if found else ["sans-serif"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return found[0] if found else None
