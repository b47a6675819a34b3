"""``jieneng targets``: the progress and the warning list of a region from the database, and the check of
a 下达任务指标表 against a target (exit 2 and every problem on a bad sheet; nothing stored)."""

from __future__ import annotations

import argparse
import io
from pathlib import Path
from types import SimpleNamespace

import pytest

from jieneng.directory.models import Region
from jieneng.reporting.commands import UnknownRegion
from jieneng.targets import commands
from jieneng.targets.models import Target

pytestmark = pytest.mark.django_db


def city_target() -> Target:
    return Target.objects.create(
        name="市单位面积能耗下降", region=Region.objects.current().get(code="445200"),
        indicator="energy_per_m2", start_year=2025, end_year=2025, base_year=2024,
        kind="reduction", reduction=3.0, binding="binding",
    )  # fmt: skip


def test_progress_of_a_region_as_csv(loaded: SimpleNamespace) -> None:
    city_target()
    out, err = io.StringIO(), io.StringIO()
    args = argparse.Namespace(action="progress", region="445200", format="csv")
    assert commands.progress(args, out, err) == 0
    header, row = out.getvalue().splitlines()[:2]
    assert header.startswith("target,owner,now,task_progress") and row.startswith("市单位面积能耗下降,揭阳市")
    unknown = argparse.Namespace(action="progress", region="999999", format="table")
    with pytest.raises(UnknownRegion):
        commands.progress(unknown, io.StringIO(), err)


def test_check_sheet_names_every_problem(loaded: SimpleNamespace, tmp_path: Path) -> None:
    target = city_target()
    sheet = tmp_path / "分解表.csv"
    sheet.write_text("行政区划代码,地区,下降率（%）\n445202,榕城区,3\n445299,某县,3\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    args = argparse.Namespace(file=str(sheet), target=target.pk)
    assert commands.check_sheet(args, out, err) == 2
    assert "445299" in err.getvalue() and not target.children.exists()
    sheet.write_text("行政区划代码,下降率（%）\n445202,3\n445222,3\n445224,3\n", encoding="utf-8")
    out = io.StringIO()
    assert commands.check_sheet(args, out, io.StringIO()) == 0
    assert out.getvalue().count("\n") == 3 and not target.children.exists()
