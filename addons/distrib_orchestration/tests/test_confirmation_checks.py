from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.distrib_exceptions.models.distrib_exception import OPEN_STATES

from .common import DistribOrchestrationCommon


@tagged("post_install", "-at_install")
class TestConfirmationChecks(DistribOrchestrationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "distrib_credit_check": True,
                "distrib_margin_check": True,
                "distrib_freight_percent": 5.0,
            }
        )
        cls.customer.with_company(cls.company).credit_limit = 1000.0
        cls.approver = new_test_user(
            cls.env,
            login="orch_approver",
            groups="base.group_user,distrib_atp.group_distrib_finance",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.sales_user = new_test_user(
            cls.env,
            login="orch_seller",
            groups="base.group_user,distrib_atp.group_distrib_sales",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.Policy = cls.env["distrib.approval.policy"]

    def _policy(self, metric, threshold, direction="above"):
        return self.Policy.create(
            {
                "name": metric,
                "company_id": self.company.id,
                "metric": metric,
                "threshold": threshold,
                "direction": direction,
                "approver_user_id": self.approver.id,
            }
        )

    def _open_exceptions(self, order):
        return self.env["distrib.exception"].search(
            [
                ("res_model", "=", "sale.order"),
                ("res_id", "=", order.id),
                ("state", "in", OPEN_STATES),
            ]
        )

    def test_credit_exposure_across_companies_holds_then_approval_confirms(self):
        self._policy("credit_over_limit", 0.0)
        # 500 receivable in another company of the group
        other = self.setup_other_company(name="Sister Co")["company"]
        invoice = self.init_invoice(
            "out_invoice",
            partner=self.customer,
            amounts=[500.0],
            taxes=[],
            company=other,
            post=True,
        )
        self.assertEqual(invoice.amount_residual, 500.0)
        # 400 confirmed and not invoiced here
        self._create_order(quantity=4, price=100).action_confirm()
        # this order: 300 -> exposure 1200 > 1000
        order = self._create_order(quantity=3, price=100, user_id=self.sales_user.id)
        self.assertAlmostEqual(order._distrib_credit_exposure(), 1200.0)
        result = order.with_user(self.sales_user).action_confirm()
        self.assertEqual(result["params"]["title"], "Put on hold")
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.distrib_state, "on_hold")
        self.assertIn("exceeds the limit", order.distrib_hold_reason)
        exception = self._open_exceptions(order)
        self.assertEqual(exception.exception_type, "credit_hold")
        self.assertTrue(exception.blocking)
        self.assertAlmostEqual(exception.impact_amount, 200.0)
        request = self.env["distrib.approval.request"].search(
            [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
        )
        self.assertEqual(request.state, "pending")
        # confirming again refreshes, never duplicates
        order.with_user(self.sales_user).action_confirm()
        self.assertEqual(len(self._open_exceptions(order)), 1)
        self.assertEqual(
            self.env["distrib.approval.request"].search_count(
                [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
            ),
            1,
        )
        request.with_user(self.approver).action_approve()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.distrib_hold_reason)
        self.assertFalse(self._open_exceptions(order))
        self.assertEqual(order.distrib_state, "allocated")
        self.assertEqual(
            [to for _from, to in self._states(order)],
            ["entered", "on_hold", "entered", "validated", "allocated"],
        )

    def test_within_limit_confirms(self):
        order = self._create_order(quantity=3, price=100)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.distrib_hold_reason)

    def test_no_credit_limit_is_a_clear_error(self):
        self.customer.with_company(self.company).credit_limit = 0.0
        order = self._create_order(quantity=1)
        with self.assertRaisesRegex(UserError, "has no credit limit"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.distrib_hold_reason)
        self.assertFalse(self._open_exceptions(order))

    def test_margin_after_freight_and_rebate(self):
        self.customer.with_company(self.company).credit_limit = 100000.0
        self.product.categ_id.with_company(
            self.company
        ).distrib_min_margin_percent = 30.0
        self.customer.with_company(self.company).distrib_rebate_percent = 5.0
        # 100 - 5 rebate - 5 freight - 40 cost = 50 %
        good = self._create_order(quantity=1, price=100)
        good.action_confirm()
        self.assertEqual(good.state, "sale")
        # 60 - 3 - 3 - 40 = 14 / 60 = 23.3 % < 30 %
        thin = self._create_order(quantity=1, price=60)
        thin.action_confirm()
        self.assertEqual(thin.state, "draft")
        self.assertIn("23.3%", thin.distrib_hold_reason)
        self.assertEqual(self._open_exceptions(thin).exception_type, "pricing_margin")
        # below cost: a negative margin exception
        loss = self._create_order(quantity=1, price=35)
        loss.action_confirm()
        self.assertEqual(self._open_exceptions(loss).exception_type, "negative_margin")
        # the customer's own minimum wins over the category's
        self.customer.with_company(self.company).distrib_min_margin_percent = 20.0
        thin.action_confirm()
        self.assertEqual(thin.state, "sale")
        self.assertFalse(self._open_exceptions(thin))

    def test_discount_limit_and_manager_release(self):
        self.customer.with_company(self.company).credit_limit = 100000.0
        self.company.distrib_max_discount_percent = 10.0
        order = self._create_order(quantity=1, price=100)
        order.order_line.discount = 15.0
        order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertIn("Discount above the limit", order.distrib_hold_reason)
        # no approval policy: a manager releases the hold
        with self.assertRaisesRegex(UserError, "Only a distribution manager"):
            order.with_user(self.sales_user).action_distrib_release_hold()
        order.action_distrib_release_hold()
        self.assertEqual(order.state, "sale")
        self.assertFalse(self._open_exceptions(order))

    def test_checks_off_change_nothing(self):
        self.company.write(
            {"distrib_credit_check": False, "distrib_margin_check": False}
        )
        self.customer.with_company(self.company).credit_limit = 0.0
        order = self._create_order(
            quantity=1,
            price=10,
            order_line=[
                Command.create(
                    {"product_id": self.product.id, "price_unit": 1, "discount": 90}
                )
            ],
        )
        self.assertIs(order.action_confirm(), True)
        self.assertEqual(order.state, "sale")
