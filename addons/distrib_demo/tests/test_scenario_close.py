from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.distrib_close.tests.common import DistribCloseCommon


@tagged("post_install", "-at_install")
class TestScenarioClose(DistribCloseCommon):
    """The close steps of the demo builder on a small setup: the terms before
    the history's receipts, then carrier bills and the close of last month."""

    def test_terms_then_bills_and_close(self):
        steps = self.env["distrib.scenario"]._scenario_steps()
        self.assertLess(steps.index("close_terms"), steps.index("history"))
        # the close after the history and the exceptions it checks
        self.assertGreater(steps.index("close"), steps.index("exceptions"))
        us = self.env.ref("base.us")
        china = self.env.ref("base.cn")
        self.company.country_id = us
        self.vendor.country_id = china
        today = fields.Date.context_today(self.env.user)
        data = {
            "today": today,
            "companies": [self.company],
            "suppliers": self.vendor,
            "users": {"finance": self.finance_user},
        }
        # the demo's own terms only
        self.term.active = False
        Scenario = self.env["distrib.scenario"]
        Scenario._scenario_close_terms(data)
        terms = data["landed_cost_terms"]
        self.assertEqual(
            set(terms.mapped("cost_type")), {"freight", "duty", "handling"}
        )
        self.assertTrue(self.company.distrib_accrued_revenue_account_id)
        # the history's receipts: freight on value, duty from China, handling
        orders = [self._create_po(qty=10.0, price=100.0) for _i in range(4)]
        for order in orders:
            self._receive(order)
        expected = self._expected_costs(orders[0].picking_ids)
        amounts = {line.product_id: line.price_unit for line in expected.cost_lines}
        products = data["close_products"]
        # 4 % freight, 7.5 % duty from China, 0.05 handling per unit
        self.assertAlmostEqual(amounts[products["duty"]], 75.0)
        self.assertAlmostEqual(amounts[products["handling"]], 0.5)
        self.assertAlmostEqual(amounts[products["freight"]], 40.0)
        Scenario._scenario_close(data)
        bills = data["close_bills"]
        self.assertEqual(len(bills), 4)
        self.assertEqual(bills.mapped("state"), ["posted"] * 3 + ["draft"])
        # the bill beyond the tolerance and the one over the threshold raise a
        # landed-cost variance; the latter waits for finance
        variances = self.env["distrib.exception"].search(
            [
                ("exception_type", "=", "landed_cost_variance"),
                ("res_model", "=", "account.move"),
                ("res_id", "in", bills.ids),
            ]
        )
        self.assertEqual(len(variances), 2)
        self.assertTrue(
            self.env["distrib.approval.request"].search(
                [
                    ("res_model", "=", "account.move"),
                    ("res_id", "=", bills[-1].id),
                    ("state", "=", "pending"),
                ]
            )
        )
        true_ups = self.env["stock.landed.cost"].search(
            [("vendor_bill_id", "in", bills.ids), ("distrib_kind", "=", "true_up")]
        )
        self.assertEqual(len(true_ups), 3)
        # last month closed and locked, this month open with its blockers
        closed, current = data["close_periods"].sorted("date_start")
        last_month_start = today.replace(day=1) - relativedelta(months=1)
        self.assertEqual(closed.date_start, last_month_start)
        self.assertEqual(closed.state, "closed")
        self.assertEqual(self.company.fiscalyear_lock_date, closed.date_end)
        self.assertEqual(current.state, "open")
        self.assertGreater(current.blocker_count, 0)
        self.assertIn("Landed costs trued up or explained", current.blockers)
        self.assertIn("Bank accounts reconciled", current.blockers)
