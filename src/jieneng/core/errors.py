"""Errors of the domain core.

Every error names the declaration of its problem code (:mod:`jieneng.core.problems`), from which
it takes its stable ``code`` and its English message template (the gettext msgid) with named
parameters. The core never translates: the presentation layer renders ``gettext(template) % params``
in the user's language (zh-hans first). ``str(error)`` is the English rendering, for logs.
"""

from __future__ import annotations

from typing import Any, ClassVar

from jieneng.core.problems import ProblemType, carbon, conversion, gettext_noop

__all__ = [
    "CarbonFailed",
    "ConversionFailed",
    "EmissionYearNotCovered",
    "GreenNotElectricity",
    "IncompatibleUnit",
    "JienengError",
    "MissingCoefficient",
    "MissingColumn",
    "MissingDensity",
    "MissingElectricityFactor",
    "MissingEmissionFactor",
    "MissingRegion",
    "ProvinceNotListed",
    "ReferenceDataError",
    "RollupRefused",
    "UnknownEnergyType",
    "UnknownUnit",
    "gettext_noop",
]


class JienengError(Exception):
    """Base of the project's errors: a code, a message template and its parameters.

    A subclass names its declaration in ``problem_type``; ``code`` and ``template`` come from it
    (declaring them on the exception raises ``TypeError``: a code is declared once).
    """

    problem_type: ClassVar[type[ProblemType]] = ProblemType
    code: ClassVar[str] = ProblemType.code
    template: ClassVar[str] = ProblemType.template

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for key in ("code", "template"):
            if key in cls.__dict__:
                raise TypeError(f"{cls.__name__}: the {key} comes from its problem_type, not the exception")
        cls.code, cls.template = cls.problem_type.code, cls.problem_type.template

    def __init__(self, **params: Any) -> None:
        self.params = params
        super().__init__(self.template % params)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self), "params": self.params}


class UnknownEnergyType(JienengError):
    problem_type = conversion.UnknownEnergyType


class UnknownUnit(JienengError):
    problem_type = conversion.UnknownUnit


class IncompatibleUnit(JienengError):
    problem_type = conversion.IncompatibleUnit


class MissingDensity(JienengError):
    problem_type = conversion.MissingDensity


class MissingCoefficient(JienengError):
    problem_type = conversion.MissingCoefficient


class MissingColumn(JienengError):
    problem_type = conversion.MissingFrameColumn


class ReferenceDataError(JienengError):
    problem_type = conversion.ReferenceData


class RollupRefused(JienengError):
    problem_type = conversion.RollupRefused


class ConversionFailed(JienengError):
    """Several problems found while converting a frame; ``problems`` holds each one."""

    problem_type = conversion.ConversionFailed

    def __init__(self, problems: list[JienengError]) -> None:
        self.problems = problems
        super().__init__(count=len(problems))


# --- CO₂ (core/carbon.py) -------------------------------------------------------------------------


class MissingEmissionFactor(JienengError):
    problem_type = carbon.MissingEmissionFactor


class EmissionYearNotCovered(JienengError):
    problem_type = carbon.EmissionYearNotCovered


class MissingElectricityFactor(JienengError):
    problem_type = carbon.MissingElectricityFactor


class ProvinceNotListed(JienengError):
    problem_type = carbon.ProvinceNotListed


class MissingRegion(JienengError):
    problem_type = carbon.MissingRegion


class GreenNotElectricity(JienengError):
    problem_type = carbon.GreenNotElectricity


class CarbonFailed(JienengError):
    """Several problems found while computing CO₂ for a frame; ``problems`` holds each one."""

    problem_type = carbon.CarbonFailed

    def __init__(self, problems: list[JienengError]) -> None:
        self.problems = problems
        super().__init__(count=len(problems))
