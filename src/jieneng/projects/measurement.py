"""Measured savings from an uploaded file of daily or billing-period use with temperatures (IPMVP
Option C): the io reader, the unit conversion and the core's CalTRACK 2.0 method; every problem as a
message in the user's language. A result is stored only when the core found no blocking problem."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from jieneng.core.savings.degree_days import to_celsius
from jieneng.core.savings.measure import SavingsResult, measure_billing, measure_daily
from jieneng.core.savings.sufficiency import BLOCKING
from jieneng.i18n import describe
from jieneng.io.contained import read_contained
from jieneng.io.problems import BLOCKING as READ_BLOCKING
from jieneng.io.savings import arrays, billing_periods, read_meter_days
from jieneng.io.savings_command import render
from jieneng.reference.savings import load_method

Period = tuple[np.datetime64, np.datetime64]


@dataclass(frozen=True)
class Measurement:
    result: SavingsResult | None
    errors: list[str]
    warnings: list[str]


def measure_file(
    path: Path, *, interval: str, unit: str, baseline: Period, reporting: Period, cooling: bool = True
) -> Measurement:
    """Read ``path`` (in a bounded child process) and measure; ``errors`` non-empty means nothing may
    be stored."""
    read = read_contained(read_meter_days, path)
    errors = [describe(p) for p in read.problems if p.severity == READ_BLOCKING]
    warnings = [describe(p) for p in read.problems if p.severity != READ_BLOCKING]
    if errors or read.frame.height == 0:
        return Measurement(None, errors or warnings, [])
    meter = arrays(read.frame)
    temperature = to_celsius(meter.temperature, unit)
    method = load_method(interval)
    if interval == "billing":
        starts, ends, use = billing_periods(meter)
        result = measure_billing(
            starts, ends, use, meter.days, temperature, baseline=baseline, reporting=reporting,
            method=method, cooling=cooling,
        )  # fmt: skip
    else:
        result = measure_daily(
            meter.days, meter.use, temperature, baseline=baseline, reporting=reporting, method=method,
            cooling=cooling,
        )  # fmt: skip
    errors = [render(i) for i in result.issues if i.severity == BLOCKING]
    warnings += [render(i) for i in result.issues if i.severity != BLOCKING]
    if not result.ok and not errors:
        errors.append(render(result.issues[-1]) if result.issues else "?")
    return Measurement(result if result.ok else None, errors, warnings)
