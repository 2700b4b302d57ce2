from odoo.tests import tagged

from .common import DistribOrchestrationCommon


@tagged("post_install", "-at_install")
class TestMargin(DistribOrchestrationCommon):
    def test_margin_at_three_stages(self):
        order = self._create_order(quantity=10, price=100)
        # the stock on hand was valued at 40; the cost at entry is now 50
        self.product.standard_price = 50.0
        order.action_confirm()
        self.assertAlmostEqual(order.distrib_margin_expected, 500.0)
        self.assertAlmostEqual(order.distrib_margin_expected_percent, 50.0)
        self._deliver(order.picking_ids, quantity=5)
        # five shipped at their valuation (FIFO layer at 40)
        self.assertAlmostEqual(order.distrib_cogs, 200.0)
        self.assertAlmostEqual(order.distrib_revenue_shipped, 500.0)
        self.assertAlmostEqual(order.distrib_margin_shipped, 300.0)
        self.assertAlmostEqual(order.distrib_margin_shipped_percent, 60.0)
        self.assertAlmostEqual(order.distrib_erosion_shipment, -10.0)
        invoice = self._invoice(order, post=False)
        invoice.invoice_line_ids.price_unit = 80.0  # price concession
        invoice.action_post()
        self.assertAlmostEqual(order.distrib_revenue_invoiced, 400.0)
        self.assertAlmostEqual(order.distrib_margin_invoiced, 200.0)
        self.assertAlmostEqual(order.distrib_margin_invoiced_percent, 50.0)
        self.assertAlmostEqual(order.distrib_erosion_invoice, 10.0)
        # the margin report reads stored figures
        groups = self.env["sale.order"]._read_group(
            [("id", "=", order.id)],
            aggregates=["distrib_margin_expected:sum", "distrib_margin_invoiced:sum"],
        )
        self.assertEqual(groups, [(500.0, 200.0)])
