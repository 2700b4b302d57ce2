from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import DistribOrchestrationCommon


class ReplayError(Exception):
    """Stands for the serialization failure that makes Odoo replay a call."""


@tagged("post_install", "-at_install")
class TestOrderState(DistribOrchestrationCommon):
    def test_states_follow_the_documents(self):
        order = self._create_order()
        self.assertEqual(order.distrib_state, "entered")
        order.action_confirm()
        self.assertEqual(order.distrib_state, "allocated")
        delivery = order.picking_ids
        self._deliver(delivery)
        self.assertEqual(order.distrib_state, "shipped")
        self.assertEqual(order.distrib_shipped_percent, 100.0)
        invoice = self._invoice(order)
        self.assertEqual(order.distrib_state, "invoiced")
        self._pay(invoice)
        self.assertEqual(order.distrib_state, "collected")
        self.assertEqual(
            self._states(order),
            [
                (False, "entered"),
                ("entered", "validated"),
                ("validated", "allocated"),
                ("allocated", "picked"),
                ("picked", "shipped"),
                ("shipped", "invoiced"),
                ("invoiced", "collected"),
            ],
        )
        shipped = order.distrib_event_ids.filtered(lambda e: e.to_state == "shipped")
        self.assertEqual(
            (shipped.res_model, shipped.res_id, shipped.reference),
            ("stock.picking", delivery.id, delivery.name),
        )
        invoiced = order.distrib_event_ids.filtered(lambda e: e.to_state == "invoiced")
        self.assertEqual(invoiced.res_id, invoice.id)
        self.assertEqual(invoiced.user_id, self.env.user)
        # newest first on the order form
        order.invalidate_recordset(["distrib_event_ids"])
        self.assertEqual(order.distrib_event_ids[0].to_state, "collected")

    def test_unreserve_and_partial_shipment(self):
        order = self._create_order(quantity=10)
        order.action_confirm()
        delivery = order.picking_ids
        delivery.do_unreserve()
        self.assertEqual(order.distrib_state, "validated")
        delivery.action_assign()
        self.assertEqual(order.distrib_state, "allocated")
        backorder = self._deliver(delivery, quantity=4)
        self.assertTrue(backorder)
        self.assertEqual(order.distrib_state, "allocated")
        self.assertTrue(order.distrib_partially_shipped)
        self.assertAlmostEqual(order.distrib_shipped_percent, 40.0)
        self._deliver(backorder)
        self.assertEqual(order.distrib_state, "shipped")
        self.assertFalse(order.distrib_partially_shipped)

    def test_one_step_picked(self):
        order = self._create_order()
        order.action_confirm()
        order.picking_ids.move_ids.picked = True
        self.assertEqual(order.distrib_state, "picked")

    def test_multi_step_route(self):
        self.warehouse.delivery_steps = "pick_ship"
        order = self._create_order(quantity=5)
        order.action_confirm()
        pick = order.picking_ids
        self.assertEqual(pick.picking_type_id, self.warehouse.pick_type_id)
        self.assertEqual(order.distrib_state, "allocated")
        self._deliver(pick)
        # the shipping step is pushed once the goods are picked
        ship = order.picking_ids - pick
        self.assertEqual(ship.location_dest_id.usage, "customer")
        self.assertEqual(order.distrib_state, "picked")
        self._deliver(ship)
        self.assertEqual(order.distrib_state, "shipped")
        self.assertEqual(
            [to for _from, to in self._states(order)],
            ["entered", "validated", "allocated", "picked", "shipped"],
        )

    def test_cancel(self):
        order = self._create_order()
        order.action_confirm()
        order._action_cancel()
        self.assertEqual(order.distrib_state, "cancelled")
        self.assertEqual(self._last_event(order).from_state, "allocated")

    def test_company_not_opted_in_is_untouched(self):
        self.company.distrib_orchestration_enabled = False
        order = self._create_order()
        order.action_confirm()
        self._deliver(order.picking_ids)
        self.assertFalse(order.distrib_state)
        self.assertFalse(order.distrib_event_ids)
        self.assertFalse(
            self.env["distrib.order.event"].search([("order_id", "=", order.id)])
        )

    def test_orders_that_exist_at_opt_in_get_their_state(self):
        self.company.distrib_orchestration_enabled = False
        shipped = self._create_order()
        shipped.action_confirm()
        self._deliver(shipped.picking_ids)
        quotation = self._create_order()
        cancelled = self._create_order()
        cancelled._action_cancel()
        self.assertEqual((shipped | quotation).mapped("distrib_state"), [False] * 2)
        self.company.distrib_orchestration_enabled = True
        self.assertEqual(shipped.distrib_state, "shipped")
        self.assertEqual(quotation.distrib_state, "entered")
        self.assertFalse(cancelled.distrib_state)
        self.assertEqual(self._states(shipped), [(False, "shipped")])
        self.assertIn("Event states enabled", shipped.distrib_event_ids.reason)
        # saving the settings again changes nothing
        self.company.distrib_orchestration_enabled = True
        self.assertEqual(len(shipped.distrib_event_ids), 1)

    def test_no_event_without_a_change_and_no_duplicate_on_replay(self):
        order = self._create_order()
        order.action_confirm()
        count = len(order.distrib_event_ids)
        order._distrib_compute_state()
        order.picking_ids.action_assign()
        self.assertEqual(len(order.distrib_event_ids), count)
        # a transaction that fails after the delivery is rolled back with its
        # events; replaying it logs the shipment once
        delivery = order.picking_ids
        with self.assertRaises(ReplayError), self.env.cr.savepoint():
            self._deliver(delivery)
            self.assertEqual(order.distrib_state, "shipped")
            raise ReplayError()
        self.env.invalidate_all()
        self.assertEqual(order.distrib_state, "allocated")
        self._deliver(delivery)
        self.assertEqual(
            len(order.distrib_event_ids.filtered(lambda e: e.to_state == "shipped")),
            1,
        )

    def test_events_are_append_only(self):
        order = self._create_order()
        event = order.distrib_event_ids
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            event.reason = "tampered"
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            event.unlink()
        user = new_test_user(
            self.env,
            login="orch_sales",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        Event = self.env["distrib.order.event"].with_user(user)
        self.assertTrue(Event.has_access("read"))
        self.assertFalse(Event.has_access("write"))
        self.assertFalse(Event.has_access("unlink"))
        self.assertFalse(Event.has_access("create"))
        with self.assertRaises(AccessError):
            event.with_user(user).write({"reason": "tampered"})

    def test_warehouse_user_moves_the_state(self):
        order = self._create_order()
        order.action_confirm()
        user = new_test_user(
            self.env,
            login="orch_wh",
            groups="stock.group_stock_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        self._deliver(order.picking_ids.with_user(user))
        self.assertEqual(order.distrib_state, "shipped")
        self.assertEqual(self._last_event(order).user_id, user)

    def test_negative_price_refused(self):
        order = self._create_order()
        with self.assertRaisesRegex(ValidationError, "-5.0"):
            order.order_line.price_unit = -5.0
        self.company.distrib_orchestration_enabled = False
        order.order_line.price_unit = -5.0
        self.assertEqual(order.order_line.price_unit, -5.0)

    def test_dispute(self):
        order = self._create_order()
        order.action_confirm()
        self._deliver(order.picking_ids)
        invoice = self._invoice(order)
        Dispute = self.env["distrib.order.dispute"]
        with self.assertRaisesRegex(ValidationError, "needs a reason"):
            Dispute.create({"invoice_id": invoice.id, "reason": "  "})
        self.assertEqual(order.distrib_state, "invoiced")
        dispute = Dispute.create(
            {"invoice_id": invoice.id, "reason": "Two cartons were crushed"}
        )
        self.assertEqual(dispute.order_id, order)
        self.assertEqual(order.distrib_state, "disputed")
        with self.assertRaisesRegex(UserError, "resolution"):
            dispute.action_resolve()
        dispute.resolution = "Credit of two cartons agreed"
        dispute.action_resolve()
        self.assertEqual(dispute.state, "resolved")
        self.assertEqual(order.distrib_state, "invoiced")
        self.assertEqual(
            self._states(order)[-2:],
            [("invoiced", "disputed"), ("disputed", "invoiced")],
        )
        self.assertEqual(self._last_event(order).reason, "Dispute resolved")

    def test_hold_hook(self):
        order = self._create_order()
        order._distrib_put_on_hold("Credit limit exceeded")
        self.assertEqual(order.distrib_state, "on_hold")
        order._distrib_release_hold()
        self.assertEqual(order.distrib_state, "entered")
