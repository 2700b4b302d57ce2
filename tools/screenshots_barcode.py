#!/usr/bin/env python3
"""Take the Warehouse app's screenshots at a phone's size (390 x 844, touch).

    python3 tools/screenshots_barcode.py --db DB [--prepare] [--port 8113]

``--prepare`` first puts a small sample in DB (committed): scanning turned on
for the main company, products with EAN-13 barcodes, a box packaging, lots, a
shelf with a location barcode, a purchase receipt, a delivery and stock. Then it
starts Odoo on the port, logs in as admin with headless Chromium (Playwright
driving /usr/bin/chromium, as tools/screenshots.py does), walks through the app
by typing barcodes as a scanner does and saves docs/screenshots/barcode_*.png.
"""

import argparse
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
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--out", default=os.path.join(REPO, "docs", "screenshots"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    if args.prepare:
        prepare(args.db)
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
            page.fill("input[name=login]", "admin")
            page.fill("input[name=password]", "admin")
            page.click("button[type=submit]")
            time.sleep(3)

            def shot(name):
                time.sleep(1)
                page.screenshot(path=os.path.join(args.out, f"barcode_{name}.png"))
                print(f"saved barcode_{name}.png")

            page.goto(f"{base}{URL}")
            page.wait_for_selector(".o_distrib_barcode_home", timeout=60000)
            shot("home")
            page.click(".o_distrib_barcode_op_incoming")
            page.click(".o_distrib_barcode_picking >> nth=-1")
            page.wait_for_selector(".o_distrib_barcode_move")
            scan(page, "15400000000017")
            scan(page, "5400000000010", qty=20)
            scan(page, "(01)05400000000027(10)SAN-2411(17)271130(30)10")
            shot("receive")
            page.click(".o_distrib_barcode_validate")
            time.sleep(2)
            shot("receive_validate")
            page.click(".o_distrib_barcode_back")
            page.click(".o_distrib_barcode_back")
            page.click(".o_distrib_barcode_op_count")
            scan(page, "SHOT-A01")
            scan(page, "5400000000010", qty=38)
            shot("count")
            page.click(".o_distrib_barcode_back")
            page.click(".o_distrib_barcode_op_move")
            scan(page, "SHOT-A01")
            scan(page, "SAN-2403")
            page.fill(".o_distrib_barcode_reason", "Leaking caps")
            shot("move_hold")
            page.click(".o_distrib_barcode_back")
            page.click(".o_distrib_barcode_op_lookup")
            scan(page, "5400000000010")
            shot("lookup")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
