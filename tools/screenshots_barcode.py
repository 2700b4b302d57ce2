#!/usr/bin/env python3
"""Take the Warehouse app's screenshots at a phone's size (390 x 844, touch).

    python3 tools/screenshots_barcode.py --db DB [--demo | --prepare] [--port 8113]

``--demo`` (a database built by tools/build_demo.sh): the shots show the
scenario. The script reads the demo's own labels (the barcode step's EAN-13,
cases, location barcodes and lots) and an open purchase receipt of the
``warehouse`` user's company, logs in as ``warehouse`` (who lands in the app)
and receives that receipt: a case, the rest by typing its quantity, a lot
by its GS1 label, the last line a few units over (the receipt-variance control
raises its exception), then counts a quarantine location, moves and holds a
lot and looks a product up. It changes the demo database as a worker would.

``--prepare`` instead puts a small sample in DB (committed): scanning turned on
for the main company, products with EAN-13 barcodes, a box packaging, lots, a
shelf with a location barcode, a purchase receipt, a delivery and stock, and
the walk logs in as admin.

Then it starts Odoo on the port, drives headless Chromium (Playwright driving
/usr/bin/chromium, as tools/screenshots.py does) at a phone's size through the
app, typing barcodes as a scanner does, and saves docs/screenshots/barcode_*.png.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from screenshots import wait_http

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
URL = "/odoo/action-distrib_barcode.distrib_barcode_warehouse_action"

PREPARE = """
from odoo import Command
env = env(user=env.ref("base.user_admin"), su=False)
company = env.ref("base.main_company")
company.sudo().write({"distrib_barcode_enabled": True,
                      "distrib_receipt_variance_check": True})
wh = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
wh.action_distrib_create_status_locations()
wh.distrib_quarantine_location_id.barcode = "SHOT-QUAR"
Product = env["product.product"]
if not Product.search([("barcode", "=", "5400000000010")]):
    shelf = env["stock.location"].create(
        {"name": "A-01", "location_id": wh.lot_stock_id.id, "barcode": "SHOT-A01"})
    widget = Product.create({"name": "Pallet Wrap 500 mm", "is_storable": True,
                             "barcode": "5400000000010", "standard_price": 12})
    env["product.packaging"].create({"name": "Box of 6", "product_id": widget.id,
                                     "qty": 6, "barcode": "15400000000017"})
    serum = Product.create({"name": "Hand Sanitizer 1 L", "is_storable": True,
                            "tracking": "lot", "barcode": "5400000000027"})
    lot = env["stock.lot"].create({"name": "SAN-2403", "product_id": serum.id})
    Quant = env["stock.quant"]
    Quant._update_available_quantity(widget, shelf, 40)
    Quant._update_available_quantity(serum, shelf, 25, lot_id=lot)
    vendor = env["res.partner"].create({"name": "Nordic Packaging AB"})
    order = env["purchase.order"].create({
        "partner_id": vendor.id, "picking_type_id": wh.in_type_id.id,
        "order_line": [Command.create({"product_id": widget.id, "product_qty": 24,
                                       "price_unit": 12}),
                       Command.create({"product_id": serum.id, "product_qty": 10,
                                       "price_unit": 4})]})
    order.button_confirm()
env.cr.commit()
print("sample ready")
"""


# the demo's data the walk uses, read as the ``warehouse`` user (nothing written)
DEMO_PLAN = """
import json, math
user = env["res.users"].search([("login", "=", "warehouse")], limit=1)
company = user.company_id
env = env(user=user, context={"allowed_company_ids": company.ids})
Picking = env["stock.picking"]
best = None
for picking in Picking.search(
    [("company_id", "=", company.id), ("picking_type_code", "=", "incoming"),
     ("state", "=", "assigned"), ("purchase_id", "!=", False)],
    order="scheduled_date, id", limit=200,
):
    moves = picking.move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
    if not 2 <= len(moves) <= 4 or not all(moves.product_id.mapped("barcode")):
        continue
    if any(moves.move_line_ids.mapped("picked")):
        continue  # someone is on it
    score = (
        all(m.product_uom_qty == int(m.product_uom_qty) for m in moves)
        + any(m.product_id.tracking == "lot" for m in moves)
        + any(m.product_id.packaging_ids.filtered(lambda p: p.barcode
              and p.qty <= m.product_uom_qty) for m in moves)
    )
    if best is None or score > best[0]:
        best = (score, picking)
    if score == 3:
        break
picking = best[1]
moves = picking.move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
today = env.cr.now().strftime("%y%m%d")
scans = []
# the last line, a few units over its order: the cheapest over-receipt
over_move = min(moves, key=lambda m: m.purchase_line_id.price_unit)
for move in moves.sorted(lambda m: m != over_move):
    product = move.product_id
    demand = move.product_uom._compute_quantity(move.product_uom_qty, product.uom_id)
    qty = demand
    if move == over_move:
        qty = demand + max(1, math.ceil(demand * 0.06))
    if product.tracking == "lot":
        lot = f"{product.default_code}-{today}"[:20]
        label = f"(01){product.barcode.zfill(14)}(10){lot}(17)271130"
        if qty == int(qty):  # a count (AI 30) is a whole number
            scans.append([f"{label}(30){int(qty)}", None])
        else:
            scans.append([label, qty])
        continue
    case = product.packaging_ids.filtered(lambda p: p.barcode and p.qty <= qty)[:1]
    if case:
        scans.append([case.barcode, None])
        qty -= case.qty
    if qty > 0:
        scans.append([product.barcode, qty])
