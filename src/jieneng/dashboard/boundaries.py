"""Boundary files for the maps: ``<JIENENG_BOUNDARIES_DIR>/<code>.json``, a GeoJSON FeatureCollection
of the regions below ``code``, each feature naming its region's code in ``properties.code`` or
``properties.adcode`` (the usual property of public Chinese boundary data).

The map is drawn only where an office has supplied such a file. Served features are reduced to the
regions asked for and carry ``code`` and ``name`` (the registry's name, which the chart's data use).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from jieneng import config

_CODE = ("code", "adcode")


class BadBoundaryFile(ValueError):
    """The file is not a GeoJSON FeatureCollection."""


def path_of(code: str) -> Path | None:
    """The boundary file of ``code``, if one has been supplied."""
    folder = config.current().boundaries_dir
    if not folder or not code.isdigit():
        return None
    path = Path(folder) / f"{code}.json"
    return path if path.is_file() else None


def features(code: str, names: Mapping[str, str]) -> dict[str, Any] | None:
    """The FeatureCollection of ``code``'s file with only the features of ``names`` (code → name);
    None without a file. Raises :class:`BadBoundaryFile` for a file that is not a FeatureCollection."""
    path = path_of(code)
    if path is None:
        return None
    collection = _read(str(path), path.stat().st_mtime_ns)
    kept = []
    for feature in collection:
        properties = feature.get("properties") or {}
        found = next((str(properties[k]) for k in _CODE if properties.get(k) not in (None, "")), "")
        if found in names:
            geometry = feature.get("geometry")
            kept.append(
                {"type": "Feature", "properties": {"code": found, "name": names[found]}, "geometry": geometry}
            )
    return {"type": "FeatureCollection", "features": kept}


@lru_cache(maxsize=16)
def _read(path: str, _mtime: int) -> tuple[dict[str, Any], ...]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadBoundaryFile(str(exc)) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BadBoundaryFile("not a GeoJSON FeatureCollection")
    return tuple(f for f in data.get("features") or () if isinstance(f, dict))
