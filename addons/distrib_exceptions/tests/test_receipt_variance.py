from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DistribControlPointCommon


@tagged("post_install", "-at_install")
class TestReceiptVariance(DistribControlPointCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "distrib_receipt_variance_check": True,
                "distrib_receipt_variance_tolerance": 5.0,
            }
        )

    def _exception(self, picking):
        return self.env["distrib.exception"].search(
            [
                ("res_model", "=", "stock.picking"),
                ("res_id", "=", picking.id),
                ("exception_type", "=", "receipt_variance"),
            ]
        )

    def test_short_receipt_raises_and_holds_the_bill(self):
        order = self._create_po(qty=10.0, price=10.0, user_id=self.buyer.id)
        picking = order.picking_ids
        self._set_done_qty(picking, 8.0)
        self._validate(picking, backorder="cancel")
        self.assertEqual(picking.state, "done")
        self.assertFalse(picking.backorder_ids, "the rest was cancelled as chosen")
        exception = self._exception(picking)
        self.assertTrue(exception.blocking)
        self.assertEqual(exception.owner_id, self.buyer, "the buyer owns it")
        self.assertEqual(exception.impact_amount, 20.0)
        self.assertIn("cancelled", str(exception.details))
        self.assertIn(
            self.finance_user.partner_id,
            exception.message_follower_ids.partner_id,
            "finance follows it",
        )
        self.assertEqual(picking.distrib_exception_count, 1)
        bill = self._create_bill(order)
        with self.assertRaisesRegex(UserError, "is held"):
            bill.action_post()
        self.assertEqual(bill.state, "draft")
        exception.resolution_note = "Vendor credits the missing units"
        exception.action_resolve()
        bill.action_post()
        self.assertEqual(bill.state, "posted")

    def test_backorder_choice_is_kept(self):
        order = self._create_po(qty=10.0)
        picking = order.picking_ids
        self._set_done_qty(picking, 6.0)
        self._validate(picking, backorder="backorder")
        self.assertTrue(picking.backorder_ids)
        self.assertEqual(picking.backorder_ids.move_ids.product_uom_qty, 4.0)
        self.assertIn(picking.backorder_ids.name, str(self._exception(picking).details))

    def test_over_receipt_and_tolerance(self):
        order = self._create_po(qty=100.0)
        picking = order.picking_ids
        self._set_done_qty(picking, 104.0)
        self._validate(picking)
        self.assertFalse(self._exception(picking), "within the 5% tolerance")
        order2 = self._create_po(qty=10.0)
        self._set_done_qty(order2.picking_ids, 12.0)
        self._validate(order2.picking_ids)
        self.assertIn(
            "More than ordered", str(self._exception(order2.picking_ids).details)
        )

    def test_opt_out_changes_nothing(self):
        self.company.distrib_receipt_variance_check = False
        order = self._create_po(qty=10.0)
        picking = order.picking_ids
        self._set_done_qty(picking, 5.0)
        self._validate(picking, backorder="cancel")
        self.assertEqual(picking.state, "done")
        self.assertFalse(self._exception(picking))
        bill = self._create_bill(order)
        bill.action_post()
        self.assertEqual(bill.state, "posted")

    def test_valuation_impact_needs_finance_approval(self):
        self._create_policy("valuation_impact", 30.0)
        order = self._create_po(qty=10.0, price=10.0)
        picking = order.picking_ids
        self._set_done_qty(picking, 5.0)
        action = self._validate(picking, backorder="backorder")
        self.assertEqual(action["res_model"], "distrib.approval.request")
        request = self.env["distrib.approval.request"].browse(action["res_id"])
        self.assertEqual(request.value, 50.0)
        self.assertEqual(picking.state, "assigned", "held until approved")
        self.assertFalse(self._exception(picking))
        # validating again shows the same pending request
        action = self._validate(picking, backorder="backorder")
        self.assertEqual(action["res_id"], request.id)
        request.with_user(self.finance_user).action_approve("Known supplier issue")
        self.assertEqual(picking.state, "done", "resumed with no second click")
        self.assertEqual(picking.backorder_ids.move_ids.product_uom_qty, 5.0)
        self.assertTrue(self._exception(picking))

    def test_small_valuation_impact_needs_no_approval(self):
        self._create_policy("valuation_impact", 1000.0)
        order = self._create_po(qty=10.0, price=10.0)
        self._set_done_qty(order.picking_ids, 5.0)
        self._validate(order.picking_ids, backorder="cancel")
        self.assertEqual(order.picking_ids.state, "done")
        self.assertFalse(self.env["distrib.approval.request"].search([]))
