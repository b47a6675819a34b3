"""The problem model: a declaration per code, one severity scale, one record.

A problem code is declared once, as a subclass of :class:`ProblemType` (in the style of
frictionless-py's error classes): its ``code``, ``severity``, English message ``template`` (the
gettext msgid, with ``%(name)s`` parameters), the ``params`` its records carry and a one-line
``description`` for the documentation. A subclass of a declaration that does not set ``code`` is a
*variant*: the same code, severity and meaning, worded for another situation (the credit code's
three ways of being wrong); it gives its own template, params and description.

Everything that reports a problem builds it from a declaration: the readers and the checks make
:class:`Problem` records (:meth:`Problem.make`, or the checks' frames turned into records), and the
exceptions of :mod:`jieneng.core.errors` take their code and template from the declaration they name.
The core never translates; :mod:`jieneng.i18n` renders ``gettext(template) % params``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar


def gettext_noop(message: str) -> str:
    """Mark a string for translation without translating it (picked up by ``makemessages``)."""
    return message


class Severity(StrEnum):
    """What a problem does to the data it is about."""

    BLOCKING = "blocking"  # nothing of the file (or the command) goes through until it is fixed
    ADVISORY = "advisory"  # shown to the unit and the reviewer; the data are stored


BLOCKING = Severity.BLOCKING
ADVISORY = Severity.ADVISORY


class Family(StrEnum):
    """Where a problem is found; the documentation lists the codes by family."""

    FILE = "file"  # reading a file: its type, encoding, sheet and header row
    CELL = "cell"  # one cell of a file
    CHECK = "check"  # the checks of an uploaded statistics form
    CONVERSION = "conversion"  # conversion to standard coal and the reference data
    CARBON = "carbon"  # CO₂ from the emission factors
    SAVINGS = "savings"  # measured and estimated savings, contracts
    SUBSIDY = "subsidy"  # the reasons of a subsidy assessment (eligible or why not)
    SCORING = "scoring"  # scoring schemes and the sheets scored against them
    DIRECTORY = "directory"  # the directory's identifiers
    COMMAND = "command"  # the arguments of a command
    TARGET = "target"  # targets, their decomposition and progress
    METER = "meter"  # meters and their readings


FAMILY_TITLES: dict[Family, str] = {
    Family.FILE: "Reading a file",
    Family.CELL: "Cells",
    Family.CHECK: "Checks of a statistics form",
    Family.CONVERSION: "Conversion to standard coal and reference data",
    Family.CARBON: "CO₂ from emission factors",
    Family.SAVINGS: "Savings and contracts",
    Family.SUBSIDY: "Subsidy eligibility",
    Family.SCORING: "Assessment scoring",
    Family.DIRECTORY: "Directory",
    Family.COMMAND: "Command line",
    Family.TARGET: "Targets and their decomposition",
    Family.METER: "Meters and meter readings",
}

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
_CODE = re.compile(r"[a-z][a-z0-9_]*")
_REGISTRY: dict[str, type[ProblemType]] = {}
_DECLARED: list[type[ProblemType]] = []  # every declaration, variants too, in declaration order


class ProblemType:
    """The declaration of a problem code; subclass it once per code (or per variant of a code).

    A family's base class (``abstract=True``) sets ``family``; a declaration sets ``code``,
    ``template``, ``params`` and ``description`` and, when advisory, ``severity``.
    """

    code: ClassVar[str] = "error"
    family: ClassVar[Family]
    severity: ClassVar[Severity] = BLOCKING
    template: ClassVar[str] = gettext_noop("Error")
    params: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = "A problem."
    #: a verification check (核实性): an advisory the unit may hand in for review only with an
    #: explanation (填写说明) that the reviewer reads beside it; mandatory checks (强制性) are blocking
    verify: ClassVar[bool] = False
    #: the parameters the template uses
    placeholders: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, *, abstract: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if abstract:
            return
        name, own = cls.__name__, cls.__dict__
        if not hasattr(cls, "family"):
            raise TypeError(f"{name}: a problem type belongs to a family (subclass one of its bases)")
        for key in ("template", "description"):
            if key not in own:
                raise TypeError(f"{name}: a problem type declares its own {key}")
        if ("severity" in own or "verify" in own) and "code" not in own:
            raise TypeError(f"{name}: a variant keeps the severity of its code")
        if cls.verify and cls.severity != ADVISORY:
            raise TypeError(f"{name}: a verification check is advisory")
        if "code" in own:
            if not _CODE.fullmatch(cls.code):
                raise TypeError(f"{name}: the code {cls.code!r} is not snake_case")
            if cls.code in _REGISTRY:
                raise TypeError(f"{name}: the code {cls.code!r} is declared twice")
        elif cls.code not in _REGISTRY:
            raise TypeError(f"{name}: a variant extends a declared code")
        placeholders = frozenset(_PLACEHOLDER.findall(cls.template))
        if len(set(cls.params)) != len(cls.params) or not placeholders <= set(cls.params):
            raise TypeError(f"{name}: the template uses {sorted(placeholders)}, the params are {cls.params}")
        cls.placeholders = placeholders
        if "code" in own:
            _REGISTRY[cls.code] = cls
        _DECLARED.append(cls)

    @classmethod
    def check_params(cls, given: Iterable[str], available: Iterable[str]) -> None:
        """Refuse parameters ``given`` that the code does not declare, and a parameter its template
        needs that is not ``available``: both ``TypeError`` naming them (a programming error)."""
        unknown = set(given) - set(cls.params)
        if unknown:
            raise TypeError(f"{cls.code} has no parameter {', '.join(sorted(unknown))}")
        missing = cls.placeholders - set(available)
        if missing:
            raise TypeError(f"{cls.code} needs the parameter {', '.join(sorted(missing))}")

    @classmethod
    def variants(cls) -> list[type[ProblemType]]:
        """The declaration of this code and its variants, in declaration order."""
        return [d for d in _DECLARED if d.code == cls.code]


def problem_type(code: str) -> type[ProblemType]:
    """The declaration of ``code``; a code nobody declared raises ``KeyError`` naming it."""
    try:
        return _REGISTRY[code]
    except KeyError:
        raise KeyError(f"no problem type declares the code {code!r}") from None


def needs_explanation(codes: Iterable[str]) -> list[str]:
    """The codes among ``codes`` of verification checks (核实性): those that need an explanation
    (填写说明) before what they flag is handed in for review; in the order given, without repeats."""
    return [code for code in dict.fromkeys(codes) if code in _REGISTRY and _REGISTRY[code].verify]


def declarations() -> list[type[ProblemType]]:
    """Every declaration, variants included, by family then in declaration order."""
    order = list(Family)
    return sorted(_DECLARED, key=lambda d: order.index(d.family))


def codes() -> list[str]:
    """Every declared code, by family then in declaration order."""
    return list(dict.fromkeys(d.code for d in declarations()))


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in a file or in its rows: where it is, what is there, what is wrong.

    ``row``: the row number as the spreadsheet shows it (1-based, title and header rows counted);
    ``column``: the column header as the user wrote it; ``value``: the offending value as text;
    ``template`` and ``params``: the English message (from the code's declaration) and its
    parameters; ``item``: the form's item code the problem is about, ``"org"`` or ``"period"``, when a
    check knows it (the service maps it to the column).
    """

    code: str
    row: int | None
    column: str | None
    value: str | None
    template: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: Severity = BLOCKING
    item: str | None = None

    def __post_init__(self) -> None:
        if type(self.severity) is not Severity:  # read back from a stored report
            object.__setattr__(self, "severity", Severity(self.severity))

    @classmethod
    def make(
        cls,
        code: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        severity: Severity | None = None,
        **params: Any,
    ) -> Problem:
        """A problem of a declared ``code``; ``value`` and ``column`` are also template parameters.

        ``severity``, when given, must be the code's own. Parameters the code does not declare, or
        a parameter its template needs and is not given, raise ``TypeError``.
        """
        declared = problem_type(code)
        if severity is not None and severity != declared.severity:
            raise ValueError(f"{code} is {declared.severity}, not {severity}")
        text = None if value is None else str(value)
        values = {"value": text, "column": column, **params}
        declared.check_params(params, values)
        return cls(code, row, column, text, declared.template, values, declared.severity)

    @property
    def declaration(self) -> type[ProblemType]:
        """The declaration of the problem's code."""
        return problem_type(self.code)

    @property
    def message(self) -> str:
        """The English rendering, for JSON, logs and tests (:mod:`jieneng.i18n` translates it)."""
        return self.template % self.params

    def as_dict(self) -> dict[str, Any]:
        """English rendering with the location, for JSON and logs."""
        return {
            "code": self.code,
            "severity": self.severity,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }
