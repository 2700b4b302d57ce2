from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DistribBarcodeCommon, new_key


@tagged("post_install", "-at_install")
class TestBarcodeCount(DistribBarcodeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.distrib_cycle_count_approval = True
        cls._create_policy("cycle_count_variance", 50.0)
        cls._distrib_stock(cls.product, cls.shelf, 20.0)

    def _quant(self, product=None, lot=None):
        return self.env["stock.quant"].search(
            [
                ("product_id", "=", (product or self.product).id),
                ("location_id", "=", self.shelf.id),
                ("lot_id", "=", lot.id if lot else False),
            ]
        )

    def test_a_count_within_the_threshold_applies(self):
        Scan = self._as(self.warehouse_user)
        state = Scan.count_location("LOC-A1")
        self.assertEqual(state["location"]["id"], self.shelf.id)
        self.assertEqual(state["quants"][0]["on_hand"], 20.0)
        self.assertIsNone(state["quants"][0]["counted"])
        answer = Scan.count_scan(self.shelf.id, "15400000000017", new_key())  # 6
        answer = Scan.count_scan(self.shelf.id, "5400000000010", new_key(), qty=12)
        self.assertEqual(answer["quants"][0]["counted"], 18.0)
        answer = Scan.count_apply(self.shelf.id, new_key())
        self.assertEqual(answer["result"], "done", answer["message"])
        self.assertEqual(self._quant().quantity, 18.0)

    def test_a_count_needing_approval_waits_and_does_not_post(self):
        Scan = self._as(self.warehouse_user)
        Scan.count_scan(
            self.shelf.id, "5400000000010", new_key(), qty=10, set_quantity=True
        )
        answer = Scan.count_apply(self.shelf.id, new_key())
        self.assertEqual(answer["result"], "approval")
        self.assertIn("Waiting for approval", answer["message"])
        self.assertEqual(self._quant().quantity, 20.0, "nothing posted")
        self.assertTrue(answer["quants"][0]["waiting_approval"])
        request = self.env["distrib.approval.request"].search(
            [("res_model", "=", "stock.quant"), ("res_id", "=", self._quant().id)]
        )
        self.assertEqual(request.state, "pending")
        request.with_user(self.finance_user).action_approve()
        self.assertEqual(self._quant().quantity, 10.0)

    def test_unexpected_products_and_lots_are_counted(self):
        Scan = self._as(self.warehouse_user)
        with self.assertRaisesRegex(UserError, "tracked by lot"):
            Scan.count_scan(self.shelf.id, "5400000000027", new_key())
        answer = Scan.count_scan(
            self.shelf.id, "(01)05400000000027(10)FOUND-1(30)2", new_key()
        )
        lot = self.env["stock.lot"].search([("name", "=", "FOUND-1")])
        self.assertEqual(lot.product_id, self.lot_product)
        self.assertEqual(self._quant(self.lot_product, lot).inventory_quantity, 2.0)
        self.assertIn("FOUND-1", answer["scan"]["message"])
        Scan.count_apply(self.shelf.id, new_key())
        self.assertEqual(self._quant(self.lot_product, lot).quantity, 2.0)

    def test_count_refuses_what_is_not_stock(self):
        Scan = self._as(self.warehouse_user)
        with self.assertRaisesRegex(UserError, "not a location"):
            Scan.count_location("5400000000010")
        with self.assertRaisesRegex(UserError, "not a product or a lot"):
            Scan.count_scan(self.shelf.id, "LOC-STOCK", new_key())
        with self.assertRaisesRegex(UserError, "Nothing was counted"):
            Scan.count_apply(self.shelf.id, new_key())
        customers = self.env.ref("stock.stock_location_customers")
        with self.assertRaisesRegex(UserError, "not a stock location"):
            Scan.count_location(customers.id)
