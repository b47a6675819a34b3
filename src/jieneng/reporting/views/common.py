"""What the reporting pages share: refusals in the user's language, labels, numbers as shown, today."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from jieneng.reference import load_forms

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DASH = "—"

#: short labels of the advisory checks, for lists (the full message is in the report)
FLAG_LABELS = {
    "yoy_change": gettext_lazy("Big change on last year"),
    "ten_thousand_off": gettext_lazy("Maybe off by 10,000"),
    "per_m2_outlier": gettext_lazy("Unusual per m²"),
    "unit_price_outlier": gettext_lazy("Unusual unit price"),
    "missing_month": gettext_lazy("Months missing"),
    "duplicate_row": gettext_lazy("Row repeated"),
}


def refuse(request: HttpRequest, message: str) -> HttpResponse:
    """403: the page or action needs a capability the user does not have here, said plainly."""
    return render(request, "reporting/refused.html", {"message": message}, status=403)


def flag_labels(codes: list[str] | None) -> list[str]:
    """Short labels of advisory codes, each once, in their order."""
    return list(dict.fromkeys(str(FLAG_LABELS.get(code, code)) for code in codes or ()))


def form_names() -> dict[str, str]:
    """Form id → its legal (Chinese) name."""
    return {form.id: form.zh for form in load_forms().values()}


def today() -> date:
    """Today in Asia/Shanghai (a function, so that tests can fix the day)."""
    return timezone.localdate()


def last_month(day: date | None = None) -> str:
    day = day or today()
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    return f"{year}-{month:02d}"


def shown(value: Any) -> str:
    """``1234.5`` → ``1,234.5``; nothing → ``—``."""
    if value is None or value == "":
        return DASH
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return f"{value:,.4f}".rstrip("0").rstrip(".")
