from odoo import api, fields, models
from odoo.exceptions import UserError


class DistribApprovalDecision(models.Model):
    """One line of the approval trail: append-only."""

    _name = "distrib.approval.decision"
    _description = "Approval Decision"
    _order = "date, id"

    request_id = fields.Many2one(
        "distrib.approval.request",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    company_id = fields.Many2one(
        related="request_id.company_id", store=True, readonly=True
    )
    level = fields.Integer(required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Decided By", required=True, readonly=True
    )
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    decision = fields.Selection(
        [("approved", "Approved"), ("rejected", "Rejected")],
        required=True,
        readonly=True,
    )
    value = fields.Float(readonly=True, digits=(16, 4))
    threshold = fields.Float(readonly=True, digits=(16, 4))
    comment = fields.Text(readonly=True)
    value_display = fields.Char(
        string="Value Decided", compute="_compute_value_display"
    )
    threshold_display = fields.Char(
        string="Threshold Crossed", compute="_compute_value_display"
    )

    @api.depends("value", "threshold", "request_id.policy_id.metric")
    def _compute_value_display(self):
        for decision in self:
            request = decision.request_id.sudo()
            policy = request.policy_id
            if not policy:
                decision.value_display = decision.threshold_display = False
                continue
            decision.value_display = policy._format_value(
                decision.value, request.currency_id
            )
            decision.threshold_display = policy._format_value(
                decision.threshold, request.currency_id
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not (self.env.su and self.env.context.get("distrib_approval_deciding")):
            raise UserError(
                self.env._(
                    "Approval decisions are recorded by approving or rejecting "
                    "the request, never entered by hand."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        self.check_access("write")
        if self:
            raise UserError(
                self.env._(
                    "Approval decisions are part of the audit trail: they cannot "
                    "be changed."
                )
            )
        return super().write(vals)

    def unlink(self):
        self.check_access("unlink")
        if self:
            raise UserError(
                self.env._(
                    "Approval decisions are part of the audit trail: they cannot "
                    "be deleted."
                )
            )
        return super().unlink()
