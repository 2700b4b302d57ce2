from odoo import fields, models
from odoo.exceptions import UserError

from .sale_order import DISTRIB_STATES


class DistribOrderEvent(models.Model):
    """One change of a sale order's event state. Append-only: the audit trail."""

    _name = "distrib.order.event"
    _description = "Order Event"
    _order = "date desc, id desc"
    _rec_name = "to_state"

    order_id = fields.Many2one(
        "sale.order",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, readonly=True
    )
    partner_id = fields.Many2one(
        related="order_id.partner_id", store=True, readonly=True
    )
    from_state = fields.Selection(DISTRIB_STATES, readonly=True)
    to_state = fields.Selection(DISTRIB_STATES, required=True, readonly=True)
    date = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now, index=True
    )
    user_id = fields.Many2one(
        "res.users", readonly=True, default=lambda self: self.env.user
    )
    reason = fields.Char(readonly=True)
    res_model = fields.Char(string="Source Model", readonly=True)
    res_id = fields.Many2oneReference(
        string="Source ID", model_field="res_model", readonly=True
    )
    reference = fields.Char(string="Source Document", readonly=True)

    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(
            self.env._(
                "Order events are an audit trail: they cannot be changed (%(events)s).",
                events=", ".join(self.mapped("order_id.name")),
            )
        )

    def unlink(self):  # pylint: disable=method-required-super
        raise UserError(
            self.env._(
                "Order events are an audit trail: they cannot be deleted (%(events)s).",
                events=", ".join(self.mapped("order_id.name")),
            )
        )

    def action_open_source(self):
        self.ensure_one()
        if not self.res_model or not self.res_id:
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
