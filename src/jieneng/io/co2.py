"""CO₂ on the command line: the emission-factor set and the convention chosen by the arguments, the
calculation of :func:`jieneng.core.carbon.co2`, and the lines that say which factors were used.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import polars as pl

from jieneng.core.carbon import RULE_TEXT, CarbonProvenance, Convention, co2
from jieneng.core.coal import CoefficientSet
from jieneng.core.emission_factors import EmissionFactorSet
from jieneng.core.errors import JienengError, gettext_noop
from jieneng.core.problems import commands as declared
from jieneng.i18n import gettext as _
from jieneng.reference import load_energy_types, load_units
from jieneng.reference.emissions import (
    DEFAULT_EMISSION_FACTOR_SET,
    builtin_emission_factor_sets,
    is_emission_factor_file,
    load_emission_factor_set,
)

FOOTER = gettext_noop("CO₂ factors: %(set)s; %(basis)s; data year rule %(rule)s; data years used: %(years)s")
UNCONFIRMED = gettext_noop("%(count)s of the CO₂ factors used are still to be confirmed: %(factors)s")
BASIS_LABELS = {
    "location": gettext_noop("location-based (province, else regional grid, else national)"),
    "market": gettext_noop("market-based (national, excluding market-traded non-fossil electricity)"),
    "fossil": gettext_noop("fossil electricity only"),
}


class UnknownEmissionFactorSet(JienengError):
    problem_type = declared.UnknownEmissionFactorSet


class EmissionFactorFileNotFound(JienengError):
    problem_type = declared.EmissionFactorFileNotFound


class BadFactorYear(JienengError):
    problem_type = declared.BadFactorYear


def is_emission_ref(ref: str) -> bool:
    """Whether ``ref`` names an emission-factor set: a built-in id, or a file of that kind."""
    return ref in builtin_emission_factor_sets() or (Path(ref).is_file() and is_emission_factor_file(ref))


def emission_factor_set(ref: str | None) -> EmissionFactorSet:
    """A built-in set by id, or a user's .toml file; a clear error for anything else."""
    ref = ref or DEFAULT_EMISSION_FACTOR_SET
    builtin = builtin_emission_factor_sets()
    if ref not in builtin and not Path(ref).is_file():
        if ref.endswith(".toml") or "/" in ref or "\\" in ref:
            raise EmissionFactorFileNotFound(ref=ref)
        raise UnknownEmissionFactorSet(ref=ref, sets=", ".join(builtin))
    return load_emission_factor_set(ref)


def convention(basis: str, rule: str) -> Convention:
    """``--basis`` and ``--factor-year`` (``latest``, ``lag2``, ``2022``) as a :class:`Convention`."""
    if RULE_TEXT.match(rule.strip().lower()) is None:
        raise BadFactorYear(rule=rule)
    return Convention.parse(basis, rule)


def add_co2(
    args: argparse.Namespace, frame: pl.DataFrame, coefficients: CoefficientSet
) -> tuple[pl.DataFrame, CarbonProvenance]:
    """``frame`` with ``kgco2`` under the set and convention of ``--factors``, ``--basis`` and
    ``--factor-year``; raises :class:`~jieneng.core.errors.CarbonFailed` listing every problem."""
    return co2(
        frame,
        emission_factor_set(args.factors),
        coefficients=coefficients,
        units=load_units(),
        energy_types=load_energy_types(),
        convention=convention(args.basis, args.factor_year),
    )


def with_data_year(result: pl.DataFrame, provenance: CarbonProvenance) -> pl.DataFrame:
    """Add ``co2_data_year`` (the data year of the electricity factors of each row's year) and
    ``emission_factors`` (``id@version``)."""
    years = dict(provenance.data_years)
    data_year = pl.col("year").cast(pl.Int32).replace_strict(years, default=None, return_dtype=pl.Int16)
    return result.with_columns(
        data_year.alias("co2_data_year"), pl.lit(provenance.factor_set).alias("emission_factors")
    )


def footer(provenance: CarbonProvenance) -> list[str]:
    """The table's lines naming the factor set, the convention and the data years; and what is unconfirmed."""
    years = ", ".join(f"{r}→{d}" for r, d in provenance.data_years) or "—"
    chain = " ← ".join((provenance.factor_set, *provenance.lineage))
    params: dict[str, Any] = {
        "set": chain,
        "basis": _(BASIS_LABELS[provenance.convention.basis]),
        "rule": provenance.convention.rule,
        "years": years,
    }
    lines = [_(FOOTER) % params]
    if provenance.unconfirmed:
        count = len(provenance.unconfirmed)
        lines.append(_(UNCONFIRMED) % {"count": count, "factors": ", ".join(provenance.unconfirmed)})
    return lines
