from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    distrib_barcode_enabled = fields.Boolean(
        related="company_id.distrib_barcode_enabled", readonly=False
    )
