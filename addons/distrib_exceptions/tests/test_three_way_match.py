from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import DistribControlPointCommon


@tagged("post_install", "-at_install")
class TestThreeWayMatch(DistribControlPointCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "distrib_three_way_match": True,
                "distrib_match_qty_tolerance": 0.0,
                "distrib_match_price_tolerance": 2.0,
            }
        )

    def _received_order(self, qty=10.0, received=10.0, price=10.0):
        order = self._create_po(qty=qty, price=price)
        self._set_done_qty(order.picking_ids, received)
        self._validate(order.picking_ids, backorder="backorder")
        return order

    def test_quantity_beyond_received_is_refused(self):
        order = self._received_order(qty=10.0, received=6.0)
        bill = self._create_bill(order, qty=10.0)
        result = bill.action_post()
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(bill.state, "draft", "not posted")
        exception = self.env["distrib.exception"]._get_open_for(bill)
        self.assertEqual(exception.exception_type, "unmatched_bill")
        self.assertTrue(exception.blocking)
        # a draft bill has no number yet: the title names the vendor and order
        self.assertNotIn("Draft Bill", exception.summary)
        self.assertIn(self.vendor.name, exception.summary)
        self.assertIn(order.name, exception.summary)
        details = str(exception.details)
        self.assertIn("ordered 10, received 6", details)
        self.assertEqual(exception.impact_amount, 40.0)
        self.assertEqual(bill.distrib_exception_count, 1)
        # posting again refreshes the same exception
        bill.action_post()
        self.assertEqual(self.env["distrib.exception"]._get_open_for(bill), exception)
        bill.invoice_line_ids.quantity = 6.0
        bill.action_post()
        self.assertEqual(bill.state, "posted")
        self.assertEqual(exception.state, "resolved")

    def test_price_beyond_tolerance_is_refused(self):
        order = self._received_order()
        bill = self._create_bill(order, price=10.15)  # 1.5 %: within tolerance
        bill.action_post()
        self.assertEqual(bill.state, "posted")
        order2 = self._received_order()
        bill2 = self._create_bill(order2, price=11.0)  # 10 %
        bill2.action_post()
        self.assertEqual(bill2.state, "draft")
        exception = self.env["distrib.exception"]._get_open_for(bill2)
        self.assertIn("Unit Price", str(exception.details))
        self.assertAlmostEqual(exception.impact_amount, 10.0)

    def test_other_posting_paths_are_controlled_too(self):
        """The auto-post cron and other modules post through _post."""
        order = self._received_order(qty=10.0, received=6.0)
        bill = self._create_bill(order, qty=10.0)
        with self.assertRaisesRegex(UserError, "three-way match"):
            bill._post()
        # the key action_post uses for itself does nothing when a client sends it
        with self.assertRaisesRegex(UserError, "three-way match"):
            bill.with_context(distrib_post_checked_ids=(bill.id,))._post()
        self.assertEqual(bill.state, "draft")
        bill.write({"auto_post": "at_date", "date": bill.date, "checked": True})
        self.env["account.move"]._autopost_draft_entries()
        self.assertEqual(bill.state, "draft", "the cron does not post it either")
        bill.invoice_line_ids.quantity = 6.0
        bill._post()
        self.assertEqual(bill.state, "posted")

    def test_opt_out_posts_anything(self):
        self.company.distrib_three_way_match = False
        order = self._received_order(qty=10.0, received=2.0)
        bill = self._create_bill(order, qty=10.0, price=99.0)
        bill.action_post()
        self.assertEqual(bill.state, "posted")
        self.assertFalse(self.env["distrib.exception"]._get_open_for(bill))

    def test_tolerances_out_of_range(self):
        with (
            self.assertRaisesRegex(ValidationError, "between 0 and 100"),
            self.env.cr.savepoint(),
        ):
            self.company.distrib_match_price_tolerance = 150.0
        self.company.invalidate_recordset()
        with (
            self.assertRaisesRegex(ValidationError, "cannot be negative"),
            self.env.cr.savepoint(),
        ):
            self.company.distrib_delayed_receipt_grace_days = -2
        self.company.invalidate_recordset()
        self.assertEqual(self.company.distrib_match_price_tolerance, 2.0)
