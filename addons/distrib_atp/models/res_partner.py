from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    distrib_segment_id = fields.Many2one(
        "distrib.customer.segment",
        string="Customer Segment",
        index="btree_not_null",
        help="Segment used by the distribution KPIs (fill rate, margins, risk).",
    )
    distrib_rebate_percent = fields.Float(
        string="Rebate (%)",
        company_dependent=True,
        digits=(16, 2),
        help="Year-end rebate granted to this customer, in percent of the sales. "
        "Margin checks deduct it from the expected margin.",
    )

    @api.constrains("distrib_rebate_percent")
    def _check_distrib_rebate_percent(self):
        for partner in self:
            if not 0.0 <= partner.distrib_rebate_percent <= 100.0:
                raise ValidationError(
                    self.env._(
                        "The rebate of %(partner)s must be between 0 and 100 %%, "
                        "not %(value)s.",
                        partner=partner.display_name,
                        value=partner.distrib_rebate_percent,
                    )
                )
