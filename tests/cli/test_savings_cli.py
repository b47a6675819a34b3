"""``jieneng savings`` end to end on files written at test time: results, °F, billing, bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from jieneng.cli import main

BASELINE = "2023-01-01..2023-12-31"
REPORTING = "2024-01-01..2024-12-30"


@pytest.fixture(autouse=True)
def _default_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JIENENG_LANG", raising=False)


def write_days(
    path: Path, *, fahrenheit: bool = False, billing: bool = False, gap: slice | None = None
) -> Path:
    """Two years from 2023-01-01: a known HDD+CDD use, 10 % less in the second year."""
    rng = np.random.default_rng(2)
    d = np.arange(730)
    t = 12 - 15 * np.cos(2 * np.pi * d / 365) + rng.normal(0, 3, 730)
    use = 10 + 1.2 * np.maximum(15 - t, 0) + 2 * np.maximum(t - 22, 0) + rng.normal(0, 0.5, 730)
    use[365:] *= 0.9
    days = np.datetime64("2023-01-01") + d
    temps = t * 1.8 + 32 if fahrenheit else t
    values: list[str] = [f"{u:.3f}" for u in use]
    if billing:  # a reading on the last day of each month with the month's use
        months = days.astype("datetime64[M]")
        values = [""] * 730
        for month in np.unique(months):
            inside = np.flatnonzero(months == month)
            values[inside[-1]] = f"{use[inside].sum():.3f}"
    if gap is not None:
        for i in range(*gap.indices(730)):
            values[i] = ""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["日期", "日均气温", "用电量"])
        for day, temp, value in zip(days, temps, values, strict=True):
            writer.writerow([str(day), f"{temp:.4f}", value])
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_daily_json_has_the_method_version_model_and_savings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_days(tmp_path / "days.csv")
    status, out, err = run(
        capsys, "savings", path, "--baseline", BASELINE, "--reporting", REPORTING, "--format", "json"
    )
    assert status == 0, err
    doc = json.loads(out)
    assert doc["method"] == "caltrack-2.0-daily@1" and doc["ok"]
    assert doc["model"]["model_type"] == "hdd_cdd"
    assert doc["model"]["ashrae14"]["passes"]
    assert 0.09 < doc["fractional_savings"] < 0.11
    assert doc["savings"] == pytest.approx(doc["predicted"] - doc["observed"])


def test_fahrenheit_file_with_the_unit_gives_the_same_savings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("--baseline", BASELINE, "--reporting", REPORTING, "--format", "json")
    _, out_c, _ = run(capsys, "savings", write_days(tmp_path / "c.csv"), *args)
    status, out_f, err = run(
        capsys, "savings", write_days(tmp_path / "f.csv", fahrenheit=True), *args, "--temperature-unit", "F"
    )
    assert status == 0, err
    assert json.loads(out_f)["savings"] == pytest.approx(json.loads(out_c)["savings"], rel=1e-6)


def test_fahrenheit_file_without_the_unit_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_days(tmp_path / "f.csv", fahrenheit=True)
    status, out, err = run(
        capsys, "savings", path, "--baseline", BASELINE, "--reporting", REPORTING, "--lang", "en"
    )
    assert status == 2 and out == ""
    assert "look like °F" in err


def test_billing_method_reads_the_reading_days(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_days(tmp_path / "bills.csv", billing=True)
    status, out, err = run(
        capsys,
        "savings",
        path,
        "--method",
        "billing",
        "--baseline",
        BASELINE,
        "--reporting",
        "2024-01-01..2024-12-31",
        "--format",
        "json",
    )
    assert status == 0, err
    doc = json.loads(out)
    assert doc["method"] == "caltrack-2.0-billing@1" and doc["reporting_periods"] == 12
    assert 0.09 < doc["fractional_savings"] < 0.11


def test_table_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, "savings", write_days(tmp_path / "d.csv"), "--baseline", BASELINE, "--reporting", REPORTING
    )
    assert status == 0
    assert "节能量" in out and "caltrack-2.0-daily@1" in out and "ASHRAE 14" in out


@pytest.mark.parametrize(
    ("baseline", "reporting", "gap", "expected"),
    [
        ("2023-02-01..2023-12-31", REPORTING, None, "needs 365 days"),
        (BASELINE, "2023-12-01..2024-12-30", None, "overlap by 31 day(s)"),
        (BASELINE, REPORTING, slice(0, 60), "(83.6 %) have both use and temperature"),
        ("2023-01-01", REPORTING, None, "is not a period"),
    ],
)
def test_bad_input_is_a_clear_message_and_nothing_computed(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    baseline: str,
    reporting: str,
    gap: slice | None,
    expected: str,
) -> None:
    path = write_days(tmp_path / "d.csv", gap=gap)
    status, out, err = run(
        capsys, "savings", path, "--baseline", baseline, "--reporting", reporting, "--lang", "en"
    )
    assert status == 2 and out == ""
    assert expected in err


def test_a_bad_date_is_reported_by_row_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_days(tmp_path / "d.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = "2023-02-30,3.0,12.0"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, _, err = run(
        capsys, "savings", path, "--baseline", BASELINE, "--reporting", REPORTING, "--lang", "en"
    )
    assert status == 2
    assert "Row 6, column “日期”" in err and "is not a date" in err


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [("zh-hans", "长于 35 天", "longer than"), ("en", "is left out: longer than 35 days", "长于")],
)
def test_a_bill_left_out_is_said_with_its_reason_in_the_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str, expected: str, absent: str
) -> None:
    # no reading on 2023-02-28: the reading of 2023-03-31 covers February and March, 59 days
    path = write_days(tmp_path / "bills.csv", billing=True, gap=slice(58, 59))
    status, out, err = run(
        capsys,
        "savings",
        path,
        "--method",
        "billing",
        "--baseline",
        BASELINE,
        "--reporting",
        "2024-01-01..2024-12-31",
        "--lang",
        language,
    )
    assert status == 2 and out == ""  # 306 of 365 baseline days left: below 90 %
    assert expected in err and absent not in err
