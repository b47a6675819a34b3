"""Docs that cannot drift: the settings page is generated from the settings object, every API route and
every reference data file is named on its page (docs/cli.md is checked in tests/cli/test_docs.py)."""

import dataclasses
import re
from pathlib import Path

from jieneng import config
from jieneng.config import DOCS_PATH, Settings, settings_markdown

ROOT = Path(__file__).parents[1]
SRC = ROOT / "src" / "jieneng"
DOCS = ROOT / "docs"
VARIABLE = re.compile(r"\bJIENENG_[A-Z][A-Z_]*[A-Z]\b")
ROUTE = re.compile(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`?\s]*)")


def _variables() -> set[str]:
    return {config.spec_of(item).env for item in dataclasses.fields(Settings)}


def test_the_settings_page_is_up_to_date():
    written = (ROOT / DOCS_PATH).read_text(encoding="utf-8")
    regenerate = f"python -m jieneng.config --write-docs {DOCS_PATH}"
    assert written == settings_markdown(), f"{DOCS_PATH} is out of date; regenerate it with: {regenerate}"


def test_every_variable_the_code_names_is_a_setting():
    """A JIENENG_* variable named anywhere in the package (code, templates, help) is a documented field."""
    named: dict[str, str] = {}
    for path in SRC.rglob("*"):
        if path.suffix in (".py", ".html", ".txt", ".toml") and "locale" not in path.parts:
            for found in VARIABLE.findall(path.read_text(encoding="utf-8")):
                named.setdefault(found, str(path.relative_to(ROOT)))
    unknown = {name: where for name, where in named.items() if name not in _variables()}
    assert unknown == {}


def test_only_the_settings_module_reads_the_environment():
    readers = re.compile(r"environ(\.get)?[\[(]\s*[\"']JIENENG_|getenv\(\s*[\"']JIENENG_")
    found = [str(p.relative_to(ROOT)) for p in SRC.rglob("*.py") if readers.search(p.read_text("utf-8"))]
    assert found == []


def test_every_setting_is_on_the_pages_that_list_the_docs():
    assert "docs/settings.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "settings.md" in (DOCS / "architecture.md").read_text(encoding="utf-8")


def _shape(path: str) -> str:
    """A route's path with its parameters unnamed: ``/organisations/{id}`` as ``/organisations/{}``."""
    return re.sub(r"\{[^}]*\}", "{}", path.rstrip("/"))


def test_every_api_route_is_in_the_api_docs_and_nothing_else():
    from jieneng.api.endpoints import api

    schema = api.get_openapi_schema()
    prefix = "/api/v1"
    published = {
        (method.upper(), _shape(path.removeprefix(prefix)))
        for path, methods in schema["paths"].items()
        for method in methods
    }
    documented = {
        (method, _shape(path.removeprefix(prefix)))
        for method, path in ROUTE.findall((DOCS / "api.md").read_text(encoding="utf-8"))
    }
    assert published - documented == set(), "routes missing from docs/api.md"
    assert documented - published == set(), "docs/api.md names routes that do not exist"


def test_every_reference_data_file_is_in_the_reference_docs():
    data = SRC / "reference" / "data"
    files = sorted(
        str(path.relative_to(data))
        for path in data.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and not path.name.startswith((".", "_"))
    )
    written = (DOCS / "reference-data.md").read_text(encoding="utf-8")
    assert files, "no reference data files found"
    assert [name for name in files if f"`{name}`" not in written] == []
