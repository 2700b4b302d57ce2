from odoo import fields
from odoo.tests import tagged

from odoo.addons.distrib_allocation.tests.common import DistribAllocationCommon


@tagged("post_install", "-at_install")
class TestScenarioAllocation(DistribAllocationCommon):
    """The allocation step of the demo builder, on a small prepared dataset
    shaped like the base steps' output."""

    def test_priorities_auto_sourced_and_routed_orders(self):
        Segment = self.env["distrib.customer.segment"]
        segments = Segment.create(
            [
                {"name": "Key Accounts (test)", "code": "KEY"},
                {"name": "Retail Chains (test)", "code": "CHAIN"},
                {"name": "Independents (test)", "code": "IND"},
            ]
        )
        customer = self.env["res.partner"].create(
            {"name": "Demo Strategic", "distrib_segment_id": segments[0].id}
        )
        self._distrib_stock(self.product, self.wh1.lot_stock_id, 3)
        self._distrib_stock(self.product, self.wh2.lot_stock_id, 40)
        data = {
            "today": fields.Date.today(),
            "companies": [self.company],
            "warehouses": self.wh1 | self.wh2,
            "products": self.product,
            "customers": customer,
            "segments": segments,
        }
        self.env["distrib.scenario"]._scenario_allocation(data)
        self.assertEqual(
            segments.mapped("distrib_allocation_priority"),
            ["strategic", "key", "standard"],
        )
        auto = data["allocation_orders"]["auto"]
        self.assertEqual(auto.distrib_allocation_priority, "strategic")
        self.assertEqual(auto.state, "sale")
        self.assertEqual(auto.order_line.distrib_source_kind, "warehouse")
        planner = data["allocation_orders"]["planner"]
        self.assertEqual(planner.state, "draft")
        self.assertTrue(planner.distrib_shortage_open)
        exception = self.env["distrib.exception"].search(
            [
                ("res_model", "=", "sale.order"),
                ("res_id", "=", planner.id),
                ("exception_type", "=", "shortage"),
            ]
        )
        self.assertEqual(exception.severity, "critical")
