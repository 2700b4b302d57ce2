#!/usr/bin/env python3
"""Take the README screenshots: real PNGs of the running web client.

    python3 tools/screenshots.py --db distrib_demo --out docs/screenshots

Starts Odoo on a free local port against DB (a scenario database built by
`make demo-db`), logs in as admin with headless Chromium (Playwright driving the
system's /usr/bin/chromium) and saves one PNG per screen listed in SCREENS.
"""

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# file name -> (path in the web client, text to wait for, optional click selector).
# A path may hold {model:domain-as-json} to open the first record of a search.
SCREENS = [
    (
        "01-distribution-dashboard.png",
        "/odoo/action-distrib_orchestration.distrib_dashboard_action",
        "Dashboard",
        None,
    ),
    (
        "02-quotation-availability.png",
        "/odoo/action-sale.action_quotations_with_onboarding/"
        '{sale.order:[["client_order_ref", "=", "ATP demo: warehouse"]]}',
        "Quotation",
        None,
    ),
    (
        "03-sourcing-options.png",
        "/odoo/action-sale.action_quotations_with_onboarding/"
        '{sale.order:[["client_order_ref", "=", "ATP demo: split"]]}',
        "Sourcing",
        ("a.nav-link:has-text('Sourcing')", "button:has-text('Find Sourcing Options')"),
    ),
    (
        "04-order-pipeline.png",
        "/odoo/action-distrib_orchestration.sale_order_distrib_pipeline_action",
        "Pipeline",
        None,
    ),
    (
        "05-order-timeline.png",
        "/odoo/action-sale.action_orders/"
        '{sale.order:[["distrib_state", "=", "collected"]]}',
        "Timeline",
        "a.nav-link:has-text('Timeline')",
    ),
    (
        "06-exception-queue.png",
        "/odoo/action-distrib_exceptions.distrib_exception_action",
        "Exceptions",
        None,
    ),
    (
        "07-approvals.png",
        "/odoo/action-distrib_exceptions.distrib_approval_request_action",
        "Approval",
        None,
    ),
    (
        "08-alerts-by-impact.png",
        "/odoo/action-distrib_ai_alerts.distrib_ai_alert_action",
        "Alerts",
        None,
    ),
    (
        "09-inventory-by-status.png",
        "/odoo/action-distrib_orchestration.distrib_inventory_status_report_action",
        "Inventory",
        None,
    ),
    (
        "10-distribution-settings.png",
        "/odoo/action-distrib_atp.distrib_settings_action",
        "Distribution",
        None,
    ),
    (
        "11-shortage-for-the-planner.png",
        "/odoo/action-distrib_exceptions.distrib_exception_action/"
        '{distrib.exception:[["exception_type", "=", "shortage"]]}',
        "Shortage",
        None,
    ),
    (
        "12-rebate-agreement.png",
        "/odoo/action-distrib_rebate.distrib_rebate_agreement_action/"
        '{distrib.rebate.agreement:[["state", "=", "active"]]}',
        "Rebate",
        None,
    ),
    (
        "13-period-close.png",
        "/odoo/action-distrib_close.distrib_close_period_action/"
        "{distrib.close.period:[]}",
        "Close",
        None,
    ),
    (
        "14-stockout-risk.png",
        "/odoo/action-distrib_ai_alerts.distrib_stockout_risk_action/"
        '{distrib.stockout.risk:[["state", "=", "open"]]}',
        "Stockout",
        None,
    ),
    (
        "15-collections-priority.png",
        "/odoo/action-distrib_ai_alerts.distrib_collection_priority_action",
        "Collections",
        None,
    ),
]
RECORD = re.compile(r"\{([a-z_.]+):(.*)\}$")


def _search(page, base, model, domain, limit=None):
    response = page.request.post(
        f"{base}/web/dataset/call_kw/{model}/search",
        data=json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": "search",
                    "args": [domain],
                    "kwargs": {"limit": limit, "order": "id desc"},
                },
            }
        ),
        headers={"Content-Type": "application/json"},
    )
    return response.json().get("result") or []


def resolve(page, base, path):
    """Replace a trailing {model:domain} in ``path`` by the first matching id."""
    match = RECORD.search(path)
    if not match:
        return path
    model, domain = match.group(1), json.loads(match.group(2))
    ids = _search(page, base, model, domain, limit=1)
    if not ids:
        raise LookupError(f"no {model} matches {domain}")
    return path[: match.start()] + str(ids[0])


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
            # work with every company of the group at once (the company switcher),
            # the user's own company first (the current one, as after a login)
            home = page.evaluate("odoo.__WOWL_DEBUG__.root.env.services.company")
            current = home["currentCompany"]["id"]
            company_ids = _search(page, base, "res.company", [])
            ordered = [current, *sorted(set(company_ids) - {current})]
            page.context.add_cookies(
                [
                    {
                        "name": "cids",
                        "value": "-".join(str(cid) for cid in ordered),
                        "url": base,
                    }
                ]
            )
            taken = []
            for filename, path, text, click in SCREENS:
                try:
                    page.goto(f"{base}{resolve(page, base, path)}")
                    page.wait_for_selector(
                        ".o_action_manager .o_view_controller, "
                        ".o_action_manager .o_action",
                        timeout=30000,
                    )
                    time.sleep(2)
                    for selector in (click,) if isinstance(click, str) else click or ():
                        page.click(selector, timeout=10000)
                        time.sleep(1.5)
                except Exception as error:
                    print(f"skipped {filename}: {error}".splitlines()[0])
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
