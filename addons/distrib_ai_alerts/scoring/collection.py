"""Collections priority: which customers' overdue invoices are most at risk.

Plain numpy, no Odoo. ``fit_collections`` learns each customer's payment
behaviour from the company's paid invoices (share paid more than ``LATE_DAYS``
after the due date, usual days late, share paid in several payments), shrunk to
the company's behaviour when the customer has few invoices;
``score_collections`` turns each customer's overdue amount into an expected
loss with the reasons in words.
"""

import numpy as np

# an invoice paid this many days after its due date counts as paid late
LATE_DAYS = 30.0
# invoices a customer needs before its own behaviour outweighs the company's
PRIOR = 5.0

COLLECTION_REASONS = {
    "overdue": (
        "%(amount)s overdue on %(count)s invoice(s), the oldest %(days)s days past due"
    ),
    "pays_late": (
        "paid %(pct)s%% of its invoices more than 30 days late, %(late)s days late "
        "on average (%(paid)s paid invoices)"
    ),
    "no_history": "no paid invoice yet: judged on the company's customers",
    "beyond_habit": "already %(days)s days later than it usually pays",
    "partial": "%(pct)s%% of its invoices were paid in several payments",
    "disputes": "%(count)s open dispute(s) on its invoices",
    "dismissed": (
        "dismissed %(count)s time(s) by a collector in the last 90 days: ranked "
        "at %(weight)s x its expected loss"
    ),
    "lowered": (
        "a collector lowered its priority %(count)s time(s) in the last 90 days: "
        "ranked at %(weight)s x its expected loss"
    ),
    "raised": (
        "a collector raised its priority %(count)s time(s) in the last 90 days: "
        "ranked at %(weight)s x its expected loss"
    ),
}
# how much one choice of a collector moves a customer's ranking weight, and the
# bounds of that weight
CHOICE_FACTOR = 2.0
WEIGHT_BOUNDS = (0.125, 8.0)


def _fmt(value, digits=0):
    return f"{value:,.{digits}f}"


def fit_collections(history):
    """``history``: columns ``partner`` (id), ``days_late`` (payment date minus
    due date, days) and ``payments`` (number of payments) of paid invoices.
    Returns JSON-able parameters."""
    partner = np.asarray(history["partner"], dtype=np.int64)
    late = np.asarray(history["days_late"], dtype=float)
    payments = np.asarray(history["payments"], dtype=float)
    if not len(partner):
        return {"company": [0.2, 0.0, 0.0, 0], "partners": {}}
    is_late = late > LATE_DAYS
    partial = payments > 1
    company = [
        float(is_late.mean()),
        float(np.maximum(late, 0.0).mean()),
        float(partial.mean()),
        len(partner),
    ]
    keys, codes = np.unique(partner, return_inverse=True)
    count = np.bincount(codes)
    late_n = np.bincount(codes, weights=is_late)
    days = np.bincount(codes, weights=np.maximum(late, 0.0))
    partial_n = np.bincount(codes, weights=partial)
    shrunk_late = (late_n + PRIOR * company[0]) / (count + PRIOR)
    shrunk_days = (days + PRIOR * company[1]) / (count + PRIOR)
    shrunk_partial = (partial_n + PRIOR * company[2]) / (count + PRIOR)
    return {
        "company": company,
        "partners": {
            # shrunk (what the risk uses), then the customer's own figures
            # (what the explanation says)
            str(int(key)): [
                round(float(shrunk_late[i]), 4),
                round(float(shrunk_days[i]), 2),
                round(float(shrunk_partial[i]), 4),
                int(count[i]),
                round(float(late_n[i] / count[i]), 4),
                round(float(days[i] / count[i]), 2),
                round(float(partial_n[i] / count[i]), 4),
            ]
            for i, key in enumerate(keys)
        },
    }


