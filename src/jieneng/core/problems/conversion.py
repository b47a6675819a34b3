"""Errors of the conversion to standard coal (:mod:`jieneng.core.coal`) and of the reference data;
the exceptions of :mod:`jieneng.core.errors` are built from these declarations."""

from __future__ import annotations

from jieneng.core.problems.base import Family, ProblemType, gettext_noop
from jieneng.core.problems.files import MissingColumn


class ConversionProblem(ProblemType, abstract=True):
    family = Family.CONVERSION


class UnknownEnergyType(ConversionProblem):
    code = "unknown_energy_type"
    template = gettext_noop(
        "Unknown energy type “%(name)s”. Use a name from the energy-type table, e.g. 电力, 天然气, 汽油."
    )
    params = ("name",)
    description = "An energy type that is neither a code nor a name or alias of the energy-type table."


class UnknownUnit(ConversionProblem):
    code = "unknown_unit"
    template = gettext_noop(
        "Unknown unit “%(unit)s”. Write a unit such as kWh, 万kWh, m³, 万m³, t, kg, L, GJ or tce."
    )
    params = ("unit",)
    description = "A unit of measure the unit table does not know."


class IncompatibleUnit(ConversionProblem):
    code = "incompatible_unit"
    template = gettext_noop(
        "%(energy)s cannot be measured in “%(unit)s”; its coefficient is per %(expected)s."
    )
    params = ("energy", "unit", "expected")
    description = "A unit of another dimension than the energy type's coefficient (kWh for coal)."


class MissingDensity(ConversionProblem):
    code = "missing_density"
    template = gettext_noop(
        "%(energy)s is given in “%(unit)s” but coefficient set %(set)s has no density for it; "
        "add a density row (kg/L) or report it by mass."
    )
    params = ("energy", "unit", "set")
    description = "A fuel given by volume while the coefficient set has no density for it."


class MissingCoefficient(ConversionProblem):
    code = "missing_coefficient"
    template = gettext_noop("Coefficient set %(set)s has no coefficient for %(energy)s.")
    params = ("set", "energy")
    description = "The coefficient set has no coefficient for an energy type."


class MissingFrameColumn(MissingColumn):
    """``missing_column`` of a frame handed to the conversion (a program's mistake, not a user's)."""

    family = Family.CONVERSION
    template = gettext_noop("Required column “%(column)s” is missing; the columns found are: %(found)s.")
    params = ("column", "found")
    description = "A frame given to the conversion lacks a column it needs."


class ReferenceData(ConversionProblem):
    code = "reference_data"
    template = gettext_noop("Reference table %(table)s: %(problem)s")
    params = ("table", "problem")
    description = "A reference data file (coefficients, units, forms, thresholds) is not well formed."


class ConversionFailed(ConversionProblem):
    code = "conversion_failed"
    template = gettext_noop("%(count)s problem(s) prevent the conversion to standard coal.")
    params = ("count",)
    description = "Several of the problems above, found together in one conversion."


class RollupRefused(ConversionProblem):
    code = "rollup_refused"
    template = gettext_noop(
        "The roll-up of region %(region)s for %(year)s was not changed: its %(sum)s would become "
        "%(value)s, which no set of approved records gives. Nothing was saved; ask the administrator to "
        "run “jieneng manage rebuild_rollups”."
    )
    params = ("region", "year", "sum", "value")
    description = (
        "Keeping the roll-ups current would write a non-finite or negative sum (a drift from the "
        "approved records): the change is refused as a whole."
    )
