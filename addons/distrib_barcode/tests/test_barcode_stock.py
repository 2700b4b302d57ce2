from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DistribBarcodeCommon, new_key


@tagged("post_install", "-at_install")
class TestBarcodeStock(DistribBarcodeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._distrib_stock(cls.product, cls.shelf, 20.0)
        cls._distrib_stock(cls.lot_product, cls.shelf, 5.0, lot=cls.lot_a)

    def _free(self, product):
        rows = self.env["distrib.atp"].get_availability(
            product_ids=[product.id], warehouse_ids=self.warehouse.ids
        )
        return rows[0]

    def test_moving_into_quarantine_leaves_the_atp(self):
        self.assertEqual(self._free(self.product)["free"], 20.0)
        answer = self._as(self.warehouse_user).move(
            "LOC-A1", "5400000000010", "LOC-QUAR", new_key(), qty=4
        )
        self.assertIn("no longer counts as available", answer["message"])
        self.assertEqual(answer["status"], "quarantine")
        self.env.invalidate_all()
        row = self._free(self.product)
        self.assertEqual((row["free"], row["quarantine"]), (16.0, 4.0))

    def test_moving_a_lot_and_more_than_is_free(self):
        Scan = self._as(self.warehouse_user)
        with self.assertRaisesRegex(UserError, "Only 5"):
            Scan.move(self.shelf.id, "LOT-A", self.stock.id, new_key(), qty=6)
        answer = Scan.move(self.shelf.id, "LOT-A", self.stock.id, new_key())
        self.assertIn("5 Units", answer["message"])
        quant = self.env["stock.quant"].search(
            [("lot_id", "=", self.lot_a.id), ("location_id", "=", self.stock.id)]
        )
        self.assertEqual(quant.quantity, 5.0)
        with self.assertRaisesRegex(UserError, "another location"):
            Scan.move(self.shelf.id, "LOT-A", self.shelf.id, new_key())

    def test_hold_and_release_a_lot(self):
        Scan = self._as(self.warehouse_user)
        with self.assertRaisesRegex(UserError, "reason"):
            Scan.hold("LOT-A", "  ", new_key())
        with self.assertRaisesRegex(UserError, "not a lot"):
            Scan.hold("5400000000010", "Leaking", new_key())
        key = new_key()
        answer = Scan.hold("LOT-A", "Leaking", key)
        self.assertIn("on hold", answer["message"])
        self.assertTrue(self.lot_a.distrib_hold)
        self.assertEqual(self._free(self.lot_product)["held"], 5.0)
        self.assertTrue(Scan.hold("LOT-A", "Leaking", key)["replayed"])
        Scan.release("LOT-A", new_key())
        self.assertFalse(self.lot_a.distrib_hold)

    def test_lookup_a_product_and_a_lot(self):
        self._create_po(qty=7.0)
        answer = self._as(self.warehouse_user).lookup("5400000000010")
        self.assertEqual(answer["product"]["id"], self.product.id)
        row = next(
            r for r in answer["warehouses"] if r["warehouse_id"] == self.warehouse.id
        )
        self.assertEqual(row["on_hand"], 20.0)
        self.assertEqual(answer["locations"][0]["location_id"], self.shelf.id)
        self.assertEqual(answer["incoming"][0]["quantity"], 7.0)
        self.lot_a.with_context(distrib_hold_reason="Check").action_distrib_hold()
        answer = self._as(self.warehouse_user).lookup("LOT-A")
        self.assertEqual(answer["lot"]["name"], "LOT-A")
        self.assertTrue(answer["lot"]["hold"])
        self.assertEqual(answer["holds"][0]["reason"], "Check")
        answer = self._as(self.warehouse_user).lookup("LOC-A1")
        self.assertEqual(answer["kind"], "location")
