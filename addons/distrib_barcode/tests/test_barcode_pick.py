from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DistribBarcodeCommon, new_key


@tagged("post_install", "-at_install")
class TestBarcodePick(DistribBarcodeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._distrib_stock(cls.lot_product, cls.stock, 5.0, lot=cls.lot_a)
        cls._distrib_stock(cls.lot_product, cls.shelf, 5.0, lot=cls.lot_b)
        cls._distrib_stock(cls.product, cls.shelf, 20.0)

    def _reserved(self, lot):
        return sum(
            self.env["stock.quant"]
            .search([("lot_id", "=", lot.id)])
            .mapped("reserved_quantity")
        )

    def test_lines_are_ordered_by_location(self):
        picking = self._delivery([(self.product, 2), (self.lot_product, 3)])
        answer = self._as(self.warehouse_user).open_picking(picking.id)
        locations = [row["location"] for row in answer["moves"]]
        self.assertEqual(locations, sorted(locations))
        self.assertEqual(answer["picking"]["code"], "outgoing")

    def test_another_free_lot_is_accepted_and_the_reservation_follows(self):
        picking = self._delivery([(self.lot_product, 3)])
        self.assertEqual(picking.move_line_ids.lot_id, self.lot_a)
        self.assertEqual(self._reserved(self.lot_a), 3.0)
        Scan = self._as(self.warehouse_user)
        answer = Scan.scan(picking.id, "LOC-A1", new_key())
        self.assertEqual(answer["scan"]["kind"], "location")
        answer = Scan.scan(
            picking.id, "LOT-B", new_key(), qty=3, location_id=self.shelf.id
        )
        self.assertEqual(answer["scan"]["lot"], "LOT-B")
        line = picking.move_line_ids
        self.assertEqual((line.lot_id, line.location_id), (self.lot_b, self.shelf))
        self.assertEqual(self._reserved(self.lot_b), 3.0)
        self.assertEqual(self._reserved(self.lot_a), 0.0)
        answer = Scan.validate(picking.id, new_key())
        self.assertEqual(answer["result"], "done", answer["message"])
        self.assertEqual(picking.move_line_ids.lot_id, self.lot_b)

    def test_a_lot_that_is_not_free_is_refused(self):
        picking = self._delivery([(self.lot_product, 3)])
        other = self._delivery([(self.lot_product, 7)])  # takes the rest of A and B
        self.assertTrue(other.move_line_ids)
        Scan = self._as(self.warehouse_user)
        with self.assertRaisesRegex(UserError, "is free in"):
            Scan.scan(picking.id, "LOT-B", new_key(), qty=3, location_id=self.shelf.id)
        self.assertEqual(picking.move_line_ids.lot_id, self.lot_a, "nothing changed")

    def test_partial_pick_makes_a_backorder(self):
        picking = self._delivery([(self.product, 5)])
        Scan = self._as(self.warehouse_user)
        Scan.scan(picking.id, "5400000000010", new_key(), qty=2)
        answer = Scan.validate(picking.id, new_key())
        self.assertEqual(answer["result"], "backorder")
        answer = Scan.validate(picking.id, new_key(), backorder="backorder")
        self.assertEqual(answer["result"], "done")
        self.assertEqual(picking.move_ids.quantity, 2.0)
        self.assertEqual(picking.backorder_ids.move_ids.product_uom_qty, 3.0)

    def test_nothing_scanned_cannot_be_validated(self):
        picking = self._delivery([(self.product, 5)])
        with self.assertRaisesRegex(UserError, "Nothing was scanned"):
            self._as(self.warehouse_user).validate(picking.id, new_key())
        with self.assertRaisesRegex(UserError, "backorder"):
            self._as(self.warehouse_user).validate(picking.id, new_key(), "maybe")
