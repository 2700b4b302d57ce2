# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models
from odoo.tools import float_round

from odoo.addons.distrib_atp.rpc import check_vals

LC_KINDS = [
    ("expected", "Expected at Receipt"),
    ("true_up", "True-up from Bill"),
]
# weight of an adjustment line in the split of a cost line over its moves
SPLIT_WEIGHTS = {
    "by_quantity": "quantity",
    "by_weight": "weight",
    "by_volume": "volume",
    "by_current_cost_price": "former_cost",
}


class StockLandedCost(models.Model):
    _inherit = "stock.landed.cost"

    distrib_kind = fields.Selection(
        LC_KINDS,
        string="Origin",
        readonly=True,
        copy=False,
        index=True,
        help="Expected: booked from the landed-cost terms when the receipt was "
        "validated. True-up: the difference between a carrier or customs bill and "
        "what was expected. Empty: entered by hand.",
    )
    distrib_expedite = fields.Boolean(
        string="Expedite",
        help="Expedited freight: on a delivery, it counts in the order's margin at "
        "shipment and shows as its own cause of margin erosion.",
    )
    distrib_expected_amount = fields.Monetary(
        string="Expected Amount",
        readonly=True,
        copy=False,
        help="For a true-up: what was expected for the same receipt and cost "
        "products before this bill.",
    )
    distrib_variance_percent = fields.Float(
        string="Variance (%)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="For a true-up: the difference against the expected amount, in percent.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        check_vals(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_vals(self, [vals])
        return super().write(vals)

    def compute_landed_cost(self):
        """Odoo splits every cost line over all the moves of the transfers; a
        line of the terms applies to the moves its term matched only
        (``distrib_move_ids``): its amount is split over those, by its method."""
        res = super().compute_landed_cost()
        for cost in self:
            restricted = cost.cost_lines.filtered("distrib_move_ids")
            if not restricted:
                continue
            currency = cost.currency_id
            adjustments = cost.valuation_adjustment_lines.grouped("cost_line_id")
            for line in restricted:
                lines = adjustments.get(
                    line, self.env["stock.valuation.adjustment.lines"]
                )
                inside = lines.filtered(
                    lambda adj, cost_line=line: (
                        adj.move_id in cost_line.distrib_move_ids
                    )
                )
                (lines - inside).write({"additional_landed_cost": 0.0})
                if not inside:
                    continue
                fname = SPLIT_WEIGHTS.get(line.split_method)
                weights = [a[fname] if fname else 1.0 for a in inside]
                total = sum(weights) or 0.0
                if not total:
                    weights, total = [1.0] * len(inside), float(len(inside))
                split = 0.0
                for adjustment, weight in zip(inside, weights, strict=True):
                    value = float_round(
                        line.price_unit * weight / total,
                        precision_rounding=currency.rounding,
                    )
                    adjustment.additional_landed_cost = value
                    split += value
                remainder = currency.round(line.price_unit - split)
                if not currency.is_zero(remainder):
                    inside[-1].additional_landed_cost += remainder
        return res

    def button_validate(self):
        res = super().button_validate()
        # a landed cost on an order's delivery changes its margin at shipment
        orders = self.valuation_adjustment_lines.move_id.sale_line_id.order_id
        if orders:
            orders.sudo()._distrib_update_fulfilment_margins()
        return res


class StockLandedCostLine(models.Model):
    _inherit = "stock.landed.cost.lines"

    distrib_term_id = fields.Many2one(
        "distrib.landed.cost.term", string="Term", readonly=True, copy=False
    )
    distrib_move_ids = fields.Many2many(
        "stock.move",
        string="Applies To",
        readonly=True,
        copy=False,
        help="The received lines the term matched (empty: all lines).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        check_vals(self, vals_list)
        return super().create(vals_list)
