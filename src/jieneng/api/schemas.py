"""The shapes of the API's answers and request bodies, with the unit of every number.

Units: energy in kgce (千克标准煤) or tce (吨标准煤), CO₂ in kgCO₂ or tCO₂, water in m³, area in m², cost
in 元 (yuan).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import field_validator

from jieneng.dashboard.services import Co2Share, Share
from jieneng.directory.models import Organisation, OrganisationYear, Region
from jieneng.reporting import review
from jieneng.reporting.models import Submission
from jieneng.statistics.models import UnitFigure


class Problem(Schema):
    detail: str = Field(description="What went wrong, in the request's language (zh-hans by default).")


class FieldProblem(Schema):
    location: str = Field(description="Where the value was: query, path or body.")
    field: str
    message: str = Field(description="What is wrong, in the request's language.")


class Invalid(Schema):
    detail: str
    errors: list[FieldProblem]


# --- the directory -----------------------------------------------------------------------------------


class RegionOut(Schema):
    code: str = Field(description="GB/T 2260 division code, six digits.")
    name: str
    level: int = Field(description="1 province, 2 prefecture (city), 3 county.")
    parent_code: str | None = Field(description="Code of the region above; null for a province.")
    valid_from: date
    valid_to: date | None = Field(description="Last day in force (inclusive); null while in force.")

    @staticmethod
    def resolve_parent_code(obj: Region) -> str | None:
        return obj.parent.code if obj.parent is not None else None


class RegionDetail(RegionOut):
    children: list[RegionOut] = Field(description="The regions directly below, in force today.")

    @staticmethod
    def resolve_children(obj: Region) -> list[Region]:
        rows = Region.objects.current().filter(parent__code=obj.code).select_related("parent")
        return list(rows.order_by("code"))


class OrganisationOut(Schema):
    id: int
    credit_code: str = Field(description="Unified social credit code (统一社会信用代码), 18 characters.")
    name: str
    type_code: str = Field(
        description="单位性质: 01 state organ, 021–026 public service units, 03 social organisation."
    )
    type_name: str = Field(description="The type's name in the request's language.")
    region_code: str
    region_name: str
    supervisor_id: int | None = Field(description="The supervising department, if any.")
    address: str

    @staticmethod
    def resolve_type_name(obj: Organisation) -> str:
        return str(obj.get_type_code_display())

    @staticmethod
    def resolve_region_code(obj: Organisation) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj: Organisation) -> str:
        return obj.region.name


class OrganisationYearOut(Schema):
    year: int
    building_area_m2: float = Field(description="Building area [m²].")
    persons: int = Field(description="Energy-using persons (用能人数) [persons].")
    vehicles: int = Field(description="Official vehicles [vehicles].")

    @staticmethod
    def resolve_building_area_m2(obj: OrganisationYear) -> float:
        return float(obj.building_area_m2)


class OrganisationChange(Schema):
    """Only the fields sent are changed."""

    name: str | None = Field(None, min_length=1, max_length=200)
    address: str | None = Field(None, max_length=200)
    type_code: Organisation.Type | None = Field(None, description="The new type (单位性质) code.")

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            raise ValueError(_("The name cannot be empty."))
        return value.strip()

    @field_validator("address")
    @classmethod
    def _address(cls, value: str | None) -> str:
        return (value or "").strip()


# --- submissions and review --------------------------------------------------------------------------


class SubmissionOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    credit_code: str
    region_code: str
    form: str = Field(description="Form id, e.g. pi-energy.")
    period: str = Field(description="2025-03 (a month), 2025Q1 (a quarter) or 2025 (a year).")
    year: int
    quarter: int | None
    month: int | None
    status: Submission.Status
    status_name: str = Field(description="The status in the request's language.")
    current: int = Field(description="Number of the latest revision.")
    approved: int | None = Field(description="Number of the approved revision; null until one is approved.")
    flags: int = Field(description="Number of advisory flags on the latest revision.")
    updated_at: datetime

    @staticmethod
    def resolve_organisation_name(obj: Submission) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_credit_code(obj: Submission) -> str:
        return obj.organisation.credit_code

    @staticmethod
    def resolve_region_code(obj: Submission) -> str:
        return obj.organisation.region.code

    @staticmethod
    def resolve_status_name(obj: Submission) -> str:
        return str(obj.get_status_display())


class EventOut(Schema):
    action: str = Field(description="submitted, returned or approved.")
    reason: str = Field(description="Why it was returned (or a note on approval).")
    actor: str = Field(description="User name of who acted.")
    at: datetime


class RevisionOut(Schema):
    number: int
    edition: str = Field(description="Form edition the values follow, e.g. pi-energy@2022.")
    values: dict[str, Any] = Field(
        description="Item code → value in the item's unit as the form defines it (e.g. kWh, m³, 元)."
    )
    flags: list[Any] = Field(description="Advisory flags raised by the checks.")
    source: str = Field(description="upload, online, cli, api or demo.")
    author: str
    created_at: datetime
    events: list[EventOut] = Field(description="Review events on this revision, oldest first.")


class SubmissionDetail(SubmissionOut):
    revisions: list[RevisionOut] = Field(description="Every revision, the latest first.")

    @staticmethod
    def resolve_revisions(obj: Submission) -> list[dict[str, Any]]:
        """:func:`~jieneng.reporting.review.history_of`, each revision with its review events."""
        return [
            {
                "number": entry["revision"].number,
                "edition": entry["revision"].edition,
                "values": entry["values"],
                "flags": list(entry["revision"].flags or []),
                "source": entry["revision"].source,
                "author": entry["revision"].author,
                "created_at": entry["revision"].created_at,
                "events": entry["events"],
            }
            for entry in review.history_of(obj)
        ]


class ReturnBody(Schema):
    reason: str = Field(min_length=1, max_length=2000, description="Why, so that the reporter can fix it.")
    revision: int | None = Field(
        default=None, description="The revision reviewed; a newer one answers 409 with the differences."
    )


class Change(Schema):
    item: str = Field(description="The item's code.")
    seen: Any = Field(description="Its value in the revision reviewed (null: not given).")
    current: Any = Field(description="Its value in the current revision.")


class Stale(Schema):
    detail: str = Field(description="What went wrong, in the request's language (zh-hans by default).")
    revision: int = Field(description="The revision reviewed.")
    current: int = Field(description="The current revision.")
    changes: list[Change] = Field(description="The values that differ.")


# --- indicators and figures --------------------------------------------------------------------------


class FigureOut(Schema):
    value: float | None = Field(description="The selected year.")
    previous: float | None = Field(description="The year before.")
    base: float | None = Field(description="The base year.")
    yoy: float | None = Field(description="Change on the year before [%].")
    vs_base: float | None = Field(description="Change on the base year [%].")


class RegionRefOut(Schema):
    code: str
    name: str
    level: int


class FiguresOut(Schema):
    region: RegionRefOut
    own: bool = Field(description="True for the units registered directly in the region (本级).")
    units: int = Field(description="Organisations with approved records.")
    persons: float | None = Field(description="Energy-using persons [persons].")
    area_m2: float | None = Field(description="Building area [m²].")
    tce: FigureOut = Field(description="Comprehensive energy consumption (综合能耗) [tce].")
    kgce_per_person: FigureOut = Field(description="人均综合能耗 [kgce/person].")
    kgce_per_m2: FigureOut = Field(description="单位建筑面积能耗 [kgce/m²].")
    kgce_per_m2_excl_vehicle: FigureOut = Field(
        description="单位建筑面积能耗 without the vehicles' fuel [kgce/m²]."
    )
    water_per_person: FigureOut = Field(description="人均用水量 [m³/person].")
    cost: FigureOut = Field(description="Energy and water cost [元].")
    tco2: FigureOut = Field(
        description="CO₂ emissions [tCO₂]: fuels burnt on site and purchased electricity and heat; "
        "empty when some units have no CO₂ figure (co2_missing)."
    )
    kgco2_per_person: FigureOut = Field(description="CO₂ per person [kgCO₂/person].")
    kgco2_per_m2: FigureOut = Field(description="CO₂ per m² of building area [kgCO₂/m²].")
    co2_missing: int = Field(
        description="Units of the year without a CO₂ figure (a factor the emission-factor set lacks)."
    )


class ShareOut(Schema):
    code: str = Field(description="Energy type code, e.g. electricity.")
    name: str = Field(description="The energy type's name in the request's language.")
    tce: float = Field(description="[tce]")
    share: float | None = Field(description="Share of the comprehensive energy consumption [%].")

    @staticmethod
    def resolve_name(obj: Share) -> str:
        return obj.zh if (get_language() or "zh").startswith("zh") else obj.en


class Co2ShareOut(Schema):
    code: str = Field(description="Energy type code, e.g. electricity.")
    name: str = Field(description="The energy type's name in the request's language.")
    tco2: float | None = Field(description="[tCO₂]; empty when some of its units have no CO₂ figure.")
    share: float | None = Field(description="Share of the CO₂ emissions [%].")
    missing: int = Field(description="Its units without a CO₂ figure.")

    @staticmethod
    def resolve_name(obj: Co2Share) -> str:
        return obj.zh if (get_language() or "zh").startswith("zh") else obj.en


class PathYearOut(Schema):
    year: int
    value: float | None = Field(description="CO₂ per m² [kgCO₂/m²].")
    allowed: float = Field(description="The plan's straight line to its target [kgCO₂/m²].")
    against: float | None = Field(description="Above (+) or below (−) the path [%].")


class Co2PathOut(Schema):
    plan: str = Field(description="The plan's targets (id@version), e.g. pi-14th-five-year@2021.1.")
    title: str
    base_year: int
    end_year: int
    change: float = Field(description="The target: change of CO₂ per m² by end_year on base_year [%].")
    clause: str
    base_value: float | None = Field(description="CO₂ per m² of the base year; empty without a figure.")
    target: float | None = Field(description="CO₂ per m² the plan allows in end_year [kgCO₂/m²].")
    years: list[PathYearOut]


class OverviewOut(Schema):
    region: RegionRefOut
    ancestors: list[RegionRefOut] = Field(description="The regions above, from the top down.")
    year: int
    previous_year: int
    base_year: int
    years: list[int] = Field(description="Years with records, ascending.")
    months: int = Field(description="Months with records in the year.")
    first_month: int
    last_month: int
    totals: FiguresOut
    children: list[FiguresOut] = Field(
        description="Each region below, then the units directly under it (本级)."
    )
    composition: list[ShareOut] = Field(description="By energy type, the largest first.")
    coefficient_set: str = Field(description="The coefficient set (id@version) the kgce were computed with.")
    coefficient_title: str
    co2_composition: list[Co2ShareOut] = Field(description="CO₂ by energy type, in the order of composition.")
    emission_factors: str = Field(
        description="The emission-factor set (id@version) and convention of the CO₂, e.g. "
        "“mee-nbs-electricity@2026.1 location latest”."
    )
    emission_title: str
    co2_path: Co2PathOut | None = Field(description="CO₂ per m² against the 十四五 path (−7 % on 2020).")


class UnitFigureOut(Schema):
    year: int
    region_code: str = Field(alias="region")
    type_code: str
    kgce: float = Field(description="Comprehensive energy consumption [kgce].")
    kgce_excl_vehicle: float = Field(description="The same without the vehicles' fuel [kgce].")
    water_m3: float = Field(description="Water [m³].")
    cost: float = Field(description="Energy and water cost [元].")
    persons: float = Field(description="Energy-using persons [persons].")
    area_m2: float = Field(description="Building area [m²].")
    months: int = Field(description="Months with approved records.")
    coefficient_set: str = Field(description="The coefficient set (id@version) used.")
    kgco2: float | None = Field(
        description="CO₂ emissions [kgCO₂]; empty when the emission-factor set lacks a factor (co2_problem)."
    )
    co2_problem: dict[str, Any] | None = Field(
        description="Why there is no CO₂ figure: the problem's code and parameters; empty when there is one."
    )
    emission_factors: str = Field(description="The emission-factor set (id@version) and convention used.")

    @staticmethod
    def resolve_co2_problem(obj: UnitFigure) -> dict[str, Any] | None:
        return json.loads(obj.co2_problem) if obj.co2_problem else None
