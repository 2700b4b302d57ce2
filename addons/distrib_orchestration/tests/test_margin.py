from unittest.mock import patch

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

    def test_a_cost_estimate_counts_until_its_actual_is_booked(self):
        """Extension points: an estimated shipment cost (an express carrier
        quoted at sourcing) is in the cost of goods shipped until the actual
        cost of the same cause is booked, which replaces it, never both."""
        SaleOrder = type(self.env["sale.order"])
        order = self._create_order(quantity=10, price=100)
        order.action_confirm()
        estimates = {order.id: {"expedite": 10.0}}
        actuals = {}
        with (
            patch.object(
                SaleOrder,
                "_distrib_shipment_cost_estimates",
                lambda orders: {k: dict(v) for k, v in estimates.items()},
            ),
            patch.object(
                SaleOrder,
                "_distrib_shipment_cost_adjustments",
                lambda orders: {k: dict(v) for k, v in actuals.items()},
            ),
        ):
            self._deliver(order.picking_ids, quantity=5)
            cogs = order.distrib_cogs - 10.0  # the goods at their valuation
            self.assertGreater(cogs, 0.0)
            # the carrier's invoice is booked: 12 replaces the 10 quoted
            actuals[order.id] = {"expedite": 12.0, "landed_cost": 3.0}
            order._distrib_update_fulfilment_margins()
            self.assertAlmostEqual(order.distrib_cogs, cogs + 15.0)
            # an estimate of another cause still counts
            estimates[order.id]["handling"] = 2.0
            order._distrib_update_fulfilment_margins()
            self.assertAlmostEqual(order.distrib_cogs, cogs + 17.0)
