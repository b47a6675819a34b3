"""Problems of meters and their readings (:mod:`jieneng.io.meter_readings`, the monitoring services).

A file or a pushed batch with any blocking problem stores nothing; every problem names its row (the
spreadsheet's row number, or the reading's position in a pushed batch, from 1).
"""

from __future__ import annotations

from jieneng.core.problems.base import ADVISORY, Family, ProblemType, gettext_noop


class MeterProblem(ProblemType, abstract=True):
    family = Family.METER


class ReadingColumns(MeterProblem):
    code = "reading_columns"
    template = gettext_noop(
        "No header row with a meter, a time and a value column was found in the first rows; "
        "expected e.g. “表号, 时间, 读数” (missing: %(missing)s)."
    )
    params = ("missing",)
    description = "A readings file without the meter, time and value columns."


class UnknownMeter(MeterProblem):
    code = "reading_unknown_meter"
    template = gettext_noop("There is no meter “%(value)s” in your organisations.")
    params = ("value",)
    description = "A reading of a meter code that no meter the user may feed carries."


class VirtualMeterReading(MeterProblem):
    code = "reading_virtual_meter"
    template = gettext_noop(
        "Meter “%(value)s” is virtual (computed from other meters): it takes no readings."
    )
    params = ("value",)
    description = "A reading sent for a virtual meter."


class UnitMismatch(MeterProblem):
    code = "reading_unit_mismatch"
    template = gettext_noop("The unit “%(value)s” does not measure %(energy)s; the meter counts in %(unit)s.")
    params = ("value", "energy", "unit")
    description = "A reading's unit of another dimension than the meter's energy type (m³ for electricity)."


class BadNumber(MeterProblem):
    code = "reading_bad_number"
    template = gettext_noop("“%(value)s” is not a number.")
    params = ("value",)
    description = "Text, or nothing, in the value column."


class BadTime(MeterProblem):
    code = "reading_bad_time"
    template = gettext_noop("“%(value)s” is not a date and time (write e.g. 2026-11-30 14:00).")
    params = ("value",)
    description = "A time that cannot be read."


class FutureReading(MeterProblem):
    code = "reading_future"
    template = gettext_noop("The reading at %(value)s is in the future (now: %(now)s).")
    params = ("value", "now")
    description = "A reading stamped after the time it was received."


class ConflictingDuplicate(MeterProblem):
    code = "reading_conflict"
    template = gettext_noop(
        "Meter “%(meter)s” already has the value %(stored)s at %(value)s; a resend with a different "
        "value is refused, not overwritten."
    )
    params = ("value", "meter", "stored")
    description = "A resent reading whose value differs from the stored one (an identical resend is skipped)."


class NaiveTime(MeterProblem):
    code = "reading_naive_time"
    severity = ADVISORY
    template = gettext_noop(
        "%(count)s times have no time zone: they were read as Beijing time (Asia/Shanghai, UTC+8)."
    )
    params = ("count",)
    description = "Times without a time zone, read as Asia/Shanghai (advisory)."


class RegisterRollover(MeterProblem):
    code = "register_rollover"
    severity = ADVISORY
    template = gettext_noop(
        "Meter “%(meter)s”: the register rolled over at %(value)s (counted on from zero)."
    )
    params = ("value", "meter")
    description = "A register that wrapped past its last count (advisory; the interval is counted)."


class RegisterReset(MeterProblem):
    code = "register_reset"
    severity = ADVISORY
    template = gettext_noop(
        "Meter “%(meter)s”: the register fell at %(value)s without rolling over: the meter was reset or "
        "replaced; that interval is unknown."
    )
    params = ("value", "meter")
    description = "A register that fell without a rollover: reset or replaced (advisory; an alert is raised)."


class BadFormula(MeterProblem):
    code = "meter_bad_formula"
    template = gettext_noop(
        "The formula “%(value)s” cannot be read; write meter codes joined by + and −, e.g. “M01 - M02”."
    )
    params = ("value",)
    description = "A virtual meter's formula that is not a sum of meter codes."


class FormulaUnknownMeter(MeterProblem):
    code = "meter_formula_unknown"
    template = gettext_noop("The formula names “%(value)s”, which is not a meter of this organisation.")
    params = ("value",)
    description = "A virtual meter's formula naming a meter that does not exist."


class MeterUnitMismatch(MeterProblem):
    code = "meter_unit_mismatch"
    template = gettext_noop("The unit “%(value)s” does not measure %(energy)s.")
    params = ("value", "energy")
    description = "A meter whose unit is of another dimension than its energy type."
