"""The load tool's scenario for ``bench_soak``: people of three roles using the site as they would on a
working day, each with a pause of a few seconds between two steps.

* **reporters** (each its own account of one unit) upload the consumption form for one of their unit's
  recent months — the stored values with electricity changed by a little — wait for the task worker
  to finish the import (polling its status as the page does), and look at the reporting home;
* **reviewers** open the review queue, approve up to five of the submissions it lists, and open one
  submission's page;
* **officials** (city and county administrators, a viewer) read their dashboards and a unit's page.

Everyone also loads the sign-in page now and then: the baseline of the report. Run by ``bench_soak``
as a locust file; it reads the plan (accounts, pages, the reporters' units and months) from the JSON
file named by ``JIENENG_SOAK_PLAN``.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from typing import Any

from locust import HttpUser, between, task
from locust.exception import StopUser

LOGIN = "/accounts/login/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
IDS = re.compile(r'name="ids" value="(\d+)"')
JOB = re.compile(r"/reporting/import/([0-9a-f-]{36})/$")
with open(os.environ["JIENENG_SOAK_PLAN"], encoding="utf-8") as _handle:
    PLAN: dict[str, Any] = json.load(_handle)
PASSWORD = PLAN["password"]
PAUSE = between(*PLAN["pause"])
_reporters = itertools.cycle(PLAN["reporters"])
_reviewers = itertools.cycle(PLAN["reviewers"])
_officials = itertools.cycle(PLAN["officials"])


class Person(HttpUser):
    abstract = True
    wait_time = PAUSE
    username = ""

    def sign_in(self, username: str) -> None:
        self.username = username
        form = self.client.get(LOGIN, name="sign-in page")
        found = TOKEN.search(form.text or "")
        if not found:
            raise StopUser("the sign-in page has no CSRF token")
        credentials = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": found.group(1)}
        with self.client.post(
            LOGIN, data=credentials, name="sign in", allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"sign-in refused (HTTP {answer.status_code})")
                raise StopUser("sign-in refused")

    def token(self, page: str) -> str:
        found = TOKEN.search(page)
        return found.group(1) if found else ""

    @task(1)
    def sign_in_page(self) -> None:
        self.client.get(LOGIN, name="sign-in page")


class Reporter(Person):
    weight = PLAN["weights"]["reporter"]

    def on_start(self) -> None:
        self.unit = next(_reporters)
        self.sign_in(self.unit["username"])

    @task(3)
    def upload(self) -> None:
        month = random.choice(self.unit["months"])
        values = dict(month["values"])
        values[PLAN["changed"]] = round(values[PLAN["changed"]] * random.uniform(0.97, 1.03), 1)
        items = list(values)
        header = ["统一社会信用代码", "单位名称", "统计期", *(PLAN["headers"][item] for item in items)]
        row = [self.unit["code"], self.unit["name"], month["period"], *(str(values[i]) for i in items)]
        text = ",".join(header) + "\n" + ",".join(row) + "\n"
        form = self.client.get("/reporting/import/", name="upload page")
        with self.client.request(
            "POST",
            "/reporting/import/",
            name="upload",
            files={"file": ("月报.csv", text.encode("utf-8"), "text/csv")},
            data={"form": PLAN["form"], "csrfmiddlewaretoken": self.token(form.text or "")},
            headers={"Referer": self.client.base_url + "/reporting/import/"},
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            found = JOB.search(answer.headers.get("Location", "") or "")
            if answer.status_code != 302 or not found:
                answer.failure(f"upload not accepted (HTTP {answer.status_code})")
                return
        self.wait_for(found.group(1))

    def wait_for(self, job: str) -> None:
        """Poll the job's status as its page does, until the worker has finished it."""
        deadline = time.monotonic() + PLAN["job_seconds"]
        while time.monotonic() < deadline:
            with self.client.get(
                f"/reporting/import/{job}/status/", name="import status", catch_response=True
            ) as answer:
                text = answer.text or ""
                if "outcome-failed" in text or "outcome-blocked" in text:
                    answer.failure("the import " + ("failed" if "outcome-failed" in text else "was blocked"))
                    return
                if "job finished" in text:
                    return
            time.sleep(1)
        raise_late = self.client.get(f"/reporting/import/{job}/", name="import page", catch_response=True)
        with raise_late as answer:
            answer.failure(f"the import did not finish within {PLAN['job_seconds']} s")

    @task(1)
    def home(self) -> None:
        self.client.get("/reporting/", name="reporting home")


class Reviewer(Person):
    weight = PLAN["weights"]["reviewer"]

    def on_start(self) -> None:
        self.sign_in(next(_reviewers))

    @task(3)
    def approve(self) -> None:
        queue = self.client.get("/reporting/review/", name="review queue")
        page = queue.text or ""
        ids = IDS.findall(page)
        if not ids:
            return
        chosen = random.sample(ids, min(5, len(ids)))
        data = [("action", "approve"), ("csrfmiddlewaretoken", self.token(page))]
        data += [("ids", pk) for pk in chosen]
        with self.client.post(
            "/reporting/review/action/",
            data=data,
            name="approve",
            headers={"Referer": self.client.base_url + "/reporting/review/"},
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"approval not accepted (HTTP {answer.status_code})")

    @task(1)
    def submission(self) -> None:
        queue = self.client.get("/reporting/review/", name="review queue")
        ids = IDS.findall(queue.text or "")
        if ids:
            self.client.get(f"/reporting/submission/{random.choice(ids)}/", name="submission page")


class Official(Person):
    weight = PLAN["weights"]["official"]

    def on_start(self) -> None:
        official = next(_officials)
        self.pages = official["pages"]
        self.sign_in(official["username"])

    @task(4)
    def dashboards(self) -> None:
        name, path = random.choice(self.pages)
        self.client.get(path, name=name)
