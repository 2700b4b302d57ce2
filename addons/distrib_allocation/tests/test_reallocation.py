from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DistribAllocationCommon


@tagged("post_install", "-at_install")
class TestReallocation(DistribAllocationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._distrib_stock(cls.product, cls.wh1.lot_stock_id, 10)

    def setUp(self):
        super().setUp()
        # two standard orders hold the 10 units, the strategic one gets none
        self.first = self._sale(self.standard, 6, days=3)
        self.first.action_confirm()
        self.second = self._sale(self.key, 4, days=5)
        self.second.action_confirm()
        self.target = self._sale(self.strategic, 8, days=2)
        self.target.action_confirm()
        self.assertEqual(self._reserved(self.first), 6)
        self.assertEqual(self._reserved(self.second), 4)
        self.assertEqual(self._reserved(self.target), 0)

    def _reallocation(self, quantity):
        return self.env["distrib.reallocation"].create(
            {
                "order_id": self.target.id,
                "product_id": self.product.id,
                "quantity": quantity,
            }
        )

    def test_reallocate_from_lowest_priority_first(self):
        realloc = self._reallocation(8)
        self.assertEqual(realloc.warehouse_id, self.wh1)
        realloc.action_compute()
        # the standard order loses first, then the key one
        self.assertEqual(
            [(line.order_id, line.quantity) for line in realloc.line_ids],
            [(self.first, 6.0), (self.second, 2.0)],
        )
        self.assertEqual(realloc.value, 80.0)
        self.assertFalse(realloc.line_ids[0].date_after)  # no receipt planned
        realloc.action_apply()
        self.assertEqual(realloc.state, "done")
        self.assertEqual(self._reserved(self.target), 8)
        self.assertEqual(self._reserved(self.first), 0)
        self.assertEqual(self._reserved(self.second), 2)
        for loser in self.first | self.second:
            self.assertIn(realloc.name, loser.message_ids[0].body)
            # the priority in words, as the selection shows it
            self.assertIn("(priority Strategic)", loser.message_ids[0].body)
            self.assertEqual(
                loser.activity_ids.summary,
                "Tell the customer about the new promise date",
            )
        self.assertIn(self.first.name, self.target.message_ids[0].body)
        events = self.env["distrib.allocation.log"].search(
            [("reallocation_id", "=", realloc.id)]
        )
        self.assertEqual(
            sorted(events.mapped("event")),
            ["reallocated_in", "reallocated_out", "reallocated_out"],
        )
        # the audit stays as it is
        with self.assertRaises(UserError):
            realloc.write({"quantity": 1})
        with self.assertRaises(UserError):
            realloc.unlink()

    def test_new_promise_date_from_planned_receipt(self):
        receipt = self._receive(20, days=7)
        realloc = self._reallocation(3)
        realloc.action_compute()
        self.assertEqual(realloc.line_ids.order_id, self.first)
        self.assertEqual(realloc.line_ids.date_after, receipt.date.date())

    def test_bad_input_changes_nothing(self):
        # more than the order misses
        with self.assertRaisesRegex(UserError, "misses 8"):
            self._reallocation(9).action_compute()
        with self.assertRaisesRegex(UserError, "positive"):
            self._reallocation(0).action_compute()
        # more than the lower priorities reserved: a strategic order of 12
        big = self._sale(self.strategic, 12, days=2)
        big.action_confirm()
        realloc = self.env["distrib.reallocation"].create(
            {"order_id": big.id, "product_id": self.product.id, "quantity": 12}
        )
        with self.assertRaisesRegex(UserError, "hold only 10"):
            realloc.action_compute()
        self.assertFalse(realloc.line_ids)
        # the stock moved between compute and apply
        realloc = self._reallocation(8)
        realloc.action_compute()
        self._moves(self.second)._do_unreserve()
        with self.assertRaisesRegex(UserError, "stock moved"):
            realloc.action_apply()
        self.assertEqual(realloc.state, "draft")
        self.assertEqual(self._reserved(self.target), 0)
        self.assertEqual(self._reserved(self.first), 6)
        # apply before compute
        with self.assertRaisesRegex(UserError, "Compute"):
            self._reallocation(2).action_apply()

    def test_sales_user_cannot_reallocate(self):
        user = self._distrib_user(
            "alloc_sales",
            "base.group_user,sales,sales_team.group_sale_salesman_all_leads",
            self.company,
        )
        realloc = self._reallocation(2)
        with self.assertRaises(UserError):
            realloc.with_user(user).action_compute()

    def test_approval_above_threshold(self):
        approver = self._distrib_user(
            "alloc_approver", "base.group_user,manager", self.company
        )
        self.env["distrib.approval.policy"].create(
            {
                "approver_user_id": approver.id,
                "name": "Re-allocations above 50",
                "company_id": self.company.id,
                "metric": "reallocation_value",
                "threshold": 50.0,
            }
        )
        realloc = self._reallocation(8)
        realloc.action_compute()
        realloc.action_apply()
        self.assertEqual(realloc.state, "to_approve")
        self.assertEqual(self._reserved(self.target), 0)
        realloc.approval_request_id.with_user(approver).action_approve()
        self.assertEqual(realloc.state, "done")
        self.assertEqual(self._reserved(self.target), 8)

    def test_other_company_sees_nothing(self):
        realloc = self._reallocation(8)
        realloc.action_compute()
        realloc.action_apply()
        outsider = self._distrib_user(
            "alloc_outsider",
            "base.group_user,manager,stock.group_stock_manager",
            self.other_company,
        )
        Reallocation = self.env["distrib.reallocation"].with_user(outsider)
        self.assertFalse(Reallocation.search([("id", "=", realloc.id)]))
        Log = self.env["distrib.allocation.log"].with_user(outsider)
        self.assertFalse(Log.search([("reallocation_id", "=", realloc.id)]))
