"""Money of energy-performance contracts (合同能源管理, GB/T 24915): what the ESCO is owed or owes.

* 节能效益分享型 (shared savings): each period the verified savings are valued at the tariff and the ESCO
  receives its contractual share of that value; a period without savings (zero or negative) pays nothing.
* 节能量保证型 (guaranteed savings): each period the verified savings are compared with the guaranteed
  quantity; the shortfall, valued at the tariff, is what the ESCO owes the client.

Money is Decimal, rounded to the fen (0.01 元) half up, per period; totals are sums of the rounded periods.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from jieneng.core.errors import JienengError
from jieneng.core.problems import savings as declared

CENT = Decimal("0.01")
SHARED_SAVINGS = "shared_savings"  # 节能效益分享型
GUARANTEED_SAVINGS = "guaranteed_savings"  # 节能量保证型
ENERGY_COST_TRUSTEESHIP = "energy_cost_trusteeship"  # 能源费用托管型
FINANCE_LEASE = "finance_lease"  # 融资租赁型
HYBRID = "hybrid"  # 混合型
CONTRACT_TYPES = (SHARED_SAVINGS, GUARANTEED_SAVINGS, ENERGY_COST_TRUSTEESHIP, FINANCE_LEASE, HYBRID)


class BadContractTerm(JienengError):
    problem_type = declared.BadContractTerm


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _decimal(value: Decimal | float | int | str) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True, slots=True)
class VerifiedPeriod:
    period: str  # e.g. "2025-03" or "2025"
    savings: Decimal  # verified savings in the contract's unit (kWh, tce …)


@dataclass(frozen=True, slots=True)
class SharedPayment:
    period: str
    savings: Decimal
    value: Decimal  # savings × tariff [元]
    esco: Decimal  # the ESCO's share [元]
    client: Decimal  # what the client keeps [元]


@dataclass(frozen=True, slots=True)
class GuaranteePosition:
    period: str
    savings: Decimal
    guaranteed: Decimal
    shortfall: Decimal  # max(guaranteed − savings, 0), in the contract's unit
    owed: Decimal  # shortfall × tariff [元], owed by the ESCO


def shared_savings_payments(
    periods: Sequence[VerifiedPeriod], share: Decimal | str, tariff: Decimal | str
) -> list[SharedPayment]:
    """The ESCO's payment of each period: savings × tariff × share (nothing for a period without savings)."""
    s, price = _decimal(share), _decimal(tariff)
    if not Decimal(0) <= s <= Decimal(1):
        raise BadContractTerm(term="share", value=s, rule="between 0 and 1")
    if price < 0:
        raise BadContractTerm(term="tariff", value=price, rule="not negative")
    out = []
    for p in periods:
        saved = _decimal(p.savings)
        value = _money(max(saved, Decimal(0)) * price)
        esco = _money(value * s)
        out.append(SharedPayment(p.period, saved, value, esco, value - esco))
    return out


def guaranteed_savings_positions(
    periods: Sequence[VerifiedPeriod], guaranteed: Decimal | str, tariff: Decimal | str
) -> list[GuaranteePosition]:
    """Each period's shortfall against the guaranteed savings and its value."""
    g, price = _decimal(guaranteed), _decimal(tariff)
    if g < 0:
        raise BadContractTerm(term="guaranteed", value=g, rule="not negative")
    out = []
    for p in periods:
        saved = _decimal(p.savings)
        shortfall = max(g - saved, Decimal(0))
        out.append(GuaranteePosition(p.period, saved, g, shortfall, _money(shortfall * price)))
    return out


def totals(rows: Sequence[SharedPayment] | Sequence[GuaranteePosition]) -> dict[str, Any]:
    """Sums of the money columns of the periods."""
    if rows and isinstance(rows[0], SharedPayment):
        return {k: sum((getattr(r, k) for r in rows), Decimal("0.00")) for k in ("value", "esco", "client")}
    return {k: sum((getattr(r, k) for r in rows), Decimal("0")) for k in ("shortfall", "owed")}
