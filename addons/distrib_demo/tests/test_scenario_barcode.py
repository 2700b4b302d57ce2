from odoo.tests import tagged

from odoo.addons.distrib_atp.tests.common import DistribAtpCommon
from odoo.addons.distrib_demo.models.distrib_scenario_barcode import gs1_check_digit


@tagged("post_install", "-at_install")
class TestScenarioBarcode(DistribAtpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case_product = cls._create_product(
            "Floor Cleaner, 1 L",
            3.0,
            default_code="HOU-060000",
            uom_po_id=cls.env.ref("uom.product_uom_dozen").id,
        )
        cls.lot_product = cls._create_product(
            "Hand Gel", 2.0, default_code="PER-100100", tracking="lot"
        )
        cls.good_lot = cls.env["stock.lot"].create(
            {"name": "PER-100100-OPEN-A", "product_id": cls.lot_product.id}
        )
        cls.bad_lot = cls.env["stock.lot"].create(
            {"name": "lot 7 / spring batch", "product_id": cls.lot_product.id}
        )
        cls.shelf = cls.env["stock.location"].create(
            {"name": "Shelf 1", "location_id": cls.wh1.lot_stock_id.id}
        )
        cls.warehouse_user = cls._distrib_user("sc_bc_wh", "warehouse", cls.company)

    def _run_step(self):
        data = {
            "companies": [self.company],
            "warehouses": self.wh1 | self.wh2,
            "users": {"warehouse": self.warehouse_user},
        }
        self.env["distrib.scenario"]._scenario_barcode(data)
        return data

    def test_gs1_check_digit(self):
        # GS1's own example GTIN-13 4006381333931
        self.assertEqual(gs1_check_digit("400638133393"), "1")
        self.assertEqual(gs1_check_digit("1400638133393"), "8")
        self.assertEqual(gs1_check_digit("1540000000001"), "7")

    def test_step_makes_the_demo_scannable(self):
        self.assertIn("barcode", self.env["distrib.scenario"]._scenario_steps())
        self._run_step()
        self.assertTrue(self.company.distrib_barcode_enabled)
        # every product an EAN-13 with a valid check digit, all different
        products = self.product | self.product_b | self.case_product
        barcodes = products.mapped("barcode")
        self.assertEqual(len(set(barcodes)), 3)
        for barcode in barcodes:
            self.assertRegex(barcode, r"^\d{13}$")
            self.assertEqual(barcode[-1], gs1_check_digit(barcode[:12]))
        # bought by the dozen: a case of 12 with a GTIN-14 of the product's,
        # kept off the order lines
        case = self.case_product.packaging_ids
        self.assertEqual((case.name, case.qty), ("Case of 12", 12.0))
        self.assertFalse(case.sales or case.purchase)
        self.assertEqual(case.barcode[1:13], self.case_product.barcode[:12])
        self.assertEqual(case.barcode[-1], gs1_check_digit(case.barcode[:13]))
        self.assertFalse(self.product.packaging_ids)
        # every internal location of the warehouses: code + path
        code = self.wh1.code.upper()
        self.assertEqual(self.wh1.lot_stock_id.barcode, f"{code}-STOCK")
        self.assertEqual(self.shelf.barcode, f"{code}-STOCK-SHELF-1")
        self.assertEqual(
            self.wh2.distrib_quarantine_location_id.barcode, "ATP2-QUARANTINE"
        )
        internal = self.env["stock.location"].search(
            [
                ("warehouse_id", "in", (self.wh1 | self.wh2).ids),
                ("usage", "=", "internal"),
            ]
        )
        self.assertTrue(all(internal.mapped("barcode")))
        # lots: a label-safe name stays, another is renamed
        self.assertEqual(self.good_lot.name, "PER-100100-OPEN-A")
        self.assertRegex(self.bad_lot.name, r"^PER-100100-\d+$")
        # the Warehouse role lands in the app
        self.assertEqual(
            self.warehouse_user.action_id.id,
            self.env.ref("distrib_barcode.distrib_barcode_warehouse_action").id,
        )

    def test_the_app_reads_the_demo_labels(self):
        self._run_step()
        Scan = self.env["distrib.barcode.scan"].with_user(self.warehouse_user)
        found = Scan._distrib_resolve(
            self.case_product.packaging_ids.barcode, self.company
        )
        self.assertEqual((found["kind"], found["qty"]), ("packaging", 12.0))
        self.assertEqual(found["product"], self.case_product)
        found = Scan._distrib_resolve(self.shelf.barcode, self.company)
        self.assertEqual(found["location"], self.shelf)
        found = Scan._distrib_resolve(self.bad_lot.name, self.company)
        self.assertEqual(found["lot"], self.bad_lot)
        # a GS1 label of the case with a lot: the case's quantity, the lot
        gs1 = f"01{self.case_product.packaging_ids.barcode}10{self.good_lot.name}"
        found = Scan._distrib_resolve(gs1, self.company)
        self.assertEqual((found["kind"], found["qty"]), ("packaging", 12.0))
        # running the step again changes no barcode (the build runs it once,
        # but labels printed from it must stay right)
        before = self.shelf.barcode, self.case_product.barcode
        self._run_step()
        self.assertEqual((self.shelf.barcode, self.case_product.barcode), before)
