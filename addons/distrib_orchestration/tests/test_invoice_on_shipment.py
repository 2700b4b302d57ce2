from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.sale.models.sale_order import SaleOrder

from .common import DistribOrchestrationCommon


@tagged("post_install", "-at_install")
class TestInvoiceOnShipment(DistribOrchestrationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.distrib_invoice_on_shipment = True
        # invoiced on order by policy: the shipped quantities are invoiced anyway
        cls.product.invoice_policy = "order"

    def test_partial_shipments_are_invoiced_as_they_ship(self):
        order = self._create_order(quantity=10, price=100)
        order.action_confirm()
        backorder = self._deliver(order.picking_ids, quantity=4)
        invoice = order.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.invoice_line_ids.quantity, 4)
        self.assertEqual(invoice.amount_untaxed, 400)
        # revenue, receivable and cost of goods sold are posted
        accounts = invoice.line_ids.mapped("account_id.account_type")
        self.assertIn("income", accounts)
        self.assertIn("asset_receivable", accounts)
        cogs = invoice.line_ids.filtered(lambda line: line.display_type == "cogs")
        self.assertTrue(cogs)
        self.assertAlmostEqual(sum(cogs.mapped("debit")), 4 * 40.0)
        self.assertEqual(order.distrib_state, "allocated")
        self._deliver(backorder)
        self.assertEqual(len(order.invoice_ids), 2)
        self.assertEqual(sum(order.invoice_ids.mapped("amount_untaxed")), 1000)
        self.assertEqual(order.distrib_state, "invoiced")
        self.assertEqual(
            [to for _from, to in self._states(order)][-3:],
            ["picked", "shipped", "invoiced"],
        )

    def test_replay_creates_no_duplicate_invoice(self):
        order = self._create_order(quantity=3)
        order.action_confirm()
        delivery = order.picking_ids
        self._deliver(delivery)
        self.assertEqual(len(order.invoice_ids), 1)
        # a second run over the same done delivery (batch or replay) finds
        # nothing left to invoice
        self.assertFalse(delivery._distrib_invoice_on_shipment())
        self.assertEqual(len(order.invoice_ids), 1)

    def test_batch_validation_gives_one_invoice_per_order(self):
        order_1 = self._create_order(quantity=2)
        order_2 = self._create_order(quantity=3)
        (order_1 | order_2).action_confirm()
        pickings = order_1.picking_ids | order_2.picking_ids
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
        pickings.move_ids.picked = True
        pickings.button_validate()
        self.assertEqual(len(order_1.invoice_ids), 1)
        self.assertEqual(len(order_2.invoice_ids), 1)
        self.assertEqual(order_2.invoice_ids.amount_untaxed, 300)

    def test_failure_does_not_block_the_delivery(self):
        order = self._create_order(quantity=2)
        order.action_confirm()
        with patch.object(
            SaleOrder,
            "_create_invoices",
            side_effect=UserError("No sales journal"),
            autospec=True,
        ):
            self._deliver(order.picking_ids)
        self.assertEqual(order.picking_ids.state, "done")
        self.assertFalse(order.invoice_ids)
        self.assertEqual(order.distrib_state, "shipped")
        activity = order.activity_ids
        self.assertEqual(activity.summary, "Invoice on shipment failed")
        self.assertIn("No sales journal", activity.note)

    def test_off_by_default(self):
        self.company.distrib_invoice_on_shipment = False
        order = self._create_order(quantity=2)
        order.action_confirm()
        self._deliver(order.picking_ids)
        self.assertFalse(order.invoice_ids)
