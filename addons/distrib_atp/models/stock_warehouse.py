from odoo import Command, fields, models
from odoo.exceptions import UserError

from ..rpc import distrib_rpc

# status -> (field on the warehouse, location name, short code)
STATUS_LOCATIONS = {
    "quarantine": ("distrib_quarantine_location_id", "Quarantine", "QUAR"),
    "damaged": ("distrib_damaged_location_id", "Damaged", "DMG"),
    "returns": ("distrib_returns_location_id", "Returns", "RET"),
}


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    distrib_quarantine_location_id = fields.Many2one(
        "stock.location",
        string="Quarantine Location",
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        help="Stock received or found here cannot be promised until released.",
    )
    distrib_damaged_location_id = fields.Many2one(
        "stock.location",
        string="Damaged Location",
        check_company=True,
        domain="[('usage', '=', 'internal')]",
    )
    distrib_returns_location_id = fields.Many2one(
        "stock.location",
        string="Returns Location",
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        help="Customer returns wait here for inspection and disposition.",
    )

    def _prepare_distrib_status_location_vals(self, status):
        self.ensure_one()
        name = STATUS_LOCATIONS[status][1]
        return {
            "name": name,
            "usage": "internal",
            "location_id": self.view_location_id.id,
            "company_id": self.company_id.id,
            "distrib_status_override": status,
        }

    @distrib_rpc()
    def action_distrib_create_status_locations(self):
        """Create the quarantine, damaged and returns locations that are missing.

        They sit beside the stock location (under the warehouse view location), so
        that deliveries never reserve from them.
        """
        Location = self.env["stock.location"]
        for warehouse in self:
            for status, (field_name, _name, _code) in STATUS_LOCATIONS.items():
                if warehouse[field_name]:
                    continue
                location = Location.with_company(warehouse.company_id).create(
                    warehouse._prepare_distrib_status_location_vals(status)
                )
                warehouse[field_name] = location
        return True

    def _prepare_distrib_ship_from_route_vals(self):
        self.ensure_one()
        customers = self.env.ref("stock.stock_location_customers")
        name = self.env._("Ship from %(warehouse)s", warehouse=self.name)
        return {
            "name": name,
            "sequence": 200,
            "sale_selectable": True,
            "product_selectable": False,
            "company_id": self.company_id.id,
            "distrib_ship_from_warehouse_id": self.id,
            "rule_ids": [
                Command.create(
                    {
                        "name": name,
                        "action": "pull",
                        "procure_method": "make_to_stock",
                        "picking_type_id": self.out_type_id.id,
                        "location_src_id": self.lot_stock_id.id,
                        "location_dest_id": customers.id,
                        "warehouse_id": self.id,
                        "company_id": self.company_id.id,
                    }
                )
            ],
        }

    def _distrib_get_ship_from_route(self):
        """The sale route delivering customers straight from this warehouse.

        Put on a sales order line, Odoo sets the line's warehouse to this one and
        its delivery leaves from here (sale_stock's route_id on the line). Created
        on first use: sales users cannot create routes, hence sudo, for a route of
        the warehouse's own company, and only for a caller who may see this
        warehouse in one of the companies they are working in.
        """
        self.ensure_one()
        self.check_access("read")
        if self.company_id not in self.env.companies:
            raise UserError(
                self.env._(
                    "You can only ship from %(warehouse)s while working in its "
                    "company, %(company)s: select it in the company switcher.",
                    warehouse=self.display_name,
                    company=self.company_id.name,
                )
            )
        Route = self.env["stock.route"].sudo()
        route = Route.search(
            [("distrib_ship_from_warehouse_id", "=", self.id)], limit=1
        )
        if not route:
            route = Route.create(self._prepare_distrib_ship_from_route_vals())
        return route.sudo(False)
