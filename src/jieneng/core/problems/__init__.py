"""Every problem the project reports, declared once per code, and the one record they make.

- :mod:`~jieneng.core.problems.base`       :class:`Severity`, :class:`ProblemType`, :class:`Problem`
- :mod:`~jieneng.core.problems.files`      reading a file: type, encoding, sheet, header row
- :mod:`~jieneng.core.problems.cells`      one cell of a file
- :mod:`~jieneng.core.problems.checks`     the checks of an uploaded statistics form
- :mod:`~jieneng.core.problems.conversion` conversion to standard coal and the reference data
- :mod:`~jieneng.core.problems.carbon`     CO₂ from the emission factors
- :mod:`~jieneng.core.problems.savings`    savings estimates and contracts
- :mod:`~jieneng.core.problems.scoring`    assessment schemes and the sheets scored against them
- :mod:`~jieneng.core.problems.directory`  the directory's identifiers
- :mod:`~jieneng.core.problems.commands`   the arguments of a command
- :mod:`~jieneng.core.problems.targets`    targets, their decomposition and progress
- :mod:`~jieneng.core.problems.meters`     meters and their readings
- :mod:`~jieneng.core.problems.documents`  the document templates an office uploads

Importing this package declares every code; :func:`problem_type` finds a code's declaration.
"""

from jieneng.core.problems import (
    carbon,
    cells,
    checks,
    commands,
    conversion,
    directory,
    documents,
    files,
    meters,
    savings,
    scoring,
    targets,
)
from jieneng.core.problems.base import (
    ADVISORY,
    BLOCKING,
    FAMILY_TITLES,
    Family,
    Problem,
    ProblemType,
    Severity,
    codes,
    declarations,
    gettext_noop,
    needs_explanation,
    problem_type,
)

__all__ = [
    "ADVISORY",
    "BLOCKING",
    "FAMILY_TITLES",
    "Family",
    "Problem",
    "ProblemType",
    "Severity",
    "carbon",
    "cells",
    "checks",
    "codes",
    "commands",
    "conversion",
    "declarations",
    "directory",
    "documents",
    "files",
    "gettext_noop",
    "meters",
    "needs_explanation",
    "problem_type",
    "savings",
    "scoring",
    "targets",
]
