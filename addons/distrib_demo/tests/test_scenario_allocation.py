from odoo import Command, fields
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
        # the catalog's first product and a quotation's product are left alone
        first = self._distrib_product("Demo first item")
        self._distrib_stock(first, self.wh1.lot_stock_id, 1)
        self._distrib_stock(first, self.wh2.lot_stock_id, 40)
        quoted = self._distrib_product("Demo quoted item")
        self._distrib_stock(quoted, self.wh1.lot_stock_id, 1)
        self._distrib_stock(quoted, self.wh2.lot_stock_id, 40)
        self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [Command.create({"product_id": quoted.id})],
            }
        )
        scarce = self._distrib_product("Demo scarce item")
        self._distrib_stock(scarce, self.wh1.lot_stock_id, 2)
        data = {
            "today": fields.Date.today(),
            "companies": [self.company],
            "warehouses": self.wh1 | self.wh2,
            "products": first | self.product | quoted | scarce,
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
        self.assertEqual(auto.order_line.product_id, self.product)
        planner = data["allocation_orders"]["planner"]
        self.assertEqual(planner.state, "draft")
        self.assertEqual(planner.order_line.product_id, scarce)
        self.assertTrue(planner.distrib_shortage_open)
        exception = self.env["distrib.exception"].search(
            [
                ("res_model", "=", "sale.order"),
                ("res_id", "=", planner.id),
                ("exception_type", "=", "shortage"),
            ]
        )
        self.assertEqual(exception.severity, "critical")
