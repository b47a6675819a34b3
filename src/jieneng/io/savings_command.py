"""``jieneng savings``: measured savings of one meter from a file of daily use and temperatures.

Reads the file (:mod:`jieneng.io.savings`), converts °F to °C if asked, runs the CalTRACK 2.0 daily or
billing method of the pure core and writes the result: JSON with every figure, the method's id@version
and the problems; or a short table. A blocking problem prints its message with the evidence and exits 2.
"""

from __future__ import annotations

import argparse
import json
import math
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from jieneng.core.errors import JienengError, gettext_noop
from jieneng.core.problems import commands as declared
from jieneng.core.savings.degree_days import to_celsius
from jieneng.core.savings.measure import SavingsResult, measure_billing, measure_daily
from jieneng.core.savings.sufficiency import BLOCKING, Issue
from jieneng.i18n import gettext as _
from jieneng.io.commands import BAD_INPUT, Stop, _target, read_input
from jieneng.io.savings import arrays, billing_periods, read_meter_days
from jieneng.reference.savings import load_method

_ERROR = gettext_noop("Error: %(message)s")
_WARNING = gettext_noop("Warning: %(message)s")
ROWS = (
    ("method", gettext_noop("Method")),
    ("baseline", gettext_noop("Baseline period")),
    ("reporting", gettext_noop("Reporting period")),
    ("model", gettext_noop("Baseline model")),
    ("balance_points", gettext_noop("Balance points [°C]")),
    ("fit", gettext_noop("R² / adjusted R²")),
    ("cvrmse", gettext_noop("CV(RMSE) / NMBE")),
    ("ashrae14", gettext_noop("ASHRAE 14 calibration")),
    ("predicted", gettext_noop("Predicted use (baseline model)")),
    ("observed", gettext_noop("Observed use")),
    ("savings", gettext_noop("Savings")),
    ("uncertainty", gettext_noop("Uncertainty (90 %)")),
)
_PASSES = gettext_noop("passes (%(limits)s limits: |NMBE| ≤ %(nmbe)s %%, CV(RMSE) ≤ %(cvrmse)s %%)")
_FAILS = gettext_noop("fails (%(limits)s limits: |NMBE| ≤ %(nmbe)s %%, CV(RMSE) ≤ %(cvrmse)s %%)")


class BadPeriodOption(JienengError):
    problem_type = declared.BadPeriodOption


def parse_period(option: str, value: str) -> tuple[np.datetime64, np.datetime64]:
    try:
        first, last = (date.fromisoformat(part.strip()) for part in value.split(".."))
    except ValueError as exc:
        raise BadPeriodOption(option=option, value=value) from exc
    return np.datetime64(first, "D"), np.datetime64(last, "D")


def render(issue: Issue) -> str:
    """The issue's message in the active language, its phrases (a bill's reason) translated too."""
    phrases = {name: _(template) % values for name, (template, values) in issue.phrases.items()}
    return _(issue.template) % {**issue.params, **phrases}


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    baseline = parse_period("--baseline", args.baseline)
    reporting = parse_period("--reporting", args.reporting)
    data = read_input(args.file, args.sheet, err, read_meter_days)
    meter = arrays(data.frame)
    temperature = to_celsius(meter.temperature, args.temperature_unit)
    method = load_method(args.method)
    cooling = args.fuel != "gas"
    if args.method == "billing":
        starts, ends, use = billing_periods(meter)
        result = measure_billing(
            starts,
            ends,
            use,
            meter.days,
            temperature,
            baseline=baseline,
            reporting=reporting,
            method=method,
            cooling=cooling,
        )
    else:
        result = measure_daily(
            meter.days,
            meter.use,
            temperature,
            baseline=baseline,
            reporting=reporting,
            method=method,
            cooling=cooling,
        )
    for issue in result.issues:
        template = _ERROR if issue.severity == BLOCKING else _WARNING
        err.write(_(template) % {"message": render(issue)} + "\n")
    if not result.ok:
        raise Stop(BAD_INPUT)
    with _target(args.output, out, bom=False) as stream:
        if args.format == "json":
            payload = {
                "file": Path(args.file).name,
                "temperature_unit": args.temperature_unit,
                **result.as_dict(),
            }
            json.dump(payload, stream, ensure_ascii=False, indent=2)
            stream.write("\n")
        else:
            write_table(result, stream)
    return 0


def _num(value: float | None, places: int = 2) -> str:
    return "—" if value is None or not math.isfinite(value) else f"{value:,.{places}f}"


def write_table(result: SavingsResult, out: TextIO) -> None:
    model = result.model
    assert model is not None and result.uncertainty is not None
    stats, cal, unc = model.statistics, model.calibration, result.uncertainty
    bps = [
        f"HDD {_num(model.heating_balance_point)}" if model.heating_balance_point is not None else "",
        f"CDD {_num(model.cooling_balance_point)}" if model.cooling_balance_point is not None else "",
    ]
    verdict = _PASSES if cal.passes else _FAILS
    limits = {
        "limits": cal.interval,
        "nmbe": _num(100 * cal.nmbe_limit, 0),
        "cvrmse": _num(100 * cal.cvrmse_limit, 0),
    }
    share = result.fractional_savings
    values: dict[str, Any] = {
        "method": result.method,
        "baseline": f"{result.baseline[0]} – {result.baseline[1]}",
        "reporting": f"{result.reporting[0]} – {result.reporting[1]} ({result.reporting_periods})",
        "model": model.model_type,
        "balance_points": " ".join(b for b in bps if b) or "—",
        "fit": f"{_num(stats.r_squared, 4)} / {_num(stats.r_squared_adj, 4)}",
        "cvrmse": f"{_num(100 * stats.cvrmse, 1)} % / {_num(100 * stats.nmbe, 2)} %",
        "ashrae14": _(verdict) % limits,
        "predicted": _num(result.predicted),
        "observed": _num(result.observed),
        "savings": f"{_num(result.savings)} ({_num(None if share is None else 100 * share, 1)} %)",
        "uncertainty": f"± {_num(unc.absolute)} ({_num(100 * unc.fractional, 1)} %)",
    }
    labels = {key: _(label) for key, label in ROWS}
    width = max(len(label) for label in labels.values())
    for key, _label in ROWS:
        out.write(f"{labels[key].ljust(width)}  {values[key]}\n")
