from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.distrib_atp.rpc import check_vals


class DistribRebateTier(models.Model):
    """One step of an agreement's scale: from ``threshold`` (period volume or
    value) the rate is ``rate`` %."""

    _name = "distrib.rebate.tier"
    _description = "Rebate Tier"
    _order = "agreement_id, threshold, id"

    agreement_id = fields.Many2one(
        "distrib.rebate.agreement", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="agreement_id.company_id", store=True)
    threshold = fields.Float(
        string="From",
        required=True,
        digits="Account",
        help="The rate applies once the period's volume (quantity) or value "
        "(untaxed sales) reaches this figure.",
    )
    rate = fields.Float(string="Rate (%)", required=True, digits=(16, 2))

    @api.constrains("threshold", "rate")
    def _check_figures(self):
        for tier in self:
            if tier.threshold < 0.0:
                raise ValidationError(
                    self.env._(
                        "The tier thresholds of %(agreement)s cannot be negative "
                        "(%(value)s).",
                        agreement=tier.agreement_id.display_name,
                        value=tier.threshold,
                    )
                )
            if not 0.0 <= tier.rate <= 100.0:
                raise ValidationError(
                    self.env._(
                        "The tier rates of %(agreement)s must be between 0 and "
                        "100 %%, not %(value)s.",
                        agreement=tier.agreement_id.display_name,
                        value=tier.rate,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        check_vals(self, vals_list)
        tiers = super().create(vals_list)
        tiers.agreement_id._check_editable_terms()
        return tiers

    def write(self, vals):
        check_vals(self, vals)
        self.agreement_id._check_editable_terms()
        return super().write(vals)

    def unlink(self):
        self.agreement_id._check_editable_terms()
        return super().unlink()
