"""Stockout risk: the chance a product runs out in a warehouse before its next
receipt, and the fixes ranked by cost. Plain Python, no Odoo.

Demand is Poisson with the product's daily rate in the warehouse; the horizon is
the days until the next receipt plus the supplier's lateness (its 80th
percentile), or the supplier's lead time plus lateness when nothing is coming.
The stock the warehouse lives on until then comes from the ATP projection
(free stock less the demand already committed over the horizon).

People's choices are learned from: a pair dismissed recently alerts only above
a raised threshold (each dismissal halves the distance to 100%), and the kind of
fix a person chose last time for the pair is ranked first when it is possible.
"""

import math

STOCKOUT_REASONS = {
    "cover": ("%(available)s available for %(rate)s a day: %(cover)s days of cover"),
    "committed": "%(qty)s already promised to orders due before the receipt",
    "next_receipt": (
        "next receipt in %(days)s days (%(qty)s units), plus %(late)s days this "
        "supplier is late at the 80th percentile"
    ),
    "no_receipt": (
        "no receipt coming: a purchase takes %(lead)s days, plus %(late)s days "
        "of lateness"
    ),
    "probability": "%(pct)s%% chance of running out before it arrives",
    "dismissed": (
        "dismissed %(count)s time(s) here in the last 90 days: alerts only above "
        "%(pct)s%%"
    ),
    "preferred": "%(option)s ranked first: the fix chosen here last time",
}
PROPOSALS = {
    "transfer": (
        "transfer %(qty)s from %(origin)s, which has %(excess)s beyond its own "
        "30 days of demand"
    ),
    "group": (
        "ask the group company %(company)s for %(qty)s from %(origin)s, which has "
        "%(excess)s available beyond its own 30 days of demand: a request for "
        "quotation to %(company)s at the intercompany price, which it confirms "
        "as a sale"
    ),
    "group_manual": (
        "ask the group company %(company)s for %(qty)s from %(origin)s, which has "
        "%(excess)s available beyond its own 30 days of demand: a draft request "
        "for quotation to %(company)s (Intercompany is not installed: "
        "%(company)s enters its sale and delivery by hand)"
    ),
    "purchase": "buy %(qty)s from %(supplier)s (%(lead)s days of lead time)",
    "minmax": (
        "set the reordering rule to min %(min)s / max %(max)s (now %(old_min)s / "
        "%(old_max)s)"
    ),
}
OPTION_NAMES = {
    "transfer": "a transfer between warehouses",
    "group": "a transfer from a group company",
    "minmax": "new min/max on the reordering rule",
    "purchase": "a purchase",
}
# what a fix costs, cheapest first: stock the company already holds, stock of a
# group company (its price carries the intercompany markup and the paperwork of
# two companies), then buying (through the reordering rule, or a purchase)
COST_RANK = {"transfer": 0, "group": 1, "minmax": 2, "purchase": 3}
# days of demand a warehouse keeps for itself before it gives stock away
KEEP_DAYS = 30.0
# days of demand a proposal covers beyond the horizon
COVER_DAYS = 14.0


def _fmt(value, digits=0):
    return f"{value:,.{digits}f}"


