"""The checks of an uploaded statistics form (:mod:`jieneng.core.validation`) and the import's own
check that every row is of a unit the user reports for.

``label`` is the item code (the service puts the item's name in the user's language in its place),
``item_zh``/``item_en`` the item's names; numbers are given as text, ready to print.
"""

from __future__ import annotations

from jieneng.core.problems.base import ADVISORY, Family, ProblemType, gettext_noop

_LABELS = ("label", "item_zh", "item_en")


class FormCheck(ProblemType, abstract=True):
    family = Family.CHECK


class UnknownOrganisation(FormCheck):
    code = "unknown_organisation"
    template = gettext_noop(
        "Organisation “%(org)s” is not in the directory. Write its 18-character unified social credit "
        "code as listed in the directory, or ask the energy-saving office to add the unit."
    )
    params = ("org",)
    description = "The unit of a row is not in the directory (by credit code, organisation code or name)."


class OutsideYourPlace(FormCheck):
    code = "outside_your_place"
    template = gettext_noop(
        "“%(value)s” is not one of the units you report for, so this row cannot be imported. "
        "Remove the row; if you must report for this unit, ask the energy-saving office of its region "
        "(or the person who manages accounts there) to give you the reporter role for it."
    )
    params = ("value",)
    description = "The unit of a row is in the directory but not one the uploading user reports for."


class NegativeQuantity(FormCheck):
    code = "negative_quantity"
    template = gettext_noop("%(label)s is negative (%(value)s); a value on this form cannot be below zero.")
    params = (*_LABELS, "value")
    description = "A consumption, cost or fact is below zero."


class PeriodOutsideForm(FormCheck):
    code = "period_outside_form"
    template = gettext_noop(
        "Period %(period)s cannot be reported on the form %(form)s: it covers the years %(years)s, "
        "reported by %(frequencies)s, and no period after %(latest)s."
    )
    params = ("period", "reason", "form", "years", "frequencies", "latest")
    description = (
        "The year has no edition, the edition takes no such frequency, or the period is in the future."
    )


class ItemNotInEdition(FormCheck):
    code = "item_not_in_edition"
    template = gettext_noop(
        "%(label)s is not asked for by edition %(edition)s of the form (years %(years)s); leave it empty."
    )
    params = (*_LABELS, "value", "edition", "years")
    description = (
        "A value for an item the edition of that year does not have (太阳能光电系统发电量 before 2022)."
    )


class ConflictingDuplicate(FormCheck):
    code = "conflicting_duplicate"
    template = gettext_noop(
        "%(org)s %(period)s is already on row %(first)s with different values; "
        "keep one row per unit and period."
    )
    params = ("org", "period", "first")
    description = "The same unit and period twice, with different values."


class DuplicateRow(FormCheck):
    code = "duplicate_row"
    severity = ADVISORY
    template = gettext_noop(
        "%(org)s %(period)s repeats row %(first)s with the same values; only the first row is kept."
    )
    params = ("org", "period", "first")
    description = "The same unit and period twice with the same values; the later rows are dropped."


class PeriodOverlap(FormCheck):
    code = "period_overlap"
    template = gettext_noop(
        "%(period)s overlaps %(other)s of the same unit in %(year)s: report a year by months, by quarters "
        "or as a whole year, not several, or the totals would count twice."
    )
    params = ("period", "other", "year")
    description = "Months, quarters or the whole year mixed for one unit and year, in the file or stored."


class UnknownTypeCode(FormCheck):
    code = "unknown_type_code"
    template = gettext_noop("Type of institution “%(value)s” is not a known code; use one of %(codes)s.")
    params = (*_LABELS, "value", "codes")
    description = "A 单位性质 code that is not one of the directory's."


class YoyChange(FormCheck):
    code = "yoy_change"
    severity = ADVISORY
    verify = True
    template = gettext_noop(
        "%(label)s %(value)s is %(change)s%% on the same period last year (%(last_period)s: %(last)s); "
        "please confirm it."
    )
    params = (*_LABELS, "value", "last", "last_period", "change")
    description = "A quantity changed on the same period last year beyond the thresholds of the checks."


class TenThousandOff(FormCheck):
    code = "ten_thousand_off"
    severity = ADVISORY
    verify = True
    template = gettext_noop(
        "%(label)s %(value)s is about %(ratio)s times the reference %(reference)s (same period last year "
        "or this unit's other periods): was the header unit perhaps 万 (10,000)?"
    )
    params = (*_LABELS, "value", "reference", "ratio")
    description = "A value about 10,000 times too large or too small (万 confusion)."


