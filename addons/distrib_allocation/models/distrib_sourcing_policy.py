from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DistribSourcingPolicy(models.Model):
    """One kind of sourcing option a company lets the confirmation apply without
    a person, within limits."""

    _name = "distrib.sourcing.policy"
    _description = "Sourcing Policy"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    kind = fields.Selection(
        selection="_selection_kind",
        required=True,
        help="The kind of sourcing option applied automatically.",
    )
    max_cost_percent = fields.Float(
        string="Cost Limit (%)",
        digits=(16, 2),
        help="Extra cost of the option (lower margin) at most this percentage of "
        "the cost of the goods (0: no limit).",
    )
    max_lead_days = fields.Integer(
        string="Lead Time Limit (days)",
        help="The option's lead time at most this many days (0: no limit).",
    )

    _sql_constraints = [
        (
            "company_kind_uniq",
            "unique(company_id, kind)",
            "One sourcing policy line per kind of option and company.",
        )
    ]

    @api.model
    def _selection_kind(self):
        return (
            self.env["distrib.sourcing.option"]
            ._fields["kind"]
            ._description_selection(self.env)
        )

    @api.constrains("max_cost_percent", "max_lead_days")
    def _check_limits(self):
        for policy in self:
            if policy.max_cost_percent < 0 or policy.max_lead_days < 0:
                raise ValidationError(
                    self.env._("The limits of a sourcing policy cannot be negative.")
                )

    def _distrib_allows(self, line, vals):
        """Whether the option ``vals`` of ``line`` may be applied without a
        person: no customer consent, within the lead-time and cost limits, and
        the line's margin after it at or above the company's floor."""
        self.ensure_one()
        if vals.get("customer_accept_required"):
            return False
        if self.max_lead_days and (vals.get("lead_days") or 0) > self.max_lead_days:
            return False
        own_cost = line._distrib_need() * line._distrib_unit_cost()
        extra = -(vals.get("margin_impact") or 0.0)
        if (
            self.max_cost_percent
            and extra > 0
            and (not own_cost or extra / own_cost * 100.0 > self.max_cost_percent)
        ):
            return False
        floor = line.company_id.distrib_auto_margin_floor
        if floor:
            revenue = line.order_id._distrib_to_company_currency(line.price_subtotal)
            margin = revenue - own_cost + (vals.get("margin_impact") or 0.0)
            if not revenue or margin / revenue * 100.0 < floor:
                return False
        return True
