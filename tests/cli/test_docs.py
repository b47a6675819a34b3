"""docs/cli.md is generated from the argparse help: it cannot drift from the code."""

import ast
from pathlib import Path

from jieneng import problem_docs
from jieneng.cli import DOCS_PATH, build_parser, help_markdown
from jieneng.core.problems import codes

ROOT = Path(__file__).parents[2]
REGENERATE = f"python -m jieneng.cli --write-docs {DOCS_PATH}"


def test_cli_docs_are_up_to_date():
    written = (ROOT / DOCS_PATH).read_text(encoding="utf-8")
    assert written == help_markdown(), f"docs/cli.md is out of date; regenerate it with: {REGENERATE}"


def test_every_command_is_documented():
    written = (ROOT / DOCS_PATH).read_text(encoding="utf-8")
    commands = build_parser()._subparsers._group_actions[0].choices
    for name in commands:
        assert f"## jieneng {name}" in written


def test_the_problem_codes_in_the_reporting_docs_are_up_to_date():
    written = (ROOT / problem_docs.DOCS_PATH).read_text(encoding="utf-8")
    assert written == problem_docs.updated(written), (
        f"{problem_docs.DOCS_PATH} is out of date; regenerate it with: {problem_docs.REGENERATE}"
    )


def test_every_problem_code_is_in_the_reporting_docs():
    written = (ROOT / problem_docs.DOCS_PATH).read_text(encoding="utf-8")
    block = written[written.index(problem_docs.BEGIN) : written.index(problem_docs.END)]
    listed = {line.split("`")[1] for line in block.splitlines() if line.startswith("| `")}
    assert listed == set(codes())
    assert "| `yoy_change` | advisory (verification) |" in block and "| `bad_number` | blocking |" in block


def _msgids_marked_in(paths):
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "gettext_noop":
                yield ast.literal_eval(node.args[0])


def _translated(po_text):
    """msgid → msgstr of a .po text (strings joined across lines)."""
    entries, key, current = {}, None, {}
    for line in [*po_text.splitlines(), ""]:
        if line.startswith(("msgid ", "msgstr ")):
            key, _, literal = line.partition(" ")
            current[key] = ast.literal_eval(literal)
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        elif not line.strip():
            if current.get("msgid") and current.get("msgstr"):
                entries[current["msgid"]] = current["msgstr"]
            key, current = None, {}
    return entries


def test_every_message_of_the_command_line_has_a_chinese_translation():
    src = ROOT / "src" / "jieneng"
    catalog = src / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    translated = _translated(catalog.read_text(encoding="utf-8"))
    marked = [src / "cli.py", src / "i18n.py", *(src / "io").glob("*.py"), *(src / "core").rglob("*.py")]
    missing = [m for m in _msgids_marked_in(marked) if m not in translated]
    assert missing == []
