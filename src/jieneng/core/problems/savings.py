"""Errors of the savings core (:mod:`jieneng.core.savings`): the key parameters of an Option A estimate
and the terms of an energy-performance contract that cannot be right."""

from __future__ import annotations

from jieneng.core.problems.base import Family, ProblemType, gettext_noop


class SavingsProblem(ProblemType, abstract=True):
    family = Family.SAVINGS


class BadLampClass(SavingsProblem):
    code = "bad_lamp_class"
    template = gettext_noop(
        "Lamp class “%(name)s”: %(problem)s (count ≥ 0, wattages > 0 with ballast, hours 0–8784)."
    )
    params = ("name", "problem")
    description = "A lamp class of a street-light estimate with an impossible count, wattage or hours."


class BadContractTerm(SavingsProblem):
    code = "bad_contract_term"
    template = gettext_noop("Contract term %(term)s = %(value)s is not allowed: %(rule)s.")
    params = ("term", "value", "rule")
    description = "A contract's share, years, guarantee or fee outside what its type allows."
