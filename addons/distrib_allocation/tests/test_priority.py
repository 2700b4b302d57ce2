from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DistribAllocationCommon


@tagged("post_install", "-at_install")
class TestPriority(DistribAllocationCommon):
    def test_priority_from_segment_customer_and_override(self):
        self.assertEqual(
            self._sale(self.strategic, 1).distrib_allocation_priority, "strategic"
        )
        self.assertEqual(self._sale(self.key, 1).distrib_allocation_priority, "key")
        order = self._sale(self.standard, 1)
        self.assertEqual(order.distrib_allocation_priority, "standard")
        # the customer's own priority wins over its segment's
        self.strategic.distrib_allocation_priority = "key"
        self.assertEqual(
            self._sale(self.strategic, 1).distrib_allocation_priority, "key"
        )
        order.action_distrib_set_priority("strategic", "CEO escalation, line down")
        self.assertEqual(order.distrib_allocation_priority, "strategic")
        self.assertEqual(order.distrib_priority_reason, "CEO escalation, line down")
        self.assertIn("CEO escalation", order.message_ids[0].body)
        log = self.env["distrib.allocation.log"].search([("order_id", "=", order.id)])
        self.assertEqual(log.event, "priority_override")
        self.assertEqual(log.priority_before, "standard")
        with self.assertRaises(UserError):
            log.write({"note": "edited"})
        with self.assertRaises(UserError):
            log.unlink()

    def test_override_bad_input_changes_nothing(self):
        order = self._sale(self.standard, 1)
        for priority, reason in (
            ("strategic", ""),
            ("strategic", "   "),
            ("strategic", None),
            ("urgent", "a reason"),
        ):
            with self.assertRaises(UserError):
                order.action_distrib_set_priority(priority, reason)
        self.assertEqual(order.distrib_allocation_priority, "standard")
        self.assertFalse(
            self.env["distrib.allocation.log"].search([("order_id", "=", order.id)])
        )
        # the override is the workflow's: readonly to a client
        seller = self._distrib_user(
            "alloc_seller",
            "base.group_user,sales,sales_team.group_sale_salesman_all_leads",
            self.company,
        )
        with self.assertRaises(UserError):
            order.with_user(seller).write({"distrib_priority_override": "strategic"})
        wizard = self.env["distrib.priority.override"].create(
            {"order_id": order.id, "priority": "key", "reason": "Key account"}
        )
        wizard.action_apply()
        self.assertEqual(order.distrib_allocation_priority, "key")

    def test_reservation_serves_higher_priority_first(self):
        """Stock short: the strategic order confirmed last is reserved first."""
        standard = self._sale(self.standard, 8, days=3)
        strategic = self._sale(self.strategic, 8, days=4)
        (standard | strategic).action_confirm()
        self.assertEqual(self._reserved(standard) + self._reserved(strategic), 0)
        self._distrib_stock(self.product, self.wh1.lot_stock_id, 10)
        (self._moves(standard) | self._moves(strategic))._action_assign()
        self.assertEqual(self._reserved(strategic), 8)
        self.assertEqual(self._reserved(standard), 2)

    def test_same_priority_earlier_requested_date_first(self):
        later = self._sale(self.standard, 8, days=6)
        earlier = self._sale(self.standard, 8, days=2)
        (later | earlier).action_confirm()
        self._distrib_stock(self.product, self.wh1.lot_stock_id, 10)
        (self._moves(later) | self._moves(earlier))._action_assign()
        self.assertEqual(self._reserved(earlier), 8)
        self.assertEqual(self._reserved(later), 2)

    def test_reservation_first_come_when_off(self):
        self.company.distrib_allocation_enabled = False
        standard = self._sale(self.standard, 8, days=3)
        strategic = self._sale(self.strategic, 8, days=4)
        (standard | strategic).action_confirm()
        self._distrib_stock(self.product, self.wh1.lot_stock_id, 10)
        (self._moves(standard) | self._moves(strategic))._action_assign()
        self.assertEqual(self._reserved(standard), 8)
        self.assertEqual(self._reserved(strategic), 2)

    def test_promise_counts_higher_priority_demand_first(self):
        """10 units arrive in 5 days, 8 already wait for a standard order: a
        strategic order for day 6 is promised in full, a standard one is not."""
        self._receive(10, days=5)
        waiting = self._sale(self.standard, 8, days=5)
        waiting.action_confirm()
        self.assertEqual(waiting.order_line.distrib_backorder_qty, 0.0)
        strategic = self._sale(self.strategic, 8, days=6)
        standard = self._sale(self.standard, 8, days=6)
        self.assertEqual(strategic.order_line.distrib_atp_state, "available")
        self.assertEqual(standard.order_line.distrib_atp_state, "partial")
        self.assertEqual(standard.order_line.distrib_atp_qty, 2.0)
        strategic.action_confirm()
        self.assertEqual(strategic.order_line.distrib_promised_qty, 8.0)
        self.assertEqual(strategic.order_line.distrib_backorder_qty, 0.0)
        # off: first come, first served
        self.company.distrib_allocation_enabled = False
        other = self._sale(self.strategic, 8, days=6)
        self.assertEqual(other.order_line.distrib_atp_state, "short")