class PerM2Outlier(FormCheck):
    code = "per_m2_outlier"
    severity = ADVISORY
    verify = True
    template = gettext_noop(
        "%(label)s per m² of building area is %(per_m2)s %(unit)s/m², against a median of %(median)s "
        "for units of type %(type_code)s; check the value and the building area (%(area_m2)s m²)."
    )
    params = (*_LABELS, "value", "unit", "per_m2", "median", "type_code", "area_m2")
    description = "A quantity per m² of building area far from the median of units of the same 单位性质."


class UnitPriceOutlier(FormCheck):
    code = "unit_price_outlier"
    severity = ADVISORY
    verify = True
    template = gettext_noop(
        "%(label)s: the price is %(price)s 元 per %(unit)s (cost %(cost)s 元 ÷ quantity %(value)s), "
        "outside the usual %(low)s–%(high)s 元 per %(unit)s; check the quantity, the cost and the units "
        "in the header."
    )
    params = (*_LABELS, "value", "cost", "price", "unit", "low", "high")
    description = (
        "The cost of an energy type divided by its quantity is outside the plausible price range "
        "(reference data validation/unit-prices.toml): a quantity in the wrong unit, or a cost in 万元."
    )


class MissingMonth(FormCheck):
    code = "missing_month"
    severity = ADVISORY
    template = gettext_noop("Months %(months)s of %(year)s are missing before %(period)s.")
    params = ("period", "year", "months")
    description = "A unit reporting by month has left out months before its latest one."


class NotFinite(FormCheck):
    code = "not_finite"
    template = gettext_noop("%(label)s is not a number (%(value)s); write the value as digits.")
    params = (*_LABELS, "value")
    description = "A value that is not a finite number (NaN, infinity) reached the checks."


class BeyondBounds(FormCheck):
    code = "beyond_bounds"
    template = gettext_noop(
        "%(label)s of %(value)s %(unit)s is beyond what any unit can report for one period (at most "
        "%(maximum)s %(unit)s); check the number and the unit in the header."
    )
    params = (*_LABELS, "value", "unit", "maximum", "bounds")
    description = (
        "A quantity, cost or fact above the physical bound for its unit (reference data "
        "validation/bounds.toml): impossible, never stored."
    )


class MistypedCreditCode(FormCheck):
    code = "mistyped_credit_code"
    template = gettext_noop(
        "Organisation “%(org)s” is not in the directory: this unified social credit code ends in "
        "“%(found)s” but its check character should be “%(expected)s”, so a character is mistyped. "
        "Copy the code from the unit's certificate or from the directory."
    )
    params = ("org", "found", "expected")
    description = "The unit of a row is not found, and its credit code has a wrong check character."


class NoData(FormCheck):
    code = "no_data"
    template = gettext_noop(
        "The file has no values: every row lists a unit and a period but no figure. Fill in the "
        "template before uploading it; nothing was imported."
    )
    params = ()
    description = "No row of the file has a value (the template uploaded as it was generated)."


class EmptyRow(FormCheck):
    code = "empty_row"
    severity = ADVISORY
    template = gettext_noop(
        "%(org)s %(period)s has no value; the row is left out and what is stored for it stays as it is."
    )
    params = ("org", "period")
    description = "A row with a unit and a period but no value: left out, never a blank revision."


class BlankKeepsValue(FormCheck):
    code = "blank_keeps_value"
    severity = ADVISORY
    template = gettext_noop(
        "%(org)s %(period)s: the cell of %(label)s is blank and the value stored for it (%(stored)s "
        "%(unit)s) is kept, not cleared. To clear it, import the file again with “Clear the stored "
        "values of blank cells” confirmed."
    )
    params = ("org", "period", *_LABELS, "stored", "unit")
    description = "A blank cell over a stored value: the value is kept unless the uploader confirms clearing."


class BlankClearsValue(FormCheck):
    code = "blank_clears_value"
    severity = ADVISORY
    template = gettext_noop(
        "%(org)s %(period)s: the cell of %(label)s is blank and the value stored for it (%(stored)s "
        "%(unit)s) is cleared, as the uploader confirmed."
    )
    params = ("org", "period", *_LABELS, "stored", "unit")
    description = "A blank cell over a stored value, cleared because the uploader confirmed clearing."
