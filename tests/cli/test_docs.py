"""docs/cli.md is generated from the argparse help: it cannot drift from the code."""

import ast
from pathlib import Path

from jieneng.cli import DOCS_PATH, build_parser, help_markdown

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
    missing = [
        m for m in _msgids_marked_in([src / "cli.py", *(src / "io").glob("*.py")]) if m not in translated
    ]
    assert missing == []
