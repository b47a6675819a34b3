"""Charts for documents, drawn on the server with matplotlib (no browser), in a CJK face."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.figure import Figure

#: the faces tried for Chinese labels, in order
CJK_FACES = ("Noto Sans CJK SC", "WenQuanYi Zen Hei", "AR PL UMing CN")


def _face() -> str:
    known = {f.name for f in font_manager.fontManager.ttflist}
    return next((f for f in CJK_FACES if f in known), "sans-serif")


def bar_chart(labels: Sequence[str], values: Sequence[float], unit: str, *, dpi: int = 150) -> bytes:
    """A horizontal bar chart of ``values`` by ``labels`` (the unit on the axis) as PNG bytes."""
    height = max(2.0, 0.32 * len(labels) + 1.0)
    figure = Figure(figsize=(5.5, min(height, 8.0)), dpi=dpi)
    axes = figure.add_subplot()
    face = _face()
    axes.barh(list(labels), list(values), color="#3b6ea5")
    axes.invert_yaxis()
    axes.set_xlabel(unit, fontfamily=face)
    for tick in axes.get_yticklabels():
        tick.set_fontfamily(face)
    for spine in ("top", "right"):
        axes.spines[spine].set_visible(False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=dpi)
    return out.getvalue()
