from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    distrib_rebate_enabled = fields.Boolean(
        related="company_id.distrib_rebate_enabled", readonly=False
    )
    distrib_rebate_journal_id = fields.Many2one(
        related="company_id.distrib_rebate_journal_id", readonly=False
    )
