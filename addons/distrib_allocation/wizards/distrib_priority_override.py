from odoo import fields, models

from odoo.addons.distrib_atp.rpc import distrib_rpc

from ..priorities import PRIORITIES


class DistribPriorityOverride(models.TransientModel):
    _name = "distrib.priority.override"
    _description = "Override an Order's Allocation Priority"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    current_priority = fields.Selection(
        related="order_id.distrib_allocation_priority", string="Current Priority"
    )
    priority = fields.Selection(PRIORITIES, string="New Priority", required=True)
    reason = fields.Char(required=True)

    @distrib_rpc(singleton=True)
    def action_apply(self):
        self.ensure_one()
        self.order_id.action_distrib_set_priority(self.priority, self.reason)
        return {"type": "ir.actions.act_window_close"}