def score_collections(params, open_items):
    """``open_items``: per customer, ``partner``, ``overdue`` (amount, company
    currency), ``count`` (overdue invoices), ``oldest`` (days past due of the
    oldest) and ``disputes`` (open disputes). Returns one dict per customer
    with an overdue amount: ``partner``, ``probability`` (of not collecting
    within 30 days), ``expected_loss``, ``reasons``; largest loss first."""
    company = params["company"]
    result = []
    for row in range(len(open_items["partner"])):
        overdue = float(open_items["overdue"][row])
        if overdue <= 0:
            continue
        partner = int(open_items["partner"][row])
        oldest = max(float(open_items["oldest"][row]), 0.0)
        disputes = int(open_items["disputes"][row])
        own = params["partners"].get(str(partner))
        late_share, usual, partial, paid, own_late, own_days, own_partial = own or [
            *company[:3],
            0,
            *company[:3],
        ]
        reasons = [
            {
                "code": "overdue",
                "params": {
                    "amount": _fmt(overdue, 2),
                    "count": int(open_items["count"][row]),
                    "days": _fmt(oldest),
                },
            }
        ]
        if own:
            reasons.append(
                {
                    "code": "pays_late",
                    "params": {
                        "pct": _fmt(own_late * 100),
                        "late": _fmt(own_days),
                        "paid": paid,
                    },
                }
            )
        else:
            reasons.append({"code": "no_history", "params": {}})
        # odds of paying late, raised the further it is past its habit, by
        # partial payments and by disputes
        share = min(max(late_share, 0.02), 0.98)
        odds = share / (1 - share)
        # past its own habit once it has a few paid invoices
        beyond = oldest - (own_days if paid >= 3 else usual)
        if beyond > 0:
            odds *= 1.0 + beyond / LATE_DAYS
            reasons.append({"code": "beyond_habit", "params": {"days": _fmt(beyond)}})
        if partial >= 0.2:
            odds *= 1.0 + partial
            reasons.append(
                {"code": "partial", "params": {"pct": _fmt(own_partial * 100)}}
            )
        if disputes:
            odds *= 1.0 + 0.5 * disputes
            reasons.append({"code": "disputes", "params": {"count": disputes}})
        probability = odds / (1.0 + odds)
        result.append(
            {
                "partner": partner,
                "overdue": overdue,
                "probability": round(probability, 4),
                "expected_loss": round(overdue * probability, 2),
                "reasons": reasons,
            }
        )
    result.sort(key=lambda item: -item["expected_loss"])
    return result


def feedback_weight(choices):
    """``choices``: the collectors' choices on one customer in the last 90
    days, ``(choice, option)`` with choice ``dismiss`` or ``correct`` (option
    ``raise`` or ``lower``). Returns ``(weight, reasons)``: each dismissal or
    lowering halves the customer's ranking weight, each raising doubles it."""
    counts = {"dismissed": 0, "lowered": 0, "raised": 0}
    for choice, option in choices:
        if choice == "dismiss":
            counts["dismissed"] += 1
        elif choice == "correct" and option in ("raise", "lower"):
            counts["raised" if option == "raise" else "lowered"] += 1
    steps = counts["raised"] - counts["dismissed"] - counts["lowered"]
    low, high = WEIGHT_BOUNDS
    weight = min(max(CHOICE_FACTOR**steps, low), high)
    reasons = [
        {"code": code, "params": {"count": count, "weight": _fmt(weight, 3)}}
        for code, count in counts.items()
        if count
    ]
    return weight, reasons


def rank_collections(found, weights):
    """Weigh the scored customers (``weights``: ``{partner: (weight,
    reasons)}``) and rank them by weighted expected loss, largest first. Adds
    ``weight`` and ``weighted_loss`` to each and the weights' reasons."""
    for item in found:
        weight, reasons = weights.get(item["partner"], (1.0, []))
        item["weight"] = weight
        item["weighted_loss"] = round(item["expected_loss"] * weight, 2)
        item["reasons"] = item["reasons"] + reasons
    found.sort(key=lambda item: (-item["weighted_loss"], -item["expected_loss"]))
    return found


def explain_collection(reasons, translate=None):
    def one(reason):
        template = COLLECTION_REASONS[reason["code"]]
        if translate:
            return translate(template, **reason["params"])
        return template % reason["params"]

    return "; ".join(one(reason) for reason in reasons)
