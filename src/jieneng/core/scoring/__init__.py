"""Assessment scoring (节能目标责任评价考核): schemes as plain values and the vectorised scoring of many
assessed parties at once. Pure: no Django, no files; the schemes are read by
:mod:`jieneng.reference.schemes`.

- :mod:`~jieneng.core.scoring.scheme`  :class:`Scheme` and its parts, :func:`merge`, :func:`build_scheme`
- :mod:`~jieneng.core.scoring.score`   :func:`score`, :func:`target_value`
"""

from jieneng.core.scoring.scheme import (
    Band,
    Consequence,
    Grade,
    Group,
    Issue,
    Item,
    Over,
    Scheme,
    SchemeInvalid,
    Veto,
    build_scheme,
    merge,
)
from jieneng.core.scoring.score import Scored, score, target_value

__all__ = [
    "Band",
    "Consequence",
    "Grade",
    "Group",
    "Issue",
    "Item",
    "Over",
    "Scheme",
    "SchemeInvalid",
    "Scored",
    "Veto",
    "build_scheme",
    "merge",
    "score",
    "target_value",
]
