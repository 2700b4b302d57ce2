from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import DistribOrchestrationCommon, JsonRpcMixin


@tagged("post_install", "-at_install")
class TestOrchestrationRpcControls(JsonRpcMixin, DistribOrchestrationCommon, HttpCase):
    """What a client of the RPC API cannot do: switch a control off with a
    context key, write a state, a hold or a margin, forge an audit event."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"distrib_margin_check": True, "distrib_max_discount_percent": 10.0}
        )
        companies = [Command.set(cls.company.ids)]
        cls.sales_user = new_test_user(
            cls.env,
            login="orch_rpc_sales",
            groups="base.group_user,distrib_atp.group_distrib_sales",
            company_id=cls.company.id,
            company_ids=companies,
        )
        cls.warehouse_user = new_test_user(
            cls.env,
            login="orch_rpc_warehouse",
            groups="base.group_user,distrib_atp.group_distrib_warehouse",
            company_id=cls.company.id,
            company_ids=companies,
        )
        cls.finance_user = new_test_user(
            cls.env,
            login="orch_rpc_finance",
            groups="base.group_user,distrib_atp.group_distrib_finance",
            company_id=cls.company.id,
            company_ids=companies,
        )
        cls.manager_user = new_test_user(
            cls.env,
            login="orch_rpc_manager",
            groups="base.group_user,distrib_atp.group_distrib_manager",
            company_id=cls.company.id,
            company_ids=companies,
        )

    def _discounted_order(self, discount):
        order = self._create_order(quantity=1, price=100, user_id=self.sales_user.id)
        order.order_line.discount = discount
        return order

    def _confirm_as(self, user, order, context=None):
        return self._jsonrpc(
            user, "sale.order", "action_confirm", order.ids, context=context or {}
        )

    # ------------------------------------------------------------------
    # controls a context key used to switch off
    # ------------------------------------------------------------------
    def test_skip_checks_context_does_not_confirm_a_held_order(self):
        order = self._discounted_order(60.0)
        self._confirm_as(self.sales_user, order, {"distrib_skip_checks": True})
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.distrib_state, "on_hold")
        self.assertIn("Discount above the limit", order.distrib_hold_reason)
        # the manager's release still confirms, through its action
        self._jsonrpc(
            self.manager_user, "sale.order", "action_distrib_release_hold", order.ids
        )
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.distrib_hold_reason)

    def test_approval_of_a_small_discount_does_not_confirm_a_bigger_one(self):
        self.env["distrib.approval.policy"].create(
            {
                "name": "Discount",
                "company_id": self.company.id,
                "metric": "discount_percent",
                "threshold": 10.0,
                "direction": "above",
                "approver_user_id": self.finance_user.id,
            }
        )
        order = self._discounted_order(15.0)
        self._confirm_as(self.sales_user, order)
        self.assertEqual(order.state, "draft")
        request = self.env["distrib.approval.request"].search(
            [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
        )
        request.with_user(self.finance_user).action_approve()
        self.assertEqual(order.state, "sale")
        order._action_cancel()
        order.action_draft()
        order.order_line.discount = 60.0
        self._confirm_as(
            self.sales_user, order, {"distrib_approved_request_ids": request.ids}
        )
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.distrib_state, "on_hold")

    def test_no_notify_context_does_not_freeze_the_order_state(self):
        order = self._create_order(quantity=2)
        order.action_confirm()
        delivery = order.picking_ids
        delivery.move_ids.quantity = 2
        delivery.move_ids.picked = True
        self._jsonrpc(
            self.warehouse_user,
            "stock.picking",
            "button_validate",
            delivery.ids,
            context={"distrib_no_notify": True, "skip_backorder": True},
        )
        self.assertEqual(delivery.state, "done")
        self.assertEqual(order.distrib_state, "shipped")

    # ------------------------------------------------------------------
    # workflow fields
    # ------------------------------------------------------------------
    def test_sales_cannot_write_the_order_workflow_fields(self):
        order = self._discounted_order(60.0)
        self._confirm_as(self.sales_user, order)
        self.assertEqual(order.distrib_state, "on_hold")
        for vals in (
            {"distrib_hold_reason": False},
            {"distrib_state": "collected"},
            {"distrib_margin_expected": 999.0},
            {"distrib_erosion_invoice": 0.0},
        ):
            message = self._jsonrpc_error(
                self.sales_user, "sale.order", "write", order.ids, vals
            )
            self.assertIn("cannot be written directly", message)
        self.assertEqual(order.distrib_state, "on_hold")
        self.assertTrue(order.distrib_hold_reason)
        # other fields stay the salesperson's
        self._jsonrpc(
            self.sales_user, "sale.order", "write", order.ids, {"client_order_ref": "X"}
        )
        self.assertEqual(order.client_order_ref, "X")

    def _invoiced_order(self):
        order = self._create_order(quantity=3, user_id=self.sales_user.id)
        order.action_confirm()
        self._deliver(order.picking_ids)
        return order, self._invoice(order)

    def test_dispute_is_resolved_only_with_a_resolution(self):
        order, invoice = self._invoiced_order()
        dispute_id = self._jsonrpc(
            self.sales_user,
            "distrib.order.dispute",
            "create",
            {"invoice_id": invoice.id, "reason": "Damaged"},
        )
        dispute = self.env["distrib.order.dispute"].browse(dispute_id)
        self.assertEqual(order.distrib_state, "disputed")
        message = self._jsonrpc_error(
            self.sales_user,
            "distrib.order.dispute",
            "write",
            dispute.ids,
            {"state": "resolved"},
        )
        self.assertIn("cannot be written directly", message)
        message = self._jsonrpc_error(
            self.sales_user,
            "distrib.order.dispute",
            "create",
            {"invoice_id": invoice.id, "reason": "Late", "state": "resolved"},
        )
        self.assertIn("cannot be written directly", message)
        message = self._jsonrpc_error(
            self.sales_user, "distrib.order.dispute", "action_resolve", dispute.ids
        )
        self.assertIn("Write the resolution", message)
        self.assertEqual(dispute.state, "open")
        self._jsonrpc(
            self.sales_user,
            "distrib.order.dispute",
            "write",
            dispute.ids,
            {"resolution": "Credit note sent"},
        )
        self._jsonrpc(
            self.sales_user, "distrib.order.dispute", "action_resolve", dispute.ids
        )
        self.assertEqual(dispute.state, "resolved")
        self.assertEqual(order.distrib_state, "invoiced")

    def test_warehouse_cannot_credit_a_return(self):
        order, _invoice = self._invoiced_order()
        reason = self.env["distrib.return.reason"].create({"name": "Broken"})
        rma = self.env["distrib.return.authorization"].create(
            {
                "order_id": order.id,
                "reason_id": reason.id,
                "line_ids": [
                    Command.create({"sale_line_id": order.order_line.id, "quantity": 1})
                ],
            }
        )
        Rma = "distrib.return.authorization"
        message = self._jsonrpc_error(
            self.warehouse_user, Rma, "write", rma.ids, {"state": "credited"}
        )
        self.assertIn("cannot be written directly", message)
        message = self._jsonrpc_error(
            self.warehouse_user,
            "distrib.return.authorization.line",
            "write",
            rma.line_ids.ids,
            {"disposition_move_id": order.picking_ids.move_ids[:1].id},
        )
        self.assertIn("cannot be written directly", message)
        self._jsonrpc(self.warehouse_user, Rma, "action_authorize", rma.ids)
        self.assertEqual(rma.state, "authorized")
        message = self._jsonrpc_error(
            self.warehouse_user,
            "distrib.return.authorization.line",
            "write",
            rma.line_ids.ids,
            {"quantity": 3},
        )
        self.assertIn("cannot change any more", message)
        self._deliver(rma.picking_ids)
        self.assertEqual(rma.state, "received")
        message = self._jsonrpc_error(
            self.warehouse_user, Rma, "action_create_credit_note", rma.ids
        )
        self.assertIn("Only sales or finance", message)
        self.assertEqual(rma.state, "received")
        self._jsonrpc(self.sales_user, Rma, "action_create_credit_note", rma.ids)
        self.assertEqual(rma.state, "credited")

    # ------------------------------------------------------------------
    # audit trail
    # ------------------------------------------------------------------
    def test_forged_event_is_refused(self):
        order = self._create_order()
        events = order.distrib_event_ids
        message = self._jsonrpc_error(
            self.sales_user,
            "distrib.order.event",
            "create",
            {
                "order_id": order.id,
                "to_state": "collected",
                "date": "2020-01-01 00:00:00",
                "user_id": self.env.ref("base.user_admin").id,
            },
        )
        self.assertIn("cannot be entered by hand", message)
        order.invalidate_recordset(["distrib_event_ids"])
        self.assertEqual(order.distrib_event_ids, events)

    def test_integrity_check_names_the_altered_event(self):
        order = self._create_order()
        order.action_confirm()
        Event = "distrib.order.event"
        result = self._jsonrpc(self.manager_user, Event, "action_check_integrity", [])
        self.assertEqual(result["params"]["type"], "success", result)
        self.assertIn("the chain is intact", result["params"]["message"])
        # the check sealed the events recorded in this (uncommitted) transaction
        self.env.invalidate_all()
        self.assertTrue(all(order.distrib_event_ids.mapped("event_hash")))
        validated = order.distrib_event_ids.filtered(
            lambda e: e.to_state == "validated"
        )
        self.env.cr.execute(
            "UPDATE distrib_order_event SET reason = 'forged' WHERE id = %s",
            [validated.id],
        )
        result = self._jsonrpc(self.manager_user, Event, "action_check_integrity", [])
        self.assertEqual(result["params"]["type"], "danger")
        self.assertIn(
            f"breaks at event {validated.chain_sequence} ({order.name}, validated",
            result["params"]["message"],
        )
        message = self._jsonrpc_error(
            self.sales_user, Event, "action_check_integrity", []
        )
        self.assertIn("Only a distribution manager or finance", message)

    def test_integrity_check_button_in_the_list_header(self):
        """The web client calls the header button with the selected events (or
        none) as its records, through /web/dataset/call_button."""
        order = self._create_order()
        order.action_confirm()
        self.authenticate(self.manager_user.login, self.manager_user.login)
        for selected in ([], order.distrib_event_ids[:1].ids):
            result = self.make_jsonrpc_request(
                "/web/dataset/call_button",
                {
                    "model": "distrib.order.event",
                    "method": "action_check_integrity",
                    "args": [selected],
                    "kwargs": {"context": {}},
                },
            )
            self.assertEqual(result["params"]["type"], "success", result)
            self.assertIn("the chain is intact", result["params"]["message"])
