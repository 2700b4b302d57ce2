from odoo import fields
from odoo.tests import tagged

from odoo.addons.distrib_rebate.tests.common import DistribRebateCommon


@tagged("post_install", "-at_install")
class TestScenarioRebate(DistribRebateCommon):
    def test_step_creates_agreements_and_a_tier_crossing(self):
        self.assertIn("rebate", self.env["distrib.scenario"]._scenario_steps())
        today = fields.Date.context_today(self.env.user)
        other_segment = self.env["distrib.customer.segment"].create(
            {"name": "Retail", "code": "RB_RETAIL"}
        )
        peer = self.env["res.partner"].create(
            {
                "name": "Retail Peer",
                "is_company": True,
                "distrib_segment_id": other_segment.id,
            }
        )
        for days in (150, 90, 30):
            date = fields.Date.to_string(fields.Date.subtract(today, days=days))
            self._invoice(40000.0, date=date)
        self._invoice(5000.0, partner=peer, date=fields.Date.to_string(today))
        data = {
            "today": today,
            "horizon": 183,
            "companies": [self.company],
            "segments": self.segment | other_segment,
        }
        self.env["distrib.scenario"]._scenario_rebate(data)
        agreements = data["rebate_agreements"]
        self.assertEqual(set(agreements.mapped("state")), {"active"})
        own = data["rebate_crossing"][self.company.id]
        self.assertEqual(own.partner_id, self.customer)
        # the segments other than the customer's get their own agreement
        self.assertEqual((agreements - own).segment_id, other_segment)
        # 120,000 of history, the tier at 72,000: crossed by the 2nd invoice
        trueups = own.accrual_ids.filtered(lambda r: r.kind == "trueup")
        self.assertEqual(len(trueups), 1)
        self.assertAlmostEqual(own.accrued_amount, 3600.0)
        self.assertAlmostEqual((agreements - own).accrued_amount, 50.0)
