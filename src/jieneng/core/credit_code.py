"""Unified social credit code (统一社会信用代码, GB 32100-2015) and the organisation code inside it.

An 18-character code::

    9  1  440300  19220382 1  6
    │  │  │       │        │  └ 18      check character (校验码), GB 32100-2015 §4.4 and Annex A
    │  │  │       └────────┴ 9–17    主体标识码 = the 9-character organisation code (组织机构代码),
    │  │  │                          whose 9th character is its own check per GB 11714-1997 §5
    │  │  └ 3–8     administrative division code (登记管理机关行政区划码, GB/T 2260)
    │  └ 2          organisation category (机构类别码), e.g. 1 机关 / 2 事业单位 under authority 1
    └ 1             registration authority (登记管理部门码): 1 机构编制, 5 民政, 9 工商, Y 其他

Characters are digits and the capital letters except I, O, Z, S and V, valued 0–30 in the order of
:data:`CHARSET`. Checking is strict: callers fold case, full-width forms and spaces first
(:func:`normalise`).
"""

from __future__ import annotations

import re
import unicodedata

from jieneng.core.errors import JienengError
from jieneng.core.problems import directory

#: characters of a unified social credit code, in order of their value 0–30 (GB 32100-2015 表1)
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: weights of positions 1–17 (3^(i−1) mod 31, GB 32100-2015 Annex A)
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18
_VALUE = {char: value for value, char in enumerate(CHARSET)}

#: weights of the 8 body characters of an organisation code (GB 11714-1997 §5)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_BODY = re.compile(r"[0-9A-Z]{8}")
_REGION = re.compile(r"\d{6}")


class InvalidCreditCode(JienengError):
    """A unified social credit code that is not well formed; subclasses say what is wrong."""

    problem_type = directory.InvalidCreditCode


class CreditCodeWrongLength(InvalidCreditCode):
    problem_type = directory.CreditCodeWrongLength


class CreditCodeBadCharacter(InvalidCreditCode):
    problem_type = directory.CreditCodeBadCharacter


class CreditCodeWrongCheck(InvalidCreditCode):
    problem_type = directory.CreditCodeWrongCheck


def normalise(text: str) -> str:
    """Fold full-width forms (NFKC), drop spaces and dashes, upper-case: ``"９１ 4403-…"`` → ``"914403…"``."""
    folded = unicodedata.normalize("NFKC", text).upper()
    return "".join(char for char in folded if not char.isspace() and char != "-")


def _check_chars(value: str, expected: int) -> None:
    if len(value) != expected:
        raise CreditCodeWrongLength(value=value, length=len(value), expected=expected)
    bad = [(position, char) for position, char in enumerate(value, start=1) if char not in _VALUE]
    if bad:
        raise CreditCodeBadCharacter(
            value=value,
            chars="".join(dict.fromkeys(char for _, char in bad)),
            positions=", ".join(str(position) for position, _ in bad),
        )


def check_char(first17: str) -> str:
    """The 18th character for the first 17 (GB 32100-2015 Annex A).

    C18 = 31 − (Σ Ci·Wi mod 31), where 31 becomes 0. Raises :class:`InvalidCreditCode` when
    ``first17`` is not 17 characters of :data:`CHARSET`.
    """
    _check_chars(first17, LENGTH - 1)
    total = sum(_VALUE[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def problem(code: str) -> InvalidCreditCode | None:
    """What is wrong with ``code`` (its length, then its characters, then its check character), or None."""
    try:
        _check_chars(code, LENGTH)
    except InvalidCreditCode as error:
        return error
    expected = check_char(code[: LENGTH - 1])
    if code[-1] != expected:
        return CreditCodeWrongCheck(value=code, found=code[-1], expected=expected)
    return None


def is_valid(code: str) -> bool:
    """Whether ``code`` is 18 characters of :data:`CHARSET` with the right check character."""
    return isinstance(code, str) and problem(code) is None


def validate(code: str) -> None:
    """Raise :class:`InvalidCreditCode` (a subclass naming the problem) unless ``code`` is valid."""
    error = problem(code)
    if error is not None:
        raise error


def org_code_check_char(first8: str) -> str:
    """The 9th character of an organisation code (GB 11714-1997 §5).

    Body characters are digits and capital letters valued 0–35 (A = 10 … Z = 35);
    C9 = 11 − (Σ Ci·Wi mod 11) with weights 3, 7, 9, 10, 5, 8, 4, 2; 10 is written ``X`` and 11 ``0``.
    """
    if not _ORG_BODY.fullmatch(first8):
        raise ValueError(f"an organisation code body is 8 digits or capital letters, not {first8!r}")
    total = sum(int(char, 36) * weight for char, weight in zip(first8, ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def org_code_is_valid(code9: str) -> bool:
    """Whether a 9-character organisation code (without the dash) has the right check character."""
    return (
        len(code9) == 9
        and bool(_ORG_BODY.fullmatch(code9[:8]))
        and org_code_check_char(code9[:8]) == code9[8]
    )


def org_code(code: str) -> str:
    """The organisation code (positions 9–17) inside a unified social credit code."""
    return code[8:17]


def make(registration: str, category: str, region: str, serial8: str) -> str:
    """Build a valid code from its parts; the two check characters are computed.

    ``registration`` and ``category`` are one character each (e.g. ``"1"``, ``"2"`` for a 事业单位
    registered by the 机构编制 authority), ``region`` a six-digit GB/T 2260 code, ``serial8`` the
    8-character body of the organisation code, from :data:`CHARSET`.
    """
    for name, part, size in (
        ("registration", registration, 1),
        ("category", category, 1),
        ("serial8", serial8, 8),
    ):
        if len(part) != size or any(char not in _VALUE for char in part):
            raise ValueError(f"{name} must be {size} character(s) from {CHARSET}, not {part!r}")
    if not _REGION.fullmatch(region):
        raise ValueError(f"region must be a six-digit division code, not {region!r}")
    first17 = registration + category + region + serial8 + org_code_check_char(serial8)
    return first17 + check_char(first17)
