from odoo import api, fields, models
from odoo.exceptions import UserError

from ..rpc import check_vals, distrib_rpc


class StockLot(models.Model):
    _name = "stock.lot"
    _inherit = ["stock.lot", "distrib.workflow.mixin"]

    distrib_hold = fields.Boolean(
        string="On Hold",
        tracking=True,
        copy=False,
        help="A lot on hold (e.g. a quality hold) cannot be promised to customers.",
    )
    distrib_hold_reason = fields.Char(string="Hold Reason", tracking=True, copy=False)
    distrib_hold_user_id = fields.Many2one(
        "res.users", string="Held By", readonly=True, copy=False
    )
    distrib_hold_date = fields.Datetime(string="Held On", readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        check_vals(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_vals(self, vals)
        if "distrib_hold_reason" in vals and not self.env.su:
            held = self.filtered("distrib_hold")
            if held:
                raise UserError(
                    self.env._(
                        "Lot %(lots)s is on hold: release it before changing the "
                        "reason.",
                        lots=", ".join(held.mapped("display_name")),
                    )
                )
        return super().write(vals)

    @api.model
    def _distrib_workflow_fields(self):
        """Hold and release are actions (who and when are recorded)."""
        return super()._distrib_workflow_fields() | {
            "distrib_hold",
            "distrib_hold_user_id",
            "distrib_hold_date",
        }

    @distrib_rpc()
    def action_distrib_hold(self):
        """Put the lots on hold; the reason comes from the form or the context."""
        reason = self.env.context.get("distrib_hold_reason")
        if reason is not None and reason is not False:
            if not isinstance(reason, str) or not reason.strip():
                raise UserError(
                    self.env._(
                        "The reason for holding a lot must be a text, not %(value)s.",
                        value=self.env["distrib.atp"]._distrib_short_repr(reason),
                    )
                )
            reason = reason.strip()
        for lot in self:
            if lot.distrib_hold:
                raise UserError(
                    self.env._("Lot %(lot)s is already on hold.", lot=lot.display_name)
                )
            if not (reason or lot.distrib_hold_reason):
                raise UserError(
                    self.env._(
                        "Give the reason for holding lot %(lot)s first.",
                        lot=lot.display_name,
                    )
                )
        vals = {
            "distrib_hold": True,
            "distrib_hold_user_id": self.env.user.id,
            "distrib_hold_date": fields.Datetime.now(),
        }
        if reason:
            vals["distrib_hold_reason"] = reason
        self.check_access("write")
        self.sudo().write(vals)
        return True

    @distrib_rpc()
    def action_distrib_release(self):
        for lot in self:
            if not lot.distrib_hold:
                raise UserError(
                    self.env._("Lot %(lot)s is not on hold.", lot=lot.display_name)
                )
        self.check_access("write")
        self.sudo().write(
            {
                "distrib_hold": False,
                "distrib_hold_reason": False,
                "distrib_hold_user_id": False,
                "distrib_hold_date": False,
            }
        )
        for lot in self:
            lot.message_post(
                body=self.env._("Hold released by %(user)s.", user=self.env.user.name)
            )
        return True
