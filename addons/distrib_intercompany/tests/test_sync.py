from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DistribIntercompanyCommon


@tagged("post_install", "-at_install")
class TestIntercompanySync(DistribIntercompanyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls._create_rule()
        cls._stock_b(20)

    def _confirm(self, quantity=5.0):
        order = self._customer_order(quantity=quantity)
        order.action_confirm()
        purchase = order.distrib_ic_purchase_ids
        return order, purchase, purchase.distrib_ic_sale_order_id

    def _ship_b(self, sale, quantity):
        picking = sale.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        picking.action_assign()
        picking.move_ids.quantity = quantity
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True).button_validate()

    def test_customer_quantity_change_follows(self):
        order, purchase, sale = self._confirm(5.0)
        order.order_line.product_uom_qty = 8.0
        self.assertEqual(purchase.order_line.product_qty, 8.0)
        self.assertEqual(sale.order_line.product_uom_qty, 8.0)
        self.assertEqual(sum(sale.picking_ids.move_ids.mapped("product_uom_qty")), 8.0)
        self.assertEqual(
            sum(purchase.picking_ids.move_ids.mapped("product_uom_qty")), 8.0
        )

    def test_client_syncing_context_does_not_stop_the_sync(self):
        """The key the sync sets for itself does nothing when a client sends it."""
        order, purchase, sale = self._confirm(5.0)
        order.order_line.with_context(distrib_ic_syncing=True).product_uom_qty = 7.0
        self.assertEqual(purchase.order_line.product_qty, 7.0)
        self.assertEqual(sale.order_line.product_uom_qty, 7.0)
        purchase.with_context(
            distrib_ic_syncing=True, disable_cancel_warning=True
        ).button_cancel()
        self.assertEqual(purchase.state, "cancel")
        self.assertEqual(sale.state, "cancel")

    def test_customer_quantity_below_shipped_refused(self):
        order, purchase, sale = self._confirm(5.0)
        self._ship_b(sale, 4.0)
        with (
            self.assertRaisesRegex(UserError, "already shipped 4.0"),
            self.cr.savepoint(),
        ):
            order.order_line.product_uom_qty = 3.0
        self.assertEqual(purchase.order_line.product_qty, 5.0)
        order.order_line.product_uom_qty = 4.0
        self.assertEqual(sale.order_line.product_uom_qty, 4.0)

    def test_supplier_quantity_change_follows(self):
        order, purchase, sale = self._confirm(5.0)
        sale.order_line.product_uom_qty = 3.0
        self.assertEqual(purchase.order_line.product_qty, 3.0)
        self.assertEqual(order.order_line.product_uom_qty, 5.0)
        self.assertIn("changed the quantity", order.message_ids[0].body)

    def test_customer_cancel_cancels_both_sides(self):
        order, purchase, sale = self._confirm(5.0)
        order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(purchase.state, "cancel")
        self.assertEqual(sale.state, "cancel")
        self.assertEqual(set(sale.picking_ids.mapped("state")), {"cancel"})

    def test_cancel_refused_after_shipping(self):
        order, purchase, sale = self._confirm(5.0)
        self._ship_b(sale, 5.0)
        with (
            self.assertRaisesRegex(UserError, "already shipped"),
            self.cr.savepoint(),
        ):
            order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(purchase.state, "purchase")
        self.assertEqual(sale.state, "sale")

    def test_supplier_cancel_cancels_purchase(self):
        order, purchase, sale = self._confirm(5.0)
        sale.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(purchase.state, "cancel")
        self.assertIn("was cancelled", order.message_ids[0].body)
        # the customer's line can be sourced again: a new pair is created
        order.order_line.distrib_ic_supplier_company_id = self.company_b
        new_purchase = order._distrib_ic_create_documents()
        self.assertTrue(new_purchase)
        self.assertNotEqual(new_purchase, purchase)

    def test_purchase_cancel_cancels_supplier_sale(self):
        _order, purchase, sale = self._confirm(5.0)
        purchase.button_cancel()
        self.assertEqual(purchase.state, "cancel")
        self.assertEqual(sale.state, "cancel")
