import random

from odoo import fields
from odoo.tests import tagged

from odoo.addons.distrib_ai_alerts.tests.common import DistribAiCommon


@tagged("post_install", "-at_install")
class TestScenarioStep(DistribAiCommon):
    def test_step_plants_explained_alerts(self):
        self.assertIn("ai_alerts", self.env["distrib.scenario"]._scenario_steps())
        self._invoice([100.0, 101.0, 99.0, 100.0, 100.5, 99.5])
        data = {
            "rng": random.Random(42),
            "today": fields.Date.context_today(self.env.user),
            "companies": [self.company],
            "warehouses": self.warehouse,
            "products": self.product,
        }
        self.env["distrib.scenario"]._scenario_ai_alerts(data)
        planted_line = data["ai_planted"][self.company.id]["price"]
        self.assertTrue(planted_line)
        alert = data["ai_alerts"].filtered(
            lambda a: a.res_model == "account.move.line" and a.res_id == planted_line.id
        )
        self.assertEqual(len(alert), 1)
        self.assertIn("45% below", alert.explanation)
        self.assertEqual(alert.exception_id.exception_type, "anomaly")
        # an inventory count is planted too (no history here: it only trains)
        self.assertTrue(data["ai_planted"][self.company.id]["inventory"].is_inventory)
        self.assertTrue(self.company.distrib_ai_late_risk_check)
