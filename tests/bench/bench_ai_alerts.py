"""Evaluation harness of distrib_ai_alerts' detectors (no database).

Run with ``python3 tests/bench/bench_ai_alerts.py [--seed 42] [--lines 100000]``.
It generates, from a fixed seed, a company history with planted anomalies
(customer prices and discounts, inventory adjustments, transfers between
warehouses or companies) and planted late orders, trains each detector on the
history, scores the new records and prints precision and recall per detector
against the planted cases, and the time to train on and to score ``--lines``
lines (every detector, the late-order risk on as many open lines, the stockout
scorer on as many product/warehouse pairs, the collections ranking on as many
paid invoices and customers, the dispute classifier on one dispute for every 50
lines). Targets:
precision >= 0.9, recall >= 0.8, all detectors together on 100,000 lines in
< 30 s. These figures are on generated data: for the detectors on the scenario's
own data, see ``tests/bench/eval_ai_alerts.py``.
Exits non-zero when a target is missed.
"""

# pylint: disable=print-used
import argparse
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "addons", "distrib_ai_alerts"))

from scoring import detectors, explain, synthetic  # noqa: E402
from scoring.collection import (  # noqa: E402
    feedback_weight,
    fit_collections,
    rank_collections,
    score_collections,
)
from scoring.disputes import SEED_EXAMPLES, fit_classifier, suggest  # noqa: E402
from scoring.stockout import score_stockout  # noqa: E402

TARGET_PRECISION = 0.9
TARGET_RECALL = 0.8
TARGET_SECONDS = 30.0


def evaluate(name, alerts, planted):
    found = {alert["id"] for alert in alerts}
    true_positive = len(found & planted)
    precision = true_positive / len(found) if found else 1.0
    recall = true_positive / len(planted) if planted else 1.0
    return {
        "detector": name,
        "alerts": len(found),
        "planted": len(planted),
        "precision": precision,
        "recall": recall,
    }


def run(seed, lines):
    results = []
    timings = []
    samples = {}
    for name, maker in (
        ("price", synthetic.make_price),
        ("inventory", synthetic.make_inventory),
        ("transfer", synthetic.make_transfer),
    ):
        history, new, planted = maker(seed=seed, history=lines, new=lines)
        start = time.perf_counter()
        params = detectors.DETECTORS[name].fit(history)
        trained = time.perf_counter()
        alerts = detectors.DETECTORS[name].score(params, new)
        scored = time.perf_counter()
        timings.append((name, lines, trained - start, scored - trained))
        results.append(evaluate(name, alerts, planted))
        top = max(alerts, key=lambda a: a["impact"]) if alerts else None
        samples[name] = top and explain(top["reasons"])
    # every detector on ``lines`` lines (issue #16): as many open order lines
    (receipts, throughput), open_lines, planted = synthetic.make_late_risk(
        seed=seed, orders=lines
    )
    start = time.perf_counter()
    params = detectors.fit_late_risk(receipts, throughput)
    trained = time.perf_counter()
    alerts = detectors.score_late_risk(params, open_lines)
    scored = time.perf_counter()
    timings.append(
        ("late_risk", len(open_lines["id"]), trained - start, scored - trained)
    )
    results.append(evaluate("late_risk", alerts, planted))
    top = max(alerts, key=lambda a: a["impact"]) if alerts else None
    samples["late_risk"] = top and explain(top["reasons"])
    timings.append(bench_stockout(seed, lines))
    timings.append(bench_collections(seed, lines))
    timings.append(bench_disputes(seed, lines))
    return results, timings, samples


def bench_stockout(seed, lines):
    """The stockout scorer on ``lines`` product/warehouse pairs (no training:
    the demand, lead times and lateness are read, not learnt)."""
    rng = np.random.default_rng(seed)
    rates = rng.gamma(1.5, 2.0, lines)
    rows = [
        {
            "key": index,
            "available": float(rng.integers(0, 200)),
            "committed": float(rng.integers(0, 10)),
            "rate": float(rates[index]),
            "receipt_days": float(rng.integers(-2, 30)) if index % 3 else None,
            "receipt_qty": 50.0,
            "lead": float(rng.integers(1, 20)),
            "late": float(rng.integers(0, 5)),
            "excess": [("North", float(rng.integers(0, 300)))],
            "group": [("West Co", "West", float(rng.integers(0, 300)))],
            "intercompany": True,
            "supplier": "ACME",
            "orderpoint": (5.0, 10.0) if index % 2 else None,
            "dismissed": index % 7 == 0,
            "preferred": "purchase" if index % 11 == 0 else None,
        }
        for index in range(lines)
    ]
    start = time.perf_counter()
    score_stockout(rows)
    return ("stockout", lines, 0.0, time.perf_counter() - start)


