import random
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.distrib_ai_alerts.tests.common import DistribAiCommon


@tagged("post_install", "-at_install")
class TestScenarioStep(DistribAiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.north = cls.env["stock.warehouse"].create(
            {"name": "North", "code": "NRT", "company_id": cls.company.id}
        )

    def _dated(self, moves, day):
        moves.date = fields.Datetime.now() - timedelta(days=60 - day)

    def _count(self, quantity, day):
        quant = (
            self.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": self.product.id,
                    "location_id": self.warehouse.lot_stock_id.id,
                    "inventory_quantity": quantity,
                }
            )
        )
        quant.action_apply_inventory()
        self._dated(
            self.env["stock.move"].search(
                [("is_inventory", "=", True), ("product_id", "=", self.product.id)],
                order="id desc",
                limit=1,
            ),
            day,
        )

    def _move(self, source, destination, quantity, day):
        move = self.env["stock.move"].create(
            {
                "name": self.product.name,
                "product_id": self.product.id,
                "product_uom_qty": quantity,
                "product_uom": self.product.uom_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
            }
        )
        move._action_confirm()
        move.write({"quantity": quantity, "picked": True})
        move._action_done()
        self._dated(move, day)

    def _history(self):
        """Invoices, counts, receipts and a transfer of the product: what the
        scenario's six months give each detector."""
        self._invoice([100.0, 101.0, 99.0, 100.0, 100.5, 99.5])
        supplier = self.env.ref("stock.stock_location_suppliers")
        stock = self.warehouse.lot_stock_id
        for day, quantity in enumerate((20, 18, 25, 22, 19, 30, 21, 24, 23)):
            self._move(supplier, stock, quantity, day)
        on_hand = self.product.with_context(location=stock.id).qty_available
        for day, delta in enumerate((1, -1, 2, -2, 1, -1, 1, 2), start=10):
            on_hand += delta
            self._count(on_hand, day)
        self._move(stock, self.north.lot_stock_id, 20, 30)

    def test_step_plants_explained_alerts(self):
        self.assertIn("ai_alerts", self.env["distrib.scenario"]._scenario_steps())
        self._history()
        data = {
            "rng": random.Random(42),
            "today": fields.Date.context_today(self.env.user),
            "companies": [self.company],
            "warehouses": self.warehouse | self.north,
            "products": self.product,
            "users": {},
        }
        self.env["distrib.scenario"]._scenario_ai_alerts(data)
        planted = data["ai_planted"][self.company.id]
        expected = {
            "price": "45% below",
            "inventory": "quantity 600.00 against usually",
            "transfer": "500.00 units moved against usually 22.00 a move",
        }
        for detector, words in expected.items():
            with self.subTest(detector=detector):
                record = planted[detector]
                self.assertEqual(len(record), 1, "the case is planted")
                alert = data["ai_alerts"].filtered(
                    lambda a, r=record: a.res_model == r._name and a.res_id == r.id
                )
                self.assertEqual(len(alert), 1, "the planted case is found")
                self.assertIn(words, alert.explanation)
                self.assertEqual(alert.exception_id.exception_type, "anomaly")
        # the count is a real adjustment of the product in the stock location
        self.assertTrue(planted["inventory"].is_inventory)
        self.assertEqual(planted["inventory"].state, "done")
        self.assertEqual(planted["inventory"].product_qty, 600.0)
        self.assertTrue(self.company.distrib_ai_late_risk_check)
        # the transferred stock came in on a done receipt: the quants are the
        # done moves, in every internal location of the product
        product = planted["transfer"].product_id
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT loc.id, COALESCE(SUM(CASE WHEN m.location_dest_id = loc.id
                                             THEN m.product_qty
                                             ELSE -m.product_qty END), 0)
              FROM stock_location loc
              JOIN stock_move m ON loc.id IN (m.location_id, m.location_dest_id)
             WHERE m.product_id = %s AND m.state = 'done'
               AND loc.usage = 'internal'
          GROUP BY loc.id
            """,
            [product.id],
        )
        moved = {loc: qty for loc, qty in self.env.cr.fetchall() if qty}
        quants = self.env["stock.quant"].search(
            [("product_id", "=", product.id), ("location_id.usage", "=", "internal")]
        )
        on_hand = {}
        for quant in quants:
            on_hand[quant.location_id.id] = (
                on_hand.get(quant.location_id.id, 0.0) + quant.quantity
            )
        self.assertEqual(moved, {k: v for k, v in on_hand.items() if v})

    def test_step_without_history_plants_what_it_can(self):
        """A company without history: no price case, no transfer (one
        warehouse), an opening count that raises nothing; no error."""
        data = {
            "rng": random.Random(42),
            "today": fields.Date.context_today(self.env.user),
            "companies": [self.company],
            "warehouses": self.warehouse,
            "products": self.product,
        }
        self.env["distrib.scenario"]._scenario_ai_alerts(data)
        planted = data["ai_planted"][self.company.id]
        self.assertIsNone(planted["price"])
        self.assertIsNone(planted["transfer"])
        self.assertFalse(
            data["ai_alerts"].filtered(lambda a: a.detector != "late_risk")
        )
        # nothing overdue and no demand: empty work lists, no error
        rows, risks = data["ai_work_lists"][self.company.id]
        self.assertFalse(rows)
        self.assertFalse(risks)
