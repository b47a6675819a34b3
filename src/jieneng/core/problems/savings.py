"""Problems of the savings core (:mod:`jieneng.core.savings`) and the reasons of a subsidy assessment.

- :class:`SavingsProblem` (family SAVINGS): the key parameters of an Option A estimate and the terms of
  an energy-performance contract that cannot be right (errors), and the data-sufficiency and
  measurement problems of a measured-savings calculation (CalTRACK 2.0 section 2), recorded with their
  evidence as :class:`jieneng.core.savings.sufficiency.Issue`.
- :class:`SubsidyReason` (family SUBSIDY): why a project is or is not eligible for a subsidy rule,
  recorded as :class:`jieneng.core.savings.subsidies.Reason`. These are verdicts rather than problems:
  a blocking reason means no subsidy, an advisory one a note on a subsidy that stands; ``eligible`` is
  the verdict itself.

Two measurement codes take their severity from the method's reference data
(``reference/data/savings/*.toml``): the declaration gives the default severity and, in
``severity_key``, the key of the method's ``[sufficiency]`` table that sets it; the record carries the
severity the data give. Every other code's records have the declared severity.
"""

from __future__ import annotations

from typing import ClassVar

from jieneng.core.problems.base import ADVISORY, Family, ProblemType, gettext_noop


class SavingsProblem(ProblemType, abstract=True):
    family = Family.SAVINGS
    #: the key of the method's ``[sufficiency]`` data that sets the severity of this code's records
    #: (``"blocking"`` or ``"advisory"``); None: always the declared severity
    severity_key: ClassVar[str | None] = None


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


# --- measured savings: the periods -------------------------------------------------------------------


class PeriodsOverlap(SavingsProblem):
    code = "periods_overlap"
    template = gettext_noop(
        "The baseline period %(baseline)s and the reporting period %(reporting)s overlap by %(days)s day(s); "
        "the baseline must end before the reporting period starts."
    )
    params = ("baseline", "reporting", "days")
    description = "The baseline and the reporting period share days."


class PeriodReversed(SavingsProblem):
    code = "period_reversed"
    template = gettext_noop("The period %(period)s ends before it starts.")
    params = ("period",)
    description = "A baseline or reporting period whose last day comes before its first."


class BaselineAfterReporting(SavingsProblem):
    code = "baseline_after_reporting"
    template = gettext_noop(
        "The baseline period %(baseline)s comes after the reporting period %(reporting)s; "
        "the baseline is the time before the retrofit."
    )
    params = ("baseline", "reporting")
    description = "The baseline period lies after the reporting period."


class BaselineTooShort(SavingsProblem):
    code = "baseline_too_short"
    template = gettext_noop(
        "The baseline period %(baseline)s has %(days)s day(s); %(method)s needs %(required)s days "
        "immediately before the retrofit."
    )
    params = ("baseline", "days", "method", "required")
    description = "A baseline shorter than the method requires (CalTRACK 2.2.1.1: 365 days)."


class BaselineTrimmed(SavingsProblem):
    code = "baseline_trimmed"
    severity = ADVISORY
    template = gettext_noop(
        "The baseline period has %(days)s days; only its last %(required)s days (%(used)s) are used."
    )
    params = ("days", "required", "used")
    description = "A baseline longer than the method's; only its last days are used."


# --- measured savings: the data -----------------------------------------------------------------------


class BaselineGaps(SavingsProblem):
    code = "baseline_gaps"
    template = gettext_noop(
        "Only %(valid)s of the %(days)s baseline days (%(share)s %%) have both use and temperature; "
        "%(method)s needs at least %(required)s %%."
    )
    params = ("valid", "days", "share", "method", "required")
    description = "Too few baseline days with both use and temperature (CalTRACK 2.2.1.2: 90 %)."


class TemperatureGaps(SavingsProblem):
    code = "temperature_gaps"
    template = gettext_noop(
        "Only %(valid)s of the %(days)s baseline days (%(share)s %%) have a temperature; "
        "%(method)s needs at least %(required)s %%."
    )
    params = ("valid", "days", "share", "method", "required")
    description = "Too few baseline days with a temperature."


class MonthGaps(SavingsProblem):
    code = "month_gaps"
    severity = ADVISORY
    severity_key = "month_coverage_severity"
    template = gettext_noop(
        "Month %(month)s of the baseline has use and temperature on %(valid)s of %(days)s days "
        "(%(share)s %%, below %(required)s %%)."
    )
    params = ("month", "valid", "days", "share", "required")
    description = "A baseline month below the coverage share; severity from the method's data."


