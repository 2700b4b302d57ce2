from odoo.tests import tagged

from .common import DistribAllocationCommon


@tagged("post_install", "-at_install")
class TestExpedite(DistribAllocationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "distrib_transfer_days": 2,
                "distrib_transfer_cost_percent": 2.0,
                "distrib_expedite_days": 0,
            }
        )
        cls._distrib_stock(cls.product, cls.wh2.lot_stock_id, 10)

    def _options(self, order):
        return order.order_line._distrib_sourcing_options()

    def test_no_expedite_without_a_cost(self):
        order = self._sale(self.standard, 5, days=0)
        kinds = [vals["kind"] for vals in self._options(order)]
        self.assertIn("warehouse", kinds)
        self.assertNotIn("expedite", kinds)

    def test_expedite_cost_in_margin_before_and_after(self):
        self.company.distrib_expedite_cost = 15.0
        order = self._sale(self.standard, 5, days=0)
        options = {vals["kind"]: vals for vals in self._options(order)}
        expedite = options["expedite"]
        # 5 units at cost 10: transfer 2 % = 1, express 15
        self.assertAlmostEqual(expedite["margin_impact"], -16.0)
        self.assertAlmostEqual(options["warehouse"]["margin_impact"], -1.0)
        self.assertLess(expedite["promise_date"], options["warehouse"]["promise_date"])
        self.assertEqual(expedite["rank"], 1)
        order.action_distrib_sourcing_options()
        option = order.distrib_sourcing_option_ids.filtered(
            lambda o: o.kind == "expedite"
        )
        self.assertIn("Express", option.summary)
        option.action_apply()
        line = order.order_line
        self.assertEqual(line.distrib_source_kind, "expedite")
        self.assertEqual(line.distrib_expedite_cost, 15.0)
        self.assertEqual(line.warehouse_id, self.wh2)
        # the margin check sees it: revenue 100, goods 50, express 15
        _revenue, margin = order._distrib_line_margin_after_costs(line)
        self.assertAlmostEqual(margin, 35.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        result = {"tiles": [], "panels": [], "actions": {}, "counts": {}}
        self.env["distrib.kpi.dashboard"]._kpi_extend(
            result,
            self.company,
            self.company.currency_id,
            order.date_order.date(),
            order.date_order.date(),
        )
        tile = next(t for t in result["tiles"] if t["key"] == "allocation_expedite")
        self.assertAlmostEqual(tile["value"], 15.0)

    def _delivered_with(self, kind):
        """An order for 5 that wh1 cannot serve, sourced by ``kind`` from wh2,
        confirmed and delivered."""
        self.company.distrib_orchestration_enabled = True
        order = self._sale(self.standard, 5, days=0)
        order.action_distrib_sourcing_options()
        order.distrib_sourcing_option_ids.filtered(
            lambda option: option.kind == kind
        ).action_apply()
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        for picking in order.picking_ids:
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.move_ids.picked = True
            picking.button_validate()
        self.assertEqual(order.order_line.qty_delivered, 5.0)
        return order

    def test_expedite_cost_in_margin_erosion_after_shipment(self):
        """The express carrier lowers the margin at shipment by its cost and shows
        as erosion; the same order by the usual transfer shows none."""
        self.company.distrib_expedite_cost = 15.0
        plain = self._delivered_with("warehouse")
        self.assertFalse(plain.order_line.distrib_expedite_cost)
        self.assertAlmostEqual(plain.distrib_erosion_shipment, 0.0)
        self.assertNotIn(
            "expedite", plain._distrib_shipment_cost_estimates().get(plain.id, {})
        )
        expedited = self._delivered_with("expedite")
        self.assertEqual(expedited.order_line.distrib_expedite_cost, 15.0)
        self.assertAlmostEqual(
            expedited._distrib_shipment_cost_estimates()[expedited.id]["expedite"],
            15.0,
        )
        self.assertAlmostEqual(
            expedited.distrib_revenue_shipped, plain.distrib_revenue_shipped
        )
        self.assertAlmostEqual(
            expedited.distrib_margin_shipped, plain.distrib_margin_shipped - 15.0
        )
        self.assertGreater(expedited.distrib_erosion_shipment, 0.0)

    def test_expedite_cost_pro_rata_of_what_shipped(self):
        self.company.write(
            {"distrib_expedite_cost": 15.0, "distrib_orchestration_enabled": True}
        )
        order = self._sale(self.standard, 4, days=0)
        order.action_distrib_sourcing_options()
        order.distrib_sourcing_option_ids.filtered(
            lambda option: option.kind == "expedite"
        ).action_apply()
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = 1.0
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True).button_validate()
        self.assertEqual(order.order_line.qty_delivered, 1.0)
        self.assertAlmostEqual(
            order._distrib_shipment_cost_estimates()[order.id]["expedite"], 3.75
        )
