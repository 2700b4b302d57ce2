from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    distrib_share_availability = fields.Boolean(
        related="company_id.distrib_share_availability", readonly=False
    )
    distrib_atp_promise = fields.Boolean(
        related="company_id.distrib_atp_promise", readonly=False
    )
    distrib_atp_policy = fields.Selection(
        related="company_id.distrib_atp_policy", readonly=False
    )
    distrib_atp_commitment_date = fields.Boolean(
        related="company_id.distrib_atp_commitment_date", readonly=False
    )
    distrib_transfer_days = fields.Integer(
        related="company_id.distrib_transfer_days", readonly=False
    )
    distrib_transfer_cost_percent = fields.Float(
        related="company_id.distrib_transfer_cost_percent", readonly=False
    )
    distrib_intercompany_days = fields.Integer(
        related="company_id.distrib_intercompany_days", readonly=False
    )
    distrib_intercompany_markup_percent = fields.Float(
        related="company_id.distrib_intercompany_markup_percent", readonly=False
    )
