"""Problems of the directory's identifiers (:mod:`jieneng.core.credit_code`)."""

from __future__ import annotations

from typing import ClassVar

from jieneng.core.problems.base import Family, ProblemType, gettext_noop


class DirectoryProblem(ProblemType, abstract=True):
    family = Family.DIRECTORY


class InvalidCreditCode(DirectoryProblem):
    code = "invalid_credit_code"
    template = gettext_noop("“%(value)s” is not a valid unified social credit code.")
    params: ClassVar[tuple[str, ...]] = ("value",)
    description = "A unified social credit code (GB 32100-2015) that is not well formed."


class CreditCodeWrongLength(InvalidCreditCode):
    template = gettext_noop(
        "Unified social credit code “%(value)s” has %(length)s characters; it must have %(expected)s."
    )
    params = ("value", "length", "expected")
    description = "A credit code of the wrong length."


class CreditCodeBadCharacter(InvalidCreditCode):
    template = gettext_noop(
        "Unified social credit code “%(value)s” contains “%(chars)s” (position %(positions)s); only digits "
        "and the capital letters A–Y except I, O, S, V are allowed."
    )
    params = ("value", "chars", "positions")
    description = "A credit code with a character outside its character set."


class CreditCodeWrongCheck(InvalidCreditCode):
    template = gettext_noop(
        "Unified social credit code “%(value)s” ends in “%(found)s” but its check character should be "
        "“%(expected)s”: a character is mistyped."
    )
    params = ("value", "found", "expected")
    description = "A credit code whose check character does not match: a character is mistyped."
