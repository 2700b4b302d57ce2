from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    distrib_close_enabled = fields.Boolean(
        related="company_id.distrib_close_enabled", readonly=False
    )
    distrib_lc_variance_tolerance = fields.Float(
        related="company_id.distrib_lc_variance_tolerance", readonly=False
    )
    distrib_accrual_account_id = fields.Many2one(
        related="company_id.distrib_accrual_account_id", readonly=False
    )
    distrib_accrued_revenue_account_id = fields.Many2one(
        related="company_id.distrib_accrued_revenue_account_id", readonly=False
    )
    distrib_close_target_days = fields.Integer(
        related="company_id.distrib_close_target_days", readonly=False
    )
