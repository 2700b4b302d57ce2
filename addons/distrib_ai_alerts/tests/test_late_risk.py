from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import DistribAiCommon


@tagged("post_install", "-at_install")
class TestLateRisk(DistribAiCommon):
    def _order(self, quantity, days, products=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.warehouse.id,
                "commitment_date": fields.Datetime.now() + timedelta(days=days),
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "price_unit": 100.0,
                            "tax_id": [Command.clear()],
                        }
                    )
                    for product in products or self.product
                ],
            }
        )
        order.action_confirm()
        return order

    def _products(self, count, stock=0.0):
        products = self.env["product.product"].create(
            [
                {"name": f"Part {index}", "is_storable": True, "list_price": 10.0}
                for index in range(count)
            ]
        )
        for product in products if stock else ():
            self.env["stock.quant"]._update_available_quantity(
                product, self.warehouse.lot_stock_id, stock
            )
        return products

    def _deliveries(self, product, count, days):
        """``count`` deliveries of one unit of ``product``, one move each,
        scheduled ``days`` from now (confirmed, not done)."""
        warehouse = self.warehouse
        customers = self.env.ref("stock.stock_location_customers")
        pickings = self.env["stock.picking"].create(
            [
                {
                    "picking_type_id": warehouse.out_type_id.id,
                    "partner_id": self.customer.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "location_dest_id": customers.id,
                    "scheduled_date": fields.Datetime.now() + timedelta(days=days),
                    "move_ids": [
                        Command.create(
                            {
                                "name": product.name,
                                "product_id": product.id,
                                "product_uom_qty": 1.0,
                                "location_id": warehouse.lot_stock_id.id,
                                "location_dest_id": customers.id,
                            }
                        )
                    ],
                }
                for _index in range(count)
            ]
        )
        pickings.action_confirm()
        return pickings

    def _ship_history(self, shipped_per_day):
        """Deliveries done in the past: ``{days ago: moves shipped that day}``."""
        product = self._products(1, stock=1000.0)
        now = fields.Datetime.now()
        for days_ago, count in shipped_per_day.items():
            pickings = self._deliveries(product, count, -days_ago)
            pickings.action_assign()
            pickings.move_ids.picked = True
            pickings._action_done()
            day = (now - timedelta(days=days_ago)).replace(hour=12, minute=0)
            pickings.move_ids.write({"date": day})
            pickings.write({"date_done": day})

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

    def test_queue_position_against_capacity(self):
        # 60 days of history: quiet days at the pace orders came (one move),
        # three busy days at four moves: it ships 21 moves in 60 days (0.35 a
        # day) but can ship four a day
        quiet = dict.fromkeys((2, 5, 9, 13, 17, 22, 30, 41, 50), 1)
        busy = dict.fromkeys((7, 20, 35), 4)
        self._ship_history(quiet | busy)
        overdue = self._order(1, -2, self._products(1, stock=10))
        soon = self._order(1, 1.5, self._products(3, stock=10))
        # twelve other deliveries are due before the next order
        self._deliveries(self._products(1), 12, 2)
        behind = self._order(1, 2.2, self._products(1, stock=10))
        short = self._order(1, 3, self._products(1))
        later = self._order(1, 10, self._products(2, stock=10))
        model = self._model("late_risk")
        model._train()
        alerts = model._score()
        by_line = {alert.res_id: alert for alert in alerts}
        # the lines early in the queue, and those due later, are on time
        self.assertFalse(set(by_line) & set((soon | later).order_line.ids))
        self.assertEqual(
            set(by_line),
            {overdue.order_line.id, behind.order_line.id, short.order_line.id},
        )
        warehouse = str(self.warehouse.id)
        self.assertEqual(model.params["warehouse_capacity"], {warehouse: 4.0})
        self.assertEqual(model.params["warehouse_days"], {warehouse: 12})
        # 16 moves are scheduled before it: four days of work, due in 2.2
        text = by_line[behind.order_line.id].explanation
        self.assertIn(
            "17 moves ahead of it in the warehouse (its own included), which "
            "ships up to 4.0 a day",
            text,
        )
        self.assertIn("promised in 2 days", text)
        self.assertEqual(by_line[behind.order_line.id].severity, "medium")
        # already past its promise: its real lateness, first in the queue
        alert = by_line[overdue.order_line.id]
        self.assertIn("promised 2.0 days ago and not delivered yet", alert.explanation)
        self.assertAlmostEqual(alert.value, 2.25, delta=0.01)
        self.assertIn(
            "no incoming receipt covers the shortfall",
            by_line[short.order_line.id].explanation,
        )

    def test_outdated_parameters_are_relearnt(self):
        self._order(5, 3)
        model = self._model("late_risk")
        model.params = {
            "version": 1,
            "supplier_p80": {},
            "supplier_count": {},
            "population_p80": 0.0,
            "warehouse_rate": {str(self.warehouse.id): 0.1},
        }
        alert = model._score()
        self.assertEqual(model.params["version"], 2)
        self.assertIn("warehouse_capacity", model.params)
        self.assertEqual(len(alert), 1)
