"""The load tool's scenario for ``bench_web``: each simulated user signs in through the login page,
then asks for one page again and again, with no pause between requests.

Run by ``bench_web`` as a locust file; it reads what to do from the environment:
``JIENENG_BENCH_PATH`` (the page), ``JIENENG_BENCH_NAME`` (its name in the statistics),
``JIENENG_BENCH_USER`` and ``JIENENG_BENCH_PASSWORD`` (the account).
"""

from __future__ import annotations

import os
import re

from locust import FastHttpUser, constant, task
from locust.exception import StopUser

LOGIN = "/accounts/login/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Official(FastHttpUser):
    """One signed-in person reloading a page as fast as the server answers (a closed loop)."""

    wait_time = constant(0)
    path = os.environ.get("JIENENG_BENCH_PATH", LOGIN)
    label = os.environ.get("JIENENG_BENCH_NAME", path)

    def on_start(self) -> None:
        form = self.client.get(LOGIN, name="sign in: form")
        found = TOKEN.search(form.text or "")
        if not found:
            raise StopUser("the login page has no CSRF token")
        credentials = {
            "username": os.environ["JIENENG_BENCH_USER"],
            "password": os.environ["JIENENG_BENCH_PASSWORD"],
            "csrfmiddlewaretoken": found.group(1),
        }
        with self.client.post(
            LOGIN, data=credentials, name="sign in: post", allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 302:  # the form again: the credentials were refused
                answer.failure(f"sign-in refused (HTTP {answer.status_code})")
                raise StopUser("sign-in refused")

    @task
    def page(self) -> None:
        self.client.get(self.path, name=self.label)