class NegativeUse(SavingsProblem):
    code = "negative_use"
    severity_key = "negative_use_severity"
    template = gettext_noop(
        "%(count)s baseline value(s) of use are negative (first on %(first)s); "
        "net metering cannot be modelled with this method."
    )
    params = ("count", "first")
    description = "Negative use in the baseline (CalTRACK 2.3.5); severity from the method's data."


class TemperatureTooHigh(SavingsProblem):
    code = "temperature_too_high"
    template = gettext_noop(
        "The temperatures cannot be daily means in °C: mean %(mean)s, highest %(maximum)s. "
        "If they are in °F, give the temperature unit F."
    )
    params = ("mean", "maximum", "minimum")
    description = "Temperatures too high to be daily means in °C, and not plausible as °F either."


class TemperatureTooLow(SavingsProblem):
    code = "temperature_too_low"
    template = gettext_noop(
        "The temperatures cannot be daily means in °C: lowest %(minimum)s. Check the column and its unit."
    )
    params = ("mean", "maximum", "minimum")
    description = "A temperature below the lowest daily mean on the Earth's surface."


class LooksFahrenheit(SavingsProblem):
    code = "looks_fahrenheit"
    template = gettext_noop(
        "The temperatures look like °F, not °C: their mean is %(mean)s. Give the temperature unit F, "
        "or convert them to °C."
    )
    params = ("mean", "maximum", "minimum")
    description = "Temperatures that cannot be °C but are plausible as °F."


class ReportingEmpty(SavingsProblem):
    code = "reporting_empty"
    template = gettext_noop("The reporting period %(reporting)s has no day with both use and temperature.")
    params = ("reporting",)
    description = "No reporting day (or bill) with both use and temperature: no savings to sum."


class BillingPeriodExcluded(SavingsProblem):
    code = "billing_period_excluded"
    severity = ADVISORY
    template = gettext_noop("The billing period %(period)s (%(days)s days) is left out: %(reason)s.")
    params = ("period", "days", "reason")
    description = "A bill too short, too long or with too few temperatures, left out (CalTRACK 2.2.3)."


class NoModel(SavingsProblem):
    code = "no_model"
    template = gettext_noop(
        "No candidate model qualifies for the baseline (every one has a negative coefficient or too few "
        "degree days), so no savings can be computed."
    )
    description = "No CalTRACK candidate model qualifies for the baseline."


# --- subsidy eligibility -------------------------------------------------------------------------------


class SubsidyReason(ProblemType, abstract=True):
    family = Family.SUBSIDY


class Eligible(SubsidyReason):
    code = "eligible"
    severity = ADVISORY
    template = gettext_noop(
        "Eligible: %(tce)s tce a year at %(rate)s yuan/tce (%(central)s central + %(provincial)s provincial)."
    )
    params = ("tce", "rate", "central", "provincial")
    description = "The verdict, not a problem: the project qualifies, at the central plus provincial rate."


class ContractTypeNotSupported(SubsidyReason):
    code = "contract_type"
    template = gettext_noop(
        "Not eligible: rule %(rule)s supports only %(supported)s contracts, this project's is %(contract)s."
    )
    params = ("rule", "supported", "contract")
    description = "The project's contract type is not one the rule supports."


class BelowMinimum(SubsidyReason):
    code = "below_minimum"
    template = gettext_noop(
        "Not eligible: %(tce)s tce a year is below the rule's minimum of %(minimum)s tce."
    )
    params = ("tce", "minimum")
    description = "Annual savings below the rule's lower bound (included)."


class IndustrialBelowMinimum(SubsidyReason):
    code = "industrial_below_minimum"
    template = gettext_noop(
        "Not eligible: an industrial project must save at least %(minimum)s tce a year; "
        "this one saves %(tce)s."
    )
    params = ("tce", "minimum")
    description = "An industrial project's annual savings below the rule's industrial lower bound."


class AboveMaximum(SubsidyReason):
    code = "above_maximum"
    template = gettext_noop(
        "Not eligible: %(tce)s tce a year is not below the rule's maximum of %(maximum)s tce."
    )
    params = ("tce", "maximum")
    description = "Annual savings at or above the rule's upper bound (excluded)."


class ProvincialRateTooLow(SubsidyReason):
    code = "provincial_rate_too_low"
    severity = ADVISORY
    template = gettext_noop(
        "The provincial rate %(provincial)s yuan/tce is below the rule's minimum of %(minimum)s yuan/tce; "
        "the minimum is used."
    )
    params = ("provincial", "minimum")
    description = "A provincial rate below the rule's minimum, raised to it."
