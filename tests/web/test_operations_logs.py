"""Log lines: one per request and one per import job, in JSON or text (``JIENENG_LOG_FORMAT``), with
ids and timings and nothing personal (no user name, no query string, no file name)."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pytest
from django.test import Client
from test_web_reporting import csv_file, job_of, lines, upload

from jieneng.directory.models import Organisation
from jieneng.operations.logs import JsonFormatter, TextFormatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def captured(monkeypatch):
    """What the ``jieneng`` loggers write, through the formatter LOGGING chose (the JSON one here)."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    monkeypatch.setattr(logging.getLogger("jieneng"), "handlers", [handler])
    return lambda: [json.loads(line) for line in out.getvalue().splitlines()]


def of(logger: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in records if r["logger"] == logger]


def test_one_json_line_per_request_with_user_place_and_time(captured, people):
    client = Client()
    client.force_login(people.county_admin)
    assert client.get("/region/445202/?year=2025&q=王小明").status_code == 200
    client.get("/healthz")
    first, second = of("jieneng.requests", captured())
    assert set(first) == {"time", "level", "logger", "event", "method", "path", "status", "duration_ms",
                          "user", "place"}  # fmt: skip
    assert (first["method"], first["path"], first["status"]) == ("GET", "/region/445202/", 200)
    assert (first["user"], first["place"]) == (people.county_admin.pk, "445202")
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] > 0
    assert (second["path"], second["status"]) == ("/healthz", 503)  # no worker here
    text = json.dumps(captured(), ensure_ascii=False)
    assert "王小明" not in text and "county_admin" not in text


def test_an_anonymous_request_has_no_user_and_no_place(captured, client):
    client.get("/accounts/login/?next=/")
    (line,) = of("jieneng.requests", captured())
    assert (line["path"], line["user"], line["place"], line["status"]) == (
        "/accounts/login/",
        None,
        None,
        200,
    )


def test_an_organisations_user_is_placed_by_its_credit_code(captured, people):
    client = Client()
    client.force_login(people.reporter)
    client.get("/")
    assert of("jieneng.requests", captured())[-1]["place"] == "124452021000000243"


def test_one_line_per_import_job(captured, people, loaded, settings, tmp_path):
    settings.UPLOADS_DIR = tmp_path / "uploads"
    client = Client()
    client.force_login(people.department)
    orgs = loaded.organisations.select("credit_code", "name", "region").rows()
    job = job_of(upload(client, csv_file(tmp_path, "王小明的九月.csv", lines(orgs))))
    (line,) = of("jieneng.jobs", captured())
    assert line["job"] == str(job.pk) and line["form"] == "pi-energy"
    assert (line["status"], line["rows"], line["user"]) == ("done", 2, people.department.pk)
    assert line["place"] == Organisation.objects.get(pk=people.org[1]).credit_code  # as its requests
    requests = of("jieneng.requests", captured())
    assert requests and {r["place"] for r in requests if r["user"] == people.department.pk} == {line["place"]}
    assert line["duration_ms"] > 0
    assert "王小明" not in json.dumps(captured(), ensure_ascii=False)


def test_the_text_format_writes_key_value_pairs():
    record = logging.LogRecord("jieneng.requests", logging.INFO, __file__, 1, "request", None, None)
    record.fields = {"method": "GET", "path": "/", "status": 200}
    line = TextFormatter().format(record)
    assert line.endswith(" INFO jieneng.requests request method=GET path=/ status=200")


def test_the_setting_chooses_the_formatter():
    from django.conf import settings

    logging_config: dict[str, Any] = settings.LOGGING
    handler = logging_config["handlers"]["stderr"]
    assert handler["formatter"] == settings.JIENENG.log_format == "text"  # the default
    assert logging_config["formatters"]["json"]["()"].endswith("JsonFormatter")
    assert isinstance(logging.getLogger("jieneng").handlers[0].formatter, TextFormatter)
