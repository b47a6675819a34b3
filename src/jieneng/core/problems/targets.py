"""Problems of the targets core (:mod:`jieneng.core.targets`): a target that cannot be right, a split
whose weights do not sum, children that together fall short of their parent.

Each is found by :func:`jieneng.core.targets.validate`, :func:`~jieneng.core.targets.validate_pair`,
:func:`~jieneng.core.targets.split` or :func:`~jieneng.core.targets.check_split`; nothing is stored
until the blocking ones are fixed. A shortfall of the children is advisory: a split may be saved while
the office negotiates the rest.
"""

from __future__ import annotations

from jieneng.core.problems.base import ADVISORY, Family, ProblemType, gettext_noop


class TargetProblem(ProblemType, abstract=True):
    family = Family.TARGET


class UnknownIndicator(TargetProblem):
    code = "unknown_indicator"
    template = gettext_noop("Target %(target)s: there is no indicator “%(indicator)s”; known: %(known)s.")
    params = ("target", "indicator", "known")
    description = "A target on an indicator the system does not compute or count."


class RangeReversed(TargetProblem):
    code = "range_reversed"
    template = gettext_noop(
        "Target %(target)s: the range %(low)s~%(high)s is reversed; the lower bound comes first."
    )
    params = ("target", "low", "high")
    description = "A range target whose lower bound is above its upper bound."


class BaseAfterPeriod(TargetProblem):
    code = "base_after_period"
    template = gettext_noop(
        "Target %(target)s: the base year %(base)s is not before the target period %(period)s."
    )
    params = ("target", "base", "period")
    description = "A base period that does not come before the target period."


class MissingBase(TargetProblem):
    code = "missing_base"
    template = gettext_noop("Target %(target)s: a reduction on a base period needs the base year.")
    params = ("target",)
    description = "A reduction or range target without a base year."


class MissingTargetValue(TargetProblem):
    code = "missing_target_value"
    template = gettext_noop(
        "Target %(target)s: a value, a cap or a floor needs its value, a reduction its percentage, "
        "a range its two bounds."
    )
    params = ("target", "kind")
    description = "A target without the value, bounds or percentage its kind needs."


class PeriodEndsBeforeStart(TargetProblem):
    code = "target_period_reversed"
    template = gettext_noop("Target %(target)s: the period %(period)s ends before it starts.")
    params = ("target", "period")
    description = "A target period whose last year comes before its first."


class MilestoneOutsidePeriod(TargetProblem):
    code = "milestone_outside_period"
    template = gettext_noop(
        "Target %(target)s: the milestone of %(year)s lies outside the period %(period)s."
    )
    params = ("target", "year", "period")
    description = "A yearly milestone for a year the target period does not cover."


class IncentiveNotStricter(TargetProblem):
    code = "incentive_not_stricter"
    template = gettext_noop(
        "The incentive target %(incentive)s asks no more than the basic target %(basic)s; "
        "the incentive target is the stricter of the pair."
    )
    params = ("basic", "incentive")
    description = "A dual-control pair whose incentive target is not stricter than its basic target."


class PairMismatch(TargetProblem):
    code = "pair_mismatch"
    template = gettext_noop(
        "The basic target %(basic)s and the incentive target %(incentive)s are not on the same indicator, "
        "period, base year and kind of target."
    )
    params = ("basic", "incentive", "field")
    description = "A dual-control pair whose two targets are not on the same indicator, period and base."


class WeightsDoNotSum(TargetProblem):
    code = "weights_do_not_sum"
    template = gettext_noop("The weights of the split sum to %(total)s, not %(expected)s.")
    params = ("total", "expected")
    description = "A split by weights whose weights do not sum to 1 (or to 100 %)."


class BadWeight(TargetProblem):
    code = "bad_weight"
    template = gettext_noop("The share of %(child)s is %(weight)s; a share is a number not below zero.")
    params = ("child", "weight")
    description = "A child of a split with a negative or missing weight or base-year value."


class SplitShort(TargetProblem):
    code = "split_short"
    severity = ADVISORY
    template = gettext_noop(
        "Together the children reach %(reached)s against the parent's %(required)s: "
        "short by %(shortfall)s %(unit)s."
    )
    params = ("reached", "required", "shortfall", "unit")
    description = "The children's targets together do not meet their parent's target."


