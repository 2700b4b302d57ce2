from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DistribBarcodeCommon, new_key

EAN = "5400000000010"
BOX = "15400000000017"


@tagged("post_install", "-at_install")
class TestBarcodeReceive(DistribBarcodeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "distrib_receipt_variance_check": True,
                "distrib_receipt_variance_tolerance": 5.0,
            }
        )

    def test_quantities_count_up_line_by_line(self):
        picking = self._create_po(qty=10.0).picking_ids
        scan = self._as(self.warehouse_user).scan
        answer = scan(picking.id, EAN, new_key())
        row = self._move_row(answer, self.product)
        self.assertEqual((row["demand"], row["done"], row["status"]), (10, 1, "under"))
        self.assertIn("+1", answer["scan"]["message"])
        answer = scan(picking.id, BOX, new_key())
        self.assertEqual(self._move_row(answer, self.product)["done"], 7.0)
        answer = scan(picking.id, EAN, new_key(), qty=3)
        row = self._move_row(answer, self.product)
        self.assertEqual((row["done"], row["status"]), (10.0, "complete"))
        answer = scan(picking.id, EAN, new_key())
        self.assertEqual(self._move_row(answer, self.product)["status"], "over")
        # a product of another transfer changes nothing
        with self.assertRaisesRegex(UserError, "is not in transfer"):
            scan(picking.id, "5400000000027", new_key())
        self.assertEqual(picking.move_ids.quantity, 11.0)

    def test_receipt_lines_show_where_the_goods_go(self):
        picking = self._create_po(qty=10.0).picking_ids
        answer = self._as(self.warehouse_user).open_picking(picking.id)
        row = self._move_row(answer, self.product)
        # the shelf the worker puts it away in, not Partners/Vendors
        self.assertEqual(row["location"], picking.location_dest_id.complete_name)
        self.assertEqual(row["location_role"], "dest")
        self.assertNotEqual(row["location"], picking.location_id.complete_name)
        answer = self._as(self.warehouse_user).scan(picking.id, EAN, new_key())
        self.assertEqual(
            self._move_row(answer, self.product)["location"],
            picking.location_dest_id.complete_name,
        )
        delivery = self._delivery([(self.product, 1.0)])
        answer = self._as(self.warehouse_user).open_picking(delivery.id)
        self.assertEqual(
            self._move_row(answer, self.product)["location_role"], "source"
        )

    def test_a_replayed_scan_changes_nothing(self):
        picking = self._create_po(qty=10.0).picking_ids
        scan = self._as(self.warehouse_user).scan
        key = new_key()
        first = scan(picking.id, EAN, key, qty=2)
        self.assertFalse(first["replayed"])
        again = scan(picking.id, EAN, key, qty=2)
        self.assertTrue(again["replayed"])
        self.assertEqual(again["scan"], first["scan"])
        self.assertEqual(picking.move_ids.quantity, 2.0, "applied once")
        self.assertEqual(self.Scan.search_count([("key", "=", key)]), 1)
        with self.assertRaisesRegex(UserError, "already used for another action"):
            self._as(self.warehouse_user).validate(picking.id, key)
        # another user's key of the same value is their own scan
        self._as(self.warehouse_user2).scan(picking.id, EAN, key)
        self.assertEqual(picking.move_ids.quantity, 3.0)

    def test_two_people_on_one_receipt_see_each_other(self):
        picking = self._create_po(qty=10.0).picking_ids
        self._as(self.warehouse_user).scan(picking.id, EAN, new_key(), qty=2)
        answer = self._as(self.warehouse_user2).scan(picking.id, EAN, new_key(), qty=3)
        self.assertEqual(self._move_row(answer, self.product)["done"], 5.0)
        answer = self._as(self.warehouse_user).scan(picking.id, EAN, new_key())
        self.assertEqual(self._move_row(answer, self.product)["done"], 6.0)

    def test_another_company_is_out_of_reach(self):
        other = self._distrib_other_company("Barcode Other Co")
        other.distrib_barcode_enabled = True
        other_wh = self.env["stock.warehouse"].search([("company_id", "=", other.id)])
        order = self._create_po(
            qty=4.0, company_id=other.id, picking_type_id=other_wh.in_type_id.id
        )
        picking = order.picking_ids
        self.assertEqual(picking.company_id, other)
        Scan = self._as(self.warehouse_user)
        for call in (
            lambda: Scan.scan(picking.id, EAN, new_key()),
            lambda: Scan.open_picking(picking.id),
            lambda: Scan.validate(picking.id, new_key()),
        ):
            with self.assertRaisesRegex(UserError, "was not found"):
                call()
        names = [p["name"] for p in Scan.get_pickings("incoming")]
        self.assertNotIn(picking.name, names)
        # a location of the other company by its barcode is unknown here
        other_wh.lot_stock_id.barcode = "LOC-OTHER"
        with self.assertRaisesRegex(UserError, "Nothing has the barcode LOC-OTHER"):
            Scan.lookup("LOC-OTHER")

    def test_short_receipt_raises_the_variance_exception(self):
        order = self._create_po(qty=10.0, user_id=self.buyer.id)
        picking = order.picking_ids
        Scan = self._as(self.warehouse_user)
        Scan.scan(picking.id, EAN, new_key(), qty=8)
        answer = Scan.validate(picking.id, new_key())
        self.assertEqual(answer["result"], "backorder")
        self.assertIn("backorder", answer["message"])
        self.assertNotEqual(picking.state, "done")
        answer = Scan.validate(picking.id, new_key(), backorder="cancel")
        self.assertEqual(answer["result"], "done", answer["message"])
        self.assertEqual(picking.state, "done")
        self.assertFalse(picking.backorder_ids)
        self.assertEqual(len(answer["exceptions"]), 1)
        self.assertIn("Exception raised", answer["message"])
        exception = self.env["distrib.exception"]._get_open_for(picking)
        self.assertEqual(exception.exception_type, "receipt_variance")
        self.assertEqual(order.order_line.qty_received, 8.0)

    def test_short_receipt_with_backorder(self):
        picking = self._create_po(qty=10.0).picking_ids
        Scan = self._as(self.warehouse_user)
        Scan.scan(picking.id, EAN, new_key(), qty=4)
        answer = Scan.validate(picking.id, new_key(), backorder="backorder")
        self.assertEqual(answer["result"], "done")
        self.assertTrue(picking.backorder_ids)
        self.assertIn(picking.backorder_ids.name, answer["message"])
        self.assertEqual(picking.backorder_ids.move_ids.product_uom_qty, 6.0)

    def test_variance_above_the_policy_waits_for_approval(self):
        self._create_policy("valuation_impact", 10.0)
        order = self._create_po(qty=10.0)
        picking = order.picking_ids
        Scan = self._as(self.warehouse_user)
        Scan.scan(picking.id, EAN, new_key(), qty=14)  # 4 over x 10.0 = 40 > 10
        answer = Scan.validate(picking.id, new_key())
        self.assertEqual(answer["result"], "approval", answer["message"])
        self.assertIn("Waiting for approval", answer["message"])
        self.assertNotEqual(picking.state, "done", "nothing posted")
        request = self.env["distrib.approval.request"].search(
            [("res_model", "=", "stock.picking"), ("res_id", "=", picking.id)]
        )
        self.assertEqual(request.state, "pending")
        self.assertIn(request.name, answer["message"])
        request.with_user(self.finance_user).action_approve()
        self.assertEqual(picking.state, "done")

    def test_lots_received_from_gs1_labels(self):
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "order_line": [
                    (0, 0, {"product_id": self.lot_product.id, "product_qty": 10})
                ],
            }
        )
        order.button_confirm()
        picking = order.picking_ids
        Scan = self._as(self.warehouse_user)
        with self.assertRaisesRegex(UserError, "tracked by lot"):
            Scan.scan(picking.id, "5400000000027", new_key())
        label = "0105400000000027" + "10NEW-1\x1d" + "306"
        answer = Scan.scan(picking.id, label, new_key())
        self.assertEqual(answer["scan"]["lot"], "NEW-1")
        answer = Scan.scan(picking.id, label, new_key())
        row = self._move_row(answer, self.lot_product)
        self.assertEqual(row["done"], 12.0)
        answer = Scan.scan(picking.id, "0105400000000027" + "10NEW-2", new_key(), qty=1)
        self.assertEqual(self._move_row(answer, self.lot_product)["done"], 13.0)
        Scan.validate(picking.id, new_key())
        self.assertEqual(picking.state, "done")
        self.assertEqual(
            sorted(picking.move_line_ids.lot_id.mapped("name")), ["NEW-1", "NEW-2"]
        )

    def test_a_scan_costs_the_same_queries_on_a_large_transfer(self):
        products = [
            self._distrib_product(
                f"Bulk {index}", taxes=False, barcode=f"BULK{index:04d}"
            )
            for index in range(40)
        ]

        def receipt(count):
            order = self.env["purchase.order"].create(
                {
                    "partner_id": self.vendor.id,
                    "order_line": [
                        (0, 0, {"product_id": product.id, "product_qty": 5})
                        for product in products[:count]
                    ],
                }
            )
            order.button_confirm()
            return order.picking_ids

        small, large = receipt(4), receipt(40)
        Scan = self._as(self.warehouse_user)
        for picking in (small, large):
            Scan.scan(picking.id, "BULK0001", new_key())  # the first scan of each
        for _round in range(2):  # the second round: Odoo's caches are warm
            counts = []
            for picking, barcode in ((small, "BULK0002"), (large, "BULK0002")):
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                Scan.scan(picking.id, barcode, new_key())
                counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1], f"queries per scan: {counts}")
