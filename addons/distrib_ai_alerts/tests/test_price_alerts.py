from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import DistribAiCommon


@tagged("post_install", "-at_install")
class TestPriceAlerts(DistribAiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        prices = [100.0, 101.0, 99.0, 100.0, 100.5, 99.5, 100.0, 100.0]
        cls._invoice([*prices, 100.0, 101.0, 99.5, 100.0])
        cls.model = cls._model("price")
        cls.model._train()

    def test_underpriced_invoice_alerts_with_explanation(self):
        line = self._invoice([59.0])
        alerts = self.model._score()
        self.assertEqual(len(alerts), 1)
        alert = alerts
        self.assertEqual(alert.res_model, "account.move.line")
        self.assertEqual(alert.res_id, line.id)
        self.assertIn(
            "unit price 41% below this customer's last 12 invoices for this product",
            alert.explanation,
        )
        self.assertIn("no contract price", alert.explanation)
        self.assertGreater(alert.score, 50)
        self.assertAlmostEqual(alert.impact_amount, 410.0, delta=5.0)
        exception = alert.exception_id
        self.assertEqual(exception.exception_type, "anomaly")
        self.assertEqual(exception.severity, alert.severity)
        self.assertEqual(exception.impact_amount, alert.impact_amount)
        self.assertIn("41% below", exception.details)
        # incremental: a second run scores nothing new
        self.assertFalse(self.model._score() - alerts)
        self.assertEqual(self.model.last_scored_id, line.id)

    def test_usual_prices_stay_quiet(self):
        self._invoice([100.0, 98.5, 101.5])
        self.assertFalse(self.model._score())

    def test_unusual_discount_alerts(self):
        self._invoice([100.0], discount=35.0)
        alert = self.model._score()
        self.assertEqual(len(alert), 1)
        self.assertIn("discount 35.0%", alert.explanation)

    def test_feedback_silences_similar_cases(self):
        alert = self._invoice([59.0]) and self.model._score()
        # the staff cannot rewrite what a detector found, only give a verdict
        with self.assertRaises(AccessError):
            alert.with_user(self.sales_user).write({"score": 1.0})
        with self.assertRaises(AccessError):
            alert.with_user(self.sales_user).write({"state": "resolved"})
        alert.with_user(self.sales_user).action_mark_false_positive()
        self.assertEqual(alert.state, "false_positive")
        self.assertEqual(alert.exception_id.state, "resolved")
        feedback = alert.feedback_id
        self.assertEqual(feedback.verdict, "false_positive")
        self.assertEqual(feedback.key, f"{self.customer.id}/{self.product.id}")
        # a similar price no longer alerts, a much lower one still does
        self._invoice([60.0])
        self.assertFalse(self.model._score())
        self._invoice([30.0])
        self.assertEqual(len(self.model._score()), 1)
        with self.assertRaises(UserError):
            feedback.write({"value": 1.0})
        with self.assertRaises(UserError):
            feedback.unlink()
        with self.assertRaises(UserError):
            alert.action_mark_expected()

    def test_other_customer_product_borrows_product_history(self):
        newcomer = self.env["res.partner"].create({"name": "Newcomer"})
        self._invoice([99.0], partner=newcomer)
        self._invoice([40.0], partner=newcomer)
        alerts = self.model._score()
        self.assertEqual(len(alerts), 1)
        self.assertIn(
            "usual price of this product for other customers", alerts.explanation
        )

    def test_opt_in_off_nothing_runs(self):
        self.company.distrib_ai_price_check = False
        self._invoice([20.0])
        self.Model._cron_score()
        self.assertFalse(
            self.env["distrib.ai.alert"].search([("company_id", "=", self.company.id)])
        )

    def test_cron_scores_enabled_detector(self):
        self._invoice([20.0])
        self.Model._cron_score()
        alerts = self.env["distrib.ai.alert"].search(
            [("company_id", "=", self.company.id), ("detector", "=", "price")]
        )
        self.assertEqual(len(alerts), 1)

    def test_other_company_cannot_see_or_run(self):
        self._invoice([20.0])
        self.model._score()
        other = self.setup_other_company()["company"]
        outsider = self.env["res.users"].create(
            {
                "name": "Outsider",
                "login": "ai_outsider",
                "company_id": other.id,
                "company_ids": [(6, 0, other.ids)],
                "groups_id": [
                    (6, 0, [self.env.ref("distrib_atp.group_distrib_manager").id])
                ],
            }
        )
        self.assertFalse(self.env["distrib.ai.alert"].with_user(outsider).search([]))
        with self.assertRaises(AccessError):
            self.Model.with_user(outsider).action_run_company(self.company)
        with self.assertRaises(AccessError):
            self.model.with_user(self.sales_user).action_train()
