from odoo import Command
from odoo.tests import HttpCase, tagged

WAREHOUSE_URL = "/odoo/action-distrib_barcode.distrib_barcode_warehouse_action"


@tagged("post_install", "-at_install")
class TestWarehouseTours(HttpCase):
    """The Warehouse app driven in Chromium at a phone's size, touch on."""

    browser_size = "375x667"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.company.distrib_barcode_enabled = True
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.shelf = cls.env["stock.location"].create(
            {"name": "Tour Shelf", "location_id": cls.stock.id, "barcode": "TOUR-SHELF"}
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "BC Tour Widget",
                "is_storable": True,
                "barcode": "5400000000010",
                "standard_price": 10.0,
            }
        )
        cls.env["product.packaging"].create(
            {
                "name": "Box of 6",
                "product_id": cls.product.id,
                "qty": 6.0,
                "barcode": "15400000000017",
            }
        )
        cls.vendor = cls.env["res.partner"].create({"name": "BC Tour Vendor"})
        cls.customer = cls.env["res.partner"].create({"name": "BC Tour Customer"})

    def _receipt(self, qty=10.0):
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "picking_type_id": self.warehouse.in_type_id.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_qty": qty,
                            "price_unit": 10,
                        }
                    )
                ],
            }
        )
        order.button_confirm()
        return order.picking_ids

    def _tour(self, name):
        self.start_tour(WAREHOUSE_URL, name, login="admin", timeout=120)

    def test_receipt_with_a_variance(self):
        self.company.write(
            {
                "distrib_receipt_variance_check": True,
                "distrib_receipt_variance_tolerance": 5.0,
            }
        )
        picking = self._receipt()
        self._tour("distrib_barcode_receipt_tour")
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.move_ids.quantity, 8.0)
        self.assertTrue(
            self.env["distrib.exception"]._get_open_for(picking, ["receipt_variance"])
        )

    def test_pick_with_a_lot_swap(self):
        product = self.env["product.product"].create(
            {"name": "BC Tour Serum", "is_storable": True, "tracking": "lot"}
        )
        lot_a, lot_b = self.env["stock.lot"].create(
            [
                {"name": "TOUR-LOT-A", "product_id": product.id},
                {"name": "TOUR-LOT-B", "product_id": product.id},
            ]
        )
        Quant = self.env["stock.quant"]
        Quant._update_available_quantity(product, self.stock, 3, lot_id=lot_a)
        Quant._update_available_quantity(product, self.shelf, 3, lot_id=lot_b)
        customers = self.env.ref("stock.stock_location_customers")
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "partner_id": self.customer.id,
                "location_id": self.stock.id,
                "location_dest_id": customers.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": 3,
                            "product_uom": product.uom_id.id,
                            "location_id": self.stock.id,
                            "location_dest_id": customers.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        self.assertEqual(picking.move_line_ids.lot_id, lot_a)
        self._tour("distrib_barcode_pick_tour")
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.move_line_ids.lot_id, lot_b)

    def test_count_needing_approval(self):
        self.company.distrib_cycle_count_approval = True
        self.env["distrib.approval.policy"].create(
            {
                "name": "Tour count policy",
                "company_id": self.company.id,
                "metric": "cycle_count_variance",
                "threshold": 50.0,
                "approver_user_id": self.env.ref("base.user_admin").id,
            }
        )
        self.env["stock.quant"]._update_available_quantity(self.product, self.shelf, 20)
        self._tour("distrib_barcode_count_tour")
        quant = self.env["stock.quant"].search(
            [("product_id", "=", self.product.id), ("location_id", "=", self.shelf.id)]
        )
        self.assertEqual(quant.quantity, 20.0, "nothing posted before the approval")
        self.assertEqual(quant.distrib_count_approval, "pending")

    def test_offline_queue_drains(self):
        picking = self._receipt()
        self._tour("distrib_barcode_offline_tour")
        self.assertEqual(picking.move_ids.quantity, 7.0)
        scans = self.env["distrib.barcode.scan"].search(
            [("picking_id", "=", picking.id)]
        )
        self.assertEqual(len(scans), 2, "each queued scan applied once")
