from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DistribIntercompanyCommon


@tagged("post_install", "-at_install")
class TestIntercompanyConfirm(DistribIntercompanyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls._create_rule()

    def test_no_rule_no_change(self):
        """Without a rule, a line sourced from B cannot be confirmed, and an
        unsourced order is confirmed as in Odoo."""
        self.rule.allowed = False
        order = self._customer_order()
        with (
            self.assertRaisesRegex(UserError, "may not source from"),
            self.cr.savepoint(),
        ):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        plain = self._customer_order(sourced=False)
        plain.action_confirm()
        self.assertFalse(plain.distrib_ic_purchase_ids)
        self.assertEqual(
            plain.picking_ids.picking_type_id, self.warehouse_a.out_type_id
        )

    def test_confirm_creates_linked_documents(self):
        order = self._customer_order(quantity=5.0)
        order.action_confirm()
        line = order.order_line
        po_line = line.distrib_ic_purchase_line_id
        purchase = po_line.order_id
        self.assertEqual(order.distrib_ic_purchase_ids, purchase)
        self.assertEqual(purchase.company_id, self.company_a)
        self.assertEqual(purchase.partner_id, self.company_b.partner_id)
        self.assertEqual(purchase.state, "purchase")
        self.assertEqual(purchase.create_uid, self.ic_user_a)
        self.assertEqual(po_line.distrib_ic_customer_line_id, line)
        self.assertEqual(po_line.product_qty, 5.0)
        # cost 100 in B + 10 % markup
        self.assertAlmostEqual(po_line.price_unit, 110.0)
        sale = purchase.distrib_ic_sale_order_id
        self.assertEqual(sale.company_id, self.company_b)
        self.assertEqual(sale.partner_id, self.company_a.partner_id)
        self.assertEqual(sale.state, "sale")
        self.assertEqual(sale.create_uid, self.ic_user_b)
        self.assertEqual(sale.distrib_ic_purchase_order_id, purchase)
        self.assertEqual(sale.order_line.distrib_ic_origin_purchase_line_id, po_line)
        self.assertAlmostEqual(sale.order_line.price_unit, 110.0)
        self.assertEqual(sale.client_order_ref, purchase.name)
        self.assertEqual(purchase.partner_ref, sale.name)
        self.assertEqual(purchase.origin, order.name)
        # transfer mode: B ships to A's warehouse, A receives, then delivers
        self.assertEqual(
            purchase.picking_ids.location_dest_id, self.warehouse_a.lot_stock_id
        )
        self.assertEqual(sale.picking_ids.picking_type_id, self.warehouse_b.out_type_id)
        self.assertEqual(
            order.picking_ids.picking_type_id, self.warehouse_a.out_type_id
        )

    def test_confirm_as_salesperson(self):
        """A's salesperson confirms; B's documents are created as B's user."""
        order = self._customer_order(user=self.sales_a)
        order.action_confirm()
        sale = order.sudo().distrib_ic_purchase_ids.distrib_ic_sale_order_id
        self.assertEqual(sale.create_uid, self.ic_user_b)
        self.assertEqual(order.state, "sale")

    def test_replay_is_idempotent(self):
        order = self._customer_order()
        order.action_confirm()
        purchase = order.distrib_ic_purchase_ids
        self.assertFalse(order._distrib_ic_create_documents())
        order._action_confirm()
        self.assertEqual(order.distrib_ic_purchase_ids, purchase)
        self.assertEqual(
            self.env["sale.order"].search_count(
                [("distrib_ic_purchase_order_id", "=", purchase.id)]
            ),
            1,
        )

    def test_failure_creates_nothing(self):
        """B's user may not sell: the confirmation fails with the reason, and no
        purchase or sale is left behind on either side."""
        self.ic_user_b.groups_id = self.env.ref("base.group_user")
        order = self._customer_order()
        purchases = self.env["purchase.order"].search_count([])
        sales = self.env["sale.order"].search_count([])
        with (
            self.assertRaisesRegex(UserError, "could not be created"),
            self.cr.savepoint(),
        ):
            order.action_confirm()
        self.assertEqual(self.env["purchase.order"].search_count([]), purchases)
        self.assertEqual(self.env["sale.order"].search_count([]), sales)
        self.assertFalse(order.order_line.distrib_ic_purchase_line_id)

    def test_direct_ship(self):
        """Direct ship: no delivery from A's warehouse; A's receipt, which goes
        to the customer, is the delivery listed on the customer's order."""
        self.rule.fulfilment_mode = "direct"
        order = self._customer_order(quantity=3.0, user=self.sales_a)
        order.action_confirm()
        order = order.with_env(self.env)
        purchase = order.distrib_ic_purchase_ids
        sale = purchase.distrib_ic_sale_order_id
        self.assertEqual(sale.partner_shipping_id, order.partner_shipping_id)
        self.assertEqual(
            purchase.picking_ids.location_dest_id,
            self.customer.property_stock_customer,
        )
        self.assertEqual(order.picking_ids, purchase.picking_ids)
        self.assertEqual(order.picking_ids.picking_type_id, self.warehouse_a.in_type_id)
        self.assertEqual(purchase.group_id, order.procurement_group_id)

    def test_pricelist_price(self):
        pricelist = self.env["product.pricelist"].create(
            {
                "name": "IC prices",
                "company_id": self.company_b.id,
                "currency_id": self.company_b.currency_id.id,
                "item_ids": [
                    (
                        0,
                        0,
                        {
                            "applied_on": "0_product_variant",
                            "product_id": self.product.id,
                            "compute_price": "fixed",
                            "fixed_price": 123.0,
                        },
                    )
                ],
            }
        )
        self.rule.write({"price_method": "pricelist", "pricelist_id": pricelist.id})
        order = self._customer_order()
        order.action_confirm()
        self.assertAlmostEqual(
            order.order_line.distrib_ic_purchase_line_id.price_unit, 123.0
        )

    def test_apply_sourcing_option(self):
        order = self._customer_order(sourced=False)
        option = self._option(order)
        option.action_apply()
        line = order.order_line
        self.assertEqual(line.distrib_ic_supplier_company_id, self.company_b)
        self.assertEqual(line.distrib_source_kind, "company")
        self.rule.allowed = False
        other = self._customer_order(sourced=False)
        option = self._option(other)
        with self.assertRaisesRegex(UserError, "may not source"), self.cr.savepoint():
            option.action_apply()

    def _option(self, order):
        return self.env["distrib.sourcing.option"].create(
            {
                "order_id": order.id,
                "line_id": order.order_line.id,
                "kind": "company",
                "company_id": self.company_b.id,
                "warehouse_id": self.warehouse_b.id,
                "product_id": self.product.id,
                "quantity": 5.0,
            }
        )
