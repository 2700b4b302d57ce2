"""Stockout risk: the chance a product runs out in a warehouse before its next
receipt, and the cheapest fix. Plain Python (numpy), no Odoo.

Demand is Poisson with the product's daily rate in the warehouse; the horizon is
the days until the next receipt plus the supplier's lateness (its 80th
percentile), or the supplier's lead time plus lateness when nothing is coming.
"""

import math

STOCKOUT_REASONS = {
    "cover": ("%(available)s available for %(rate)s a day: %(cover)s days of cover"),
    "next_receipt": (
        "next receipt in %(days)s days (%(qty)s units), plus %(late)s days this "
        "supplier is late at the 80th percentile"
    ),
    "no_receipt": (
        "no receipt coming: a purchase takes %(lead)s days, plus %(late)s days "
        "of lateness"
    ),
    "probability": "%(pct)s%% chance of running out before it arrives",
}
PROPOSALS = {
    "transfer": (
        "transfer %(qty)s from %(origin)s, which has %(excess)s beyond its own "
        "30 days of demand"
    ),
    "purchase": "buy %(qty)s from %(supplier)s (%(lead)s days of lead time)",
    "minmax": (
        "set the reordering rule to min %(min)s / max %(max)s (now %(old_min)s / "
        "%(old_max)s)"
    ),
}
# days of demand a warehouse keeps for itself before it gives stock away
KEEP_DAYS = 30.0
# days of demand a proposal covers beyond the horizon
COVER_DAYS = 14.0


def _fmt(value, digits=0):
    return f"{value:,.{digits}f}"


def stockout_probability(available, rate, horizon):
    """P(demand over ``horizon`` days > ``available``), demand Poisson with
    ``rate`` a day (a normal approximation above 50 expected units)."""
    mean = max(rate, 0.0) * max(horizon, 0.0)
    if mean <= 0:
        return 0.0
    if available < 0:
        return 1.0
    if mean > 50:
        z = (available + 0.5 - mean) / math.sqrt(mean)
        return 0.5 * math.erfc(z / math.sqrt(2))
    if available > mean + 10.0 * math.sqrt(mean) + 10.0:
        return 0.0
    # P(D <= available), summed in log space
    total = 0.0
    for k in range(math.floor(available) + 1):
        total += math.exp(k * math.log(mean) - mean - math.lgamma(k + 1))
    return max(0.0, 1.0 - total)


def score_stockout(rows, *, threshold=0.5):
    """``rows``: dicts with ``key``, ``available``, ``rate`` (a day),
    ``receipt_days`` (None: nothing coming), ``receipt_qty``, ``lead``,
    ``late`` (p80 days), ``excess`` (list of ``(source name, units beyond its
    own needs)``), ``supplier`` (name or None), ``orderpoint`` (``(min, max)``
    or None). Returns the rows at risk: ``key``, ``probability``, ``cover``,
    ``shortfall``, ``reasons`` and ``proposal`` (kind, qty, params)."""
    found = []
    for row in rows:
        rate = row["rate"]
        if rate <= 0:
            continue
        late = max(row.get("late") or 0.0, 0.0)
        if row.get("receipt_days") is not None:
            horizon = max(row["receipt_days"], 0.0) + late
        else:
            horizon = max(row.get("lead") or 0.0, 1.0) + late
        probability = stockout_probability(row["available"], rate, horizon)
        if probability < threshold:
            continue
        cover = max(row["available"], 0.0) / rate
        need = rate * (horizon + COVER_DAYS)
        shortfall = max(math.ceil(need - max(row["available"], 0.0)), 1)
        reasons = [
            {
                "code": "cover",
                "params": {
                    "available": _fmt(row["available"]),
                    "rate": _fmt(rate, 1),
                    "cover": _fmt(cover, 1),
                },
            }
        ]
        if row.get("receipt_days") is not None:
            reasons.append(
                {
                    "code": "next_receipt",
                    "params": {
                        "days": _fmt(row["receipt_days"], 1),
                        "qty": _fmt(row.get("receipt_qty") or 0.0),
                        "late": _fmt(late, 1),
                    },
                }
            )
        else:
            reasons.append(
                {
                    "code": "no_receipt",
                    "params": {
                        "lead": _fmt(row.get("lead") or 0.0),
                        "late": _fmt(late),
                    },
                }
            )
        reasons.append(
            {"code": "probability", "params": {"pct": _fmt(probability * 100)}}
        )
        found.append(
            {
                "key": row["key"],
                "probability": round(probability, 4),
                "cover": round(cover, 1),
                "shortfall": shortfall,
                "reasons": reasons,
                "proposal": propose(row, shortfall, rate, horizon),
            }
        )
    found.sort(key=lambda item: -item["probability"])
    return found


def propose(row, shortfall, rate, horizon):
    """The cheapest fix: stock already in the company (a transfer), else a
    purchase; with a reordering rule too low for the demand, new min/max."""
    donors = [(name, excess) for name, excess in row.get("excess") or [] if excess]
    donors.sort(key=lambda donor: -donor[1])
    if donors and donors[0][1] >= shortfall:
        name, excess = donors[0]
        return {
            "kind": "transfer",
            "qty": shortfall,
            "source": name,
            "params": {"qty": _fmt(shortfall), "origin": name, "excess": _fmt(excess)},
        }
    orderpoint = row.get("orderpoint")
    if orderpoint is not None:
        new_min = math.ceil(rate * horizon)
        new_max = math.ceil(rate * (horizon + COVER_DAYS))
        if new_min > orderpoint[0]:
            return {
                "kind": "minmax",
                "qty": shortfall,
                "min": new_min,
                "max": new_max,
                "params": {
                    "min": _fmt(new_min),
                    "max": _fmt(new_max),
                    "old_min": _fmt(orderpoint[0]),
                    "old_max": _fmt(orderpoint[1]),
                },
            }
    return {
        "kind": "purchase",
        "qty": shortfall,
        "params": {
            "qty": _fmt(shortfall),
            "supplier": row.get("supplier") or "the usual supplier",
            "lead": _fmt(row.get("lead") or 0.0),
        },
    }


def explain_stockout(found, translate=None):
    def one(template, params):
        return translate(template, **params) if translate else template % params

    reasons = "; ".join(
        one(STOCKOUT_REASONS[r["code"]], r["params"]) for r in found["reasons"]
    )
    proposal = found["proposal"]
    return reasons, one(PROPOSALS[proposal["kind"]], proposal["params"])
