from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import DistribAiCommon


@tagged("post_install", "-at_install")
class TestLateRisk(DistribAiCommon):
    def _order(self, quantity, days):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.warehouse.id,
                "commitment_date": fields.Datetime.now() + timedelta(days=days),
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": quantity,
                            "price_unit": 100.0,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    def test_short_without_supply_is_at_risk(self):
        order = self._order(5, 3)
        model = self._model("late_risk")
        model._train()
        alert = model._score()
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.res_model, "sale.order.line")
        self.assertEqual(alert.res_id, order.order_line.id)
        self.assertIn("5.00 of 5.00 units not available", alert.explanation)
        self.assertIn("no incoming receipt covers the shortfall", alert.explanation)
        self.assertEqual(alert.exception_id.exception_type, "late_order_risk")
        self.assertIn(alert.severity, ("high", "critical"))
        self.assertAlmostEqual(alert.impact_amount, 500.0, delta=1.0)
        # stock arrives and is reserved: the risk clears on the next run
        self.env["stock.quant"]._update_available_quantity(
            self.product, self.warehouse.lot_stock_id, 10
        )
        order.picking_ids.action_assign()
        self.assertFalse(model._score())
        self.assertEqual(alert.state, "resolved")
        self.assertEqual(alert.exception_id.state, "resolved")
        # the stock leaves again: the same alert reopens with a new exception
        cleared_exception = alert.exception_id
        order.picking_ids.do_unreserve()
        self.env["stock.quant"]._update_available_quantity(
            self.product, self.warehouse.lot_stock_id, -10
        )
        self.assertEqual(model._score(), alert)
        self.assertEqual(alert.state, "open")
        self.assertNotEqual(alert.exception_id, cleared_exception)
        self.assertIn(alert.exception_id.state, ("new", "assigned"))

    def test_reserved_order_is_quiet(self):
        self.env["stock.quant"]._update_available_quantity(
            self.product, self.warehouse.lot_stock_id, 10
        )
        self._order(5, 3)
        model = self._model("late_risk")
        model._train()
        self.assertFalse(model._score())

    def test_recommended_action_degrades_gracefully(self):
        order = self._order(5, 3)
        model = self._model("late_risk")
        actions = model._recommended_actions(order.order_line)
        self.assertIsInstance(actions, dict)
        for text in actions.values():
            self.assertIsInstance(text, str)
