from odoo import models

from odoo.addons.distrib_atp.server_flags import RETURN_LOCATION


class StockReturnPicking(models.TransientModel):
    _inherit = "stock.return.picking"

    def _prepare_picking_default_values(self):
        vals = super()._prepare_picking_default_values()
        location_id = RETURN_LOCATION.get(self.env)
        if location_id:
            # a return authorization receives into the warehouse's returns
            # (inspection) location, never straight back into sellable stock
            vals["location_dest_id"] = location_id
        return vals
