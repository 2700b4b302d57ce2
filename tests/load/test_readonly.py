"""The public reads a PostgreSQL replica can serve (issue 18, item 4).

Odoo 18 sends a ``/web/dataset/call_kw`` call to the replica (``db_replica_host``)
when the method is marked ``@api.readonly``; a write there fails on the replica
and Odoo replays the whole call on the primary. These tests run each marked
method, and the exception queue's list and counters, on a READ ONLY transaction:
any write in them, or in what they call, fails the test.
"""

from odoo import Command, api
from odoo.tests import HttpCase, tagged

# (model, method) of the public read-only methods of the suite
READONLY_METHODS = [
    ("distrib.atp", "get_availability"),
    ("distrib.atp", "get_availability_compact"),
    ("sale.order.line", "distrib_get_availability_breakdown"),
    ("distrib.kpi.dashboard", "get_kpis"),
]


def is_readonly(registry, model, method):
    """As Odoo's /web/dataset/call_kw decides (web.controllers.dataset)."""
    for cls in registry[model].mro():
        function = getattr(cls, method, None)
        if function is not None and hasattr(function, "_readonly"):
            return function._readonly
    return False


@tagged("post_install", "-at_install")
class TestReadonlyMethods(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "Replica product", "is_storable": True}
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, 5
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.env["res.partner"].create({"name": "Replica"}).id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 2})
                ],
            }
        )

    def test_marked_readonly(self):
        missing = [
            f"{model}.{method}"
            for model, method in READONLY_METHODS
            if model in self.env and not is_readonly(self.registry, model, method)
        ]
        self.assertFalse(missing, "not served by the replica: @api.readonly missing")

    def test_reads_do_not_write(self):
        self.env.flush_all()
        uid = self.env.ref("base.user_admin").id
        with self.registry.cursor(readonly=True) as cr:
            env = api.Environment(cr, uid, {})
            cr.execute("SHOW transaction_read_only")
            self.assertEqual(cr.fetchone()[0], "on")
            rows = env["distrib.atp"].get_availability(
                [self.product.id], [self.warehouse.id]
            )
            self.assertEqual(rows[0]["on_hand"], 5)
            compact = env["distrib.atp"].get_availability_compact([self.product.id])
            self.assertIn(self.product.id, [row[0] for row in compact["rows"]])
            breakdown = env["sale.order.line"].distrib_get_availability_breakdown(
                product_id=self.product.id, quantity=2
            )
            self.assertTrue(breakdown)
            if "distrib.kpi.dashboard" in env:
                kpis = env["distrib.kpi.dashboard"].get_kpis()
                self.assertIn("tiles", kpis)
            if "distrib.exception" in env:
                queue = env["distrib.exception"]
                queue.web_search_read(
                    [("state", "not in", ["resolved", "cancelled"])],
                    {"name": {}, "state": {}, "severity": {}, "age_bucket": {}},
                    limit=80,
                )
                queue.web_read_group([], ["state"], ["state"])
                queue.search_count([])
            env.flush_all()
