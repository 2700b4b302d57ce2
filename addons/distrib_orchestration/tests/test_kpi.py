from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import DistribOrchestrationCommon


@tagged("post_install", "-at_install")
class TestKpi(DistribOrchestrationCommon):
    def _ship_on(self, order, when):
        with freeze_time(when):
            self._deliver(order.picking_ids)

    def test_order_kpis_and_dashboard(self):
        now = fields.Datetime.now()
        on_time = self._create_order(
            quantity=10, commitment_date=now + timedelta(days=5)
        )
        late = self._create_order(quantity=4, commitment_date=now + timedelta(days=1))
        (on_time | late).action_confirm()
        self._ship_on(on_time, now + timedelta(days=2))
        self._ship_on(late, now + timedelta(days=4))
        self._invoice(on_time)
        held = self._create_order(quantity=1)
        held._distrib_put_on_hold("Credit limit exceeded")
        self.env.flush_all()
        Report = self.env["distrib.order.kpi.report"]
        rows = Report.search([("order_id", "in", (on_time | late).ids)])
        self.assertEqual(len(rows), 2)
        row = rows.filtered(lambda r: r.order_id == on_time)
        self.assertTrue(row.on_time)
        self.assertAlmostEqual(row.cycle_days, 2.0, places=1)
        self.assertEqual(row.fill_rate, 100.0)
        self.assertEqual(row.exception_type, "none")
        self.assertEqual(row.warehouse_id, self.warehouse)
        self.assertFalse(rows.filtered(lambda r: r.order_id == late).on_time)
        [(accuracy,)] = Report._read_group(
            [("id", "in", rows.ids)], [], ["on_time_percent:avg"]
        )
        self.assertEqual(accuracy, 50.0)
        # inventory by stock status: what is left in WH/Stock is sellable
        inventory = self.env["distrib.inventory.status.report"].search(
            [
                ("product_id", "=", self.product.id),
                ("location_id", "=", self.warehouse.lot_stock_id.id),
            ]
        )
        self.assertEqual(inventory.stock_status, "sellable")
        self.assertEqual(inventory.quantity, 86.0)
        self.assertAlmostEqual(inventory.value, 86.0 * 40.0)
        # collection days of the open invoice
        collection = self.env["distrib.collection.report"].search(
            [("move_id", "in", on_time.invoice_ids.ids)]
        )
        self.assertFalse(collection.collected)
        # the dashboard: a fixed number of queries
        Dashboard = self.env["distrib.kpi.dashboard"]
        Dashboard.get_kpis()
        self.env.invalidate_all()
        with self.assertQueryCount(25):
            kpis = Dashboard.get_kpis()
        pipeline = {row["state"]: row["count"] for row in kpis["pipeline"]}
        self.assertEqual(pipeline["on_hold"], 1)
        self.assertEqual(pipeline["invoiced"], 1)
        self.assertEqual(kpis["orders"]["count"], 2)
        self.assertEqual(kpis["orders"]["on_time_percent"], 50.0)
        self.assertGreater(kpis["dso"], 0.0)
        self.assertTrue(kpis["inventory_by_status"])
