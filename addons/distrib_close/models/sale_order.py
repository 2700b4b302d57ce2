from collections import defaultdict

from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    distrib_landed_cost_shipped = fields.Monetary(
        string="Landed Costs on Deliveries",
        currency_field="distrib_company_currency_id",
        copy=False,
        readonly=True,
        help="Landed costs charged to the order's own deliveries (e.g. outbound or "
        "expedited freight), included in the cost of goods shipped.",
    )
    distrib_expedite_cost = fields.Monetary(
        string="Expedite Freight",
        currency_field="distrib_company_currency_id",
        copy=False,
        readonly=True,
        help="The part of the landed costs on the order's deliveries marked "
        "expedite (until they are booked, the express carrier quoted when a line "
        "was sourced, where allocation offers one): its own cause of margin "
        "erosion.",
    )

    @api.model
    def _distrib_workflow_fields(self):
        return super()._distrib_workflow_fields() | {
            "distrib_landed_cost_shipped",
            "distrib_expedite_cost",
        }

    def _distrib_shipment_cost_adjustments(self):
        """The validated landed costs on the orders' deliveries: Odoo books them
        to the cost of goods sold without a valuation layer (nothing of a
        delivery stays in stock), so the margin adds them here."""
        result = super()._distrib_shipment_cost_adjustments()
        if not self.ids:
            return result
        adjustments = (
            self.env["stock.valuation.adjustment.lines"]
            .sudo()
            .search(
                [
                    ("cost_id.state", "=", "done"),
                    ("move_id.sale_line_id.order_id", "in", self.ids),
                    ("move_id.location_dest_id.usage", "=", "customer"),
                ]
            )
        )
        totals = defaultdict(lambda: defaultdict(float))
        for adjustment in adjustments:
            order = adjustment.move_id.sale_line_id.order_id
            amount = adjustment.additional_landed_cost
            if adjustment.cost_id.company_id != order.company_id:
                continue
            cause = "expedite" if adjustment.cost_id.distrib_expedite else "landed_cost"
            totals[order.id][cause] += amount
        for order_id, causes in totals.items():
            merged = result.setdefault(order_id, {})
            for cause, amount in causes.items():
                merged[cause] = merged.get(cause, 0.0) + amount
        return result

    def _distrib_prepare_fulfilment_margin_vals(self, vals, adjustments):
        vals = super()._distrib_prepare_fulfilment_margin_vals(vals, adjustments)
        expedite = adjustments.get("expedite", 0.0)
        return {
            **vals,
            "distrib_landed_cost_shipped": expedite
            + adjustments.get("landed_cost", 0.0),
            "distrib_expedite_cost": expedite,
        }
