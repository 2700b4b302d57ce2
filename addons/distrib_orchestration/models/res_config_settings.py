from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    distrib_orchestration_enabled = fields.Boolean(
        related="company_id.distrib_orchestration_enabled", readonly=False
    )
    distrib_invoice_on_shipment = fields.Boolean(
        related="company_id.distrib_invoice_on_shipment", readonly=False
    )
    distrib_credit_check = fields.Boolean(
        related="company_id.distrib_credit_check", readonly=False
    )
    distrib_margin_check = fields.Boolean(
        related="company_id.distrib_margin_check", readonly=False
    )
    distrib_freight_percent = fields.Float(
        related="company_id.distrib_freight_percent", readonly=False
    )
    distrib_min_margin_percent = fields.Float(
        related="company_id.distrib_min_margin_percent", readonly=False
    )
    distrib_max_discount_percent = fields.Float(
        related="company_id.distrib_max_discount_percent", readonly=False
    )
