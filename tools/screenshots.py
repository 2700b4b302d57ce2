#!/usr/bin/env python3
"""Take the README screenshots: real PNGs of the running web client.

    python3 tools/screenshots.py --db distrib_demo --out docs/screenshots

Starts Odoo on a free local port against DB (a scenario database built by
`make demo-db`), logs in as admin with headless Chromium (Playwright driving the
system's /usr/bin/chromium) and saves one PNG per screen listed in SCREENS.
"""

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# file name -> (path in the web client, text to wait for, optional click selector)
SCREENS = [
    (
        "01-distribution-app.png",
        "/odoo/action-sale.action_orders",
        "Sales Orders",
        None,
    ),
    (
        "02-stock-status-locations.png",
        "/odoo/action-stock.action_location_form",
        "Locations",
        None,
    ),
    (
        "03-distribution-settings.png",
        "/odoo/action-distrib_atp.distrib_settings_action",
        "Distribution",
        None,
    ),
    (
        "04-customer-segments.png",
        "/odoo/action-distrib_atp.distrib_customer_segment_action",
        "Customer Segments",
        None,
    ),
]
# screens that exist only when a feature's addon provides the action
OPTIONAL_SCREENS = [
    (
        "05-exception-queue.png",
        "/odoo/action-distrib_exceptions.distrib_exception_action",
        "Exceptions",
        None,
    ),
    (
        "06-approvals.png",
        "/odoo/action-distrib_exceptions.distrib_approval_request_action",
        "Approval",
        None,
    ),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"error: Odoo did not answer at {url} within {seconds} s.")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="distrib_demo")
    parser.add_argument("--out", default=os.path.join(REPO, "docs", "screenshots"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    args = parser.parse_args()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise SystemExit(
            "error: pip install playwright (no browser download needed)."
        ) from error
    if not os.path.exists(args.chromium):
        raise SystemExit(
            f"error: no Chromium at {args.chromium} (apt-get install chromium)."
        )
    os.makedirs(args.out, exist_ok=True)
    port = free_port()
    server = subprocess.Popen(
        [
            os.path.join(REPO, "tools", "odoo.sh"),
            "-d",
            args.db,
            f"--db-filter=^{args.db}$",
            "--http-port",
            str(port),
            "--log-level=warn",
            "--workers=0",
        ],
        cwd=REPO,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{base}/web/login")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=args.chromium,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                ],
            )
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(f"{base}/web/login")
            page.fill("input[name=login]", args.login)
            page.fill("input[name=password]", args.password)
            page.click("button[type=submit]")
            page.wait_for_selector(".o_main_navbar", timeout=60000)
            taken = []
            for optional, screens in ((False, SCREENS), (True, OPTIONAL_SCREENS)):
                for filename, path, text, click in screens:
                    response = page.goto(f"{base}{path}")
                    try:
                        page.wait_for_selector(
                            ".o_action_manager .o_view_controller, .o_form_view",
                            timeout=30000,
                        )
                        page.wait_for_load_state("networkidle")
                        if click:
                            page.click(click)
                            page.wait_for_load_state("networkidle")
                        time.sleep(1)
                    except Exception as error:
                        if optional:
                            print(f"skipped {filename}: {error.__class__.__name__}")
                            continue
                        raise
                    if response is not None and response.status >= 400 and optional:
                        continue
                    page.screenshot(path=os.path.join(args.out, filename))
                    taken.append(filename)
                    print(f"saved {filename} ({text})")
            browser.close()
        print(f"{len(taken)} screenshots in {args.out}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
