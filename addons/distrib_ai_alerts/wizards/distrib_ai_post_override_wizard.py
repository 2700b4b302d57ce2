from odoo import fields, models

from odoo.addons.distrib_atp.rpc import distrib_rpc


class DistribAiPostOverrideWizard(models.TransientModel):
    _name = "distrib.ai.post.override.wizard"
    _description = "Post despite the Price Check"

    move_ids = fields.Many2many("account.move", string="Invoices", readonly=True)
    reason = fields.Text(required=True)

    @distrib_rpc(singleton=True)
    def action_confirm(self):
        self.move_ids.action_distrib_ai_override(self.reason)
        return {"type": "ir.actions.act_window_close"}
