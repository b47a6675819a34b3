"""Problems of the arguments of a command (``jieneng convert``, ``compute``, ``import``, ``template``)."""

from __future__ import annotations

from jieneng.core.problems.base import Family, ProblemType, gettext_noop


class CommandProblem(ProblemType, abstract=True):
    family = Family.COMMAND


class UnknownCoefficientSet(CommandProblem):
    code = "unknown_coefficient_set"
    template = gettext_noop(
        "Unknown coefficient set “%(ref)s”. Built-in sets: %(sets)s; or give the path of a .toml file."
    )
    params = ("ref", "sets")
    description = "``--set`` names no built-in coefficient set and no .toml file."


class CoefficientFileNotFound(CommandProblem):
    code = "coefficient_file_not_found"
    template = gettext_noop("Coefficient set file “%(ref)s” does not exist.")
    params = ("ref",)
    description = "``--set`` gives the path of a file that does not exist."


class UnknownGrouping(CommandProblem):
    code = "unknown_grouping"
    template = gettext_noop("Unknown grouping “%(key)s”; use org, region, year, quarter, month or period.")
    params = ("key",)
    description = "``--by`` names something the totals cannot be grouped by."


class UnknownForm(CommandProblem):
    code = "unknown_form"
    template = gettext_noop("There is no form “%(form)s”; the forms are: %(forms)s.")
    params = ("form", "forms")
    description = "``--form`` names no statistics form."


class NoEdition(CommandProblem):
    code = "no_edition"
    template = gettext_noop("Form “%(form)s” does not exist for %(year)s; it covers %(years)s.")
    params = ("form", "year", "years")
    description = "No edition of the form covers the year of ``--period``."


class WrongFrequency(CommandProblem):
    code = "wrong_frequency"
    template = gettext_noop(
        "Form “%(form)s” is not reported by %(frequency)s; it is reported by %(allowed)s."
    )
    params = ("form", "frequency", "allowed")
    description = "``--period`` is a month, quarter or year the form's edition is not reported by."


class UnknownRegion(CommandProblem):
    code = "unknown_region"
    template = gettext_noop("No region has the code %(code)s.")  # as the template page says it
    params = ("code",)
    description = "``--region`` is no code of the division table."


class UnknownEmissionFactorSet(CommandProblem):
    code = "unknown_emission_factor_set"
    template = gettext_noop(
        "Unknown emission-factor set “%(ref)s”. Built-in sets: %(sets)s; or give the path of a .toml file."
    )
    params = ("ref", "sets")
    description = "``--factors`` names no built-in emission-factor set and no .toml file."


class EmissionFactorFileNotFound(CommandProblem):
    code = "emission_factor_file_not_found"
    template = gettext_noop("Emission-factor set file “%(ref)s” does not exist.")
    params = ("ref",)
    description = "``--factors`` gives the path of a file that does not exist."


class BadFactorYear(CommandProblem):
    code = "bad_factor_year"
    template = gettext_noop(
        "Unknown data-year rule “%(rule)s”; write latest, lag and a number of years (lag2), "
        "or a data year (2022)."
    )
    params = ("rule",)
    description = "``--factor-year`` is neither latest, lagN nor a year."


class BadPeriodOption(CommandProblem):
    code = "bad_period_option"
    template = gettext_noop(
        "%(option)s “%(value)s” is not a period; write FIRST..LAST with dates, e.g. 2023-01-01..2023-12-31."
    )
    params = ("option", "value")
    description = "``--baseline`` or ``--reporting`` of ``jieneng savings`` is not FIRST..LAST."
