from odoo import fields, models

from odoo.addons.distrib_atp.rpc import distrib_rpc


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    distrib_ai_price_check = fields.Boolean(
        related="company_id.distrib_ai_price_check", readonly=False
    )
    distrib_ai_inventory_check = fields.Boolean(
        related="company_id.distrib_ai_inventory_check", readonly=False
    )
    distrib_ai_transfer_check = fields.Boolean(
        related="company_id.distrib_ai_transfer_check", readonly=False
    )
    distrib_ai_late_risk_check = fields.Boolean(
        related="company_id.distrib_ai_late_risk_check", readonly=False
    )
    distrib_ai_precheck = fields.Selection(
        related="company_id.distrib_ai_precheck", readonly=False
    )
    distrib_ai_collections_check = fields.Boolean(
        related="company_id.distrib_ai_collections_check", readonly=False
    )
    distrib_ai_collector_id = fields.Many2one(
        related="company_id.distrib_ai_collector_id", readonly=False
    )
    distrib_ai_collections_top = fields.Integer(
        related="company_id.distrib_ai_collections_top", readonly=False
    )
    distrib_ai_stockout_check = fields.Boolean(
        related="company_id.distrib_ai_stockout_check", readonly=False
    )
    distrib_ai_stockout_threshold = fields.Float(
        related="company_id.distrib_ai_stockout_threshold", readonly=False
    )
    distrib_ai_sensitivity = fields.Float(
        related="company_id.distrib_ai_sensitivity", readonly=False
    )
    distrib_ai_feedback_tolerance = fields.Float(
        related="company_id.distrib_ai_feedback_tolerance", readonly=False
    )

    @distrib_rpc(singleton=True)
    def action_distrib_ai_run(self):
        self.ensure_one()
        self.env["distrib.ai.model"].action_run_company(self.company_id)
        return self.env["ir.actions.act_window"]._for_xml_id(
            "distrib_ai_alerts.distrib_ai_alert_action"
        )
