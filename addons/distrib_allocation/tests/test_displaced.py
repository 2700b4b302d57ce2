from odoo import Command, fields
from odoo.tests import tagged

from .common import DistribAllocationCommon

SUMMARY = "Tell the customer about the new promise date"


@tagged("post_install", "-at_install")
class TestDisplacedPromise(DistribAllocationCommon):
    """A higher priority takes the units a confirmed lower-priority order was
    promised: that order's promise follows (date, quantities, timeline, activity,
    log); the others are left alone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls._distrib_user(
            "alloc_displaced_seller",
            "base.group_user,sales,sales_team.group_sale_salesman_all_leads",
            cls.company,
        )

    def _pending_receipt(self, quantity, days, warehouse=None, product=None):
        """A receipt due in ``days`` (0: today), not received yet."""
        move = self._receive(
            quantity, warehouse=warehouse, product=product, days=max(days, 1)
        )
        move.date = self._in_days(days)
        return move

    def _confirmed(self, partner, quantity, days=0, warehouse=None):
        order = self._sale(partner, quantity, warehouse=warehouse, days=days)
        order.user_id = self.seller
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        return order

    def _logs(self, orders):
        return self.env["distrib.allocation.log"].search(
            [("order_id", "in", orders.ids), ("event", "=", "promise_moved")]
        )

    def _activities(self, order):
        return order.activity_ids.filtered(lambda activity: activity.summary == SUMMARY)

    def test_strategic_takes_the_last_units(self):
        """10 units due today, the next 10 in a week: a standard order promised
        today for 10, then a strategic order for 10 today. The standard one gets
        next week's date, a note naming the strategic order and an activity for
        its salesperson; a standard order whose date still holds is untouched."""
        today = fields.Date.context_today(self.env.user)
        self._pending_receipt(15, 0)
        later = self._pending_receipt(10, 7)
        holding = self._confirmed(self.standard, 5)
        displaced = self._confirmed(self.standard, 10)
        for order in holding | displaced:
            self.assertEqual(order.order_line.distrib_promised_date, today)
            self.assertEqual(order.order_line.distrib_backorder_qty, 0.0)
        messages = holding.message_ids | displaced.message_ids
        strategic = self._confirmed(self.strategic, 10)
        self.assertEqual(strategic.order_line.distrib_promised_date, today)
        self.assertEqual(strategic.order_line.distrib_backorder_qty, 0.0)

        line = displaced.order_line
        self.assertEqual(line.distrib_promised_date, later.date.date())
        self.assertEqual(line.distrib_promised_qty, 0.0)
        self.assertEqual(line.distrib_backorder_qty, 10.0)
        note = displaced.message_ids - messages
        self.assertEqual(len(note), 1)
        self.assertIn(strategic.name, note.body)
        self.assertIn(fields.Date.to_string(later.date.date()), note.body)
        activity = self._activities(displaced)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.seller)
        log = self._logs(displaced)
        self.assertEqual(len(log), 1)
        self.assertEqual(log.line_id, line)
        self.assertEqual(log.quantity, 10.0)
        self.assertIn(strategic.name, log.note)

        # the first standard order still gets its 5 units today
        self.assertEqual(holding.order_line.distrib_promised_date, today)
        self.assertEqual(holding.order_line.distrib_backorder_qty, 0.0)
        self.assertFalse(holding.message_ids - messages)
        self.assertFalse(self._activities(holding))
        self.assertFalse(self._logs(holding))

    def test_confirmed_by_a_salesperson_of_own_orders_only(self):
        """The seller confirming the strategic order cannot read the displaced
        order: its promise moves all the same, the note names the seller."""
        own = self._distrib_user(
            "alloc_displaced_own",
            "base.group_user,sales,sales_team.group_sale_salesman",
            self.company,
        )
        self._pending_receipt(10, 0)
        self._pending_receipt(10, 7)
        displaced = self._confirmed(self.standard, 10)
        strategic = self._sale(self.strategic, 10, days=0)
        strategic.user_id = own
        strategic.with_user(own).action_confirm()
        self.assertEqual(strategic.state, "sale")
        self.assertEqual(displaced.order_line.distrib_backorder_qty, 10.0)
        note = self._logs(displaced)
        self.assertEqual(note.user_id, own)
        self.assertEqual(displaced.message_ids[0].author_id, own.partner_id)
        self.assertEqual(self._activities(displaced).user_id, self.seller)

    def test_nothing_moves_when_allocation_is_off(self):
        self.company.distrib_allocation_enabled = False
        today = fields.Date.context_today(self.env.user)
        self._pending_receipt(10, 0)
        self._pending_receipt(10, 7)
        standard = self._confirmed(self.standard, 10)
        messages = standard.message_ids
        strategic = self._confirmed(self.strategic, 10)
        # first come, first served: the strategic order waits for next week
        self.assertEqual(strategic.order_line.distrib_backorder_qty, 10.0)
        self.assertEqual(standard.order_line.distrib_promised_date, today)
        self.assertEqual(standard.order_line.distrib_backorder_qty, 0.0)
        self.assertFalse(standard.message_ids - messages)
        self.assertFalse(self._activities(standard))
        self.assertFalse(self._logs(standard | strategic))

    def test_other_company_is_not_touched(self):
        """A strategic order of the company takes its own warehouse's units; the
        other company (allocation on too) keeps its promise, and the note of the
        displaced order names no order of another company."""
        other = self.other_company
        other.write(
            {
                "distrib_allocation_enabled": True,
                "distrib_atp_promise": True,
                "distrib_atp_policy": "allow",
                "distrib_atp_commitment_date": False,
            }
        )
        today = fields.Date.context_today(self.env.user)
        self._pending_receipt(10, 0)
        self._pending_receipt(10, 0, warehouse=self.wh_other)
        theirs = (
            self.env["sale.order"]
            .with_company(other)
            .create(
                {
                    "partner_id": self.standard.id,
                    "company_id": other.id,
                    "warehouse_id": self.wh_other.id,
                    "commitment_date": self._in_days(0),
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": 10,
                                "price_unit": 20.0,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        theirs.with_company(other).action_confirm()
        self.assertEqual(theirs.order_line.distrib_promised_date, today)
        messages = theirs.message_ids
        ours = self._confirmed(self.standard, 10)
        strategic = self._confirmed(self.strategic, 10)
        self.assertEqual(strategic.order_line.distrib_backorder_qty, 0.0)
        # ours lost its units (no receipt planned after them)
        self.assertFalse(ours.order_line.distrib_promised_date)
        self.assertEqual(ours.order_line.distrib_backorder_qty, 10.0)
        self.assertTrue(self._logs(ours))
        # theirs: as it was
        self.assertEqual(theirs.order_line.distrib_promised_date, today)
        self.assertEqual(theirs.order_line.distrib_backorder_qty, 0.0)
        self.assertFalse(theirs.message_ids - messages)
        self.assertFalse(self._activities(theirs))
        self.assertFalse(self._logs(theirs))

    def test_reservation_by_priority_moves_the_promise(self):
        """Units arrive today: the strategic order due in 10 days is reserved
        first, so the standard order promised today now waits for the receipt
        planned in 10 days."""
        today = fields.Date.context_today(self.env.user)
        first = self._pending_receipt(10, 0)
        later = self._pending_receipt(10, 10)
        standard = self._confirmed(self.standard, 10)
        strategic = self._confirmed(self.strategic, 10, days=10)
        # both promises hold on paper
        self.assertEqual(standard.order_line.distrib_promised_date, today)
        self.assertEqual(strategic.order_line.distrib_promised_date, later.date.date())
        self.assertFalse(self._logs(standard))
        first.quantity = 10
        first.picked = True
        first._action_done()
        (self._moves(standard) | self._moves(strategic))._action_assign()
        self.assertEqual(self._reserved(strategic), 10)
        self.assertEqual(self._reserved(standard), 0)
        self.assertEqual(standard.order_line.distrib_promised_date, later.date.date())
        self.assertEqual(standard.order_line.distrib_backorder_qty, 10.0)
        self.assertIn(strategic.name, self._logs(standard).note)
        self.assertEqual(self._activities(standard).user_id, self.seller)

    def test_queries_do_not_grow_with_the_displaced_orders(self):
        """The re-check runs in a fixed number of queries, whatever the number
        of orders it re-dates."""
        today = fields.Date.context_today(self.env.user)

        def run(count):
            self._pending_receipt(4 * count, 0)
            self._pending_receipt(4 * count, 7)
            orders = self.env["sale.order"]
            for _index in range(count):
                orders |= self._confirmed(self.standard, 4)
            strategic = self._confirmed(self.strategic, 4 * count)
            self.assertEqual(len(self._logs(orders)), count)
            # put their promise back as it was and count the re-check alone
            orders.order_line.sudo().write(
                {"distrib_promised_date": today, "distrib_backorder_qty": 0.0}
            )
            self.env.flush_all()
            self.env.invalidate_all()
            takers = {(self.product.id, self.wh1.id): strategic.sudo()}
            before = self.env.cr.sql_log_count
            moved = self.env["sale.order"].sudo()._distrib_repromise_displaced(takers)
            self.env.flush_all()
            queries = self.env.cr.sql_log_count - before
            self.assertEqual(moved, orders)
            self.assertEqual(len(self._logs(orders)), 2 * count)
            return queries

        with self.env.cr.savepoint(flush=False) as savepoint:
            small = run(2)
            savepoint.rollback()
        self.env.invalidate_all()
        large = run(6)
        self.assertLessEqual(large, small)
