"""Benchmark: distrib_atp's engine against Odoo's native order-line availability.

Run with ``tools/odoo_shell.sh DB tests/bench/bench_atp.py`` (``make bench DB=...``)
on the scenario database. It builds a 200-line quotation across the warehouses,
measures (query count and milliseconds, median of 11 runs, cache invalidated
before each run):

- our engine: ``distrib.atp.get_availability`` for the 200 products in the 6
  warehouses of the scenario (those holding the most stock), the same for every
  warehouse the user sees, and the order lines' indicator
  (``distrib_atp_state``, one engine pass for the whole order);
- Odoo's native line fields (``virtual_available_at_date``, ``free_qty_today``,
  ``qty_available_today``, ``forecast_expected_date``, ``scheduled_date``) for the
  same lines, which cover the order's warehouse only;

and prints the ratios. Everything it creates is rolled back at the end. On a
database without the scenario, it creates the warehouses and products it misses.
"""

# pylint: disable=print-used
import random
import statistics
import time

from odoo import Command, sql_db

LINES = 200
WAREHOUSES = 6
RUNS = 11
NATIVE_FIELDS = [
    "virtual_available_at_date",
    "free_qty_today",
    "qty_available_today",
    "forecast_expected_date",
    "scheduled_date",
]

env = globals()["env"]  # bound by odoo shell
rng = random.Random(42)
companies = env["res.company"].search([])
env = env(context=dict(env.context, allowed_company_ids=companies.ids))


def ensure_warehouses():
    """The scenario's warehouses: the 6 that hold the most stock."""
    env.flush_all()
    env.cr.execute(
        """
        SELECT w.id FROM stock_warehouse w
          LEFT JOIN stock_location l ON l.warehouse_id = w.id
          LEFT JOIN stock_quant q ON q.location_id = l.id
         WHERE w.active
         GROUP BY w.id ORDER BY COUNT(q.id) DESC, w.id LIMIT %s
        """,
        [WAREHOUSES],
    )
    warehouses = (
        env["stock.warehouse"]
        .browse([row[0] for row in env.cr.fetchall()])
        .sorted(lambda wh: (wh.company_id.id, wh.sequence, wh.id))
    )
    company = env.company
    index = 0
    while len(warehouses) < WAREHOUSES:
        index += 1
        code = f"BW{index}"
        if env["stock.warehouse"].search_count([("code", "=", code)]):
            continue
        warehouses |= env["stock.warehouse"].create(
            {"name": f"Bench WH {index}", "code": code, "company_id": company.id}
        )
    return warehouses[:WAREHOUSES]


def ensure_products(warehouses):
    products = env["product.product"].search(
        [
            ("is_storable", "=", True),
            ("sale_ok", "=", True),
            ("company_id", "=", False),
        ],
        limit=LINES,
    )
    missing = LINES - len(products)
    if missing > 0:
        created = env["product.product"].create(
            [
                {
                    "name": f"Bench product {index}",
                    "is_storable": True,
                    "standard_price": 10.0,
                    "list_price": 20.0,
                }
                for index in range(missing)
            ]
        )
        supplier = env.ref("stock.stock_location_suppliers")
        Quant = env["stock.quant"]
        moves = []
        for product in created:
            for warehouse in warehouses:
                Quant._update_available_quantity(
                    product, warehouse.lot_stock_id, rng.randint(1, 50)
                )
                moves.append(
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom_qty": rng.randint(1, 30),
                        "product_uom": product.uom_id.id,
                        "location_id": supplier.id,
                        "location_dest_id": warehouse.lot_stock_id.id,
                        "company_id": warehouse.company_id.id,
                    }
                )
        env["stock.move"].create(moves)._action_confirm()
        products |= created
    return products


