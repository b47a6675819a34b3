"""Loaders of the monitoring reference tables (``reference/data/monitoring/``): the end uses of
sub-metering (照明插座, 空调, 动力, 特殊) and the thresholds of the anomaly rules."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from jieneng.core.anomalies import AnomalyRules
from jieneng.core.errors import ReferenceDataError
from jieneng.reference import DATA, _read_toml


@dataclass(frozen=True)
class EndUse:
    code: str
    zh: str
    en: str


@dataclass(frozen=True)
class EndUses:
    id: str
    version: str
    uses: dict[str, EndUse]

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"


@cache
def load_end_uses() -> EndUses:
    data = _read_toml(DATA / "monitoring" / "end_uses.toml", "end-uses")
    try:
        uses = {code: EndUse(code, row["zh"], row["en"]) for code, row in data["uses"].items()}
    except KeyError as exc:
        raise ReferenceDataError(table="end-uses", problem=f"missing {exc}") from exc
    return EndUses(str(data["id"]), str(data["version"]), uses)


@cache
def load_anomaly_rules() -> AnomalyRules:
    return AnomalyRules.from_mapping(
        _read_toml(DATA / "monitoring" / "anomaly_rules.toml", "meter-anomalies")
    )


@cache
def load_reading_columns() -> dict[str, tuple[str, ...]]:
    """The header names of each column of a readings file (``meter``, ``time``, ``value``, ``unit``)."""
    data = _read_toml(DATA / "monitoring" / "reading_columns.toml", "reading-columns")
    columns = {key: tuple(names) for key, names in data.get("columns", {}).items()}
    for needed in ("meter", "time", "value", "unit"):
        if needed not in columns:
            raise ReferenceDataError(table="reading-columns", problem=f"no column {needed}")
    return columns
