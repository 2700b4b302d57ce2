from odoo import api, models

from ..allocation_flags import DEMAND_AFTER


class DistribAtp(models.AbstractModel):
    _inherit = "distrib.atp"

    @api.model
    def _distrib_projections_from_rows(
        self, rows, product_ids, warehouse_ids, roundings
    ):
        """Promising an order of a given priority: the pending moves of the orders
        of a lower priority (``DEMAND_AFTER``, set by server code only) are served
        after it, so their unreserved demand does not count. What they reserved
        stays reserved (a planner re-allocates it)."""
        after = DEMAND_AFTER.get(self.env)
        if after:
            rows = [
                row
                for row in rows
                if not (
                    (row[0] == 2 and row[1] in after)
                    or (row[0] == 3 and (row[1] in after or row[2] in after))
                )
            ]
        return super()._distrib_projections_from_rows(
            rows, product_ids, warehouse_ids, roundings
        )
