from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.distrib_atp.rpc import distrib_rpc


class DistribApprovalDecisionWizard(models.TransientModel):
    _name = "distrib.approval.decision.wizard"
    _description = "Decide an Approval Request"

    request_id = fields.Many2one(
        "distrib.approval.request", required=True, ondelete="cascade"
    )
    decision = fields.Selection(
        [("approved", "Approve"), ("rejected", "Reject")],
        required=True,
        default="approved",
    )
    comment = fields.Text(help="Required to reject: the requester reads it.")

    @distrib_rpc(singleton=True)
    def action_confirm(self):
        self.ensure_one()
        if self.decision == "approved":
            self.request_id.action_approve(self.comment)
        else:
            if not (self.comment or "").strip():
                raise UserError(self.env._("Give the reason of the rejection."))
            self.request_id.action_reject(self.comment)
        return {"type": "ir.actions.act_window_close"}
