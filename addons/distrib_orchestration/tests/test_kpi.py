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


@tagged("post_install", "-at_install")
class TestDashboardScale(DistribOrchestrationCommon):
    """What the dashboard's speed-ups (issue 18) must not change: the rows of
    the reporting views, and the caller's transaction."""

    def _sellable(self, kpis):
        label = dict(
            self.env["distrib.inventory.status.report"]
            ._fields["stock_status"]
            ._description_selection(self.env)
        )["sellable"]
        [row] = [row for row in kpis["inventory_by_status"] if row["label"] == label]
        return row

    def _kpis(self):
        return (
            self.env["distrib.kpi.dashboard"]
            .with_context(allowed_company_ids=self.company.ids)
            .get_kpis()
        )

    def test_inventory_row_sums_the_quants_of_a_product_and_location(self):
        """Two quants of a product in one location (one of them packed) are one
        row of the inventory report, valued at the company's product cost; the
        dashboard's tile moves by the added value and keeps its row count."""
        Report = self.env["distrib.inventory.status.report"]
        stock = self.warehouse.lot_stock_id
        before = self._sellable(self._kpis())
        package = self.env["stock.quant.package"].create({"name": "PK-SCALE"})
        self.env["stock.quant"]._update_available_quantity(
            self.product, stock, 5.0, package_id=package
        )
        self.env.flush_all()
        quants = self.env["stock.quant"].search(
            [("product_id", "=", self.product.id), ("location_id", "=", stock.id)]
        )
        self.assertEqual(len(quants), 2)
        row = Report.search(
            [("product_id", "=", self.product.id), ("location_id", "=", stock.id)]
        )
        self.assertEqual(len(row), 1)
        self.assertEqual(row.id, min(quants.ids))
        self.assertEqual(row.quantity, 105.0)
        self.assertAlmostEqual(row.value, 105.0 * 40.0)
        self.assertEqual(row.company_id, self.company)
        self.assertEqual(row.warehouse_id, self.warehouse)
        self.assertEqual(row.categ_id, self.product.categ_id)
        after = self._sellable(self._kpis())
        self.assertEqual(after["count"], before["count"])
        self.assertAlmostEqual(after["value"] - before["value"], 5.0 * 40.0)

    def test_order_report_keeps_the_first_exception_of_the_order(self):
        order = self._create_order(quantity=2)
        order.action_confirm()
        Exception_ = self.env["distrib.exception"]
        Exception_._raise_for(order, "pricing_margin", summary="Thin margin")
        Exception_._raise_for(order, "shortage", summary="Short")
        self.env.flush_all()
        row = self.env["distrib.order.kpi.report"].search([("order_id", "=", order.id)])
        self.assertEqual(row.exception_type, "pricing_margin")
        # and an order without exception reads "none"
        quiet = self._create_order(quantity=1)
        quiet.action_confirm()
        self.env.flush_all()
        quiet_row = self.env["distrib.order.kpi.report"].search(
            [("order_id", "=", quiet.id)]
        )
        self.assertEqual(quiet_row.exception_type, "none")

    def test_dashboard_leaves_the_transaction_jit_setting_alone(self):
        """The figures are read with PostgreSQL's JIT off; the caller's own
        setting is back afterwards."""
        cr = self.env.cr
        cr.execute("SET LOCAL jit = on")
        self._kpis()
        cr.execute("SHOW jit")
        self.assertEqual(cr.fetchone()[0], "on")
        cr.execute("SET LOCAL jit = off")
        self._kpis()
        cr.execute("SHOW jit")
        self.assertEqual(cr.fetchone()[0], "off")
