"""Run eemeter inside the benchmark's own virtualenv (never the project's): sample savings and timings.

    python _eemeter_runner.py {3|4} samples OUT.json
    python _eemeter_runner.py {3|4} synthetic IN.npz OUT.json

Called by ``bench_savings.py`` with the interpreter of a throwaway virtualenv holding eemeter 3.2.0 or
4.1.1; prints nothing, writes JSON. Kept free of the project's imports on purpose.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")
logging.disable(logging.WARNING)  # eemeter logs a warning per meter (UTC index, extreme values)
SAMPLES = [
    f"il-{kind}-{freq}"
    for kind in ("electricity-cdd-hdd", "electricity-cdd-only", "gas-hdd-only", "gas-intercept-only")
    for freq in ("daily", "billing_monthly", "billing_bimonthly")
]


def savings_v3(meter: pd.DataFrame, temperature: pd.Series, start, end, *, billing: bool, gas: bool) -> dict:
    import eemeter

    baseline, _ = eemeter.get_baseline_data(meter, end=start, max_days=365)
    reporting, _ = eemeter.get_reporting_data(meter, start=end, max_days=365)
    t0 = time.process_time()
    if billing:
        design = eemeter.create_caltrack_billing_design_matrix(baseline, temperature)
        model = eemeter.fit_caltrack_usage_per_day_model(
            design, use_billing_presets=True, weights_col="n_days_kept", fit_cdd=not gas
        )
    else:
        design = eemeter.create_caltrack_daily_design_matrix(baseline, temperature)
        model = eemeter.fit_caltrack_usage_per_day_model(design, fit_cdd=not gas)
    frame, bands = eemeter.metered_savings(model, reporting, temperature)
    seconds = time.process_time() - t0
    best = model.model
    return {
        "savings": float(frame.metered_savings.sum()),
        "predicted": float(frame.counterfactual_usage.sum()),
        "model_type": None if best is None else best.model_type,
        "params": {} if best is None else {k: float(v) for k, v in best.model_params.items()},
        "r_squared_adj": None if best is None else float(best.r_squared_adj),
        "fsu": None if not bands else float(bands.get("FSU Error Band", float("nan"))),
        "seconds": seconds,
    }


def savings_v4(meter: pd.DataFrame, temperature: pd.Series, start, end, *, billing: bool, gas: bool) -> dict:
    from eemeter import eemeter as em

    baseline_meter = meter[(meter.index < start) & (meter.index >= start - pd.Timedelta(days=365))]
    reporting_meter = meter[(meter.index >= end) & (meter.index < end + pd.Timedelta(days=365))]
    t0 = time.process_time()
    if billing:
        base = em.BillingBaselineData.from_series(baseline_meter, temperature, is_electricity_data=not gas)
        model = em.BillingModel().fit(base, ignore_disqualification=True)
        rep = em.BillingReportingData.from_series(reporting_meter, temperature, is_electricity_data=not gas)
    else:
        base = em.DailyBaselineData.from_series(baseline_meter, temperature, is_electricity_data=not gas)
        model = em.DailyModel().fit(base, ignore_disqualification=True)
        rep = em.DailyReportingData.from_series(reporting_meter, temperature, is_electricity_data=not gas)
    pred = model.predict(rep, ignore_disqualification=True)
    seconds = time.process_time() - t0
    both = pred.observed.notna() & pred.predicted.notna()
    return {
        "savings": float((pred.predicted[both] - pred.observed[both]).sum()),
        "predicted": float(pred.predicted[both].sum()),
        "seconds": seconds,
    }


def samples(version: str, out: str) -> None:
    if version == "3":
        import eemeter

        load = eemeter.load_sample
        run = savings_v3
    else:
        from eemeter.eemeter.samples.load import load_sample

        load = load_sample
        run = savings_v4
    results = {}
    for name in SAMPLES:
        meter, temperature, meta = load(name)
        billing = "billing" in name
        try:
            results[name] = run(
                meter,
                temperature,
                meta["blackout_start_date"],
                meta["blackout_end_date"],
                billing=billing,
                gas="gas" in name,
            )
        except Exception as exc:  # report, do not stop the other samples
            results[name] = {"error": repr(exc)}
    with open(out, "w") as handle:
        json.dump(results, handle, indent=1)


def synthetic(version: str, source: str, out: str) -> None:
    data = np.load(source)
    days = pd.date_range(str(data["first_day"]), periods=data["usage"].shape[1], freq="D", tz="UTC")
    hours = pd.date_range(days[0], periods=days.size * 24, freq="h", tz="UTC")
    split = int(data["baseline_days"])
    run = savings_v3 if version == "3" else savings_v4
    rows = []
    for i in range(data["usage"].shape[0]):
        meter = pd.DataFrame({"value": data["usage"][i]}, index=days)
        temp_f = np.repeat(data["temperature_c"][i] * 1.8 + 32.0, 24)  # the same daily means, as hours
        temperature = pd.Series(temp_f, index=hours, name="tempF")
        start = days[split]
        rows.append(run(meter, temperature, start, start, billing=False, gas=False))
    with open(out, "w") as handle:
        json.dump(rows, handle)


if __name__ == "__main__":
    if sys.argv[2] == "samples":
        samples(sys.argv[1], sys.argv[3])
    else:
        synthetic(sys.argv[1], sys.argv[3], sys.argv[4])
