"""The Chinese catalogue: complete, without fuzzy entries, compiled, and covering the core's errors."""

import ast
import gettext
import inspect
from pathlib import Path

import pytest

import jieneng
from jieneng.core import errors

LOCALE = Path(jieneng.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def entries(with_context: bool = False) -> list[tuple[list[str], str, str]]:
    """(comment lines, msgid, msgstr) of each entry after the header; plural entries give msgstr[0].

    ``with_context``: the msgid of an entry with a ``msgctxt`` is ``context\x04msgid``, as the
    compiled catalogue keys it."""
    found = []
    for block in (LOCALE / "django.po").read_text(encoding="utf-8").split("\n\n")[1:]:
        comments: list[str] = []
        fields: dict[str | None, str] = {}
        current: str | None = None
        for line in block.strip().splitlines():
            if line.startswith("#"):
                comments.append(line)
            elif line.startswith('"'):
                fields[current] += ast.literal_eval(line)
            else:
                current, _, text = line.partition(" ")
                fields[current] = ast.literal_eval(text)
        msgid = fields["msgid"]
        if with_context and "msgctxt" in fields:
            msgid = f"{fields['msgctxt']}\x04{msgid}"
        found.append((comments, msgid, fields.get("msgstr", fields.get("msgstr[0]", ""))))
    return found


def test_every_entry_is_translated_and_none_is_fuzzy():
    assert entries()
    fuzzy = [msgid for comments, msgid, _ in entries() if any("fuzzy" in c for c in comments)]
    untranslated = [msgid for _, msgid, msgstr in entries() if not msgstr]
    assert fuzzy == [] and untranslated == []


def test_the_compiled_catalogue_matches_the_po_file():
    with (LOCALE / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for _comments, msgid, msgstr in entries(with_context=True):
        assert catalogue.gettext(msgid) == msgstr, msgid


@pytest.mark.parametrize(
    "error",
    [cls for _, cls in inspect.getmembers(errors, inspect.isclass) if issubclass(cls, errors.JienengError)],
)
def test_core_error_templates_are_translated(error):
    translated = {msgid: msgstr for _, msgid, msgstr in entries()}
    assert error.template in translated
    assert set(_placeholders(error.template)) == set(_placeholders(translated[error.template]))


def _placeholders(text: str) -> list[str]:
    return [part.split(")")[0] for part in text.split("%(")[1:]]
