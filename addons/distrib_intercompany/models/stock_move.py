from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _distrib_ic_returnable_qty(self):
        """What is left to return of this done move, in the product's unit.

        Its quantity less its returns that are done or on their way (not
        cancelled): a second return cannot take back the same goods.
        """
        self.ensure_one()
        uom = self.product_id.uom_id
        quantity = self.product_uom._compute_quantity(self.quantity, uom)
        for returned in self.returned_move_ids.filtered(
            lambda move: move.state != "cancel"
        ):
            taken = (
                returned.quantity
                if returned.state == "done"
                else returned.product_uom_qty
            )
            quantity -= returned.product_uom._compute_quantity(taken, uom)
        return max(quantity, 0.0)
