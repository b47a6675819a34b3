"""Action plans (行动计划 / 实施方案): import a plan of numbered actions from a sheet
(:func:`import_plan`: every action stored, or none when a row is wrong), report progress on an action
(:func:`report`), and the summary of a plan on a day — done, late, not started — as a read service for
the bulletins (:func:`summary`, :func:`summaries`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from jieneng.core import action_plans as core
from jieneng.core.problems import BLOCKING, Problem
from jieneng.directory.models import Region
from jieneng.io.action_sheet import COLUMNS, GOAL, read_actions
from jieneng.targets.models import Action, ActionGoal, ActionPlan, ActionReport, Status

_LABELS = {c.name: c.label for c in COLUMNS}


class PlanRejected(Exception):
    """A plan that cannot be imported: :attr:`problems` say why (nothing was stored)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.code for p in problems))
        self.problems = problems


def _goal_problems(r: Any) -> list[Problem]:
    given = {k: v for k, v in r.goal.items() if v is not None}
    if not r.quantity and not given:
        return []
    missing = [_LABELS[k] for k in GOAL if r.goal[k] is None] + ([] if r.quantity else [_LABELS["quantity"]])
    where = {"row": r.row, "action": r.number, "goal": r.quantity or ""}
    if missing:
        return [Problem.make("action_goal_incomplete", **where, missing="、".join(missing))]
    if r.goal["base_year"] >= r.goal["year"]:
        return [
            Problem.make(
                "action_goal_years",
                **where,
                column=_LABELS["base_year"],
                base=int(r.goal["base_year"]),
                year=int(r.goal["year"]),
            )
        ]
    return []


def import_plan(
    region: Region, title: str, start_year: int, end_year: int, path: str | Path, *, source: str = ""
) -> tuple[ActionPlan | None, list[Problem]]:
    """Read the sheet at ``path`` and store the plan with all its actions and goals, or nothing when a
    problem blocks (every bad row is named)."""
    rows, problems = read_actions(path)
    seen: dict[int, int] = {}
    for r in rows:
        if r.number in seen:
            problems.append(
                Problem.make(
                    "action_number_twice",
                    row=r.row,
                    column=_LABELS["number"],
                    value=r.number,
                    first=seen[r.number],
                )
            )
        seen.setdefault(r.number, r.row)
        problems += _goal_problems(r)
    if not rows and not problems:
        problems.append(Problem.make("plan_without_actions", file=source or Path(path).name))
    if any(p.severity == BLOCKING for p in problems):
        return None, problems
    with transaction.atomic():
        plan = ActionPlan.objects.create(
            region=region, title=title, start_year=start_year, end_year=end_year, source=source
        )
        for r in rows:
            action = Action.objects.create(
                plan=plan,
                number=r.number,
                title=r.title,
                lead=r.lead,
                partners=r.partners,
                deadline=r.deadline,
            )
            if r.quantity:  # checked complete by _goal_problems
                base_year, base, year, target = (r.goal[k] or 0.0 for k in GOAL)
                ActionGoal.objects.create(
                    action=action,
                    quantity=r.quantity,
                    unit=r.unit,
                    base_year=int(base_year),
                    base=base,
                    year=int(year),
                    target=target,
                )
    return plan, problems


def report(
    action: Action, status: str, day: date, *, note: str = "", value: float | None = None, user: Any = None
) -> ActionReport:
    """Record a progress report: the action's status (and the day done), and the goal's value."""
    if status not in Status.values:
        raise ValueError(f"unknown status {status!r}")
    with transaction.atomic():
        made = ActionReport.objects.create(
            action=action, reported_on=day, status=status, note=note, value=value, reported_by=user
        )
        action.status = status
        action.done_on = day if status == Status.DONE else None
        action.save(update_fields=["status", "done_on"])
        if value is not None:
            action.goals.update(current=value)
    return made


def state(action: Action, today: date) -> str:
    return core.state(action.status, action.deadline, action.done_on, today)


@dataclass(frozen=True)
class ActionRow:
    action: Action
    state: str
    goals: list[tuple[ActionGoal, float | None]]  # each goal and its progress in %


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100


def rows(plan: ActionPlan, today: date) -> list[ActionRow]:
    """Each action of the plan with its state on ``today`` and its goals' progress."""
    actions = plan.actions.prefetch_related("goals")
    return [
        ActionRow(
            a,
            state(a, today),
            [(g, _percent(core.goal_progress(g.base, g.target, g.current))) for g in a.goals.all()],
        )
        for a in actions
    ]


def summary(plan: ActionPlan, today: date) -> core.Summary:
    """The plan's actions by state on ``today`` (for the bulletins: done, late, not started)."""
    return core.summarise(
        core.state(s, d, o, today) for s, d, o in plan.actions.values_list("status", "deadline", "done_on")
    )


def summaries(plans: Iterable[ActionPlan], today: date) -> list[tuple[ActionPlan, core.Summary]]:
    return [(p, summary(p, today)) for p in plans]
