"""The admin reads in Chinese: app and model names, column headings and filters of every list,
including those of the third-party apps (sign-in protection, audit trail, background tasks)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

# what may stay Latin on an admin page: the user's own name, HTML entities' names, and the value axes
# stores for a request without a path or browser ("<unknown>", listed in its filter as data)
ALLOWED = {"root", "rsaquo", "lsaquo", "unknown"}
TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)
ROWS = re.compile(r"<tbody>.*?</tbody>", re.S)  # the rows are data (user names, stored field names)
WORDS = re.compile(r"[A-Za-z][A-Za-z ]{3,}")


def latin_words(html: str) -> set[str]:
    return {word.strip() for word in WORDS.findall(TAGS.sub(" ", html))} - ALLOWED - {""}


def test_the_admin_index_and_lists_read_in_chinese(client, people) -> None:
    client.force_login(people.root)
    index = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert index.status_code == 200
    html = index.content.decode()
    assert latin_words(html) == set()
    for name in ("登录保护", "操作记录", "后台任务", "统计数据", "节能工作平台管理后台"):
        assert name in html
    lists = sorted(set(re.findall(r'href="(/admin/[a-z_]+/[a-z_]+/)"', html)))
    assert len(lists) >= 8
    for path in lists:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200, path
        assert latin_words(ROWS.sub(" ", response.content.decode())) == set(), path