wh = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
quarantine = wh.distrib_quarantine_location_id
quant = env["stock.quant"].search(
    [("location_id", "=", quarantine.id), ("quantity", ">", 1)], limit=1)
lot_quant = env["stock.quant"].search(
    [("location_id", "=", wh.lot_stock_id.id), ("lot_id", "!=", False),
     ("quantity", ">", 0)], order="quantity desc", limit=1)
# a product with stock that another receipt brings in
incoming = env["stock.move"].search(
    [("picking_id.company_id", "=", company.id), ("picking_id", "!=", picking.id),
     ("picking_code", "=", "incoming"), ("state", "in", ("assigned", "confirmed")),
     ("product_id.barcode", "!=", False)])
looked_up = incoming.product_id.with_context(warehouse_id=wh.id).filtered(
    lambda p: p.qty_available > 0)[:1]
plan = {
    "receipt": picking.name,
    "receipt_scans": scans,
    "count_location": quarantine.barcode,
    "count_product": quant.product_id.barcode,
    "count_qty": quant.quantity - 1,
    "move_location": wh.lot_stock_id.barcode,
    "move_lot": lot_quant.lot_id.name,
    "lookup": looked_up.barcode or quant.product_id.barcode,
}
print("PLAN " + json.dumps(plan))
"""


def demo_plan(db):
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
        script.write(DEMO_PLAN)
    try:
        out = subprocess.run(
            [os.path.join(REPO, "tools", "odoo_shell.sh"), db, script.name],
            check=True,
            cwd=REPO,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(script.name)
    for line in out.splitlines():
        if line.startswith("PLAN "):
            return json.loads(line[5:])
    raise SystemExit(f"error: no demo plan read from {db}:\n{out}")


SAMPLE_PLAN = {
    "receipt": None,
    "receipt_scans": [
        ["15400000000017", None],
        ["5400000000010", 20],
        ["(01)05400000000027(10)SAN-2411(17)271130(30)10", None],
    ],
    "count_location": "SHOT-A01",
    "count_product": "5400000000010",
    "count_qty": 38,
    "move_location": "SHOT-A01",
    "move_lot": "SAN-2403",
    "lookup": "5400000000010",
}


def prepare(db):
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
        script.write(PREPARE)
    try:
        subprocess.run(
            [os.path.join(REPO, "tools", "odoo_shell.sh"), db, script.name],
            check=True,
            cwd=REPO,
        )
    finally:
        os.unlink(script.name)


def scan(page, barcode, qty=None):
    if qty is not None:
        page.fill(".o_distrib_barcode_qty", str(qty))
    page.fill(".o_distrib_barcode_input", barcode)
    page.press(".o_distrib_barcode_input", "Enter")
    time.sleep(1.2)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, default=8113)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--demo", action="store_true")
    mode.add_argument("--prepare", action="store_true")
    parser.add_argument("--out", default=os.path.join(REPO, "docs", "screenshots"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    plan, login = SAMPLE_PLAN, "admin"
    if args.prepare:
        prepare(args.db)
    if args.demo:
        plan, login = demo_plan(args.db), "warehouse"
        print(f"demo plan: {plan}")
    os.makedirs(args.out, exist_ok=True)
    server = subprocess.Popen(
        [
            os.path.join(REPO, "tools", "odoo.sh"),
            "-d",
            args.db,
            f"--db-filter=^{args.db}$",
            "--http-port",
            str(args.port),
            "--log-level=warn",
            "--workers=0",
        ],
        cwd=REPO,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        wait_http(f"{base}/web/login")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(
                viewport={"width": 390, "height": 844},
                is_mobile=True,
                has_touch=True,
                device_scale_factor=1,
            )
            page.goto(f"{base}/web/login")
            page.fill("input[name=login]", login)
            page.fill("input[name=password]", login)
            page.click("button[type=submit]")
            time.sleep(3)

            def shot(name):
                time.sleep(1)
                page.screenshot(path=os.path.join(args.out, f"barcode_{name}.png"))
                print(f"saved barcode_{name}.png")

            if login == "admin":
                page.goto(f"{base}{URL}")
            # the warehouse user lands in the app (its home action)
            page.wait_for_selector(".o_distrib_barcode_home", timeout=60000)
            shot("home")
            page.click(".o_distrib_barcode_op_incoming")
            if plan["receipt"]:
                page.click(f".o_distrib_barcode_picking:has-text('{plan['receipt']}')")
            else:
                page.click(".o_distrib_barcode_picking >> nth=-1")
            page.wait_for_selector(".o_distrib_barcode_move")
            for barcode, qty in plan["receipt_scans"]:
                scan(page, barcode, qty=qty)
            shot("receive")
            page.click(".o_distrib_barcode_validate")
            time.sleep(2)
            shot("receive_validate")
            page.click(".o_distrib_barcode_back")
            page.click(".o_distrib_barcode_back")
            page.click(".o_distrib_barcode_op_count")
            scan(page, plan["count_location"])
            scan(page, plan["count_product"], qty=plan["count_qty"])
            shot("count")
            page.click(".o_distrib_barcode_back")
            page.click(".o_distrib_barcode_op_move")
            scan(page, plan["move_location"])
            scan(page, plan["move_lot"])
            page.fill(".o_distrib_barcode_reason", "Leaking containers")
            shot("move_hold")
            page.click(".o_distrib_barcode_back")
            page.click(".o_distrib_barcode_op_lookup")
            scan(page, plan["lookup"])
            shot("lookup")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
