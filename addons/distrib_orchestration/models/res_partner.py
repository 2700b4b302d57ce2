from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    distrib_min_margin_percent = fields.Float(
        string="Minimum Margin (%)",
        company_dependent=True,
        help="Minimum margin after freight and rebate on this customer's orders "
        "(0: the product category's or the company's minimum).",
    )
