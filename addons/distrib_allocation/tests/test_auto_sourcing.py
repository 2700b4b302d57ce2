import datetime

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DistribAllocationCommon


@tagged("post_install", "-at_install")
class TestAutoSourcing(DistribAllocationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "distrib_auto_sourcing": True,
                "distrib_transfer_days": 2,
                "distrib_transfer_cost_percent": 2.0,
                "distrib_shortage_sla_strategic": 4,
            }
        )
        cls.Policy = cls.env["distrib.sourcing.policy"]
        cls.Exception = cls.env["distrib.exception"]
        # the order's warehouse is empty, the other one has the units
        cls._distrib_stock(cls.product, cls.wh2.lot_stock_id, 10)

    def _shortages(self, order):
        return self.Exception.search(
            [
                ("res_model", "=", "sale.order"),
                ("res_id", "=", order.id),
                ("exception_type", "=", "shortage"),
            ]
        )

    def test_policy_sources_the_line_and_confirms(self):
        self.Policy.create({"kind": "warehouse", "max_cost_percent": 5.0})
        order = self._sale(self.strategic, 5, days=3)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        line = order.order_line
        self.assertEqual(line.distrib_source_kind, "warehouse")
        self.assertEqual(line.distrib_source_warehouse_id, self.wh2)
        self.assertEqual(line.move_ids.location_id.warehouse_id, self.wh2)
        self.assertFalse(self._shortages(order))
        self.assertTrue(
            any(
                "sourced automatically" in (message.body or "")
                for message in order.message_ids
            )
        )
        log = self.env["distrib.allocation.log"].search(
            [("order_id", "=", order.id), ("event", "=", "auto_sourced")]
        )
        self.assertEqual(log.resolution, "auto")
        self.assertEqual(log.option_kind, "warehouse")

    def test_policy_sources_many_lines_at_once(self):
        """Three short lines of two products from the same warehouse: each gets
        the source, the route and its promise (applied to the lines together),
        and its delivery leaves the other warehouse."""
        self.Policy.create({"kind": "warehouse", "max_cost_percent": 5.0})
        self._distrib_stock(self.product_b, self.wh2.lot_stock_id, 10)
        order = self._sale(self.strategic, 3, days=3)
        order.write(
            {
                "order_line": [
                    Command.create(
                        {"product_id": product.id, "product_uom_qty": quantity}
                    )
                    for product, quantity in ((self.product_b, 4), (self.product, 2))
                ]
            }
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        lines = order.order_line
        self.assertEqual(len(lines), 3)
        route = self.wh2._distrib_get_ship_from_route()
        for line in lines:
            self.assertEqual(line.distrib_source_kind, "warehouse")
            self.assertEqual(line.distrib_source_warehouse_id, self.wh2)
            self.assertEqual(line.route_id, route)
            self.assertTrue(line.distrib_promised_date)
            self.assertEqual(line.move_ids.location_id.warehouse_id, self.wh2)
        self.assertEqual(
            len(
                self.env["distrib.allocation.log"].search(
                    [("order_id", "=", order.id), ("event", "=", "auto_sourced")]
                )
            ),
            3,
        )

    def test_cost_limit_and_margin_floor_route_to_a_person(self):
        # the transfer costs 2 %: above a 1 % limit
        policy = self.Policy.create({"kind": "warehouse", "max_cost_percent": 1.0})
        order = self._sale(self.standard, 5, days=3)
        order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(len(self._shortages(order)), 1)
        # within the cost limit, below the margin floor (margin 50 % - 1 %)
        policy.max_cost_percent = 5.0
        self.company.distrib_auto_margin_floor = 60.0
        other = self._sale(self.standard, 5, days=3)
        other.action_confirm()
        self.assertEqual(other.state, "draft")
        self.assertFalse(other.order_line.distrib_source_kind)

    def test_shortage_exception_ranked_options_one_click(self):
        order = self._sale(self.strategic, 5, days=3)
        order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.distrib_hold_reason)
        self.assertTrue(order.distrib_shortage_open)
        exception = self._shortages(order)
        self.assertEqual(len(exception), 1)
        self.assertTrue(exception.blocking)
        self.assertEqual(exception.severity, "critical")
        self.assertIn("ATP Second WH", exception.details)
        self.assertIn("Margin impact", exception.details)
        deadline = fields.Datetime.now() + datetime.timedelta(hours=4)
        self.assertAlmostEqual(
            exception.sla_deadline, deadline, delta=datetime.timedelta(minutes=5)
        )
        # confirming again raises no second exception
        order.action_confirm()
        self.assertEqual(len(self._shortages(order)), 1)
        action = exception.action_distrib_shortage_options()
        options = self.env["distrib.sourcing.option"].search(action["domain"])
        self.assertEqual(options[0].kind, "warehouse")
        options[0].action_apply()
        self.assertEqual(exception.state, "resolved")
        self.assertFalse(order.distrib_shortage_open)
        self.assertEqual(order.state, "sale")
        log = self.env["distrib.allocation.log"].search(
            [("order_id", "=", order.id), ("event", "=", "shortage_resolved")]
        )
        self.assertEqual(log.resolution, "person")

    def test_option_that_no_longer_applies(self):
        order = self._sale(self.standard, 5, days=3)
        order.action_confirm()
        exception = self._shortages(order)
        action = exception.action_distrib_shortage_options()
        option = self.env["distrib.sourcing.option"].search(action["domain"])[:1]
        # another order takes the other warehouse's units meanwhile
        self._distrib_stock(self.product, self.wh2.lot_stock_id, -8)
        with self.assertRaisesRegex(UserError, "no longer applies"):
            option.action_apply()
        self.assertFalse(order.order_line.distrib_source_kind)
        self.assertEqual(exception.state, "new")

    def test_resolves_when_stock_arrives(self):
        order = self._sale(self.standard, 5, days=3)
        order.action_confirm()
        exception = self._shortages(order)
        self._receive(5)
        self.assertEqual(exception.state, "resolved")
        self.assertFalse(order.distrib_shortage_open)
        self.assertIn("Stock arrived", order.activity_ids.summary)
        log = self.env["distrib.allocation.log"].search(
            [("order_id", "=", order.id), ("event", "=", "shortage_resolved")]
        )
        self.assertEqual(log.resolution, "stock")
        # the hold ends at the next confirmation
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_resolves_when_line_changed(self):
        self._distrib_stock(self.product, self.wh1.lot_stock_id, 2)
        order = self._sale(self.standard, 5, days=3)
        order.action_confirm()
        exception = self._shortages(order)
        self.assertEqual(len(exception), 1)
        order.order_line.product_uom_qty = 2
        self.assertEqual(exception.state, "resolved")
        log = self.env["distrib.allocation.log"].search(
            [("order_id", "=", order.id), ("event", "=", "shortage_resolved")]
        )
        self.assertEqual(log.resolution, "changed")

    def test_off_confirms_as_before(self):
        self.company.distrib_auto_sourcing = False
        order = self._sale(self.standard, 5, days=3)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(self._shortages(order))
        self.assertEqual(order.order_line.distrib_backorder_qty, 5.0)
