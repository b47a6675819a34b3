"""Errors of the domain core.

Every error has a stable ``code`` and an English message template (the gettext msgid) with named
parameters. The core never translates: the presentation layer renders ``gettext(template) % params``
in the user's language (zh-hans first). ``str(error)`` is the English rendering, for logs.
"""

from __future__ import annotations

from typing import Any, ClassVar


def gettext_noop(message: str) -> str:
    """Mark a string for translation without translating it (picked up by ``makemessages``)."""
    return message


class JienengError(Exception):
    """Base of the project's errors: a code, a message template and its parameters."""

    code: ClassVar[str] = "error"
    template: ClassVar[str] = gettext_noop("Error")

    def __init__(self, **params: Any) -> None:
        self.params = params
        super().__init__(self.template % params)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self), "params": self.params}


class UnknownEnergyType(JienengError):
    code = "unknown_energy_type"
    template = gettext_noop(
        "Unknown energy type “%(name)s”. Use a name from the energy-type table, e.g. 电力, 天然气, 汽油."
    )


class UnknownUnit(JienengError):
    code = "unknown_unit"
    template = gettext_noop(
        "Unknown unit “%(unit)s”. Write a unit such as kWh, 万kWh, m³, 万m³, t, kg, L, GJ or tce."
    )


class IncompatibleUnit(JienengError):
    code = "incompatible_unit"
    template = gettext_noop(
        "%(energy)s cannot be measured in “%(unit)s”; its coefficient is per %(expected)s."
    )


class MissingDensity(JienengError):
    code = "missing_density"
    template = gettext_noop(
        "%(energy)s is given in “%(unit)s” but coefficient set %(set)s has no density for it; "
        "add a density row (kg/L) or report it by mass."
    )


class MissingCoefficient(JienengError):
    code = "missing_coefficient"
    template = gettext_noop("Coefficient set %(set)s has no coefficient for %(energy)s.")


class MissingColumn(JienengError):
    code = "missing_column"
    template = gettext_noop("Required column “%(column)s” is missing; the columns found are: %(found)s.")


class ReferenceDataError(JienengError):
    code = "reference_data"
    template = gettext_noop("Reference table %(table)s: %(problem)s")


class ConversionFailed(JienengError):
    """Several problems found while converting a frame; ``problems`` holds each one."""

    code = "conversion_failed"
    template = gettext_noop("%(count)s problem(s) prevent the conversion to standard coal.")

    def __init__(self, problems: list[JienengError]) -> None:
        self.problems = problems
        super().__init__(count=len(problems))


# --- CO₂ (core/carbon.py) -------------------------------------------------------------------------


class MissingEmissionFactor(JienengError):
    code = "missing_emission_factor"
    template = gettext_noop("Emission-factor set %(set)s has no CO₂ factor for %(energy)s.")


class EmissionYearNotCovered(JienengError):
    code = "emission_year_not_covered"
    template = gettext_noop(
        "Emission-factor set %(set)s has no %(variant)s electricity factor for reporting year %(year)s "
        "under the rule “%(rule)s”; its data years are %(years)s."
    )


class MissingElectricityFactor(JienengError):
    code = "missing_electricity_factor"
    template = gettext_noop(
        "Emission-factor set %(set)s has no %(variant)s electricity factor of data year %(year)s "
        "for %(area)s, nor for its regional grid or the country."
    )


class ProvinceNotListed(JienengError):
    code = "province_not_listed"
    template = gettext_noop(
        "Emission-factor set %(set)s lists no province “%(province)s” (the first two digits of the region "
        "code); give the GB/T 2260 code of a province it lists, or use the national factor."
    )


class MissingRegion(JienengError):
    code = "missing_region"
    template = gettext_noop(
        "Electricity of %(year)s has no region code: a location-based CO₂ figure needs the province "
        "(行政区划代码); add it, or use the national factor."
    )


class GreenNotElectricity(JienengError):
    code = "green_not_electricity"
    template = gettext_noop(
        "Only electricity can be green electricity; rows of %(energy)s say purpose “green”."
    )


class CarbonFailed(JienengError):
    """Several problems found while computing CO₂ for a frame; ``problems`` holds each one."""

    code = "carbon_failed"
    template = gettext_noop("%(count)s problem(s) prevent the CO₂ calculation.")

    def __init__(self, problems: list[JienengError]) -> None:
        self.problems = problems
        super().__init__(count=len(problems))
