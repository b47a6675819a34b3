"""The measured-savings upload reads its file in the bounded child process: a workbook with a cell at
XFD1048576 (its declared range removed) or a shared-string bomb is refused with a message naming the
limit, nothing is saved, and the site goes on serving (the next good file is measured)."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jieneng.demo.projects import building_meter
from jieneng.projects.models import MeasuredSavings

sys.path.insert(0, str(Path(__file__).parent.parent / "io"))
from test_contained_readers import bomb, far_cell
from test_projects import TODAY, _csv, _post, _project

pytestmark = pytest.mark.django_db


def test_a_hostile_meter_workbook_is_refused_and_the_site_keeps_measuring(
    people: SimpleNamespace, client: Client, tmp_path: Path
) -> None:
    p = _project(kind="hvac", name="大楼改造", contract_type="")
    meter = building_meter(TODAY)
    client.force_login(people.county_admin)
    for path in (far_cell(tmp_path), bomb(tmp_path, ["日期", "日均气温", "用量"])):
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        response = client.post(
            f"/projects/{p.pk}/measure/",
            {"file": upload, "interval": "daily", "unit": "C", "baseline_start": meter.baseline[0],
             "baseline_end": meter.baseline[1], "reporting_start": meter.reporting[0],
             "reporting_end": meter.reporting[1]},
        )  # fmt: skip
        assert response.status_code == 400
        page = response.content.decode()
        shown = page[page.find('class="messages"') :].split("</div>")[0]
        assert "没有保存任何数据" in shown and "upload.xlsx" in shown  # a limit, or a sheet calamine refuses
        assert "JIENENG_IMPORT_" in shown or "损坏" in shown
        assert not MeasuredSavings.objects.filter(project=p).exists()
    _post(client, p, _csv(meter, tmp_path / "meter.csv"), meter.baseline, meter.reporting)
    assert MeasuredSavings.objects.filter(project=p).exists()
