from odoo import api, fields, models
from odoo.exceptions import UserError

from .account_move import AI_OVERRIDING


class DistribAiPostOverride(models.Model):
    """A finance user posted an invoice the price check held: who, when, why
    and what the check said. Append-only: the audit trail of the overrides."""

    _name = "distrib.ai.post.override"
    _description = "Price Check Override"
    _order = "date desc, id desc"
    _check_company_auto = True

    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="move_id.company_id", store=True, readonly=True, index=True
    )
    partner_id = fields.Many2one(
        related="move_id.partner_id", string="Customer", readonly=True
    )
    user_id = fields.Many2one(
        "res.users", string="Overridden By", required=True, readonly=True
    )
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    reason = fields.Text(required=True, readonly=True)
    explanation = fields.Text(
        string="What the Check Found", readonly=True, help="The held exception(s)."
    )
    amount_total = fields.Monetary(
        string="Total Overridden",
        currency_field="currency_id",
        readonly=True,
        help="The override holds for this total: an invoice changed afterwards "
        "is checked again.",
    )
    currency_id = fields.Many2one(related="move_id.currency_id", readonly=True)

    def _check_audit_write(self):
        raise UserError(
            self.env._(
                "Price check overrides are part of the audit trail: they cannot "
                "be changed or deleted."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not (self.env.su and AI_OVERRIDING.is_on(self.env)):
            raise UserError(
                self.env._(
                    "Overrides are recorded by posting a held invoice with a "
                    "reason, never entered by hand."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        self.check_access("write")
        if self:
            self._check_audit_write()
        return super().write(vals)

    def unlink(self):
        self.check_access("unlink")
        if self:
            self._check_audit_write()
        return super().unlink()
