from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import DistribOrchestrationCommon, JsonRpcMixin


@tagged("post_install", "-at_install")
class TestApprovalRecheck(JsonRpcMixin, DistribOrchestrationCommon, HttpCase):
    """An approval resumes the confirmation for the value it approved: the
    resumed confirmation runs every check again, and a value made worse while
    the request waited needs a new approval that shows the difference."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "distrib_credit_check": True,
                "distrib_margin_check": True,
                "distrib_max_discount_percent": 10.0,
            }
        )
        cls.customer.with_company(cls.company).credit_limit = 100000.0
        companies = [Command.set(cls.company.ids)]
        cls.sales_user = new_test_user(
            cls.env,
            login="orch_recheck_sales",
            groups="base.group_user,distrib_atp.group_distrib_sales",
            company_id=cls.company.id,
            company_ids=companies,
        )
        cls.approver = new_test_user(
            cls.env,
            login="orch_recheck_finance",
            groups="base.group_user,distrib_atp.group_distrib_finance",
            company_id=cls.company.id,
            company_ids=companies,
        )

    def _policy(self, metric, threshold, direction="above"):
        return self.env["distrib.approval.policy"].create(
            {
                "name": metric,
                "company_id": self.company.id,
                "metric": metric,
                "threshold": threshold,
                "direction": direction,
                "approver_user_id": self.approver.id,
            }
        )

    def _requests(self, order, state=None):
        domain = [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
        if state:
            domain.append(("state", "=", state))
        return self.env["distrib.approval.request"].search(domain, order="id")

    def _order(self, quantity=1, price=1000.0, discount=0.0):
        order = self._create_order(
            quantity=quantity, price=price, user_id=self.sales_user.id
        )
        order.order_line.discount = discount
        return order

    def _held_for(self, order, metric):
        """Confirm as the salesperson: the order waits for one request."""
        order.with_user(self.sales_user).action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.distrib_state, "on_hold")
        request = self._requests(order, "pending")
        self.assertEqual(request.metric, metric)
        return request

    def _assert_rechecked(self, order, approved, new_value, policy):
        """``approved`` was approved, the order is held again and a new request
        asks for ``new_value``, its chatter naming both values."""
        self.assertEqual(approved.state, "approved")
        self.assertEqual(order.state, "draft", "approved for less than it gives")
        self.assertEqual(order.distrib_state, "on_hold")
        new = self._requests(order, "pending")
        self.assertEqual(len(new), 1)
        self.assertNotEqual(new, approved)
        self.assertAlmostEqual(new.value, new_value, places=2)
        chatter = " ".join(new.message_ids.mapped("body")).replace("&nbsp;", "\xa0")
        self.assertIn(approved.name, chatter)
        self.assertIn(policy._format_value(approved.value), chatter)
        self.assertIn(policy._format_value(new_value), chatter)
        # the approver of the new value confirms the order
        new.with_user(self.approver).action_approve()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.distrib_hold_reason)

    def test_discount_raised_while_waiting_needs_a_new_approval(self):
        policy = self._policy("discount_percent", 10.0)
        order = self._order(discount=35.0)
        request = self._held_for(order, "discount_percent")
        self.assertAlmostEqual(request.value, 35.0)
        order.with_user(self.sales_user).order_line.write({"discount": 70.0})
        request.with_user(self.approver).action_approve()
        self.assertIn("70", order.distrib_hold_reason)
        self._assert_rechecked(order, request, 70.0, policy)
        self.assertEqual(order.order_line.discount, 70.0)

    def test_margin_lowered_while_waiting_needs_a_new_approval(self):
        self.company.distrib_min_margin_percent = 30.0
        policy = self._policy("margin_percent", 30.0, direction="below")
        # 50 - 40 cost = 20 %
        order = self._order(price=50.0)
        request = self._held_for(order, "margin_percent")
        self.assertAlmostEqual(request.value, 20.0)
        # 45 - 40 = 11.1 %
        order.with_user(self.sales_user).order_line.write({"price_unit": 45.0})
        request.with_user(self.approver).action_approve()
        self._assert_rechecked(order, request, 5.0 / 45.0 * 100.0, policy)

    def test_credit_raised_while_waiting_needs_a_new_approval(self):
        self.customer.with_company(self.company).credit_limit = 1000.0
        policy = self._policy("credit_over_limit", 0.0)
        order = self._order(quantity=12, price=100.0)
        request = self._held_for(order, "credit_over_limit")
        self.assertAlmostEqual(request.value, 200.0)
        order.with_user(self.sales_user).order_line.write(
            {"product_uom_qty": 19, "price_unit": 100.0}
        )
        request.with_user(self.approver).action_approve()
        self._assert_rechecked(order, request, 900.0, policy)

    def test_resumed_confirmation_runs_every_check(self):
        self.company.distrib_min_margin_percent = 30.0
        self._policy("discount_percent", 10.0)
        # 65 - 40 = 38 %: only the discount fails
        order = self._order(price=100.0, discount=35.0)
        request = self._held_for(order, "discount_percent")
        # 39 - 40: a loss, and the discount is still the approved one
        order.with_user(self.sales_user).order_line.write({"price_unit": 60.0})
        request.with_user(self.approver).action_approve()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.distrib_state, "on_hold")
        self.assertIn("margin", order.distrib_hold_reason.lower())
        self.assertNotIn("discount", order.distrib_hold_reason.lower())
        self.assertFalse(self._requests(order, "pending"))

    def test_approval_then_lower_value_confirms(self):
        self._policy("discount_percent", 10.0)
        order = self._order(discount=35.0)
        request = self._held_for(order, "discount_percent")
        order.with_user(self.sales_user).order_line.write({"discount": 20.0})
        request.with_user(self.approver).action_approve()
        self.assertEqual(order.state, "sale")
        self.assertEqual(len(self._requests(order)), 1)

    def test_client_cannot_resume_with_an_approval_id(self):
        """An approval used by its confirmation does not confirm the order again
        because a client sends its id in the context."""
        self._policy("discount_percent", 10.0)
        order = self._order(discount=35.0)
        request = self._held_for(order, "discount_percent")
        request.with_user(self.approver).action_approve()
        self.assertEqual(order.state, "sale")
        order._action_cancel()
        order.action_draft()
        order.order_line.discount = 30.0
        self._jsonrpc(
            self.sales_user,
            "sale.order",
            "action_confirm",
            order.ids,
            context={"distrib_approved_request_ids": request.ids},
        )
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.distrib_state, "on_hold")
        self.assertAlmostEqual(self._requests(order, "pending").value, 30.0)

    def test_value_raised_past_the_second_level_needs_it(self):
        policy = self._policy("discount_percent", 10.0)
        director = new_test_user(
            self.env,
            login="orch_recheck_director",
            groups="base.group_user,distrib_atp.group_distrib_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        policy.write(
            {
                "use_level2": True,
                "level2_threshold": 30.0,
                "level2_user_id": director.id,
            }
        )
        order = self._order(discount=20.0)
        request = self._held_for(order, "discount_percent")
        self.assertEqual(request.max_level, 1)
        order.with_user(self.sales_user).order_line.write({"discount": 50.0})
        order.with_user(self.sales_user).action_confirm()
        self.assertEqual(request.value, 50.0)
        self.assertEqual(request.max_level, 2)
        request.with_user(self.approver).action_approve()
        self.assertEqual(order.state, "draft", "50 % needs the second level")
        self.assertEqual(request.state, "pending")
        request.with_user(director).action_approve()
        self.assertEqual(order.state, "sale")
