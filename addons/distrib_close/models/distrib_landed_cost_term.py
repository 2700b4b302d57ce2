from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.distrib_atp.rpc import check_vals

COST_TYPES = [
    ("freight", "Freight"),
    ("duty", "Duty"),
    ("insurance", "Insurance"),
    ("handling", "Handling"),
]
BASES = [
    ("percent", "Percent of Value"),
    ("per_unit", "Per Unit"),
    ("per_weight", "Per Weight (kg)"),
]
# how stock_landed_costs splits the cost line of each basis over the received lines
SPLIT_METHODS = {
    "percent": "by_current_cost_price",
    "per_unit": "by_quantity",
    "per_weight": "by_weight",
}


class DistribLandedCostTerm(models.Model):
    """An expected landed cost of a company's receipts: a cost type (freight,
    duty...), its basis and rate, and the receipts it applies to (a vendor, the
    vendor's country, a product category, or all).

    For each received line and cost type, the most specific matching term wins:
    a vendor beats a product category, which beats a vendor country, which beats
    a term for everything; a deeper category beats its parent; then the sequence.
    """

    _name = "distrib.landed.cost.term"
    _description = "Landed-Cost Term"
    _order = "company_id, cost_type, specificity desc, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    cost_type = fields.Selection(COST_TYPES, required=True, default="freight")
    basis = fields.Selection(
        BASES,
        help="Percent of Value: a share of the received goods' value. Per Unit: an "
        "amount per unit received. Per Weight: an amount per kg received (the "
        "product's weight).",
    )
    rate = fields.Float(
        digits=(16, 4),
        help="Percent for a percent basis; an amount in the company's currency per "
        "unit or per kg otherwise.",
    )
    product_id = fields.Many2one(
        "product.product",
        string="Landed-Cost Product",
        required=True,
        check_company=True,
        domain="[('landed_cost_ok', '=', True), ('type', '=', 'service')]",
        help="The landed-cost service product the expected cost is booked with; "
        "the carrier's bill uses the same product for its true-up.",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Vendor", check_company=True, index=True
    )
    country_id = fields.Many2one("res.country", string="Vendor Country")
    categ_id = fields.Many2one("product.category", string="Product Category")
    expedite = fields.Boolean(
        help="Expedited freight: shown as its own cause in the margin-erosion figures."
    )
    specificity = fields.Integer(
        compute="_compute_specificity",
        store=True,
        help="Rank of the term among those matching a line (higher wins).",
    )

    @api.depends("partner_id", "country_id", "categ_id", "categ_id.parent_path")
    def _compute_specificity(self):
        for term in self:
            depth = (
                len((term.categ_id.parent_path or "").strip("/").split("/"))
                if term.categ_id
                else 0
            )
            term.specificity = (
                (1000 if term.partner_id else 0)
                + (100 + min(depth, 99) if term.categ_id else 0)
                + (10 if term.country_id else 0)
            )

    @api.constrains("basis", "rate", "cost_type", "product_id")
    def _check_term(self):
        for term in self:
            if not term.basis:
                raise ValidationError(
                    self.env._(
                        "Landed-cost term %(term)s needs a basis: percent of "
                        "value, per unit or per weight.",
                        term=term.name,
                    )
                )
            if term.rate < 0:
                raise ValidationError(
                    self.env._(
                        "Landed-cost term %(term)s: the rate cannot be negative "
                        "(%(rate)s).",
                        term=term.name,
                        rate=term.rate,
                    )
                )
            if term.basis == "percent" and term.rate > 100:
                raise ValidationError(
                    self.env._(
                        "Landed-cost term %(term)s: %(rate)s is not a percentage "
                        "between 0 and 100.",
                        term=term.name,
                        rate=term.rate,
                    )
                )
            if term.product_id and not (
                term.product_id.landed_cost_ok and term.product_id.type == "service"
            ):
                raise ValidationError(
                    self.env._(
                        "Landed-cost term %(term)s: %(product)s must be a service "
                        "product marked as a landed cost.",
                        term=term.name,
                        product=term.product_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        check_vals(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_vals(self, [vals])
        return super().write(vals)

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _matches(self, partner, product):
        self.ensure_one()
        if self.partner_id and self.partner_id != partner.commercial_partner_id:
            return False
        if self.country_id and self.country_id != partner.country_id:
            return False
        if self.categ_id:
            path = product.categ_id.parent_path or ""
            if f"/{self.categ_id.id}/" not in f"/{path}":
                return False
        return True

    @api.model
    def _terms_for_moves(self, company, partner, moves):
        """``{move: {cost_type: term}}``: the winning term of each cost type for
        each move of a receipt from ``partner`` in ``company`` (one query)."""
        terms = self.sudo().search([("company_id", "=", company.id)])
        result = {}
        for move in moves:
            chosen = {}
            # ordered by specificity desc then sequence: the first match wins
            for term in terms:
                if term.cost_type in chosen:
                    continue
                if term._matches(partner, move.product_id):
                    chosen[term.cost_type] = term
            if chosen:
                result[move] = chosen
        return result

    def _amount_for_move(self, move):
        """Expected cost of this term for the done ``move``, in the company
        currency."""
        self.ensure_one()
        qty = move.product_uom._compute_quantity(move.quantity, move.product_id.uom_id)
        if self.basis == "percent":
            value = sum(
                move.stock_valuation_layer_ids.filtered(
                    lambda layer: not layer.stock_landed_cost_id
                ).mapped("value")
            )
            amount = value * self.rate / 100.0
        elif self.basis == "per_unit":
            amount = qty * self.rate
        else:
            amount = qty * move.product_id.weight * self.rate
        return self.company_id.currency_id.round(amount)
