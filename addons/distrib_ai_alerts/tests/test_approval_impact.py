from odoo import Command
from odoo.tests import tagged

from .common import DistribAiCommon


@tagged("post_install", "-at_install")
class TestApprovalImpact(DistribAiCommon):
    """Issue #16, item 4: approval requests carry a predicted financial impact,
    explained in one sentence; the approvers' queue is ordered by it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Policy = cls.env["distrib.approval.policy"]
        finance = cls.env.ref("distrib_atp.group_distrib_finance")
        for metric, direction, threshold in (
            ("margin_percent", "below", 10.0),
            ("discount_percent", "above", 15.0),
            ("credit_over_limit", "above", 0.0),
            ("cycle_count_variance", "above", 100.0),
        ):
            Policy.create(
                {
                    "name": metric,
                    "company_id": cls.company.id,
                    "metric": metric,
                    "direction": direction,
                    "threshold": threshold,
                    "approver_group_id": finance.id,
                }
            )

    def _order(self, price):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 10,
                            "price_unit": price,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )

    def _request(self, record, metric, value, method="action_confirm"):
        return self.env["distrib.approval.policy"]._check_value(
            record, metric, value, resume_method=method
        )

    def test_margin_discount_credit_ranked_by_impact(self):
        # margin 4% against a 10% floor on 10,000: 600 at risk
        margin = self._request(self._order(1000.0), "margin_percent", 4.0)
        self.assertAlmostEqual(margin.distrib_predicted_impact, 600.0)
        self.assertIn(
            "Margin 4.0% against the 10.0% floor", margin.distrib_impact_explanation
        )
        self.assertIn("of margin at risk", margin.distrib_impact_explanation)
        # discount 20% against 15% on 1,000 net (1,250 gross): 62.50 given away
        discount = self._request(self._order(100.0), "discount_percent", 20.0)
        self.assertAlmostEqual(discount.distrib_predicted_impact, 62.5)
        self.assertIn("of margin given away", discount.distrib_impact_explanation)
        # 5,000 over the credit limit
        credit = self._request(self._order(10.0), "credit_over_limit", 5000.0)
        self.assertAlmostEqual(credit.distrib_predicted_impact, 5000.0)
        self.assertIn("credit exposure", credit.distrib_impact_explanation)
        queue = self.env["distrib.approval.request"].search(
            [("id", "in", (margin | discount | credit).ids), ("state", "=", "pending")]
        )
        self.assertEqual(queue, credit | margin | discount, "largest impact first")

    def test_amount_metric_and_missing_document(self):
        quant = (
            self.env["stock.quant"]
            .sudo()
            .create(
                {
                    "product_id": self.product.id,
                    "location_id": self.warehouse.lot_stock_id.id,
                }
            )
        )
        count = self._request(
            quant, "cycle_count_variance", 350.0, "action_apply_inventory"
        )
        self.assertAlmostEqual(count.distrib_predicted_impact, 350.0)
        self.assertIn("written on or off", count.distrib_impact_explanation)
        # an order without amount (zero quantities)
        order = self._order(0.0)
        zero = self._request(order, "margin_percent", 0.0)
        self.assertEqual(zero.distrib_predicted_impact, 0.0)
