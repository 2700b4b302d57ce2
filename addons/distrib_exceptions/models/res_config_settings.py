from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    distrib_receipt_variance_check = fields.Boolean(
        related="company_id.distrib_receipt_variance_check", readonly=False
    )
    distrib_receipt_variance_tolerance = fields.Float(
        related="company_id.distrib_receipt_variance_tolerance", readonly=False
    )
    distrib_cycle_count_approval = fields.Boolean(
        related="company_id.distrib_cycle_count_approval", readonly=False
    )
    distrib_three_way_match = fields.Boolean(
        related="company_id.distrib_three_way_match", readonly=False
    )
    distrib_match_qty_tolerance = fields.Float(
        related="company_id.distrib_match_qty_tolerance", readonly=False
    )
    distrib_match_price_tolerance = fields.Float(
        related="company_id.distrib_match_price_tolerance", readonly=False
    )
    distrib_delayed_receipt_check = fields.Boolean(
        related="company_id.distrib_delayed_receipt_check", readonly=False
    )
    distrib_delayed_receipt_grace_days = fields.Integer(
        related="company_id.distrib_delayed_receipt_grace_days", readonly=False
    )
