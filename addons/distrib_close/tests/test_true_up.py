from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DistribCloseCommon


@tagged("post_install", "-at_install")
class TestLandedCostTrueUp(DistribCloseCommon):
    def _ship(self, qty):
        """Deliver ``qty`` units to a customer (FIFO out of the receipt)."""
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "partner_id": self.customer.id,
                "location_id": self.warehouse.lot_stock_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "out",
                            "product_id": self.product.id,
                            "product_uom_qty": qty,
                            "product_uom": self.product.uom_id.id,
                            "location_id": self.warehouse.lot_stock_id.id,
                            "location_dest_id": self.env.ref(
                                "stock.stock_location_customers"
                            ).id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        self._set_done_qty(picking, qty)
        self._validate(picking)
        return picking

    def _exceptions(self, bill):
        return self.env["distrib.exception"].search(
            [
                ("res_model", "=", "account.move"),
                ("res_id", "=", bill.id),
                ("exception_type", "=", "landed_cost_variance"),
            ]
        )

    def test_true_up_splits_stock_and_cogs(self):
        order = self._create_po(qty=10.0, price=10.0)
        receipt = self._receive(order)  # expected freight 5.00
        self._ship(4.0)
        bill = self._carrier_bill(receipt, 8.0)  # 3.00 more than expected
        self.assertEqual(bill.state, "posted")
        true_up = bill.landed_costs_ids
        self.assertEqual(true_up.distrib_kind, "true_up")
        self.assertEqual(true_up.state, "done")
        self.assertAlmostEqual(true_up.amount_total, 3.0)
        self.assertAlmostEqual(true_up.distrib_expected_amount, 5.0)
        self.assertAlmostEqual(true_up.distrib_variance_percent, 60.0)
        # 6 of 10 units still in stock: 1.80 to stock, 1.20 to cost of goods sold
        self.assertAlmostEqual(
            sum(true_up.stock_valuation_layer_ids.mapped("value")), 1.8
        )
        cogs = true_up.account_move_id.line_ids.filtered(
            lambda line: line.account_id == self.accounts["cogs"]
        )
        self.assertAlmostEqual(sum(cogs.mapped("balance")), 1.2)
        # the expected-cost interim account is cleared by the bill
        self.assertAlmostEqual(self._balance(self.accounts["lc_interim"]), 0.0)
        self.assertAlmostEqual(
            self._balance(self.accounts["valuation"]),
            self._layers_value(self.product),
        )
        # beyond the 10 % tolerance: finance gets an exception
        exception = self._exceptions(bill)
        self.assertEqual(len(exception), 1)
        self.assertIn(receipt.name, exception.summary)
        self.assertAlmostEqual(exception.impact_amount, 3.0)

    def test_lower_bill_within_tolerance(self):
        order = self._create_po(qty=10.0, price=10.0)
        receipt = self._receive(order)
        bill = self._carrier_bill(receipt, 4.8)  # -4 %
        self.assertAlmostEqual(bill.landed_costs_ids.amount_total, -0.2)
        self.assertFalse(self._exceptions(bill))
        self.assertAlmostEqual(self._layers_value(self.product), 104.8)
        self.assertAlmostEqual(self._balance(self.accounts["lc_interim"]), 0.0)

    def test_second_bill_trues_up_only_the_rest(self):
        order = self._create_po(qty=10.0, price=10.0)
        receipt = self._receive(order)
        self._carrier_bill(receipt, 4.0)
        bill = self._carrier_bill(receipt, 2.0)
        # 4 billed against 5 expected: -1; then 6 billed against 4 booked: +2
        self.assertAlmostEqual(bill.landed_costs_ids.amount_total, 2.0)
        self.assertAlmostEqual(self._layers_value(self.product), 106.0)

    def test_approval_above_threshold_before_posting(self):
        self._create_policy("landed_cost_variance", 10.0)
        order = self._create_po(qty=10.0, price=10.0)
        receipt = self._receive(order)
        bill = self._carrier_bill(receipt, 50.0, post=False)
        action = bill.action_post()
        self.assertEqual(bill.state, "draft")
        self.assertEqual(action["res_model"], "distrib.approval.request")
        request = self.env["distrib.approval.request"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", bill.id)]
        )
        self.assertEqual(request.state, "pending")
        self.assertAlmostEqual(request.value, 45.0)
        self.assertTrue(self._exceptions(bill))
        # another posting path is refused too
        with self.assertRaisesRegex(UserError, "approval threshold"):
            bill._post()
        request.with_user(self.finance_user).action_approve()
        self.assertEqual(bill.state, "posted")
        self.assertAlmostEqual(bill.landed_costs_ids.amount_total, 45.0)

    def test_manual_allocation_refused_for_tied_lines(self):
        order = self._create_po(qty=10.0, price=10.0)
        receipt = self._receive(order)
        bill = self._carrier_bill(receipt, 5.0, post=False)
        self.assertFalse(bill.landed_costs_visible)
        with self.assertRaisesRegex(UserError, "trued up"):
            bill.button_create_landed_costs()
        bill.action_post()
        # exactly the estimate: nothing to true up
        self.assertFalse(bill.landed_costs_ids)
