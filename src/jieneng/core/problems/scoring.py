"""Problems of the assessment scoring: a scheme file that cannot be right (refused by the loader of
:mod:`jieneng.reference.schemes`, naming the file, the line and the item), and a sheet of assessed
parties that cannot be scored (by row and column, as the other readers report)."""

from __future__ import annotations

from jieneng.core.problems.base import Family, ProblemType, gettext_noop


class ScoringProblem(ProblemType, abstract=True):
    family = Family.SCORING


# --- the scheme file ----------------------------------------------------------------------------------


class SchemeNotWellFormed(ScoringProblem):
    code = "scheme_not_well_formed"
    template = gettext_noop("%(file)s, line %(line)s, “%(item)s”: %(problem)s")
    params = ("file", "line", "item", "problem")
    description = (
        "A scheme entry with a missing or impossible key (no points, an unknown method, a bad grade)."
    )


class SchemePointsMismatch(ScoringProblem):
    code = "scheme_points_mismatch"
    template = gettext_noop(
        "%(file)s, line %(line)s, “%(item)s”: it has %(points)s points but its parts add up to %(sum)s."
    )
    params = ("file", "line", "item", "points", "sum")
    description = "A scheme, group or item whose points differ from the sum of its parts."


class SchemeUnknownItem(ScoringProblem):
    code = "scheme_unknown_item"
    template = gettext_noop("%(file)s, line %(line)s: “%(item)s” is not %(what)s of the scheme.")
    params = ("file", "line", "item", "what")
    description = "A scheme names an item or group it does not have (in a group, a removal or an override)."


class SchemeBandGap(ScoringProblem):
    code = "scheme_band_gap"
    template = gettext_noop("%(file)s, line %(line)s, item “%(item)s”: the bands %(problem)s.")
    params = ("file", "line", "item", "problem")
    description = "The bands of an item leave a gap or overlap, or do not reach from 0 to no upper bound."


class SchemeVetoUnknownItem(ScoringProblem):
    code = "scheme_veto_unknown_item"
    template = gettext_noop(
        "%(file)s, line %(line)s: a veto names the item “%(item)s”, which the scheme does not have."
    )
    params = ("file", "line", "item")
    description = "A veto rule on an item that does not exist."


class SchemeRefused(ScoringProblem):
    code = "scheme_refused"
    template = gettext_noop("Scheme %(file)s: %(count)s problem(s); the scheme is not loaded.")
    params = ("file", "count")
    description = "Several of the scheme problems above, found together in one file."


class UnknownScheme(ScoringProblem):
    code = "unknown_scheme"
    template = gettext_noop("No scheme “%(ref)s”; the built-in schemes are: %(schemes)s.")
    params = ("ref", "schemes")
    description = "A scheme that is neither a built-in id nor the path of a .toml file."


# --- the sheet of assessed parties ----------------------------------------------------------------------


class ScoreOutOfRange(ScoringProblem):
    code = "score_out_of_range"
    template = gettext_noop("Item “%(item)s”: %(value)s points is outside 0–%(maximum)s, the item's maximum.")
    params = ("value", "item", "maximum")
    description = "A hand score above the item's maximum, or below 0."


class BadTarget(ScoringProblem):
    code = "bad_target"
    template = gettext_noop(
        "“%(value)s” is not a target: write a change in percent such as −4.0, or a range such as −4.0~−4.5."
    )
    params = ("value",)
    description = "A target cell that is neither a number nor a range of two numbers."


class ZeroTarget(ScoringProblem):
    code = "zero_target"
    template = gettext_noop("Item “%(item)s”: the target is 0, so no completion rate can be computed.")
    params = ("item",)
    description = "A target of zero change: completion = actual reduction ÷ target reduction is undefined."


class BadYesNo(ScoringProblem):
    code = "bad_yes_no"
    template = gettext_noop("“%(value)s” is neither yes nor no: write 是 or 否 (yes, no, 1, 0).")
    params = ("value",)
    description = "A yes/no item's cell that is not yes or no."


class DuplicateParty(ScoringProblem):
    code = "duplicate_party"
    template = gettext_noop("“%(value)s” is assessed twice; it first appears in row %(first)s.")
    params = ("value", "first")
    description = "The same assessed party on two rows of one sheet."