def build_order(warehouses, products):
    warehouse = warehouses[0]
    partner = env["res.partner"].search(
        [
            ("customer_rank", ">", 0),
            ("company_id", "in", [False, warehouse.company_id.id]),
        ],
        limit=1,
    ) or env["res.partner"].create({"name": "Bench customer"})
    order = (
        env["sale.order"]
        .with_company(warehouse.company_id)
        .create(
            {
                "partner_id": partner.id,
                "company_id": warehouse.company_id.id,
                "warehouse_id": warehouse.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": rng.randint(1, 40),
                        }
                    )
                    for product in products
                ],
            }
        )
    )
    # spread the lines across the warehouses of the order's company (routes)
    own = warehouses.filtered(lambda wh: wh.company_id == warehouse.company_id)
    for index, line in enumerate(order.order_line):
        other = own[index % len(own)]
        if other != warehouse:
            line.route_id = other._distrib_get_ship_from_route()
    env.flush_all()
    return order


def measure(function):
    queries, times = [], []
    for _run in range(RUNS):
        env.flush_all()
        env.invalidate_all()
        before = sql_db.sql_counter
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000.0)
        queries.append(sql_db.sql_counter - before)
    return statistics.median(queries), statistics.median(times)


try:
    warehouses = ensure_warehouses()
    products = ensure_products(warehouses)
    order = build_order(warehouses, products)
    lines = order.order_line
    line_ids = lines.ids
    product_ids = lines.product_id.ids
    print(
        f"database {env.cr.dbname}: {len(lines)} lines, "
        f"{len(set(lines.warehouse_id.ids))} line warehouse(s), "
        f"{len(warehouses)} warehouses ({', '.join(warehouses.mapped('code'))}) "
        f"of {len(warehouses.company_id)} companies"
    )

    warehouse_ids = warehouses.ids

    def engine():
        rows = env["distrib.atp"].get_availability(product_ids, warehouse_ids)
        assert len(rows) == len(product_ids) * len(warehouses), len(rows)

    def engine_all():
        env["distrib.atp"].get_availability(product_ids)

    # browse the ids again after each cache invalidation, as a form load does:
    # an x2many recordset read before the invalidation would lose its prefetch
    # set and compute line by line
    def indicator():
        env["sale.order.line"].browse(line_ids).mapped("distrib_atp_state")

    def native():
        fresh = env["sale.order.line"].browse(line_ids)
        for field in NATIVE_FIELDS:
            fresh.mapped(field)

    engine_q, engine_ms = measure(engine)
    all_q, all_ms = measure(engine_all)
    indicator_q, indicator_ms = measure(indicator)
    native_q, native_ms = measure(native)
    print(f"{'measure':<52}{'queries':>9}{'ms':>10}")
    visible = len(env["distrib.atp"]._distrib_visible_warehouses())
    print(
        f"{f'distrib.atp.get_availability (200 x {len(warehouses)} WH)':<52}"
        f"{engine_q:>9}{engine_ms:>10.1f}"
    )
    print(
        f"{f'  the same, every visible warehouse ({visible} WH)':<52}"
        f"{all_q:>9}{all_ms:>10.1f}"
    )
    print(
        f"{'order line indicator distrib_atp_state (200 lines)':<52}"
        f"{indicator_q:>9}{indicator_ms:>10.1f}"
    )
    print(
        f"{'native sale_stock line fields (200 lines, 1 WH/line)':<52}"
        f"{native_q:>9}{native_ms:>10.1f}"
    )
    print(
        f"ratio native/engine: queries {native_q / max(engine_q, 1):.1f}x, "
        f"time {native_ms / engine_ms:.1f}x"
    )
    print(
        f"ratio native/indicator: queries {native_q / max(indicator_q, 1):.1f}x, "
        f"time {native_ms / indicator_ms:.1f}x"
    )
    print(
        "targets: engine queries <= 10: "
        f"{'OK' if engine_q <= 10 else 'MISSED'}; >= 10x faster: "
        f"{'OK' if native_ms >= 10 * engine_ms else 'MISSED'}"
    )
finally:
    env.cr.rollback()
