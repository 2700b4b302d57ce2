from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestStockStatus(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].create(
            {"name": "Status Test WH", "code": "STW"}
        )
        cls.Location = cls.env["stock.location"]

    def test_internal_locations_are_sellable_by_default(self):
        bin_location = self.Location.create(
            {"name": "Bin A", "location_id": self.warehouse.lot_stock_id.id}
        )
        self.assertEqual(self.warehouse.lot_stock_id.distrib_stock_status, "sellable")
        self.assertEqual(bin_location.distrib_stock_status, "sellable")
        customers = self.env.ref("stock.stock_location_customers")
        self.assertFalse(customers.distrib_stock_status)

    def test_children_inherit_and_follow_parent_changes(self):
        parent = self.Location.create(
            {"name": "Hold Area", "location_id": self.warehouse.view_location_id.id}
        )
        child = self.Location.create({"name": "Shelf 1", "location_id": parent.id})
        grandchild = self.Location.create({"name": "Box 1", "location_id": child.id})
        parent.distrib_status_override = "quarantine"
        self.assertEqual(grandchild.distrib_stock_status, "quarantine")
        child.distrib_status_override = "damaged"
        self.assertEqual(grandchild.distrib_stock_status, "damaged")
        self.assertEqual(parent.distrib_stock_status, "quarantine")
        child.distrib_status_override = False
        self.assertEqual(grandchild.distrib_stock_status, "quarantine")
        # moving a location under another parent takes the new parent's status
        grandchild.location_id = self.warehouse.lot_stock_id
        self.assertEqual(grandchild.distrib_stock_status, "sellable")

    def test_transit_locations_are_in_transit(self):
        transit = self.Location.create(
            {
                "name": "Road",
                "usage": "transit",
                "location_id": self.env.ref("stock.stock_location_locations").id,
            }
        )
        self.assertEqual(transit.distrib_stock_status, "transit")

    def test_warehouse_status_locations(self):
        self.warehouse.action_distrib_create_status_locations()
        quarantine = self.warehouse.distrib_quarantine_location_id
        self.assertEqual(quarantine.distrib_stock_status, "quarantine")
        self.assertEqual(
            self.warehouse.distrib_damaged_location_id.distrib_stock_status, "damaged"
        )
        self.assertEqual(
            self.warehouse.distrib_returns_location_id.distrib_stock_status, "returns"
        )
        # beside the stock location, so deliveries never reserve from them
        self.assertEqual(quarantine.location_id, self.warehouse.view_location_id)
        self.assertFalse(
            quarantine.parent_path.startswith(self.warehouse.lot_stock_id.parent_path)
        )
        # running it again creates nothing more
        before = self.Location.search_count([])
        self.warehouse.action_distrib_create_status_locations()
        self.assertEqual(self.Location.search_count([]), before)

    def test_rebate_out_of_range_is_refused(self):
        partner = self.env["res.partner"].create({"name": "Rebate Customer"})
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            partner.distrib_rebate_percent = 120
