# pylint: disable=consider-merging-classes-inherited
# (one concern of sale.order per file, on purpose: see STYLE.md)
from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _distrib_shipment_cost_estimates(self):
        """The express carrier of the lines sourced by the expedite option: the
        cause ``expedite`` of the margin at shipment and of its erosion, as
        quoted when the line was sourced. An estimate: where the actual express
        freight is booked on the order's deliveries (``distrib_close``'s
        expedite landed costs), that replaces it, so it never counts twice.

        Pro rata of what each line shipped (its cost times the share of its
        quantity delivered, at most all of it), as the shipped revenue is: a
        half-shipped line carries half its expedite cost, so the margin % at
        shipment does not swing with the first delivery. In the company currency
        (the line's cost is), in one read for all the orders.
        """
        result = super()._distrib_shipment_cost_estimates()
        if not self.ids:
            return result
        lines = (
            self.env["sale.order.line"]
            .sudo()
            .search_fetch(
                [
                    ("order_id", "in", self.ids),
                    ("distrib_expedite_cost", "!=", 0.0),
                    ("qty_delivered", ">", 0.0),
                ],
                [
                    "order_id",
                    "distrib_expedite_cost",
                    "qty_delivered",
                    "product_uom_qty",
                ],
            )
        )
        for line in lines:
            if line.product_uom_qty <= 0:
                continue
            share = min(line.qty_delivered / line.product_uom_qty, 1.0)
            causes = result.setdefault(line.order_id.id, {})
            causes["expedite"] = (
                causes.get("expedite", 0.0) + line.distrib_expedite_cost * share
            )
        return result
