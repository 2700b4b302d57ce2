import itertools

from odoo import Command

from odoo.addons.distrib_exceptions.tests.common import DistribControlPointCommon

_keys = itertools.count(1)


def new_key():
    """A scan key as the app makes one."""
    return f"test-key-{next(_keys):06d}"


class DistribBarcodeCommon(DistribControlPointCommon):
    """A company using the Warehouse app: products with EAN-13 barcodes, a
    packaging of 6, a lot-tracked product with two lots in stock, locations with
    barcodes and a warehouse user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.distrib_barcode_enabled = True
        cls.Scan = cls.env["distrib.barcode.scan"]
        cls.warehouse.action_distrib_create_status_locations()
        cls.stock = cls.warehouse.lot_stock_id
        cls.stock.barcode = "LOC-STOCK"
        cls.shelf = cls.env["stock.location"].create(
            {"name": "Shelf A", "location_id": cls.stock.id, "barcode": "LOC-A1"}
        )
        cls.quarantine = cls.warehouse.distrib_quarantine_location_id
        cls.quarantine.barcode = "LOC-QUAR"
        cls.product.barcode = "5400000000010"
        cls.packaging = cls.env["product.packaging"].create(
            {
                "name": "Box of 6",
                "product_id": cls.product.id,
                "qty": 6.0,
                "barcode": "15400000000017",
            }
        )
        cls.lot_product = cls._distrib_product(
            "Serum",
            taxes=False,
            categ_id=cls.category.id,
            standard_price=5.0,
            tracking="lot",
            barcode="5400000000027",
        )
        cls.lot_a = cls.env["stock.lot"].create(
            {"name": "LOT-A", "product_id": cls.lot_product.id}
        )
        cls.lot_b = cls.env["stock.lot"].create(
            {"name": "LOT-B", "product_id": cls.lot_product.id}
        )
        cls.warehouse_user = cls._distrib_user(
            "bc_warehouse", "base.group_user,warehouse", cls.company
        )
        cls.warehouse_user2 = cls._distrib_user(
            "bc_warehouse2", "base.group_user,warehouse", cls.company
        )

    @classmethod
    def _delivery(cls, lines):
        """A reserved delivery of ``[(product, qty)]`` from the stock."""
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": cls.warehouse.out_type_id.id,
                "partner_id": cls.customer.id,
                "location_id": cls.stock.id,
                "location_dest_id": cls.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "product_uom": product.uom_id.id,
                            "location_id": cls.stock.id,
                            "location_dest_id": cls.env.ref(
                                "stock.stock_location_customers"
                            ).id,
                        }
                    )
                    for product, qty in lines
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    def _as(self, user):
        return self.Scan.with_user(user).with_context(
            allowed_company_ids=user.company_ids.ids
        )

    @staticmethod
    def _move_row(answer, product):
        rows = [row for row in answer["moves"] if row["product_id"] == product.id]
        assert len(rows) == 1, rows
        return rows[0]