def raised_threshold(threshold, dismissals):
    """The threshold of a pair dismissed ``dismissals`` times: each dismissal
    halves the distance to 100%."""
    return 1.0 - (1.0 - threshold) * 0.5 ** max(int(dismissals or 0), 0)


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
    """``rows``: dicts with ``key``, ``available`` (stock to live on until the
    next receipt), ``rate`` (a day), ``receipt_days`` (None: nothing coming),
    ``receipt_qty``, ``lead``, ``late`` (p80 days), ``excess`` (list of
    ``(source name, units beyond its own needs)``), ``group`` (list of
    ``(company name, warehouse name, units beyond its own needs)``),
    ``intercompany`` (bool), ``supplier`` (name or None), ``orderpoint``
    (``(min, max)`` or None) and optionally ``committed`` (units promised over
    the horizon), ``dismissed`` (dismissals in the last 90 days) and
    ``preferred`` (the kind of fix chosen last time). Returns the rows at risk:
    ``key``, ``probability``, ``cover``, ``shortfall``, ``reasons``,
    ``options`` (every possible fix, cheapest first, the preferred kind
    first) and ``proposal`` (the first option)."""
    found = []
    for row in rows:
        rate = row["rate"]
        if rate <= 0:
            continue
        late = max(row.get("late") or 0.0, 0.0)
        if row.get("receipt_days") is not None:
            # a receipt due today or overdue: a day at least
            horizon = max(max(row["receipt_days"], 0.0) + late, 1.0)
        else:
            horizon = max(row.get("lead") or 0.0, 1.0) + late
        probability = stockout_probability(row["available"], rate, horizon)
        dismissed = int(row.get("dismissed") or 0)
        limit = raised_threshold(threshold, dismissed)
        if probability < limit:
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
        if row.get("committed"):
            reasons.append(
                {"code": "committed", "params": {"qty": _fmt(row["committed"])}}
            )
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
        if dismissed:
            reasons.append(
                {
                    "code": "dismissed",
                    "params": {"count": dismissed, "pct": _fmt(limit * 100, 1)},
                }
            )
        choices = options(row, shortfall, rate, horizon)
        if choices[0].get("preferred"):
            reasons.append(
                {
                    "code": "preferred",
                    "params": {"option": OPTION_NAMES[choices[0]["kind"]]},
                }
            )
        found.append(
            {
                "key": row["key"],
                "probability": round(probability, 4),
                "cover": round(cover, 1),
                "shortfall": shortfall,
                "reasons": reasons,
                "options": choices,
                "proposal": choices[0],
            }
        )
    found.sort(key=lambda item: -item["probability"])
    return found


def options(row, shortfall, rate, horizon):
    """Every fix possible for the row, cheapest first (``COST_RANK``); the kind
    a person chose last time (``row["preferred"]``) first when possible."""
    result = []
    donors = [(name, excess) for name, excess in row.get("excess") or [] if excess]
    donors.sort(key=lambda donor: -donor[1])
    if donors and donors[0][1] >= shortfall:
        name, excess = donors[0]
        result.append(
            {
                "kind": "transfer",
                "qty": shortfall,
                "source": name,
                "params": {
                    "qty": _fmt(shortfall),
                    "origin": name,
                    "excess": _fmt(excess),
                },
            }
        )
    group = [donor for donor in row.get("group") or [] if donor[2] >= shortfall]
    group.sort(key=lambda donor: -donor[2])
    if group:
        company, name, excess = group[0]
        result.append(
            {
                "kind": "group",
                "qty": shortfall,
                "source": name,
                "company": company,
                "intercompany": bool(row.get("intercompany")),
                "params": {
                    "qty": _fmt(shortfall),
                    "company": company,
                    "origin": name,
                    "excess": _fmt(excess),
                },
            }
        )
    orderpoint = row.get("orderpoint")
    if orderpoint is not None:
        new_min = math.ceil(rate * horizon)
        new_max = math.ceil(rate * (horizon + COVER_DAYS))
        if new_min > orderpoint[0]:
            result.append(
                {
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
            )
    result.append(
        {
            "kind": "purchase",
            "qty": shortfall,
            "params": {
                "qty": _fmt(shortfall),
                "supplier": row.get("supplier") or "the usual supplier",
                "lead": _fmt(row.get("lead") or 0.0),
            },
        }
    )
    preferred = row.get("preferred")
    for option in result:
        option["preferred"] = option["kind"] == preferred
    result.sort(key=lambda option: (not option["preferred"], COST_RANK[option["kind"]]))
    return result


def propose(row, shortfall, rate, horizon):
    """The cheapest fix (the first of ``options``)."""
    return options(row, shortfall, rate, horizon)[0]


def explain_option(option, translate=None):
    """One fix in words."""
    template = PROPOSALS[option["kind"]]
    if option["kind"] == "group" and not option.get("intercompany"):
        template = PROPOSALS["group_manual"]
    if translate:
        return translate(template, **option["params"])
    return template % option["params"]


def explain_stockout(found, translate=None):
    def one(template, params):
        return translate(template, **params) if translate else template % params

    reasons = "; ".join(
        one(STOCKOUT_REASONS[r["code"]], r["params"]) for r in found["reasons"]
    )
    return reasons, explain_option(found["proposal"], translate)
