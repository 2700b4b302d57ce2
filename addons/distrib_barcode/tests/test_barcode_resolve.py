from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DistribBarcodeCommon, new_key


@tagged("post_install", "-at_install")
class TestBarcodeResolve(DistribBarcodeCommon):
    def _resolve(self, barcode, picking=None):
        return self.Scan._distrib_resolve(barcode, self.company, picking=picking)

    def test_each_kind_of_barcode(self):
        found = self._resolve("5400000000010")
        self.assertEqual((found["kind"], found["product"]), ("product", self.product))
        found = self._resolve("15400000000017")
        self.assertEqual(found["kind"], "packaging")
        self.assertEqual(found["qty"], 6.0, "a packaging counts its quantity")
        found = self._resolve("LOT-A")
        self.assertEqual((found["kind"], found["lot"]), ("lot", self.lot_a))
        self.assertEqual(found["product"], self.lot_product)
        found = self._resolve("LOC-A1")
        self.assertEqual((found["kind"], found["location"]), ("location", self.shelf))
        order = self._create_po(qty=5.0)
        found = self._resolve(order.picking_ids.name)
        self.assertEqual(found["kind"], "picking")

    def test_gs1_labels(self):
        # GS1-128 as a scanner sends it: GTIN of the EAN-13, lot, expiry, count
        found = self._resolve("]C1010540000000002710LOT-B\x1d17271231" + "3012")
        self.assertEqual(found["kind"], "product")
        self.assertEqual(found["product"], self.lot_product)
        self.assertEqual(found["lot"], self.lot_b)
        self.assertEqual(found["qty"], 12.0)
        self.assertEqual(str(found["expiry"]), "2027-12-31")
        # the human-readable form, a lot not known yet
        found = self._resolve("(01)05400000000027(10)NEW-LOT")
        self.assertFalse(found["lot"])
        self.assertEqual(found["lot_name"], "NEW-LOT")
        # the GTIN of a packaging: the label's count is in packagings
        found = self._resolve("0115400000000017" + "302")
        self.assertEqual(found["kind"], "packaging")
        self.assertEqual(found["qty"], 12.0)

    def test_unknown_and_ambiguous_barcodes_say_so(self):
        with self.assertRaisesRegex(UserError, "Nothing has the barcode NOPE"):
            self._resolve("NOPE")
        with self.assertRaisesRegex(UserError, "barcode"):
            self._resolve("   ")
        with self.assertRaisesRegex(UserError, "No single product has the GTIN"):
            self._resolve("0109999999999994")
        # a lot named like a location's label
        self.env["stock.lot"].create(
            {"name": "LOC-A1", "product_id": self.lot_product.id}
        )
        with self.assertRaisesRegex(UserError, "ambiguous.*lot LOC-A1.*location"):
            self._resolve("LOC-A1")

    def test_bad_arguments_are_refused(self):
        picking = self._create_po(qty=5.0).picking_ids
        for key in (None, "short", 12345678, "x" * 65, "bad key with spaces"):
            with self.assertRaisesRegex(UserError, "not a valid scan key"):
                self.Scan.scan(picking.id, "5400000000010", key)
        for qty in (-1, "2", True, float("nan"), 1e20):
            with self.assertRaisesRegex(UserError, "quantity"):
                self.Scan.scan(picking.id, "5400000000010", new_key(), qty=qty)
        for picking_id in ("abc", [picking.id, picking.id], 0, 2**40):
            with self.assertRaises(UserError):
                self.Scan.scan(picking_id, "5400000000010", new_key())
        self.assertFalse(self.Scan.search([]), "nothing was recorded")
        self.assertFalse(any(picking.move_ids.mapped("picked")))

    def test_company_must_opt_in(self):
        self.company.distrib_barcode_enabled = False
        picking = self._create_po(qty=5.0).picking_ids
        with self.assertRaisesRegex(UserError, "Warehouse scanning is off"):
            self.Scan.scan(picking.id, "5400000000010", new_key())
        self.assertFalse(self.Scan.get_operations()["enabled"])

    def test_scan_log_cannot_be_edited(self):
        picking = self._create_po(qty=5.0).picking_ids
        self._as(self.warehouse_user).scan(picking.id, "5400000000010", new_key())
        scan = self.Scan.search([])
        self.assertEqual(scan.user_id, self.warehouse_user)
        with self.assertRaises(UserError):
            scan.write({"barcode": "x"})
        with self.assertRaises(UserError):
            scan.unlink()
        with self.assertRaises(UserError):
            self.Scan.create({"key": "abcdefgh1"})
