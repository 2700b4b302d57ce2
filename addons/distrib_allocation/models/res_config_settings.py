from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    distrib_allocation_enabled = fields.Boolean(
        related="company_id.distrib_allocation_enabled", readonly=False
    )
    distrib_auto_sourcing = fields.Boolean(
        related="company_id.distrib_auto_sourcing", readonly=False
    )
    distrib_auto_margin_floor = fields.Float(
        related="company_id.distrib_auto_margin_floor", readonly=False
    )
    distrib_shortage_team_id = fields.Many2one(
        related="company_id.distrib_shortage_team_id", readonly=False
    )
    distrib_shortage_sla_strategic = fields.Integer(
        related="company_id.distrib_shortage_sla_strategic", readonly=False
    )
    distrib_shortage_sla_key = fields.Integer(
        related="company_id.distrib_shortage_sla_key", readonly=False
    )
    distrib_shortage_sla_standard = fields.Integer(
        related="company_id.distrib_shortage_sla_standard", readonly=False
    )
    distrib_expedite_cost = fields.Monetary(
        related="company_id.distrib_expedite_cost", readonly=False
    )
    distrib_expedite_days = fields.Integer(
        related="company_id.distrib_expedite_days", readonly=False
    )
