"""Load test of distrib with Locust: plain JSON-RPC, as the web client calls it.

Run by ``tests/load/run_load.sh`` (``make load``) against ``odoo --workers 4`` on a
copy of a scale database. Every call goes to ``/web/dataset/call_kw`` with a user
session (the route that sends ``@api.readonly`` methods to the replica when one is
configured). The mix, by the weight of each user class:

- salespeople (``sales``, ``sales.west``, ``sales.europe``): read the ATP of
  20 products in every warehouse, create a quotation of 5 lines and confirm it
  (every check of the suite on);
- integrators (``admin``): ``get_availability`` for 200 products x every warehouse,
  as dicts and in the compact form;
- finance (``finance``): the exception queue's first page and its counters, the
  Distribution dashboard;
- warehouse (``warehouse``): scans with ``distrib.barcode.scan`` when installed
  (look up a product barcode, the open receipts).

Every quotation carries a unique ``client_order_ref`` (``LOAD-<uuid>``): the check
after the run (``check_load.py``) finds each exactly once.
"""

import itertools
import json
import os
import random
import uuid

from locust import HttpUser, between, events, task

DB = os.environ.get("LOAD_DB", "h18_load")
PRODUCTS = json.loads(os.environ.get("LOAD_PRODUCTS", "[]"))
BARCODES = json.loads(os.environ.get("LOAD_BARCODES", "[]"))
PARTNERS = json.loads(os.environ.get("LOAD_PARTNERS", "{}"))
HAS_BARCODE = os.environ.get("LOAD_HAS_BARCODE") == "1"
_ids = itertools.count(1)


class OdooUser(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)
    logins = ["admin"]

    def on_start(self):
        self.login = random.choice(self.logins)
        response = self.client.post(
            "/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"db": DB, "login": self.login, "password": self.login},
            },
            name="login",
        )
        result = response.json().get("result") or {}
        self.uid = result.get("uid")
        self.company_id = (result.get("user_companies") or {}).get("current_company")

    def call(self, model, method, args=(), kwargs=None, name=None):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": next(_ids),
            "params": {
                "model": model,
                "method": method,
                "args": list(args),
                "kwargs": kwargs or {},
            },
        }
        with self.client.post(
            f"/web/dataset/call_kw/{model}/{method}",
            json=payload,
            name=name or f"{model}.{method}",
            catch_response=True,
        ) as response:
            try:
                body = response.json()
            except ValueError:
                response.failure(f"not JSON: {response.text[:200]}")
                return None
            if "error" in body:
                message = body["error"].get("data", {}).get("message", "")
                response.failure(message[:300])
                return None
            response.success()
            return body["result"]


class Salesperson(OdooUser):
    weight = 4
    logins = ["sales", "sales.west", "sales.europe"]

    @task(3)
    def read_atp(self):
        self.call(
            "distrib.atp",
            "get_availability",
            [random.sample(PRODUCTS, 20)],
            name="sales: get_availability 20 x all WH",
        )

    @task(1)
    def quote_and_confirm(self):
        partner = random.choice(PARTNERS.get(str(self.company_id), [0]) or [0])
        if not partner:
            return
        lines = [
            [0, 0, {"product_id": product, "product_uom_qty": random.randint(1, 3)}]
            for product in random.sample(PRODUCTS, 5)
        ]
        order_id = self.call(
            "sale.order",
            "create",
            [
                {
                    "partner_id": partner,
                    # the salesperson's own order (the customer's salesperson
                    # may be another: "own documents only" forbids its lines)
                    "user_id": self.uid,
                    "client_order_ref": f"LOAD-{uuid.uuid4().hex}",
                    "order_line": lines,
                }
            ],
            name="sales: create quotation (5 lines)",
        )
        if order_id:
            self.call(
                "sale.order",
                "action_confirm",
                [[order_id]],
                name="sales: action_confirm (all checks)",
            )


class Integrator(OdooUser):
    weight = 2
    logins = ["admin"]

    @task(1)
    def availability_dicts(self):
        self.call(
            "distrib.atp",
            "get_availability",
            [random.sample(PRODUCTS, 200)],
            name="integrator: get_availability 200 x all WH (dicts)",
        )

    @task(1)
    def availability_compact(self):
        self.call(
            "distrib.atp",
            "get_availability_compact",
            [random.sample(PRODUCTS, 200)],
            name="integrator: get_availability_compact 200 x all WH",
        )


class Finance(OdooUser):
    weight = 2
    logins = ["finance"]

    @task(3)
    def queue_page(self):
        self.call(
            "distrib.exception",
            "web_search_read",
            [],
            {
                "domain": [["state", "not in", ["resolved", "cancelled"]]],
                "specification": {
                    "name": {},
                    "exception_type": {},
                    "severity": {},
                    "state": {},
                    "date_raised": {},
                },
                "limit": 80,
            },
            name="finance: exception queue page (80)",
        )

    @task(2)
    def queue_counters(self):
        self.call(
            "distrib.exception",
            "web_read_group",
            [],
            {
                "domain": [],
                "fields": ["state"],
                "groupby": ["state"],
            },
            name="finance: exception queue counters",
        )

    @task(1)
    def dashboard(self):
        self.call("distrib.kpi.dashboard", "get_kpis", name="finance: dashboard")


class Warehouse(OdooUser):
    weight = 1 if HAS_BARCODE else 0
    logins = ["warehouse"]

    @task(2)
    def lookup(self):
        if BARCODES:
            self.call(
                "distrib.barcode.scan",
                "lookup",
                [random.choice(BARCODES)],
                name="warehouse: scan lookup",
            )

    @task(1)
    def receipts(self):
        self.call(
            "distrib.barcode.scan",
            "get_pickings",
            ["incoming"],
            {"limit": 40},
            name="warehouse: open receipts",
        )


@events.init_command_line_parser.add_listener
def _parser(parser):
    parser.add_argument("--distrib-note", default="", help="free text for the log")
