"""The list of problem codes in docs/reporting.md, generated from the declarations of
:mod:`jieneng.core.problems`: it cannot drift from the code.

``python -m jieneng.problem_docs [docs/reporting.md]`` rewrites the block between :data:`BEGIN` and
:data:`END`; ``tests/cli/test_docs.py`` fails when the file differs from what this module generates.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

from jieneng import i18n
from jieneng.core.problems import FAMILY_TITLES, ProblemType, declarations

DOCS_PATH = "docs/reporting.md"
REGENERATE = f"python -m jieneng.problem_docs {DOCS_PATH}"
BEGIN = "<!-- BEGIN problem codes: generated from jieneng.core.problems; do not edit. -->"
END = "<!-- END problem codes -->"

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def shown(template: str) -> str:
    """A message template as a table cell: ``%(name)s`` as ``{name}``, ``%%`` as ``%``."""
    text = _PLACEHOLDER.sub(r"{\1}", template).replace("%%", "%")
    return text.replace("|", "\\|").replace("\n", " ")


def _row(declared: type[ProblemType]) -> str:
    cells = [
        f"`{declared.code}`",
        f"{declared.severity} (verification)" if declared.verify else str(declared.severity),
        declared.description,
        shown(i18n.translated(declared.template, "zh-hans")),
        shown(declared.template),
    ]
    return "| " + " | ".join(cells) + " |"


def block() -> str:
    """The generated block, markers included: one table per family."""
    lines = [
        BEGIN,
        f"<!-- Regenerate: {REGENERATE} -->",
        "",
    ]
    found = declarations()
    for family, title in FAMILY_TITLES.items():
        members = [d for d in found if d.family == family]
        if not members:
            continue
        lines += [
            f"#### {title}",
            "",
            "| code | severity | description | 中文 | English |",
            "|---|---|---|---|---|",
            *(_row(d) for d in members),
            "",
        ]
    lines.append(END)
    return "\n".join(lines)


def updated(text: str) -> str:
    """``text`` with its generated block replaced by :func:`block`; without the markers, ValueError."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the markers {BEGIN!r} … {END!r} are missing")
    return text[:start] + block() + text[end + len(END) :]


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite the block of the file given (docs/reporting.md by default)."""
    from jieneng.cli import activate_language

    args = list(sys.argv[1:] if argv is None else argv)
    path = Path(args[0] if args else DOCS_PATH)
    activate_language("en")
    path.write_text(updated(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
