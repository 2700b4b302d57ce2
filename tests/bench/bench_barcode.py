"""Benchmark: one scan of the Warehouse app (distrib_barcode) on a large transfer.

Run with ``tools/odoo_shell.sh DB tests/bench/bench_barcode.py`` on a database
where distrib_barcode is installed. In the current company (turned on for
scanning for the run) it builds a receipt of 200 lines and one of 10 lines, each
product with an EAN-13, and measures (queries and milliseconds, median of 15
scans, cache invalidated before each):

- ``scan`` on the 200-line and on the 10-line receipt (one product counted up,
  the answer carries every line as it is in the database);
- a replay of a scan (same key: nothing applied, the lines re-read);
- ``open_picking`` (the transfer's lines) and ``lookup`` of a product.

A scan must cost the same number of queries on both receipts. Everything it
creates is rolled back at the end.
"""

# pylint: disable=print-used
import statistics
import time

from odoo import Command
from odoo.tools.barcode import get_barcode_check_digit

LINES = 200
SMALL = 10
RUNS = 15

env = globals()["env"]  # bound by odoo shell
admin = env.ref("base.user_admin")
env = env(user=admin, su=False)
company = env.company
Scan = env["distrib.barcode.scan"]


def ean13(number):
    body = f"299{number:09d}"
    return body + str(get_barcode_check_digit(body + "0"))


def build():
    company.sudo().distrib_barcode_enabled = True
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", company.id)], limit=1
    )
    products = env["product.product"].create(
        [
            {
                "name": f"Bench scan product {index}",
                "is_storable": True,
                "barcode": ean13(900000 + index),
            }
            for index in range(LINES)
        ]
    )
    supplier = env.ref("stock.stock_location_suppliers")

    def receipt(count):
        picking = env["stock.picking"].create(
            {
                "picking_type_id": warehouse.in_type_id.id,
                "location_id": supplier.id,
                "location_dest_id": warehouse.lot_stock_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": 50,
                            "product_uom": product.uom_id.id,
                            "location_id": supplier.id,
                            "location_dest_id": warehouse.lot_stock_id.id,
                        }
                    )
                    for product in products[:count]
                ],
            }
        )
        picking.action_confirm()
        return picking

    return products, receipt(LINES), receipt(SMALL)


counter = iter(range(10**6))


def key():
    return f"bench-{next(counter):08d}"


def measure(function, runs=RUNS):
    """Median (queries, ms) of ``function(run)``, cold record cache each run."""
    queries, times = [], []
    for run in range(runs + 2):
        env.flush_all()
        env.invalidate_all()
        before = env.cr.sql_log_count
        start = time.perf_counter()
        function(run)
        env.flush_all()
        elapsed = (time.perf_counter() - start) * 1000.0
        if run >= 2:  # the first two warm Odoo's caches
            queries.append(env.cr.sql_log_count - before)
            times.append(elapsed)
    return statistics.median(queries), statistics.median(times), max(queries)


try:
    products, large, small = build()
    barcodes = products.mapped("barcode")
    results = {}
    results["scan, 200-line receipt"] = measure(
        lambda run: Scan.scan(large.id, barcodes[run % LINES], key())
    )
    results["scan, 10-line receipt"] = measure(
        lambda run: Scan.scan(small.id, barcodes[run % SMALL], key())
    )
    replay_key = key()
    Scan.scan(large.id, barcodes[0], replay_key)
    results["replayed scan, 200 lines"] = measure(
        lambda run: Scan.scan(large.id, barcodes[0], replay_key)
    )
    results["open_picking, 200 lines"] = measure(
        lambda run: Scan.open_picking(large.id)
    )
    results["lookup of a product"] = measure(
        lambda run: Scan.lookup(barcodes[run % LINES])
    )
    print(f"distrib_barcode bench: company {company.name}, median of {RUNS} runs")
    for label, (queries, ms, worst) in results.items():
        print(f"  {label:28s} {queries:6.0f} queries (max {worst})  {ms:8.1f} ms")
    large_q = results["scan, 200-line receipt"][0]
    small_q = results["scan, 10-line receipt"][0]
    print(
        "target: a scan costs the same queries whatever the size: "
        f"{'OK' if large_q == small_q else 'MISSED'} ({small_q:.0f} vs {large_q:.0f})"
    )
finally:
    env.cr.rollback()
