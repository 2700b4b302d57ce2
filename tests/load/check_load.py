"""After a load run (``tools/odoo_shell.sh DB tests/load/check_load.py``): no
product promised beyond its stock, no document created twice.

- every quotation of the run (``client_order_ref`` ``LOAD-...``) exists once, and
  has at most one delivery per warehouse route step (no picking created twice);
- no quant of an internal location has more reserved than it holds, and no
  product's free stock in a warehouse went below zero because of the run;
- no two stock pickings, sale orders or journal entries share a name;
- every order event is sealed into its company's chain, and the chains hold.

Prints the figures; exits non-zero (SystemExit) when a check fails.
"""

# pylint: disable=print-used
import json
import os

env = globals()["env"]
cr = env.cr
failures = []
mode, _space, path = (os.environ.get("DISTRIB_SCRIPT_ARGS") or "after").partition(" ")
products = json.loads(os.environ.get("LOAD_PRODUCTS", "[]"))
companies = env["res.company"].search([])
atp = env["distrib.atp"].with_context(allowed_company_ids=companies.ids)
if mode == "before":
    # what each product can be promised in each warehouse before the run
    promisable = {
        f"{row['product_id']},{row['warehouse_id']}": row["promisable"]
        for row in atp.get_availability(products)
    }
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(promisable, handle)
    print(f"promisable stock of {len(promisable)} product x warehouse pairs saved")
    raise SystemExit(0)

cr.execute(
    """SELECT COUNT(*), COUNT(DISTINCT client_order_ref),
              COUNT(*) FILTER (WHERE state = 'sale')
         FROM sale_order WHERE client_order_ref LIKE 'LOAD-%'"""
)
orders, refs, confirmed = cr.fetchone()
print(f"load quotations: {orders} ({confirmed} confirmed), distinct refs {refs}")
if orders != refs:
    failures.append(f"{orders - refs} quotations created twice")

cr.execute(
    """SELECT COUNT(*) FROM (
           SELECT m.sale_line_id, m.location_id, m.location_dest_id
             FROM stock_move m
             JOIN sale_order_line l ON l.id = m.sale_line_id
             JOIN sale_order o ON o.id = l.order_id
            WHERE o.client_order_ref LIKE 'LOAD-%%' AND m.state != 'cancel'
            GROUP BY 1, 2, 3 HAVING COUNT(*) > 1) dup"""
)
duplicate_moves = cr.fetchone()[0]
print(f"load order lines with a move created twice: {duplicate_moves}")
if duplicate_moves:
    failures.append(f"{duplicate_moves} order lines have duplicated moves")

# promised from stock by the run, per product and warehouse, against what the
# engine said could be promised before it
before = {}
if path and os.path.exists(path):
    with open(path, encoding="utf-8") as handle:
        before = json.load(handle)
cr.execute(
    """SELECT l.product_id, l.distrib_source_warehouse_id,
              SUM(l.distrib_promised_qty / u.factor * lu.factor)
         FROM sale_order_line l
         JOIN sale_order o ON o.id = l.order_id
         JOIN uom_uom u ON u.id = l.product_uom
         JOIN product_product p ON p.id = l.product_id
         JOIN product_template t ON t.id = p.product_tmpl_id
         JOIN uom_uom lu ON lu.id = t.uom_id
        WHERE o.client_order_ref LIKE 'LOAD-%%' AND o.state = 'sale'
          AND l.distrib_source_warehouse_id IS NOT NULL
        GROUP BY 1, 2"""
)
promised = cr.fetchall()
oversold = [
    (product, warehouse, quantity, before.get(f"{product},{warehouse}"))
    for product, warehouse, quantity in promised
    if f"{product},{warehouse}" in before
    and quantity > max(before[f"{product},{warehouse}"], 0.0) + 0.0001
]
print(
    f"product x warehouse pairs promised by the run: {len(promised)}; promised "
    f"beyond the promisable stock before the run: {len(oversold)}"
)
if oversold:
    failures.append(
        f"{len(oversold)} pairs promised beyond their stock: {oversold[:5]}"
    )

cr.execute(
    """SELECT COUNT(*) FROM stock_quant q
         JOIN stock_location l ON l.id = q.location_id AND l.usage = 'internal'
        WHERE q.reserved_quantity > q.quantity + 0.0001 AND q.quantity >= 0"""
)
over_reserved = cr.fetchone()[0]
cr.execute(
    """SELECT COUNT(*) FROM stock_quant q
         JOIN stock_location l ON l.id = q.location_id AND l.usage = 'internal'
         JOIN sale_order_line sl ON sl.product_id = q.product_id
         JOIN sale_order o ON o.id = sl.order_id
        WHERE q.quantity < 0 AND o.client_order_ref LIKE 'LOAD-%%'"""
)
negative = cr.fetchone()[0]
print(
    f"quants reserved beyond their quantity: {over_reserved}; negative quants of "
    f"products sold in the run: {negative}"
)
if over_reserved:
    failures.append(f"{over_reserved} quants reserved beyond their quantity")
if negative:
    failures.append(f"{negative} negative quants of products sold in the run")

for table, key in (
    ("stock_picking", "name, company_id"),
    ("sale_order", "name, company_id"),
    ("account_move", "name, journal_id"),
):
    extra = " AND state = 'posted'" if table == "account_move" else ""
    cr.execute(
        f"""SELECT COUNT(*) FROM (SELECT {key} FROM {table}
             WHERE name IS NOT NULL AND name != '/'{extra}
             GROUP BY {key} HAVING COUNT(*) > 1) dup"""
    )
    count = cr.fetchone()[0]
    print(f"{table}: names used twice: {count}")
    if count:
        failures.append(f"{table}: {count} names used twice")

# the order events of the run were sealed after their commits (no cron runs
# during the load), into one unbroken chain per company
Event = env["distrib.order.event"]
cr.execute("SELECT COUNT(*) FROM distrib_order_event WHERE event_hash IS NULL")
unsealed = cr.fetchone()[0]
broken = [
    result["message"]
    for result in (Event._distrib_check_chain(company) for company in companies)
    if not result["intact"]
]
print(f"order events left unsealed: {unsealed}; broken chains: {len(broken)}")
if unsealed:
    failures.append(f"{unsealed} order events left unsealed")
failures.extend(broken)

print("load check: " + ("OK" if not failures else "FAILED: " + "; ".join(failures)))
if failures:
    raise SystemExit(1)
