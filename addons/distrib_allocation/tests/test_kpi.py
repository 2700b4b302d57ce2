from odoo import fields
from odoo.tests import tagged

from .common import DistribAllocationCommon


@tagged("post_install", "-at_install")
class TestAllocationKpi(DistribAllocationCommon):
    def _kpis(self):
        result = {"tiles": [], "panels": [], "actions": {}, "counts": {}}
        today = fields.Date.context_today(self.env.user)
        self.env["distrib.kpi.dashboard"]._kpi_extend(
            result, self.company, self.company.currency_id, today, today
        )
        return result

    def test_fill_rate_and_shortages_by_priority(self):
        self.company.write({"distrib_auto_sourcing": True})
        self.env["distrib.sourcing.policy"].create({"kind": "warehouse"})
        self._distrib_stock(self.product, self.wh1.lot_stock_id, 10)
        self._distrib_stock(self.product, self.wh2.lot_stock_id, 4)
        strategic = self._sale(self.strategic, 6, days=1)
        strategic.action_confirm()
        picking = strategic.picking_ids
        picking.move_ids.quantity = 6
        picking.move_ids.picked = True
        picking.button_validate()
        # 4 left in wh1: a standard order of 4 + 4 from wh2 by policy
        standard = self._sale(self.standard, 4, days=1)
        standard.action_confirm()
        auto = self._sale(self.standard, 4, days=1)
        auto.action_confirm()
        self.assertEqual(auto.order_line.distrib_source_kind, "warehouse")
        # a short one held, then resolved by a person (hold released)
        held = self._sale(self.key, 5, days=1)
        held.action_confirm()
        self.assertTrue(held.distrib_shortage_open)
        held.action_distrib_release_hold()
        self.assertFalse(held.distrib_shortage_open)
        result = self._kpis()
        panels = {panel["key"]: panel for panel in result["panels"]}
        fill = {
            row["label"]: row["fill_rate"]
            for row in panels["allocation_fill_rate"]["rows"]
        }
        self.assertEqual(fill["Strategic"], 100.0)
        self.assertEqual(fill["Standard"], 0.0)
        accuracy = {
            row["label"]: row["promise_accuracy"]
            for row in panels["allocation_promise_accuracy"]["rows"]
        }
        self.assertEqual(accuracy["Strategic"], 100.0)
        tile = next(t for t in result["tiles"] if t["key"] == "allocation_shortages")
        # 1 automatic, 1 by a person
        self.assertEqual(tile["value"], 50.0)
        self.assertEqual(result["counts"]["allocation_shortages"], 2)
        self.assertIn("allocation_shortages", result["actions"])
