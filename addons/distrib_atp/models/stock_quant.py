from odoo import models
from odoo.osv import expression


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def _get_gather_domain(
        self,
        product_id,
        location_id,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=False,
    ):
        """Reservations that pick any lot leave the lots on hold alone.

        Only for lot-tracked products and when no lot is asked for: a move line
        that names a held lot, and the unreservation of what was reserved before
        the hold, work as usual.
        """
        domain = super()._get_gather_domain(
            product_id, location_id, lot_id, package_id, owner_id, strict
        )
        if not strict and not lot_id and product_id.tracking != "none":
            domain = expression.AND(
                [
                    domain,
                    ["|", ("lot_id", "=", False), ("lot_id.distrib_hold", "=", False)],
                ]
            )
        return domain