def bench_collections(seed, lines):
    """Collections: learn from ``lines`` paid invoices, rank ``lines``
    customers with overdue invoices (with the collectors' choices)."""
    rng = np.random.default_rng(seed)
    customers = max(lines // 10, 1)
    history = {
        "partner": rng.integers(1, customers + 1, lines).tolist(),
        "days_late": rng.normal(10, 20, lines).tolist(),
        "payments": rng.integers(1, 3, lines).tolist(),
    }
    overdue = {
        "partner": list(range(1, lines + 1)),
        "overdue": rng.gamma(2.0, 500.0, lines).tolist(),
        "count": rng.integers(1, 5, lines).tolist(),
        "oldest": rng.integers(1, 120, lines).tolist(),
        "disputes": rng.integers(0, 2, lines).tolist(),
    }
    choices = {
        partner: feedback_weight([("dismiss", "lower")])
        for partner in range(1, lines + 1, 50)
    }
    start = time.perf_counter()
    params = fit_collections(history)
    trained = time.perf_counter()
    rank_collections(score_collections(params, overdue), choices)
    return ("collection", lines, trained - start, time.perf_counter() - trained)


def bench_disputes(seed, lines):
    """Dispute classification: one dispute for every 50 lines (2 % of the
    history's lines disputed), each a seed phrase of its category with other
    words around it; trained on them as confirmed, then a suggestion for as
    many new disputes, one call each as on creation."""
    rng = np.random.default_rng(seed)
    count = max(lines // 50, 10)
    categories = sorted(SEED_EXAMPLES)
    filler = "please check our account order delivery invoice today thanks".split()

    def text(category):
        phrases = [p for p in SEED_EXAMPLES[category] if not p.startswith("zz")]
        words = rng.choice(filler, 4).tolist()
        return f"{words[0]} {words[1]} {rng.choice(phrases)} {words[2]} {words[3]}"

    picks = rng.integers(0, len(categories), count)
    examples = [(text(categories[i]), (), categories[i], 4.0) for i in picks]
    start = time.perf_counter()
    model = fit_classifier(examples)
    trained = time.perf_counter()
    for index in rng.integers(0, len(categories), count):
        suggest(model, text(categories[index]), ())
    return ("disputes", count, trained - start, time.perf_counter() - trained)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--lines", type=int, default=100_000)
    args = parser.parse_args(argv)
    results, timings, samples = run(args.seed, args.lines)
    ok = True
    print(
        f"seed {args.seed}, {args.lines:,} history lines and {args.lines:,} new lines"
    )
    print(
        f"{'detector':<10} {'planted':>8} {'alerts':>7} {'precision':>10} {'recall':>7}"
    )
    for row in results:
        print(
            f"{row['detector']:<10} {row['planted']:>8} {row['alerts']:>7} "
            f"{row['precision']:>10.3f} {row['recall']:>7.3f}"
        )
        ok &= row["precision"] >= TARGET_PRECISION and row["recall"] >= TARGET_RECALL
    print(f"{'detector':<10} {'lines':>8} {'train s':>8} {'score s':>8}")
    for name, count, train, score in timings:
        print(f"{name:<10} {count:>8,} {train:>8.2f} {score:>8.2f}")
        if count >= 100_000:
            ok &= train + score < TARGET_SECONDS
    total = sum(train + score for _name, _count, train, score in timings)
    print(f"{'all':<10} {'':>8} {'':>8} {total:>8.2f}  (target < {TARGET_SECONDS:g} s)")
    ok &= total < TARGET_SECONDS
    print("example explanations (largest impact):")
    for name, text in samples.items():
        print(f"  {name}: {text}")
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
