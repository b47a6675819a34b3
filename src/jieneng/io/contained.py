"""Reading an untrusted file where a crash or an overrun is contained: a child process with limits.

Every reader of a user's file runs so: the statistics forms (:func:`read_form_contained`, imports on
the site, the worker and the command line) and the table readers (:func:`read_contained`: long form,
facts, meter days of measured savings, assessment inputs; the command line and the project pages).

:func:`read_form_contained` checks the file (:func:`jieneng.io.sniff.inspect`: its real format, the
declared range and unpacked sizes), then reads it in **one** child process per file, forked from a
server process started once with the readers imported (:mod:`jieneng.io.forkserver_warm`), whose
address space (``RLIMIT_AS``) and CPU time are bounded by the settings. The child sends the
:class:`~jieneng.io.formfile.FormFile` back; when it is killed, aborts (a library allocating a whole
sheet's range) or runs out of time, the result is a file that could not be read, with a problem naming
the limit, and the caller (the web request, the worker) goes on serving.

A small text file (CSV, tab-separated, HTML) is read in the caller's process: its cells take at most a
few times its bytes, and a fork would cost more than the read.
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar, cast

import polars as pl

from jieneng.io.formfile import FormFile, empty_form_file, read_form_file
from jieneng.io.grid import Grid, read_grid
from jieneng.io.problems import Problem, ReadResult
from jieneng.io.sniff import HTML, TEXT, ReadLimits, UnreadableFile, inspect
from jieneng.reference import load_forms, load_units

INPROCESS_TEXT_BYTES = 4 * 1024 * 1024  # text this small is read without a child process
_OUT_OF_MEMORY = 3  # the child's exit status when Python itself runs out of memory
T = TypeVar("T")


def read_form_contained(
    path: Path, form_code: str, sheet: str | None = None, limits: ReadLimits | None = None
) -> FormFile:
    """The :class:`~jieneng.io.formfile.FormFile` of ``path`` read as form ``form_code``, within limits."""
    limits = limits or ReadLimits.of()
    try:
        kind = inspect(path, limits)
    except UnreadableFile as exc:
        return empty_form_file(exc.problem, sheet)
    if kind in (TEXT, HTML) and path.stat().st_size <= INPROCESS_TEXT_BYTES:
        return read_form_file(path, load_forms()[form_code], load_units(), sheet, limits)
    result = bounded(_read_form, (path, form_code, sheet, limits), path, limits)
    return result if isinstance(result, FormFile) else empty_form_file(result, sheet)


def read_contained(
    reader: Callable[..., ReadResult], path: Path, sheet: str | None = None, limits: ReadLimits | None = None
) -> ReadResult:
    """``reader(path, sheet=sheet, limits=limits)`` (a table reader: long form, facts, meter days,
    assessment inputs) in a bounded child process; a file it cannot read within the limits is a
    :class:`~jieneng.io.problems.ReadResult` without rows and with the problem naming the limit.

    ``reader`` must be picklable: a module-level function, or a :func:`functools.partial` of one.
    """
    limits = limits or ReadLimits.of()
    try:
        kind = inspect(path, limits)
    except UnreadableFile as exc:
        return ReadResult(pl.DataFrame(), [exc.problem], sheet, None)
    if kind in (TEXT, HTML) and path.stat().st_size <= INPROCESS_TEXT_BYTES:
        return reader(path, sheet=sheet, limits=limits)
    result = bounded(_call, (reader, path, sheet, limits), path, limits)
    return result if isinstance(result, ReadResult) else ReadResult(pl.DataFrame(), [result], sheet, None)


def read_grid_contained(path: Path, sheet: str | None = None, limits: ReadLimits | None = None) -> Grid:
    """:func:`jieneng.io.grid.read_grid` in a bounded child process (the annotated copy reads the file
    again); raises :class:`~jieneng.io.sniff.UnreadableFile` with the problem naming the limit."""
    limits = limits or ReadLimits.of()
    kind = inspect(path, limits)
    if kind in (TEXT, HTML) and path.stat().st_size <= INPROCESS_TEXT_BYTES:
        return read_grid(path, sheet, limits)
    result = bounded(_read_grid, (path, sheet, limits), path, limits)
    if isinstance(result, Grid):
        return result
    raise UnreadableFile(result)


def _read_grid(path: Path, sheet: str | None, limits: ReadLimits) -> Grid | Problem:
    try:
        return read_grid(path, sheet, limits)
    except UnreadableFile as exc:
        return exc.problem


def bounded(call: Callable[..., T], args: tuple[Any, ...], path: Path, limits: ReadLimits) -> T | Problem:
    """``call(*args)`` in one child process forked from the warm server, its address space and CPU
    time bounded by ``limits``: its result, or the problem naming the limit it reached."""
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(target=_child, args=(sender, call, args, limits), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(limits.seconds):
            child.kill()
            return _limit_problem("read_out_of_time", path, limits)
        result = receiver.recv()
    except (EOFError, OSError):  # the child died before sending: aborted or killed
        result = None
    finally:
        receiver.close()
        child.join(5)
        if child.is_alive():
            child.kill()
            child.join()
    if result is not None:
        return cast(T, result)
    status = child.exitcode if child.exitcode is not None else -signal.SIGKILL
    return _failure(path, status, limits)


def _read_form(path: Path, form_code: str, sheet: str | None, limits: ReadLimits) -> FormFile:
    return read_form_file(path, load_forms()[form_code], load_units(), sheet, limits)


def _call(reader: Callable[..., ReadResult], path: Path, sheet: str | None, limits: ReadLimits) -> ReadResult:
    return reader(path, sheet=sheet, limits=limits)


def _failure(path: Path, status: int, limits: ReadLimits) -> Problem:
    """What a child that did not finish means: out of memory (aborted, killed) or out of time."""
    if status in (-signal.SIGKILL, -signal.SIGXCPU):
        return _limit_problem("read_out_of_time", path, limits)
    return _limit_problem("read_out_of_memory", path, limits)


def _limit_problem(code: str, path: Path, limits: ReadLimits) -> Problem:
    if code == "read_out_of_time":
        return Problem.make(code, file=path.name, limit=limits.seconds, setting="JIENENG_IMPORT_READ_SECONDS")
    return Problem.make(
        code, file=path.name, limit=limits.memory_bytes, setting="JIENENG_IMPORT_MEMORY_BYTES"
    )


def _child(
    sender: Connection, call: Callable[..., object], args: tuple[Any, ...], limits: ReadLimits
) -> None:
    """The child: bound itself, run the reader, send the result (nothing when out of memory)."""
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    cpu = limits.seconds + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    try:
        read = call(*args)
    except MemoryError:
        sys.exit(_OUT_OF_MEMORY)
    sender.send(read)
    sender.close()


# One fork server per process, started at the first contained read with the readers imported: each
# read then costs a fork (milliseconds), not a new interpreter importing Polars.
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["jieneng.io.forkserver_warm"])
