"""Coverage of the organisation of the work, counted as the bulletins say it: "全省 19 个区、40 个县没有专门
机构", "5 个市尚未召开会议部署". Pure: the caller hands in the names of the places that lack something.

A county-level division is counted by what it is called: a 区 (district), a 县 (county), a 市 (a county-level
city), a 旗 (banner), and so on; the last character of its name says it (GB/T 2260 names end in it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

#: the endings counted separately, in the order a bulletin names them
ENDINGS = ("市", "区", "县", "旗", "州", "盟")


def tally(names: Iterable[str]) -> dict[str, int]:
    """How many of the places ``names`` are a 市, 区, 县… (by the last character), in :data:`ENDINGS`
    order; a name ending otherwise is counted under its own last character, after them.

    >>> tally(["榕城区", "揭东区", "揭西县", "普宁市"])
    {'市': 1, '区': 2, '县': 1}
    """
    counts = Counter(name.strip()[-1:] for name in names if name.strip())
    ordered = {e: counts.pop(e) for e in ENDINGS if e in counts}
    return {**ordered, **dict(sorted(counts.items()))}


def phrase(names: Iterable[str], separator: str = "、") -> str:
    """The tally as a bulletin writes it: "19 个区、40 个县" (empty when there are none)."""
    return separator.join(f"{n} 个{ending}" for ending, n in tally(names).items())
