from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import DistribAiCommon


@tagged("post_install", "-at_install")
class TestStockAlerts(DistribAiCommon):
    def setUp(self):
        super().setUp()
        # each count a day after the previous one, as counts happen
        self.day = fields.Datetime.now() - timedelta(days=90)

    def _count(self, quantity, location=None, product=None):
        location = location or self.warehouse.lot_stock_id
        product = product or self.product
        quant = (
            self.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": product.id,
                    "location_id": location.id,
                    "inventory_quantity": quantity,
                }
            )
        )
        quant.action_apply_inventory()
        move = self.env["stock.move"].search(
            [("is_inventory", "=", True), ("product_id", "=", product.id)],
            order="id desc",
            limit=1,
        )
        self.day += timedelta(days=1)
        move.date = self.day
        return move

    def test_inventory_adjustment(self):
        on_hand = 50.0
        # the opening balance: the product's first stock in the location
        self._count(on_hand)
        for delta in (2, -1, 3, -2, 1, -3, 2, -1, 1, 2, -2, 1):
            on_hand += delta
            self._count(on_hand)
        model = self._model("inventory")
        model._train()
        # the opening balance is not a count: the model learns from the 12
        self.assertEqual(model.sample_count, 12)
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

    def test_opening_balance_is_not_scored(self):
        """The first stock of a product in a location is an opening balance,
        not a count variance: it trains nothing and raises nothing."""
        model = self._model("inventory")
        model._train()
        self.assertEqual(model.sample_count, 0)
        self._count(5000.0)
        self.assertFalse(model._score())

    def test_product_never_counted_is_compared_with_the_company(self):
        """A count of a product never counted before (its opening balance
        aside) is compared with the company's counts."""
        other = self._distrib_product(
            "Washer", taxes=False, list_price=10.0, standard_price=4.0
        )
        on_hand = 40.0
        self._count(on_hand)
        for delta in (1, -1, 2, -2, 1, 0.5, -1, 1):
            on_hand += delta
            self._count(on_hand)
        self._count(30.0, product=other)  # opening balance of the other product
        model = self._model("inventory")
        model._train()
        self.assertEqual(model.sample_count, 8)
        # a usual variance of the new product stays quiet, a gross one is found
        self._count(31.0, product=other)
        self.assertFalse(model._score())
        move = self._count(431.0, product=other)
        alert = model._score()
        self.assertEqual(alert.res_id, move.id)
        self.assertIn("for this company's counts", alert.explanation)
        self.assertIn("none of this product before", alert.explanation)

    def _receive(self, quantity, product=None):
        """A done receipt (the product's everyday moves)."""
        product = product or self.product
        move = self.env["stock.move"].create(
            {
                "name": product.name,
                "product_id": product.id,
                "product_uom_qty": quantity,
                "product_uom": product.uom_id.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.warehouse.lot_stock_id.id,
            }
        )
        move._action_confirm()
        move.write({"quantity": quantity, "picked": True})
        move._action_done()
        return move

    def test_transfer_with_little_history_compared_with_everyday_moves(self):
        """Issue #16: a product transferred once before (the scenario's case)
        is compared with its receipts and deliveries."""
        other = self.env["stock.warehouse"].create(
            {"name": "North", "code": "NRT", "company_id": self.company.id}
        )
        for quantity in (20, 18, 25, 22, 19, 30, 21, 24, 23):
            self._receive(quantity)
        self._transfer(self.warehouse, other, 20)
        model = self._model("transfer")
        model._train()
        self.assertEqual(model.sample_count, 1)
        self.assertEqual(model.params["reference"]["count"], [9])
        # twice the usual size: quiet; twenty times: found and explained
        self._transfer(self.warehouse, other, 40)
        self._transfer(other, self.warehouse, 5)
        self.assertFalse(model._score())
        move = self._transfer(self.warehouse, other, 450)
        alert = model._score()
        self.assertEqual(alert.res_id, move.id)
        self.assertIn(
            "450.00 units moved against usually 22.00 a move for this product "
            "(9 receipts and deliveries",
            alert.explanation,
        )
        self.assertEqual(alert.exception_id.exception_type, "anomaly")

    def test_transfer_without_any_history(self):
        """No receipt, delivery nor transfer: nothing to compare with, no
        alert and no error."""
        other = self.env["stock.warehouse"].create(
            {"name": "North", "code": "NRT", "company_id": self.company.id}
        )
        model = self._model("transfer")
        model._train()
        self.assertEqual(model.sample_count, 0)
        self._transfer(self.warehouse, other, 1)
        self.assertFalse(model._score())
