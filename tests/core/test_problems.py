"""The problem model: one declaration per code, records and errors built from them, no Django below
the web apps."""

import ast
import importlib
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import jieneng
import jieneng.io
from jieneng.core import credit_code, errors, problems
from jieneng.core.problems import (
    ADVISORY,
    BLOCKING,
    Family,
    Problem,
    ProblemType,
    Severity,
    codes,
    declarations,
    problem_type,
)
from jieneng.core.problems.base import gettext_noop

SRC = Path(jieneng.__file__).parent
#: modules that declare JienengError subclasses (imported so that every subclass exists)
ERROR_MODULES = (
    "jieneng.core.errors",
    "jieneng.core.credit_code",
    "jieneng.io.commands",
    "jieneng.reporting.commands",
)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_declaration_has_a_family_a_severity_a_description_and_only_its_params():
    assert declarations()
    for declared in declarations():
        assert isinstance(declared.family, Family), declared
        assert declared.severity in (BLOCKING, ADVISORY)
        assert declared.description.strip() and "\n" not in declared.description, declared
        assert set(re.findall(r"%\((\w+)\)s", declared.template)) <= set(declared.params), declared
        assert problem_type(declared.code) is declared.variants()[0]


def test_a_code_is_declared_once():
    assert len(codes()) == len(set(codes()))
    with pytest.raises(TypeError, match="declared twice"):

        class Again(problems.files.FileProblem):
            code = "bad_encoding"
            template = gettext_noop("Again")
            description = "Again."


def test_a_declaration_is_checked_when_it_is_written():
    with pytest.raises(TypeError, match="params"):

        class Unlisted(problems.cells.CellProblem):
            code = "test_unlisted"
            template = gettext_noop("“%(value)s” and %(other)s")
            params = ("value",)
            description = "Uses a parameter it does not declare."

    with pytest.raises(TypeError, match="severity"):

        class Milder(problems.files.MissingColumn):
            severity = ADVISORY
            template = gettext_noop("Required column “%(column)s” is missing.")
            params = ("column",)
            description = "A variant cannot change the severity of its code."

    with pytest.raises(TypeError, match="family"):

        class Homeless(ProblemType):
            code = "test_homeless"
            template = gettext_noop("Nowhere")
            description = "No family."


def test_the_severities_and_the_variants():
    assert problem_type("unknown_column").severity == ADVISORY == "advisory"
    assert problem_type("yoy_change").severity == ADVISORY
    assert problem_type("bad_number").severity == BLOCKING == "blocking"
    assert {d.__name__ for d in problem_type("invalid_credit_code").variants()} == {
        "InvalidCreditCode",
        "CreditCodeWrongLength",
        "CreditCodeBadCharacter",
        "CreditCodeWrongCheck",
    }
    # the reader's missing column and the conversion's are one code, worded for each
    assert [d.family for d in problem_type("missing_column").variants()] == [Family.FILE, Family.CONVERSION]
    with pytest.raises(KeyError, match="no_such_code"):
        problem_type("no_such_code")


def test_every_error_takes_its_code_and_template_from_a_declaration():
    for name in ERROR_MODULES:
        importlib.import_module(name)
    found = list(_subclasses(errors.JienengError))
    assert credit_code.CreditCodeWrongCheck in found and errors.ConversionFailed in found
    for error in found:
        declared = error.problem_type
        assert declared in declarations(), error
        assert (error.code, error.template) == (declared.code, declared.template)
    assert errors.MissingColumn.code == "missing_column"
    assert errors.UnknownUnit(unit="x").as_dict() == {
        "code": "unknown_unit",
        "message": errors.UnknownUnit.template % {"unit": "x"},
        "params": {"unit": "x"},
    }
    with pytest.raises(TypeError, match="problem_type"):

        class Declared(errors.JienengError):
            code = "declared_here"


def test_a_problem_is_made_from_its_declaration():
    problem = Problem.make("bad_number", row=3, column="数量", value=12)
    assert (problem.code, problem.severity, problem.value) == ("bad_number", BLOCKING, "12")
    assert problem.template == problem_type("bad_number").template
    assert problem.declaration is problem_type("bad_number")
    assert problem.as_dict() == {
        "code": "bad_number",
        "severity": "blocking",
        "row": 3,
        "column": "数量",
        "value": "12",
        "message": problem_type("bad_number").template % {"value": "12"},
    }
    assert Problem.make("unknown_column", column="备注", form="f").severity == ADVISORY
    assert Problem.make("unknown_column", column="备注", severity=ADVISORY, form="f").severity == ADVISORY
    with pytest.raises(ValueError, match="advisory"):
        Problem.make("unknown_column", column="备注", severity=BLOCKING, form="f")
    with pytest.raises(TypeError, match="no parameter"):
        Problem.make("bad_number", value="x", unit="kg")
    with pytest.raises(TypeError, match="needs the parameter"):
        Problem.make("no_such_sheet", sheet="A")


def test_a_stored_problem_reads_back_with_its_severity():
    stored = Problem("duplicate_row", 4, None, "2025-03", "t", {}, "advisory")  # type: ignore[arg-type]
    assert stored.severity is Severity.ADVISORY


def _literal_codes(pattern: str) -> set[str]:
    found = set()
    for path in SRC.rglob("*.py"):
        found |= set(re.findall(pattern, path.read_text(encoding="utf-8")))
    return found


def test_every_code_the_code_uses_is_declared():
    made = _literal_codes(r'Problem\.make\(\s*"(\w+)"')
    cell_checks = _literal_codes(r'_Check\(\s*"(\w+)"')
    emitted = set()
    for node in ast.walk(ast.parse((SRC / "core" / "validation.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_emit", "emit"):
            code = node.args[1]  # _emit(frame, code, item, value, **params)
            if isinstance(code, ast.Constant):
                emitted.add(code.value)
    assert "bad_encoding" in made and "not_whole_number" in cell_checks and "yoy_change" in emitted
    assert made | cell_checks | emitted <= set(codes())


def test_core_and_io_import_without_django():
    """Every module of jieneng.core and jieneng.io, imported in a fresh interpreter, leaves Django out."""
    script = (
        "import importlib, pkgutil, sys\n"
        "import jieneng.core, jieneng.io\n"
        "names = []\n"
        "for package in (jieneng.core, jieneng.io):\n"
        "    for info in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "        names.append(info.name)\n"
        "print(len(names))\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env={"PATH": ""}
    )
    count, loaded = result.stdout.splitlines()
    expected = [
        info.name
        for package in (jieneng.core, jieneng.io)
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
    ]
    assert "jieneng.core.problems.checks" in expected and "jieneng.io.problems" in expected
    assert int(count) == len(expected)
    assert loaded == "[]"
