from odoo import Command
from odoo.tests import tagged

from .common import DistribAiCommon


@tagged("post_install", "-at_install")
class TestStockAlerts(DistribAiCommon):
    def _count(self, quantity, location=None):
        location = location or self.warehouse.lot_stock_id
        quant = (
            self.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": self.product.id,
                    "location_id": location.id,
                    "inventory_quantity": quantity,
                }
            )
        )
        quant.action_apply_inventory()
        return self.env["stock.move"].search(
            [("is_inventory", "=", True), ("product_id", "=", self.product.id)],
            order="id desc",
            limit=1,
        )

    def test_inventory_adjustment(self):
        on_hand = 50.0
        for delta in (2, -1, 3, -2, 1, -3, 2, -1, 1, 2, -2, 1):
            on_hand += delta
            self._count(on_hand)
        model = self._model("inventory")
        model._train()
        self.assertGreaterEqual(model.sample_count, 12)
        # a usual count stays quiet
        self._count(on_hand + 2)
        self.assertFalse(model._score())
        move = self._count(on_hand + 400)
        alert = model._score()
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.res_id, move.id)
        self.assertIn("quantity 398.00 against usually", alert.explanation)
        self.assertIn("at this location", alert.explanation)
        self.assertEqual(alert.exception_id.exception_type, "anomaly")
        # valued at the product cost
        self.assertGreater(alert.impact_amount, 390 * 60.0)

    def _transfer(self, source, destination, quantity):
        self.env["stock.quant"]._update_available_quantity(
            self.product, source.lot_stock_id, quantity
        )
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": source.int_type_id.id,
                "location_id": source.lot_stock_id.id,
                "location_dest_id": destination.lot_stock_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": self.product.name,
                            "product_id": self.product.id,
                            "product_uom_qty": quantity,
                            "product_uom": self.product.uom_id.id,
                            "location_id": source.lot_stock_id.id,
                            "location_dest_id": destination.lot_stock_id.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        picking.move_ids.write({"quantity": quantity, "picked": True})
        picking.button_validate()
        return picking.move_ids

    def test_transfer_between_warehouses(self):
        other = self.env["stock.warehouse"].create(
            {"name": "North", "code": "NRT", "company_id": self.company.id}
        )
        for quantity in (10, 12, 9, 11, 10, 10, 13, 9):
            self._transfer(self.warehouse, other, quantity)
        model = self._model("transfer")
        model._train()
        self.assertEqual(model.sample_count, 8)
        self._transfer(self.warehouse, other, 11)
        self.assertFalse(model._score())
        move = self._transfer(self.warehouse, other, 300)
        alert = model._score()
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.res_id, move.id)
        self.assertIn("300.00 units moved against usually", alert.explanation)
