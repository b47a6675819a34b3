"""Numbers as JSON can carry them: NaN and ±Infinity are not JSON (and no figure), they become null."""

from __future__ import annotations

import math
from typing import Any


def finite(data: Any) -> Any:
    """``data`` with every non-finite float, at any depth of dicts, lists and tuples, as None."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {key: finite(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [finite(value) for value in data]
    return data
