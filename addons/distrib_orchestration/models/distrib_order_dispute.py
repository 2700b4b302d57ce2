from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.distrib_atp.rpc import distrib_rpc


class DistribOrderDispute(models.Model):
    """A customer disputes an invoice: the order is disputed until resolved."""

    _name = "distrib.order.dispute"
    _description = "Invoice Dispute"
    _inherit = ["mail.thread", "mail.activity.mixin", "distrib.workflow.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    invoice_id = fields.Many2one(
        "account.move",
        required=True,
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
        tracking=True,
    )
    order_id = fields.Many2one(
        "sale.order",
        compute="_compute_order_id",
        store=True,
        readonly=False,
        check_company=True,
        index=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        related="invoice_id.company_id", store=True, index=True
    )
    partner_id = fields.Many2one(related="invoice_id.partner_id", store=True)
    currency_id = fields.Many2one(related="invoice_id.currency_id")
    amount_disputed = fields.Monetary(
        string="Disputed Amount", currency_field="currency_id", tracking=True
    )
    reason = fields.Text(required=True, tracking=True)
    owner_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        tracking=True,
        help="Who follows the dispute up to its resolution.",
    )
    resolution = fields.Text(tracking=True)
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
    )
    date_resolved = fields.Datetime(readonly=True, copy=False)

    @api.model
    def _distrib_workflow_fields(self):
        """Resolving and reopening go through the actions."""
        return super()._distrib_workflow_fields() | {"state", "date_resolved"}

    @api.depends("invoice_id")
    def _compute_order_id(self):
        for dispute in self:
            orders = dispute.invoice_id.line_ids.sale_line_ids.order_id
            if dispute.order_id not in orders:
                dispute.order_id = orders[:1]

    @api.constrains("reason")
    def _check_reason(self):
        for dispute in self:
            if not (dispute.reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "A dispute on %(invoice)s needs a reason: say what the "
                        "customer contests.",
                        invoice=dispute.invoice_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            reason = vals.get("reason")
            if reason and not isinstance(reason, str):
                raise ValidationError(
                    self.env._(
                        "The reason of a dispute must be a text, not %(value)r.",
                        value=reason,
                    )
                )
            if not (reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "A dispute needs a reason: say what the customer contests."
                    )
                )
            # the reference comes from the sequence, whatever a client sends
            if vals.get("name", "/") == "/" or not self.env.su:
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("distrib.order.dispute") or "/"
                )
        disputes = super().create(vals_list)
        disputes._distrib_notify_orders(self.env._("Dispute opened"))
        return disputes

    def write(self, vals):
        orders = self.order_id if "order_id" in vals else None
        res = super().write(vals)
        if orders is not None:
            # the order the dispute leaves and the one it now disputes
            (orders | self.order_id)._distrib_compute_state(
                sources={order.id: self[:1] for order in orders | self.order_id}
            )
        return res

    def _distrib_notify_orders(self, reason=None):
        orders = self.order_id
        if orders:
            orders._distrib_compute_state(
                reason=reason,
                sources={dispute.order_id.id: dispute for dispute in self},
            )

    @distrib_rpc()
    def action_resolve(self):
        self.check_access("write")
        for dispute in self:
            if not (dispute.resolution or "").strip():
                raise UserError(
                    self.env._(
                        "Write the resolution of %(dispute)s before resolving it.",
                        dispute=dispute.name,
                    )
                )
        open_disputes = self.filtered(lambda d: d.state == "open")
        # the transition is checked above: written by the workflow
        open_disputes.sudo().write(
            {"state": "resolved", "date_resolved": fields.Datetime.now()}
        )
        open_disputes._distrib_notify_orders(self.env._("Dispute resolved"))
        return True

    @distrib_rpc()
    def action_reopen(self):
        self.check_access("write")
        to_reopen = self.filtered(lambda d: d.state == "resolved")
        to_reopen.sudo().write({"state": "open", "date_resolved": False})
        to_reopen._distrib_notify_orders(self.env._("Dispute reopened"))
        return True
