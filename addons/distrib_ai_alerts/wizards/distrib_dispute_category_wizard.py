from odoo import fields, models

from odoo.addons.distrib_atp.rpc import distrib_rpc


class DistribDisputeCategoryWizard(models.TransientModel):
    """Correct the suggested category of a dispute (the choice is recorded and
    trains the next suggestions)."""

    _name = "distrib.dispute.category.wizard"
    _description = "Correct a Dispute's Category"

    dispute_id = fields.Many2one("distrib.order.dispute", required=True, readonly=True)
    suggested_category_id = fields.Many2one(related="dispute_id.suggested_category_id")
    category_id = fields.Many2one("distrib.dispute.category", required=True)

    @distrib_rpc(singleton=True)
    def action_confirm(self):
        self.dispute_id.action_set_category(self.category_id.id)
        return {"type": "ir.actions.act_window_close"}
