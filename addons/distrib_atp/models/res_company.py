from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    distrib_share_availability = fields.Boolean(
        string="Share Availability With Group Companies",
        help="Users of the other companies of the group see this company's "
        "available-to-promise figures (quantities only, never its documents).",
    )
