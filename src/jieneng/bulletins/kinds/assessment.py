"""The assessment-results bulletin (考核结果通报): the grade table of a finalised round, the one-vote
veto cases, and the praise and accountability lists the scheme's consequences give, as 揭府〔2008〕102号
writes them.

The data are the latest finalised round the region's office ran for the year (:mod:`jieneng.assessment`
services): a document is made from its stored results, so it reads the same after the scheme changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jieneng.assessment import services as assessment
from jieneng.bulletins.kinds import Kind, NoData, Snapshot, document, register
from jieneng.core import wording
from jieneng.core.document import Document, Table
from jieneng.core.fill import fill
from jieneng.directory.models import Region
from jieneng.reference.bulletins import load_rounding

FIELDS = (
    *("region", "year", "measure", "round", "scheme", "parties", "graded", "vetoed", "veto"),
    *("praised", "accountable", "rectify", "deadline", "today", "demonstration"),
)
MARKERS = ("grades",)


def snapshot(code: str, period: str) -> Snapshot:
    year = int(period)
    region = Region.objects.current().get(code=code)
    found = assessment.finalised_round(region, year)
    if found is None:
        raise NoData(
            gettext("%(region)s has finalised no assessment round for %(year)s: finalise the round first.")
            % {"region": region.name, "year": year}
        )
    round_, results = found
    lists: dict[str, list[str]] = {}
    for entry in assessment.consequence_lists(round_, results):
        lists.setdefault(entry["consequence"].kind, []).extend(entry["parties"])
    finalised = timezone.localdate(round_.finalised_at) if round_.finalised_at else timezone.localdate()
    return {
        "kind": "assessment",
        "year": year,
        "today": timezone.localdate().isoformat(),
        "finalised": finalised.isoformat(),
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "level": region.level + 1,
        "round": {"title": round_.title, "scheme": assessment.scheme(round_).title, "ref": round_.scheme},
        "rows": [_row(r) for r in results],
        "lists": {kind: list(dict.fromkeys(names)) for kind, names in lists.items()},
        "demonstration": assessment.accepted_units(region, year),
        "rounding": load_rounding().ref,
    }


def _row(result: Any) -> dict[str, Any]:
    fields = ("rank", "score", "bonus", "total", "grade", "vetoed", "veto_reason")
    return {"party": result.party.name, **{name: getattr(result, name) for name in fields}}


def _demonstration(names: list[str], texts: Mapping[str, Any], year: int) -> str:
    """The sentence of the units accepted as demonstration units in the year (the template's
    ``lists.demonstration``), or that there were none."""
    if not names:
        return f"{year}年没有新评定的示范单位"
    text = str(texts.get("demonstration", "{names}"))
    return text.format(names=wording.joined(names), count=len(names), year=year)


def _points(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def compose(data: Snapshot, template: Mapping[str, Any]) -> Document:
    r = load_rounding()
    measure = r.measures.get(data["level"], "地区")
    rows = data["rows"]
    vetoed = [row for row in rows if row["vetoed"]]
    lists = data["lists"]
    finalised = date.fromisoformat(data["finalised"])
    texts = template.get("lists", {})

    def named(kind: str) -> str:
        names = lists.get(kind, [])
        if not names:
            return ""
        region = data["region"]["name"]
        return str(texts.get(kind, "")).format(names=wording.joined(names), count=len(names), region=region)

    values = {
        "region": data["region"]["name"],
        "year": str(data["year"]),
        "measure": measure,
        "round": data["round"]["title"],
        "scheme": data["round"]["scheme"],
        "parties": str(len(rows)),
        "graded": "，".join(
            f"{grade} {sum(1 for row in rows if row['grade'] == grade)} 个"
            for grade in dict.fromkeys(row["grade"] for row in rows)
        ),
        "vetoed": str(len(vetoed)),
        "veto": "；".join(f"{row['party']}（{row['veto_reason']}）" for row in vetoed) or "无",
        "praised": named("praise") or "本年度没有予以通报表扬的地区",
        "accountable": named("accountability") or "本年度没有未完成目标的地区",
        "rectify": named("rectification") or "各地均完成目标，无须提交整改报告",
        "deadline": wording.chinese_date(assessment.rectification_due(finalised)),
        "today": wording.chinese_date(date.fromisoformat(data["today"])),
        "demonstration": _demonstration(data.get("demonstration", []), texts, data["year"]),
    }
    table = Table(
        caption=f"表1  {data['year']}年度各{measure}节能目标责任评价考核结果",
        columns=("名次", measure, "基本分", "加分", "总分", "等级"),
        rows=[
            [
                "—" if row["rank"] is None else str(row["rank"]),
                row["party"],
                _points(row["score"]),
                _points(row["bonus"]),
                _points(row["total"]),
                f"{row['grade']}（一票否决）" if row["vetoed"] else row["grade"],
            ]
            for row in rows
        ],
        widths=(0.8, 2.4, 1.1, 0.9, 1.1, 2.0),
        numeric=(2, 3, 4),
    )
    blocks = fill(template["blocks"], values, {"grades": table}, {})
    return document(template, values, blocks, data)


KIND = register(
    Kind(
        code="assessment",
        name=_("Assessment results"),
        fields=FIELDS,
        markers=MARKERS,
        snapshot=snapshot,
        compose=compose,
        period_help=_("The year assessed, e.g. 2025 (a round the office has finalised)."),
    )
)