class FileNotWhatNameSays(TargetProblem):
    code = "file_not_what_name_says"
    template = gettext_noop(
        "The file %(file)s is named as %(named)s but its content is %(found)s; attach the file itself."
    )
    params = ("file", "named", "found")
    description = "An attached file whose content is not of the type its name says (a renamed file)."


class FileContentUnknown(TargetProblem):
    code = "file_content_unknown"
    template = gettext_noop(
        "The content of the file %(file)s is not a file of a type accepted here (%(accepted)s), "
        "whatever its name says."
    )
    params = ("file", "accepted")
    description = "An attached file whose content is none of the accepted types (PDF, image, Office)."


class FileKindRefused(TargetProblem):
    code = "file_kind_refused"
    template = gettext_noop("The file %(file)s is %(found)s; accepted here: %(accepted)s.")
    params = ("file", "found", "accepted")
    description = "An attached file of a type this attachment does not accept (a scan must be PDF or image)."


class FileTooLarge(TargetProblem):
    code = "file_too_large"
    template = gettext_noop("The file %(file)s is %(size)s MB; at most %(limit)s MB may be attached.")
    params = ("file", "size", "limit")
    description = "An attached file larger than the setting JIENENG_ATTACHMENT_MAX_MB allows."


class EmptyAttachment(TargetProblem):
    code = "empty_attachment"
    template = gettext_noop("The file %(file)s is empty.")
    params = ("file",)
    description = "An attached file of no bytes."


class BadDueDate(TargetProblem):
    code = "task_due_before_deployed"
    template = gettext_noop("The task %(task)s is due on %(due)s, before the day it is deployed (%(today)s).")
    params = ("task", "due", "today")
    description = "A task deployed with a due date already past."


class NoRecipients(TargetProblem):
    code = "task_without_recipients"
    template = gettext_noop("The task %(task)s is deployed to nobody; choose at least one unit below.")
    params = ("task",)
    description = "A task deployed without any recipient."


class NotAChild(TargetProblem):
    code = "sheet_region_not_below"
    template = gettext_noop(
        "%(value)s is not a region directly below %(parent)s; the target is passed down to %(known)s."
    )
    params = ("value", "parent", "known")
    description = (
        "A row of a 下达任务指标表 for a region that is not directly below the parent target's region."
    )


class RegionTwice(TargetProblem):
    code = "sheet_region_twice"
    template = gettext_noop("%(value)s is given again; its first row is %(first)s.")
    params = ("value", "first")
    description = "A region given twice in a 下达任务指标表."


class IndicatorDiffers(TargetProblem):
    code = "sheet_indicator_differs"
    template = gettext_noop(
        "The indicator “%(value)s” is not the indicator of the target passed down (%(expected)s)."
    )
    params = ("value", "expected")
    description = "A row of a 下达任务指标表 on another indicator than the parent target's."


class SheetUnknownIndicator(TargetProblem):
    code = "sheet_unknown_indicator"
    template = gettext_noop("There is no indicator “%(value)s”; known: %(known)s.")
    params = ("value", "known")
    description = "A row of a 下达任务指标表 naming an indicator the system does not compute or count."


class SheetBadRegionCode(TargetProblem):
    code = "sheet_bad_region_code"
    template = gettext_noop("“%(value)s” is not a region code (six digits, such as 445202).")
    params = ("value",)
    description = "A cell of a 下达任务指标表 that is not a six-digit GB/T 2260 code."


class ActionNumberTwice(TargetProblem):
    code = "action_number_twice"
    template = gettext_noop("Action %(value)s is given again; its first row is %(first)s.")
    params = ("value", "first")
    description = "An action plan sheet numbering two actions alike."


class ActionGoalIncomplete(TargetProblem):
    code = "action_goal_incomplete"
    template = gettext_noop(
        "Action %(action)s: the goal “%(goal)s” needs its base year, base value, target year and target"
        " value; missing: %(missing)s."
    )
    params = ("action", "goal", "missing")
    description = "An action's goal on a counted quantity without its base or its target."


class ActionGoalYears(TargetProblem):
    code = "action_goal_years"
    template = gettext_noop(
        "Action %(action)s: the base year %(base)s of the goal “%(goal)s” is not before its target year"
        " %(year)s."
    )
    params = ("action", "goal", "base", "year")
    description = "An action's goal whose base year is not before its target year."


class PlanWithoutActions(TargetProblem):
    code = "plan_without_actions"
    template = gettext_noop("The file %(file)s holds no action; each row is one numbered action.")
    params = ("file",)
    description = "An action plan sheet without any action row."
