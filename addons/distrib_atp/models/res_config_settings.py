from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    distrib_share_availability = fields.Boolean(
        related="company_id.distrib_share_availability", readonly=False
    )
