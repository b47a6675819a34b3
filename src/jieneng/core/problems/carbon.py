"""Errors of the CO₂ calculation (:mod:`jieneng.core.carbon`): a factor, a data year or a province the
chosen emission-factor set does not have. Nothing is computed with a wrong factor instead."""

from __future__ import annotations

from jieneng.core.problems.base import Family, ProblemType, gettext_noop


class CarbonProblem(ProblemType, abstract=True):
    family = Family.CARBON


class MissingEmissionFactor(CarbonProblem):
    code = "missing_emission_factor"
    template = gettext_noop("Emission-factor set %(set)s has no CO₂ factor for %(energy)s.")
    params = ("set", "energy")
    description = "The emission-factor set has no factor for an energy type of the rows."


class EmissionYearNotCovered(CarbonProblem):
    code = "emission_year_not_covered"
    template = gettext_noop(
        "Emission-factor set %(set)s has no %(variant)s electricity factor for reporting year %(year)s "
        "under the rule “%(rule)s”; its data years are %(years)s."
    )
    params = ("set", "variant", "year", "rule", "years")
    description = "No data year of the set applies to a reporting year under the chosen convention."


class MissingElectricityFactor(CarbonProblem):
    code = "missing_electricity_factor"
    template = gettext_noop(
        "Emission-factor set %(set)s has no %(variant)s electricity factor of data year %(year)s "
        "for %(area)s, nor for its regional grid or the country."
    )
    params = ("set", "variant", "year", "area")
    description = "Neither the province, its grid nor the country has an electricity factor that year."


class ProvinceNotListed(CarbonProblem):
    code = "province_not_listed"
    template = gettext_noop(
        "Emission-factor set %(set)s lists no province “%(province)s” (the first two digits of the region "
        "code); give the GB/T 2260 code of a province it lists, or use the national factor."
    )
    params = ("set", "province")
    description = "A region code whose province the emission-factor set does not list."


class MissingRegion(CarbonProblem):
    code = "missing_region"
    template = gettext_noop(
        "Electricity of %(year)s has no region code: a location-based CO₂ figure needs the province "
        "(行政区划代码); add it, or use the national factor."
    )
    params = ("year",)
    description = "Electricity without a region, where a location-based factor is asked for."


class GreenNotElectricity(CarbonProblem):
    code = "green_not_electricity"
    template = gettext_noop(
        "Only electricity can be green electricity; rows of %(energy)s say purpose “green”."
    )
    params = ("energy",)
    description = "Rows of another energy type marked as green electricity."


class Co2NotComputed(CarbonProblem):
    code = "co2_not_computed"
    template = gettext_noop(
        "The CO₂ of these figures has not been computed yet (they predate CO₂ in the roll-ups); "
        "run “jieneng manage rebuild_rollups”."
    )
    params = ()
    description = "Roll-up rows kept before CO₂ was added, waiting for a rebuild."


class CarbonFailed(CarbonProblem):
    code = "carbon_failed"
    template = gettext_noop("%(count)s problem(s) prevent the CO₂ calculation.")
    params = ("count",)
    description = "Several of the problems above, found together in one CO₂ calculation."
