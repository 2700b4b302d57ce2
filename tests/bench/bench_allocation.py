"""Benchmark: confirming a 200-line order with automatic sourcing on, against
plain Odoo's confirmation of the same order, in one run.

Run with ``tools/odoo_shell.sh DB tests/bench/bench_allocation.py`` on a COPY of
the scenario database with distrib_allocation installed (``createdb -T
distrib_demo h17_bench``, then ``-i distrib_allocation``). It builds a 200-line
quotation in the first warehouse of a company with two warehouses: most lines
are free in that warehouse, one in five is short there and free in the other
warehouse (the policy sources it from there). Each confirmation runs on a fresh
copy of the quotation inside a savepoint rolled back afterwards, cache
invalidated before; median of RUNS runs, the two modes interleaved:

- plain Odoo: every distrib control of the company off (no promise, no order
  checks, no allocation);
- automatic sourcing: allocation by priority, the promise from
  available-to-promise (policy allow) and "Resolve shortages at confirmation"
  with a sourcing policy allowing the other warehouse.

Target: at most 1.3x plain Odoo's queries. Everything is rolled back at the end.
"""

# pylint: disable=print-used
import random
import statistics
import time

from odoo import Command, sql_db

LINES = 200
SHORT_EVERY = 5
RUNS = 5
DISTRIB_SWITCHES = [
    "distrib_atp_promise",
    "distrib_orchestration_enabled",
    "distrib_credit_check",
    "distrib_margin_check",
    "distrib_allocation_enabled",
    "distrib_auto_sourcing",
]

env = globals()["env"]  # bound by odoo shell
rng = random.Random(17)


def pick_company():
    """The first company with two active warehouses."""
    for company in env["res.company"].search([], order="id"):
        warehouses = env["stock.warehouse"].search(
            [("company_id", "=", company.id)], order="sequence, id"
        )
        if len(warehouses) >= 2:
            return company, warehouses[:2]
    raise SystemExit("no company with two warehouses: run it on the scenario db")


def pick_lines(company, warehouses):
    """(product, quantity) x 200: free in the first warehouse, or (one in five)
    short there and free in the second one."""
    first, second = warehouses
    products = env["product.product"].search(
        [
            ("is_storable", "=", True),
            ("sale_ok", "=", True),
            ("tracking", "=", "none"),
            ("company_id", "in", [False, company.id]),
        ]
    )
    projections = env["distrib.atp"]._distrib_projections(products.ids, warehouses.ids)
    free_only, shortable = [], []
    for product in products:
        own = projections[product.id, first.id].free
        other = projections[product.id, second.id].free
        if own >= 0 and other >= int(own) + 2:
            shortable.append((product, own, other))
        elif own >= 1:
            free_only.append((product, own))
    short_count = min(LINES // SHORT_EVERY, len(shortable))
    if len(free_only) + len(shortable) < LINES:
        raise SystemExit(
            f"not enough stocked products: {len(free_only)} free, "
            f"{len(shortable)} shortable"
        )
    lines = []
    for product, own, _other in shortable[:short_count]:
        lines.append((product, int(own) + 1))
    rest = free_only + [(p, own) for p, own, _other in shortable[short_count:]]
    for product, own in rest[: LINES - short_count]:
        lines.append((product, max(1, min(int(own) // 2, rng.randint(1, 10)))))
    rng.shuffle(lines)
    return lines, short_count


def settings(company, mode):
    vals = dict.fromkeys(DISTRIB_SWITCHES, False)
    if mode == "auto":
        vals.update(
            {
                "distrib_atp_promise": True,
                "distrib_atp_policy": "allow",
                "distrib_allocation_enabled": True,
                "distrib_auto_sourcing": True,
                "distrib_auto_margin_floor": 0.0,
            }
        )
    company.write(vals)


def build_order(company, warehouse, partner, lines):
    return (
        env["sale.order"]
        .with_company(company)
        .create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "warehouse_id": warehouse.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "tax_id": [Command.clear()],
                        }
                    )
                    for product, quantity in lines
                ],
            }
        )
    )


def confirm_once(company, warehouse, partner, lines, mode):
    cr = env.cr
    cr.execute("SAVEPOINT bench_allocation")
    try:
        settings(company, mode)
        order = build_order(company, warehouse, partner, lines)
        env.flush_all()
        env.invalidate_all()
        order = env["sale.order"].with_company(company).browse(order.id)
        before = sql_db.sql_counter
        start = time.perf_counter()
        order.action_confirm()
        env.flush_all()
        elapsed = (time.perf_counter() - start) * 1000.0
        queries = sql_db.sql_counter - before
        sourced = len(
            order.order_line.filtered(
                lambda line: line.distrib_source_kind == "warehouse"
            )
        )
        return queries, elapsed, order.state, sourced
    finally:
        env.invalidate_all()
        cr.execute("ROLLBACK TO SAVEPOINT bench_allocation")
        env.invalidate_all()


try:
    company, warehouses = pick_company()
    env = env(
        context=dict(
            env.context, allowed_company_ids=company.ids, tracking_disable=True
        )
    )
    company = company.with_env(env)
    warehouses = warehouses.with_env(env)
    env["distrib.sourcing.policy"].search([("company_id", "=", company.id)]).unlink()
    env["distrib.sourcing.policy"].create(
        {"company_id": company.id, "kind": "warehouse", "max_cost_percent": 5.0}
    )
    partner = env["res.partner"].create({"name": "Allocation bench customer"})
    lines, short_count = pick_lines(company, warehouses)
    print(
        f"database {env.cr.dbname}: {company.name}, order of {len(lines)} lines in "
        f"{warehouses[0].code}, {short_count} short there and free in "
        f"{warehouses[1].code}; median of {RUNS} runs"
    )
    results = {"plain": [], "auto": []}
    for _run in range(RUNS):
        for mode in ("plain", "auto"):
            results[mode].append(
                confirm_once(company, warehouses[0], partner, lines, mode)
            )
    figures = {}
    for mode, runs in results.items():
        states = {state for _q, _ms, state, _s in runs}
        sourced = {s for _q, _ms, _state, s in runs}
        figures[mode] = (
            statistics.median(q for q, _ms, _state, _s in runs),
            statistics.median(ms for _q, ms, _state, _s in runs),
            states,
            sourced,
        )
    print(f"{'confirmation of the 200-line order':<46}{'queries':>9}{'ms':>10}  state")
    labels = {
        "plain": "plain Odoo (distrib controls off)",
        "auto": "automatic sourcing on (promise + policy)",
    }
    for mode, (queries, ms, states, sourced) in figures.items():
        print(
            f"{labels[mode]:<46}{queries:>9}{ms:>10.1f}  "
            f"{'/'.join(sorted(states))}, {'/'.join(map(str, sorted(sourced)))} "
            "lines sourced from the other warehouse"
        )
    ratio_q = figures["auto"][0] / figures["plain"][0]
    ratio_ms = figures["auto"][1] / figures["plain"][1]
    print(f"ratio auto/plain: queries {ratio_q:.2f}x, time {ratio_ms:.2f}x")
    print(f"target queries <= 1.3x: {'OK' if ratio_q <= 1.3 else 'MISSED'}")
finally:
    env.cr.rollback()
