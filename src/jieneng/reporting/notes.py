"""Notes that apps above reporting add beside a submission's values, without reporting knowing them.

An app registers a provider (in its ``AppConfig.ready``); the online form and the submission page ask
every provider for the notes on one organisation, form and period. Monitoring uses it to show the
metered figure a draft was pre-filled with, and how completely the meters covered the month."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ValueNote:
    """A figure another source gives for one item: what it said, in the item's unit, and how complete it
    is (``complete`` False: the page warns), with a sentence saying where it came from."""

    item: str
    source: str  # e.g. “Meters”, already in the user's language
    value: float
    unit: str
    detail: str
    complete: bool


Provider = Callable[[int, str, str], list[ValueNote]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def notes_for(organisation: int, form: str, period: str) -> list[ValueNote]:
    return [note for provider in _providers for note in provider(organisation, form, period)]


def table(
    notes: list[ValueNote], values: dict[str, float | None], labels: dict[str, str]
) -> list[dict[str, object]]:
    """The rows a page shows: the item's label, the note, the value it has now, and the difference."""
    out: list[dict[str, object]] = []
    for note in notes:
        value = values.get(note.item)
        out.append(
            {
                "label": labels.get(note.item, note.item),
                "note": note,
                "value": value,
                "difference": None if value is None else value - note.value,
            }
        )
    return out


def number(text: object) -> float | None:
    """A stored or typed value as a number (None when empty or not a number)."""
    try:
        return float(str(text).replace(",", "")) if text not in (None, "") else None
    except ValueError:
        return None
