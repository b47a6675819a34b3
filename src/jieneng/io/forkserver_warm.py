"""Imported by the fork server of :mod:`jieneng.io.contained`: what every reading child needs, loaded once.

The readers, the reference data and the table of Unicode digits (a second's work) are made before the
first fork; nothing here runs a Polars query, so the server stays single-threaded and safe to fork.
"""

from __future__ import annotations

import fastexcel  # noqa: F401 (imported once here, not in every child)

from jieneng.io import assessment, cells, contained, facts, formfile, longform, savings  # noqa: F401
from jieneng.reference import load_forms, load_units

load_forms()
load_units()
cells._other_digits()
