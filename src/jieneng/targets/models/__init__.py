"""The stored rows of the targets domain: the targets themselves (:mod:`.targets`), the organisation of
the work — leadership groups, meetings, agencies, responsibility letters (:mod:`.organisation`) — and
the tasks deployed to the units below with their evidence and reminders (:mod:`.tasks`)."""

from jieneng.targets.models.organisation import Attachment, Group, Letter, Meeting
from jieneng.targets.models.plans import Action, ActionGoal, ActionPlan, ActionReport, Status
from jieneng.targets.models.targets import (
    Binding,
    CountReport,
    Indicator,
    Kind,
    Method,
    Milestone,
    Target,
    TargetChange,
    Tier,
)
from jieneng.targets.models.tasks import Assignment, Deployment, Evidence, Notice

__all__ = [
    "Action",
    "ActionGoal",
    "ActionPlan",
    "ActionReport",
    "Assignment",
    "Attachment",
    "Binding",
    "CountReport",
    "Deployment",
    "Evidence",
    "Group",
    "Indicator",
    "Kind",
    "Letter",
    "Meeting",
    "Method",
    "Milestone",
    "Notice",
    "Status",
    "Target",
    "TargetChange",
    "Tier",
]
